"""How checks look at an answer: once here, so that each lesson says only its exercise.

Two kinds of answers, two ways in:

- **Code in the kernel** (a handler, a helper such as a key decoder): :func:`expect_function`
  checks its signature, :func:`call_answer` calls it and turns what it raises into words.
- **A deployed function** (most exercises): :class:`Deployed` finds it in the sandbox,
  starts the check clean (``sb.recover()`` for it: an earlier wrong answer's events cannot
  fail a fixed one), invokes it as ``lambda.invoke`` would or waits while a trigger runs
  it, and reads what it did: payloads, log lines since the check began, failures the
  sandbox recorded. A failure is always said with the function's own error: its type,
  message and the line of the handler.

Every helper raises :class:`~lambdalab.course.probe.NotYet` with a sentence for
the learner, never a traceback: a missing sandbox or function names the cell to run.
"""

from __future__ import annotations

import base64
import contextlib
import inspect
import json
import os
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lambdalab.course.time_limit import TIME_LIMIT_S, TooSlow, call_limited
from lambdalab.sandbox.failures import handler_line


class NotYet(Exception):
    """Raised by a check: the answer is not right yet. The message says what is wrong."""


# --------------------------------------------------------------------------------------
# Answers in words
# --------------------------------------------------------------------------------------


def describe(value: Any) -> str:
    """``"None"``, ``"a str ('hi')"``: how a learner's answer is named in messages."""
    if value is None:
        return "None (a NoneType)"
    kind = type(value).__name__
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({short(value)})"


def short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_json(text: str) -> Any:
    """The JSON value of ``text``, or None when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# The learner's code, called in the kernel
# --------------------------------------------------------------------------------------


def fake_context(function_name: str = "exercise") -> types.SimpleNamespace:
    """A stand-in for the LambdaContext a handler receives (enough for exercises).

    Example
    -------
    >>> fake_context().get_remaining_time_in_millis()
    3000
    """
    return types.SimpleNamespace(
        function_name=function_name,
        function_version="$LATEST",
        memory_limit_in_mb="128",
        aws_request_id="c6af9ac6-7b61-11e6-9a41-93e812345678",
        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}",
        log_group_name=f"/aws/lambda/{function_name}",
        log_stream_name="2026/01/01/[$LATEST]0123456789abcdef",
        get_remaining_time_in_millis=lambda: 3000,
    )


def expect_function(answer: Any, name: str, parameters: tuple[str, ...]) -> None:
    """Raise NotYet unless ``answer`` is a function that accepts ``parameters``.

    Example
    -------
    >>> expect_function(len, "handler", ("event", "context"))
    Traceback (most recent call last):
    ...
    lambdalab.course.probe.NotYet: handler must accept 2 arguments (event, context)
    """
    if not callable(answer):
        raise NotYet(
            f"your answer is {describe(answer)}; expected a function "
            f"{name}({', '.join(parameters)}). Pass the function itself: {name}, not {name}()."
        )
    try:
        inspect.signature(answer).bind(*parameters)
    except TypeError:
        raise NotYet(
            f"{name} must accept {len(parameters)} arguments ({', '.join(parameters)})"
        ) from None
    except ValueError:  # builtins without a signature: let the call decide
        pass


def call_answer(
    function: Callable[..., Any], *args: Any, name: str = "your function", returns: bool = False
) -> Any:
    """Call the learner's function; an exception it raises becomes a NotYet.

    The call runs under a time limit (:data:`~lambdalab.course.time_limit.TIME_LIMIT_S`):
    a function still running then is stopped, and the NotYet says where it was. With
    ``returns``, a function that returns None (no return statement yet) is a NotYet too.

    Example
    -------
    >>> call_answer(lambda event: event["name"], {}, name="your handler")
    Traceback (most recent call last):
    ...
    lambdalab.course.probe.NotYet: calling your handler with {} raised KeyError: 'name'
    """
    try:
        result = call_limited(function, *args, seconds=TIME_LIMIT_S)
    except TooSlow as slow:
        raise NotYet(f"{name} is {slow}") from None
    except Exception as error:  # the learner's code: any exception is feedback
        shown = ", ".join(short(arg) for arg in args if arg is not None and _is_data(arg))
        raise NotYet(
            f"calling {name}{' with ' + shown if shown else ''} raised "
            f"{type(error).__name__}: {error}"
        ) from None
    if returns and result is None:
        raise NotYet(f"{name} returned None: it needs a return statement")
    return result


def _is_data(value: Any) -> bool:
    return isinstance(value, dict | list | str | int | float | bool)


# --------------------------------------------------------------------------------------
# The sandbox
# --------------------------------------------------------------------------------------


def _require_sandbox() -> None:
    if "AWS_ENDPOINT_URL" not in os.environ:
        raise NotYet("the sandbox is not running: run the lesson's setup cell first")


def running_sandbox() -> Any:
    """The running sandbox (or the grader's stand-in); a NotYet when none runs."""
    _require_sandbox()
    from lambdalab.sandbox.account import sandbox

    return sandbox()


def client(service: str, retries: bool = True) -> Any:
    """A boto3 client of the sandbox; ``retries=False``: one attempt, a throttle is an answer."""
    import boto3
    from botocore.config import Config

    _require_sandbox()
    if retries:
        return boto3.client(service)
    return boto3.client(service, config=Config(retries={"total_max_attempts": 1}))


def start_clean(sb: Any, function_name: str | None = None) -> None:
    """Drop what an earlier answer left in flight, so that it cannot fail this check.

    Calls ``sb.recover()`` quietly (for one function, or the whole sandbox): pending
    asynchronous events, failing batches and loops go; buckets, tables, queues and
    functions stay. Every check that deploys or triggers starts with it.
    """
    recover = getattr(sb, "recover", None)
    if recover is None:  # a sandbox without recover() (an older grader's stand-in)
        return
    try:
        recover(function_name)
    except Exception:  # noqa: BLE001 - cleaning is a courtesy; the check goes on
        pass


def log_length(sb: Any, function_name: str | None) -> int:
    """How many log lines the function has so far: where a check's own lines start.

    A check quotes only the lines after it (``sb.logs(name).lines[since:]``): an error
    logged by an earlier attempt may be fixed already.
    """
    return 0 if function_name is None else len(sb.logs(function_name).lines)


def failures_of(sb: Any, function_name: str | None = None) -> list[Any]:
    """The sandbox's recorded failures of one function (or all); [] when it keeps none."""
    failures = getattr(sb, "failures", None)
    if failures is None:
        return []
    try:
        found = list(failures(function_name))
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return []
    return [f for f in found if function_name is None or f.function_name == function_name]


def failure_feedback(failures: list[Any], function_name: str | None = None) -> str:
    """The learner-facing words for failures recorded by the sandbox (newest matters most).

    Names the function, what called it, how often it failed, the error and the line of
    the handler, then the way out: fix, deploy again, check again.
    """
    mine = [f for f in failures if function_name is None or f.function_name == function_name]
    failures = mine or failures
    if not failures:
        return ""
    parts = []
    for failure in failures[-3:]:
        if failure.kind in ("loop", "internal"):
            parts.append(failure.detail or f"{failure.function_name} was stopped ({failure.kind})")
            continue
        if failure.kind == "hang":  # it kept running: where, its timeout, what AWS does
            parts.append(f"{failure.function_name} timed out: {failure.detail}")
            continue
        text = failure.what_happened()
        if failure.handler_line:
            text += f", at {failure.handler_line}"
        parts.append(text)
    return (
        "; ".join(parts).rstrip(".")
        + ". Fix the handler, deploy it again, then run the check again "
        "(it starts from a clean sandbox)"
    )


def settle(sb: Any, function_name: str | None = None, timeout: float = 60.0) -> None:
    """``sb.wait()``, with what stops it turned into a NotYet naming the function's error.

    When the sandbox cannot settle (a batch that keeps failing, a loop), the failures of
    ``function_name`` are reported and what the check left in flight is dropped, so the
    rest of the lesson is not held up by the check's own events.
    """
    try:
        sb.wait(timeout=timeout)
    except TimeoutError as error:
        failures = list(getattr(error, "failures", None) or failures_of(sb, function_name))
        start_clean(sb, function_name)
        if failures:
            raise NotYet(failure_feedback(failures, function_name)) from None
        raise NotYet(
            f"the sandbox did not settle: {error}. Look at sb.logs({function_name!r}) "
            "for what the function is doing"
            if function_name
            else f"the sandbox did not settle: {error}"
        ) from None


def raise_if_failed(sb: Any, function_name: str, what: str) -> None:
    """A NotYet naming the function's recorded error, if it failed during the check.

    ``what`` says what went wrong in the check's own terms ("the tally stayed at zero");
    the function's error follows, because it is the cause.
    """
    failures = failures_of(sb, function_name)
    if failures:
        raise NotYet(f"{what}: {failure_feedback(failures, function_name)}")


# --------------------------------------------------------------------------------------
# A deployed function
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invoked:
    """What a deployed function answered: its decoded payload, error marker and log tail."""

    payload: Any
    function_error: str | None
    log: str

    @property
    def error(self) -> dict[str, Any]:
        """The error payload (errorType, errorMessage, stackTrace); {} for a success."""
        return self.payload if self.function_error and isinstance(self.payload, dict) else {}

    def report(self) -> Any:
        """The invocation's REPORT line, parsed (lambdalab.pricing); None without one."""
        from lambdalab.pricing import parse_report

        lines = [line for line in self.log.splitlines() if line.startswith("REPORT ")]
        return parse_report(lines[-1]) if lines else None


def function_name(answer: Any, expected: str | None = None) -> str:
    """The answer as the name of a deployed function; a NotYet naming what it is instead."""
    if isinstance(answer, str) and answer:
        return answer
    what = getattr(answer, "__name__", None)
    given = (
        f"the notebook's Python function {what}, not the name Lambda knows it by"
        if callable(answer) and what
        else describe(answer)
    )
    example = f" such as {expected!r}" if expected else ""
    raise NotYet(f"pass check() the deployed function's name, a str{example}; this is {given}")


def invoke_function(name: Any, event: Any = None, client: Any = None) -> Invoked:
    """Invoke a function deployed in the sandbox, as ``lambda.invoke`` would.

    Checks of exercises that deploy a function call it, so a check tests the function
    that really runs, not the code in the notebook. A missing sandbox or function is a
    NotYet that says which cell to run. Pass ``client`` (a boto3 Lambda client) to invoke
    from several threads: clients are thread-safe, boto3's default session is not.
    """
    import boto3

    _require_sandbox()
    name = function_name(name)
    client = client or boto3.client("lambda")
    try:
        response = client.invoke(
            FunctionName=name, Payload=json.dumps(event or {}).encode(), LogType="Tail"
        )
    except client.exceptions.ResourceNotFoundException:
        raise NotYet(
            f"there is no function named {name!r} in the sandbox: run the cell that deploys "
            "it first"
        ) from None
    return _invoked(response)


def _invoked(response: dict[str, Any]) -> Invoked:
    raw = response["Payload"].read()
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = raw.decode("utf-8", "replace")
    log = base64.b64decode(response.get("LogResult", "")).decode("utf-8", "replace")
    return Invoked(payload, response.get("FunctionError"), log)


def function_error(invoked: Invoked, event: Any = None) -> str:
    """A failed invocation in words: the error type and message, and the handler's line.

    Example
    -------
    >>> error = {"errorType": "KeyError", "errorMessage": "'name'"}
    >>> function_error(Invoked(error, "Unhandled", ""))
    "the function failed with KeyError: 'name'"
    """
    error = invoked.payload if isinstance(invoked.payload, dict) else {}
    kind, message = error.get("errorType"), error.get("errorMessage")
    where = handler_line(error.get("stackTrace"))
    if kind == "Sandbox.Timedout" or "Task timed out" in str(message):
        text = f"the function timed out ({str(message).split('Error: ', 1)[-1]})"
        note = running_note(invoked.log)
        if note:
            text += f": {note}"
    else:
        text = f"the function failed with {kind or invoked.function_error}: {message}"
        note = running_note(invoked.log)  # module-level code that kept running
        if note:
            text += f": {note}"
    if event is not None:
        text = f"for the event {short(event)} " + text
    return text + (f" ({where})" if where else "")


def running_note(log: str) -> str:
    """Where a timed-out invocation was, from the sandbox's note in its log tail ("")."""
    for line in reversed(log.splitlines()):
        if line.startswith("Lambda Lab: ") and " at " in line:
            return line.removeprefix("Lambda Lab: ").strip()
    return ""


def payload_of(invoked: Invoked, event: Any) -> Any:
    """The payload of a successful invocation; a function error becomes a NotYet."""
    if invoked.function_error:
        raise NotYet(function_error(invoked, event))
    return invoked.payload


def call_function(name: Any, event: Any = None) -> Any:
    """The payload of one successful invocation; the function's error is a NotYet."""
    return payload_of(invoke_function(name, event), event)


def function_config(name: Any, deploy_cell: str = "the cell that deploys it") -> dict[str, Any]:
    """The function's configuration; a NotYet naming the cell to run when it is missing."""
    lam = client("lambda")
    try:
        return lam.get_function_configuration(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        raise NotYet(
            f"there is no function named {name!r} in the sandbox: run {deploy_cell} first"
        ) from None


def environment_variable(config: dict[str, Any], variable: str) -> str:
    """One of the function's environment variables; a NotYet when the wiring left it out."""
    value = (config.get("Environment") or {}).get("Variables", {}).get(variable)
    if not value:
        raise NotYet(
            f"the function {config['FunctionName']} has no {variable} environment variable: "
            "run the section's wiring cell again"
        )
    return value


@contextlib.contextmanager
def configured(name: str, **changes: Any) -> Iterator[Callable[..., None]]:
    """The function with its configuration changed for the block, then set back as it was.

    Yields ``update(**more)`` for further changes inside the block (set back too). A new
    configuration means new execution environments, as on AWS: the next call is cold.
    """
    lam = client("lambda")
    before = lam.get_function_configuration(FunctionName=name)
    touched: set[str] = set()

    def update(**more: Any) -> None:
        touched.update(more)
        lam.update_function_configuration(FunctionName=name, **more)
        lam.get_waiter("function_updated_v2").wait(FunctionName=name)

    try:
        if changes:
            update(**changes)
        yield update
    finally:
        if touched:
            update(**{key: _setting(before, key) for key in touched})


def _setting(config: dict[str, Any], key: str) -> Any:
    """A setting of ``get_function_configuration`` as ``update_function_configuration`` takes it."""
    if key == "Environment":
        return {"Variables": (config.get("Environment") or {}).get("Variables", {})}
    return config[key]


class Deployed:
    """The function an exercise deployed, as one check probes it.

    Finding it starts the check: a NotYet names the cell to run when the sandbox or the
    function is missing; then what an earlier attempt left in flight is dropped
    (``clean``), and the log's length noted, so that only this check's lines are quoted.

    Example
    -------
    ::

        fn = Deployed(function_name(answer, "visit-counter"))
        got = fn.call({"page": "home"})      # the payload, or a NotYet with the error
        run = fn.after(lambda: s3.put_object(...))  # a trigger's work, waited for
    """

    def __init__(
        self, name: str, deploy_cell: str = "the cell that deploys it", clean: bool = True
    ) -> None:
        self.sb = running_sandbox()
        self.config = function_config(name, deploy_cell)
        self.name = name
        if clean:
            start_clean(self.sb, name)
        self.since = log_length(self.sb, name)

    def invoke(self, event: Any = None, client: Any = None) -> Invoked:
        """One synchronous invocation (``lambda.invoke``)."""
        return invoke_function(self.name, event, client)

    def call(self, event: Any = None) -> Any:
        """The payload of one successful invocation; a function error is a NotYet."""
        return payload_of(self.invoke(event), event)

    def lines(self) -> list[str]:
        """The function's log lines since the check began."""
        return self.sb.logs(self.name).lines[self.since :]

    def failures(self) -> list[Any]:
        """The function's failures the sandbox recorded (``sb.failures(name)``)."""
        return failures_of(self.sb, self.name)

    def settle(self) -> None:
        """Wait for the function and its retries; a loop or a stuck batch is a NotYet."""
        settle(self.sb, self.name)

    def after(self, action: Callable[[], Any]) -> Run:
        """Do ``action`` (an upload, a message), wait for the function, say what it did."""
        mark = log_length(self.sb, self.name)
        action()
        self.settle()
        return Run(self.sb.logs(self.name).lines[mark:], self.failures())

    def env(self, variable: str) -> str:
        """One of the function's environment variables (see :func:`environment_variable`)."""
        return environment_variable(self.config, variable)

    def last_error(self) -> str:
        """The function's error: the sandbox's record of it, else its last error log line."""
        failed = self.failures()
        return failure_feedback(failed, self.name) if failed else self._error_line()

    def explain(self, message: str) -> str:
        """``message``, followed by the function's error when it failed during the check."""
        failed = self.failures()
        if failed:
            return f"{message}. {failure_feedback(failed, self.name)}"
        error = self._error_line()
        return f"{message}. The function's log says: {error}" if error else message

    def _error_line(self) -> str:
        """The last line of this check's log that says the function failed, or ""."""
        for line in reversed(self.lines()):
            text = line.strip()
            if text.startswith("[ERROR]") or "Task timed out" in text or " failed: " in text:
                return text.split("\r")[0].split("\n")[0][:300]
        return ""


@dataclass
class Run:
    """What a function did while a trigger ran it: its log lines and recorded failures."""

    lines: list[str]
    failures: list[Any]

    @property
    def starts(self) -> list[str]:
        return [line for line in self.lines if line.startswith("START RequestId:")]

    @property
    def errors(self) -> list[str]:
        """``[ERROR]`` lines and runtime failures (out of memory, timeouts, init errors)."""
        return [
            line
            for line in self.lines
            if line.startswith("[ERROR]")
            or "Status: error" in line
            or "Task timed out" in line
            or "recursive loop" in line
        ]

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.failures)

    def first_error(self) -> str:
        """The function's error in words: type, message and handler line when known."""
        if self.failures:
            return failure_feedback(self.failures)
        line = self.errors[0] if self.errors else ""
        return line.split("\n")[0].removeprefix("[ERROR] ").strip()[:300]


# --------------------------------------------------------------------------------------
# HTTP endpoints (API Gateway, function URLs) and S3
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status and body text (4xx and 5xx are answers, not errors)."""

    status: int
    text: str

    @property
    def json(self) -> Any:
        return parse_json(self.text)

    def __str__(self) -> str:
        """'200 {...}' or '200 with an empty body', as messages quote it."""
        if self.text.strip():
            return f"{self.status} {self.text[:200]}"
        return f"{self.status} with an empty body"


def http(method: str, url: str, body: Any = None, headers: dict | None = None) -> Answer:
    """One real HTTP request to a sandbox endpoint; a dict or list body is sent as JSON."""
    import urllib.error
    import urllib.request

    if isinstance(body, dict | list):
        body = json.dumps(body)
    data = body.encode() if isinstance(body, str) else body
    sent = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(
        url, data=data, method=method, headers={**sent, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode("utf-8", "replace"))
    except OSError as error:
        raise NotYet(
            f"{method} {url} could not connect ({error}): run the lesson's cells again"
        ) from None


def api_function(api_id: str) -> str | None:
    """The name of the function behind an HTTP API's first Lambda integration, if any."""
    try:
        integrations = client("apigatewayv2").get_integrations(ApiId=api_id)["Items"]
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    for integration in integrations:
        uri = integration.get("IntegrationUri") or ""
        if ":function:" in uri:
            return uri.split(":function:")[1].split(":")[0].split("/")[0]
    return None


def dynamodb_table(name: str, cell: str = "the cell that creates it") -> Any:
    """A DynamoDB table (boto3's resource); a NotYet naming the cell when it is missing."""
    import boto3

    _require_sandbox()
    table = boto3.resource("dynamodb").Table(name)
    try:
        table.load()
    except table.meta.client.exceptions.ResourceNotFoundException:
        raise NotYet(f"there is no table {name!r}: run {cell}") from None
    return table


def scan(table: Any, condition: Any) -> list[dict[str, Any]]:
    """Every item of a DynamoDB table (boto3's resource) that meets ``condition``, all pages."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"FilterExpression": condition}
    while True:
        page = table.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def s3_object(bucket: str, key: str) -> dict[str, Any] | None:
    """``{"body", "content_type"}`` of an object, or None when there is none."""
    s3 = client("s3")
    try:
        response = s3.get_object(Bucket=bucket, Key=key)
    except s3.exceptions.NoSuchKey:
        return None
    return {"body": response["Body"].read(), "content_type": response.get("ContentType", "")}
