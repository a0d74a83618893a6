"""Instant feedback on exercises: ``check("00.1", handler)``.

A check answers "passed" or "not yet: what is wrong" with a hint. It never crashes on a
wrong answer: whatever the answer is (None, a string, a function that raises), the learner
gets a sentence, not a traceback.

Each lesson keeps its checks in ``lambdalab/checks/lessonNN.py``, imported the first time
an exercise of that lesson is checked. A check is a function that returns on success and
raises ``NotYet`` otherwise::

    @exercise("00.1", title="Your first handler-shaped function",
              hint="Return a dict.", expects="a function handler(event, context)")
    def first_handler(answer):
        if answer({"name": "Ada"}, None) != {"greeting": "Hello, Ada!"}:
            raise NotYet("...")

The environment variable ``LAMBDALAB_CHECKS`` lets the notebook tests enforce both sides
of every check: ``must-pass`` (run on solutions/: a failing check raises AssertionError)
and ``must-fail`` (run on notebooks/: a check that passes on the unsolved stub raises).
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import pkgutil
import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lambdalab.failures import handler_line

MODE_VARIABLE = "LAMBDALAB_CHECKS"
MODES = ("", "must-pass", "must-fail")
EXERCISE_ID = re.compile(r"^(\d\d)\.(\d+)$")


class NotYet(Exception):
    """Raised by a check: the answer is not right yet. The message says what is wrong."""


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: its id ("04.2"), title, hint and the check itself."""

    id: str
    title: str
    hint: str
    expects: str
    check: Callable[[Any], None]
    more_hint: str = ""

    @property
    def lesson(self) -> str:
        return self.id.split(".")[0]


_REGISTRY: dict[str, Exercise] = {}


def exercise(
    exercise_id: str,
    *,
    title: str,
    hint: str,
    expects: str = "the answer asked for",
    more_hint: str = "",
):
    """Register the decorated function as the check of exercise ``exercise_id``.

    Parameters
    ----------
    exercise_id : str
        "NN.k": lesson number (two digits) and exercise number.
    title : str
        The exercise's title, as in the notebook.
    hint : str
        Shown with every "not yet": it guides, it does not give the answer.
    expects : str
        What a right answer is, for the message when the answer has the wrong shape.
    more_hint : str
        A fuller hint, added after ``MORE_HINT_AFTER`` failed attempts at this exercise in
        the same kernel. It may name the functions to call, never the answer's own lines
        (tests/unit/test_no_answers.py searches the student kit for them).

    Example
    -------
    In ``lambdalab/checks/lesson99.py``::

        @exercise("99.1", title="Say yes", hint="Type the word.", expects="the string 'yes'")
        def say_yes(answer):
            if answer != "yes":
                raise NotYet(f"you wrote {answer!r}")

    and in the lesson, ``check("99.1", "yes")`` passes.
    """
    if not EXERCISE_ID.match(exercise_id):
        raise ValueError(f"exercise ids look like '04.2', not {exercise_id!r}")

    def register(function: Callable[[Any], None]) -> Callable[[Any], None]:
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, hint, expects, function, more_hint)
        return function

    return register


# --------------------------------------------------------------------------------------
# Helpers for writing checks
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
    lambdalab.checks.NotYet: handler must accept 2 arguments (event, context)
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


def call_answer(function: Callable[..., Any], *args: Any, name: str = "your function") -> Any:
    """Call the learner's function; an exception it raises becomes a NotYet.

    Example
    -------
    >>> call_answer(lambda event: event["name"], {}, name="your handler")
    Traceback (most recent call last):
    ...
    lambdalab.checks.NotYet: calling your handler with {} raised KeyError: 'name'
    """
    try:
        return function(*args)
    except Exception as error:  # the learner's code: any exception is feedback
        shown = ", ".join(_short(arg) for arg in args if arg is not None and _is_data(arg))
        raise NotYet(
            f"calling {name}{' with ' + shown if shown else ''} raised "
            f"{type(error).__name__}: {error}"
        ) from None


@dataclass(frozen=True)
class Invoked:
    """What a deployed function answered: its decoded payload, error marker and log tail."""

    payload: Any
    function_error: str | None
    log: str


def invoke_function(function_name: str, event: Any = None, client: Any = None) -> Invoked:
    """Invoke a function deployed in the sandbox, as ``lambda.invoke`` would.

    Checks of exercises that deploy a function call it, so a check tests the function
    that really runs, not the code in the notebook. A missing sandbox or function is a
    NotYet that says which cell to run. Pass ``client`` (a boto3 Lambda client) to invoke
    from several threads: clients are thread-safe, boto3's default session is not.
    """
    import base64
    import json
    import os

    import boto3

    if "AWS_ENDPOINT_URL" not in os.environ:
        raise NotYet("the sandbox is not running: run the lesson's setup cell first")
    if not isinstance(function_name, str):
        what = getattr(function_name, "__name__", None)
        given = (
            f"the notebook's Python function {what}, not the name Lambda knows it by"
            if callable(function_name) and what
            else describe(function_name)
        )
        raise NotYet(f"pass check() the deployed function's name, a str; this is {given}")
    client = client or boto3.client("lambda")
    try:
        response = client.invoke(
            FunctionName=function_name, Payload=json.dumps(event or {}).encode(), LogType="Tail"
        )
    except client.exceptions.ResourceNotFoundException:
        raise NotYet(
            f"there is no function named {function_name!r} in the sandbox: "
            "run the cell that deploys it first"
        ) from None
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
        text = f"the function timed out ({message})"
    else:
        text = f"the function failed with {kind or invoked.function_error}: {message}"
    if event is not None:
        text = f"for the event {_short(event)} " + text
    return text + (f" ({where})" if where else "")


# --------------------------------------------------------------------------------------
# Checks that go through the sandbox: start clean, wait, report the function's errors
# --------------------------------------------------------------------------------------


def running_sandbox() -> Any:
    """The running sandbox (or the grader's stand-in); a NotYet when none runs."""
    if "AWS_ENDPOINT_URL" not in os.environ:
        raise NotYet("the sandbox is not running: run the lesson's setup cell first")
    import lambdalab

    return lambdalab.sandbox()


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
        return list(failures(function_name))
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return []


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
    failures = [f for f in failures_of(sb, function_name) if f.function_name == function_name]
    if failures:
        raise NotYet(f"{what}: {failure_feedback(failures, function_name)}")


def describe(value: Any) -> str:
    """``"None"``, ``"a str ('hi')"``: how a learner's answer is named in messages."""
    if value is None:
        return "None (a NoneType)"
    kind = type(value).__name__
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({_short(value)})"


def _is_data(value: Any) -> bool:
    return isinstance(value, dict | list | str | int | float | bool)


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

_BOX = (
    "<div style='border-left:5px solid {edge};background:{fill};color:#1b1b1b;"
    "padding:0.5em 0.8em;margin:0.3em 0;border-radius:3px'>{body}</div>"
)


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` returns: shown as a green or amber box in Jupyter, text elsewhere."""

    exercise: str
    passed: bool
    message: str = ""
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"✓ Exercise {self.exercise} passed{': ' + self.message if self.message else ''}"
        text = f"✗ Exercise {self.exercise}. Not yet: {self.message}"
        return text + (f"\n  Hint: {self.hint}" if self.hint else "")

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if self.passed:
            body = f"<b>✓ Exercise {html.escape(self.exercise)} passed</b>"
            if self.message:
                body += f": {html.escape(self.message)}"
            return _BOX.format(edge="#2e7d32", fill="#e8f5e9", body=body)
        body = f"<b>Exercise {html.escape(self.exercise)}. Not yet:</b> {html.escape(self.message)}"
        if self.hint:
            body += f"<br><b>Hint:</b> {html.escape(self.hint)}"
        return _BOX.format(edge="#ff8f00", fill="#fff8e1", body=body)


# --------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------


def _lesson_modules() -> list[str]:
    """Names of the lesson modules that exist: ["lesson00", "lesson01", ...]."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if re.fullmatch(r"lesson\d\d", info.name)
    )


def load_lesson(lesson: str) -> dict[str, Exercise]:
    """Import ``lessonNN`` (if it exists) and return its exercises by id."""
    if f"lesson{lesson}" in _lesson_modules():
        importlib.import_module(f"{__name__}.lesson{lesson}")
    return {key: ex for key, ex in sorted(_REGISTRY.items()) if ex.lesson == lesson}


def registry() -> dict[str, Exercise]:
    """Every exercise of every lesson, by id, in course order.

    Example
    -------
    >>> "00.1" in registry()
    True
    """
    for name in _lesson_modules():
        importlib.import_module(f"{__name__}.{name}")
    return dict(sorted(_REGISTRY.items(), key=lambda item: _sort_key(item[0])))


def _sort_key(exercise_id: str) -> tuple[int, int]:
    lesson, number = exercise_id.split(".")
    return int(lesson), int(number)


def _mode() -> str:
    mode = os.environ.get(MODE_VARIABLE, "").strip().lower()
    if mode not in MODES:
        raise ValueError(
            f"{MODE_VARIABLE}={mode!r} is not a mode; use 'must-pass', 'must-fail' or unset it"
        )
    return mode


def _unknown(exercise_id: str) -> CheckResult:
    match = EXERCISE_ID.match(exercise_id) if isinstance(exercise_id, str) else None
    if not match:
        return CheckResult(
            str(exercise_id),
            False,
            f"{exercise_id!r} is not an exercise id; ids look like '04.2' "
            "(two-digit lesson, a dot, the exercise number), as in the exercise's title",
        )
    known = list(load_lesson(match.group(1)))
    listing = ", ".join(known) if known else "none yet"
    return CheckResult(
        exercise_id,
        False,
        f"there is no exercise {exercise_id}; lesson {match.group(1)} has: {listing}",
    )


#: Failed attempts per exercise in this kernel; the fuller hint comes after this many.
MORE_HINT_AFTER = 2
_ATTEMPTS: dict[str, int] = {}


def hint_for(ex: Exercise) -> str:
    """Count one more failed attempt at ``ex``; return the hint to show with it.

    The first "not yet"s carry the guiding hint; from attempt ``MORE_HINT_AFTER`` on, the
    fuller one is added (a restarted kernel starts counting again).
    """
    _ATTEMPTS[ex.id] = _ATTEMPTS.get(ex.id, 0) + 1
    if ex.more_hint and _ATTEMPTS[ex.id] >= MORE_HINT_AFTER:
        return f"{ex.hint} {ex.more_hint}"
    return ex.hint


def _run(ex: Exercise, answer: Any) -> CheckResult:
    try:
        ex.check(answer)
    except (NotYet, AssertionError) as not_yet:
        message = str(not_yet) or "the answer is not right yet"
        return CheckResult(ex.id, False, message, hint_for(ex))
    except Exception as error:  # a check must never crash on a wrong answer
        return CheckResult(ex.id, False, _unexpected(error, answer), hint_for(ex))
    return CheckResult(ex.id, True, ex.title)


def _unexpected(error: Exception, answer: Any) -> str:
    """The message for an exception the check did not expect: the cause, not a guess.

    A sandbox that could not settle names the failing function's error; anything else is
    said as it is, without claiming the answer has the wrong type (it may be right, and
    only the function behind it failing).
    """
    failures = getattr(error, "failures", None)
    if failures:
        return failure_feedback(list(failures))
    if isinstance(error, TimeoutError) and "AWS_ENDPOINT_URL" in os.environ:
        import lambdalab

        found = failures_of(lambdalab.sandbox())
        if found:
            return failure_feedback(found)
    return (
        f"the check could not finish with your answer ({describe(answer)}): it met "
        f"{type(error).__name__}: {error}"
    )


def check(exercise_id: str, answer: Any) -> CheckResult:
    """Check ``answer`` for exercise ``exercise_id``; never raises for a wrong answer.

    Parameters
    ----------
    exercise_id : str
        The id in the exercise's title: "00.1" for Exercise 0.1 of lesson 00.
    answer : object
        Whatever the exercise asks for: a function, a value, a dict...

    Returns
    -------
    CheckResult
        ``passed`` and, when not passed, the ``message`` and ``hint``.

    Raises
    ------
    AssertionError
        Only when ``LAMBDALAB_CHECKS`` is ``must-pass`` and the check fails, or
        ``must-fail`` and it passes (the notebook tests use these modes).

    Example
    -------
    >>> check("00.1", None).passed
    False
    """
    mode = _mode()
    match = EXERCISE_ID.match(exercise_id) if isinstance(exercise_id, str) else None
    ex = load_lesson(match.group(1)).get(exercise_id) if match else None
    result = _run(ex, answer) if ex else _unknown(exercise_id)
    if mode == "must-pass" and not result.passed:
        raise AssertionError(f"{MODE_VARIABLE}=must-pass: {result}")
    if mode == "must-fail" and result.passed:
        raise AssertionError(
            f"{MODE_VARIABLE}=must-fail: exercise {result.exercise}: check passed on an "
            "unsolved stub: a check that cannot fail is a defect"
        )
    if ex and not mode:
        from lambdalab import progress

        progress.record(result.exercise, result.passed)
    return result


__all__ = [
    "CheckResult",
    "Exercise",
    "NotYet",
    "call_answer",
    "check",
    "describe",
    "exercise",
    "failure_feedback",
    "failures_of",
    "function_error",
    "hint_for",
    "raise_if_failed",
    "running_sandbox",
    "settle",
    "start_clean",
    "expect_function",
    "fake_context",
    "load_lesson",
    "registry",
]
