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
the learner, never a traceback: a missing sandbox or function names the cell to run (a
sandbox with no function at all: the kernel restarted, run the cells from Setup down).

**Stale state.** The functions a check looks at are noted (:func:`looked_at`); when the
check fails, :func:`with_stale_state` says first what an earlier cell left in the way:
code edited on disk since its ``sb.deploy()`` (the check tested the old code), a reserved
concurrency of 0, an account limit lowered by ``sb.set_account_concurrency``.
"""

from __future__ import annotations

import base64
import contextlib
import difflib
import inspect
import json
import os
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lambdalab.course.python_notes import (  # python_note: re-exported for checks
    deployed_note,
    exception_note,
    log_note,
    python_note,  # noqa: F401
)
from lambdalab.course.time_limit import TIME_LIMIT_S, TooSlow, call_limited
from lambdalab.sandbox.failures import handler_line


class NotYet(Exception):
    """Raised by a check: the answer is not right yet. The message says what is wrong."""


class WrongKind(NotYet):
    """The answer is not the kind of thing the exercise takes (a usage slip, not a wrong answer).

    ``check()`` says it with the exercise's ``expects`` text, what the answer is, and,
    when it can tell, the slip: a function called instead of passed, a name in quotes,
    the configuration ``sb.deploy`` returned instead of the function's name.
    """

    def __init__(self, message: str, answer: Any = None, wanted: str = "", slip: str = "") -> None:
        super().__init__(message)
        self.answer = answer
        #: what the answer should be, e.g. "a function decode_key(key)" or "'greeter'"
        self.wanted = wanted
        #: the likely slip and its fix, a sentence ("" when nothing more can be told)
        self.slip = slip


# --------------------------------------------------------------------------------------
# Answers in words
# --------------------------------------------------------------------------------------


def describe(value: Any) -> str:
    """``"None"``, ``"a str ('hi')"``: how a learner's answer is named in messages."""
    if value is None:
        return "None (a NoneType)"
    if isinstance(value, types.FunctionType | types.BuiltinFunctionType | types.MethodType):
        return f"the function {value.__name__}" if value.__name__ != "<lambda>" else "a lambda"
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
        wanted = f"{name}({', '.join(parameters)})"
        slip = (
            f"That is its name in quotes: pass the function itself, {name}, without quotes"
            if isinstance(answer, str) and answer.strip().rstrip("()") == name
            else f"Pass the function itself: {name}, not {name}() (what it returns)"
        )
        raise WrongKind(
            f"your answer is {describe(answer)}; expected a function {wanted}. {slip}.",
            answer,
            f"a function {wanted}",
            slip,
        )
    try:
        inspect.signature(answer).bind(*parameters)
    except TypeError:
        raise NotYet(
            f"{name} must accept {len(parameters)} arguments ({', '.join(parameters)})"
        ) from None
    except ValueError:  # builtins without a signature: let the call decide
        pass


def expect_kind(answer: Any, kind: type | tuple[type, ...], what: str) -> None:
    """Raise :class:`WrongKind` unless ``answer`` is an instance of ``kind`` (bool is no number).

    ``what`` names the answer as the exercise asks for it ("the bytes of a zip file").

    Example
    -------
    >>> expect_kind(b"PK", bytes, "a zip's bytes")
    >>> expect_kind("x.zip", bytes, "a zip's bytes")
    Traceback (most recent call last):
    ...
    lambdalab.course.probe.WrongKind: your answer is a str ('x.zip'); expected a zip's bytes
    """
    if isinstance(answer, kind) and not (isinstance(answer, bool) and bool not in _kinds(kind)):
        return
    slip = ""
    is_path = isinstance(answer, str | os.PathLike) and bool(str(answer))
    if bytes in _kinds(kind) and is_path and os.path.exists(answer):
        slip = f"{answer!r} is a path on this machine; the answer is the bytes themselves"
    elif callable(answer) and getattr(answer, "__name__", None):
        slip = (
            f"That is the function {answer.__name__} itself: pass the value the exercise "
            "asks for (what a call returns, or the variable that holds it)"
        )
    elif isinstance(answer, tuple) and len(answer) == 1 and isinstance(answer[0], kind):
        slip = (
            "It is a tuple holding the right kind of value: a comma at the end of the line "
            "that assigns it makes a tuple (x = f(...), ); remove the comma"
        )
    raise WrongKind(
        f"your answer is {describe(answer)}; expected {what}" + (f". {slip}" if slip else ""),
        answer,
        what,
        slip,
    )


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def where_raised(error: BaseException) -> str:
    """The learner's line an exception came from: "line 3 of your cell: return x[0]", or "".

    The innermost frame of the traceback outside the kit (a notebook cell or a file the
    learner wrote), with its source line, as a Lambda error's stackTrace gives it.

    Example
    -------
    >>> try:
    ...     {}["name"]
    ... except KeyError as error:
    ...     where_raised(error).startswith("line ")
    True
    """
    import linecache
    import traceback

    kit = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not os.path.abspath(frame.filename).startswith(kit + os.sep)
    ]
    if not frames:
        return ""
    frame = frames[-1]
    code = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    cell = "ipykernel" in frame.filename or frame.filename.startswith("<")
    place = "your cell" if cell else os.path.basename(frame.filename)
    return f"line {frame.lineno} of {place}" + (f": {code}" if code else "")


def call_answer(
    function: Callable[..., Any], *args: Any, name: str = "your function", returns: bool = False
) -> Any:
    """Call the learner's function; an exception it raises becomes a NotYet.

    The call runs under a time limit (:data:`~lambdalab.course.time_limit.TIME_LIMIT_S`):
    a function still running then is stopped, and the NotYet says where it was. With
    ``returns``, a function that returns None (no return statement yet) is a NotYet too.

    Example
    -------
    >>> def handler(event):
    ...     return event["id"]
    >>> call_answer(handler, {}, name="handler")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lambdalab.course.probe.NotYet: calling handler with {} raised KeyError: 'id' (line 2 of ...)
    """
    try:
        result = call_limited(function, *args, seconds=TIME_LIMIT_S)
    except TooSlow as slow:
        raise NotYet(f"{name} is {slow}") from None
    except Exception as error:  # the learner's code: any exception is feedback
        shown = ", ".join(short(arg) for arg in args if arg is not None and _is_data(arg))
        where = where_raised(error)
        note = exception_note(error)
        raise NotYet(
            f"calling {name}{' with ' + shown if shown else ''} raised "
            f"{type(error).__name__}: {error}"
            + (f" ({where})" if where else "")
            + (f": {note}" if note else "")
        ) from None
    if returns and result is None:
        raise NotYet(f"{name} returned None: it needs a return statement")
    return result


def _is_data(value: Any) -> bool:
    return isinstance(value, dict | list | str | int | float | bool)


# --------------------------------------------------------------------------------------
# Several inputs, one property: the input, what the answer did, what was expected
# --------------------------------------------------------------------------------------


def difference(got: Any, wanted: Any) -> str:
    """What separates ``got`` from ``wanted``, in words; "" when nothing more can be said.

    A key missing or extra, a value of another type, the place where two strings part.

    Example
    -------
    >>> difference({"greeting": "Hello, Ada"}, {"greeting": "Hello, Ada!"})
    "'greeting' is 'Hello, Ada', not 'Hello, Ada!': '!' missing at the end"
    >>> difference({"statusCode": "200"}, {"statusCode": 200})
    "'statusCode' should be the int 200, not the str '200'"
    """
    if got == wanted or got is None:
        return ""
    if isinstance(got, dict) and isinstance(wanted, dict):
        missing = [key for key in wanted if key not in got]
        extra = [key for key in got if key not in wanted]
        if missing:
            return (
                "no key "
                + ", ".join(map(repr, missing))
                + (f" (it has {', '.join(map(repr, extra))})" if extra else "")
            )
        if extra:
            return f"an extra key {', '.join(map(repr, extra))}"
        key = next(key for key in wanted if got[key] != wanted[key])
        if type(got[key]) is not type(wanted[key]) and not _both_numbers(got[key], wanted[key]):
            kinds = type(got[key]).__name__, type(wanted[key]).__name__
            return (
                f"{key!r} should be the {kinds[1]} {short(wanted[key])}, "
                f"not the {kinds[0]} {short(got[key])}"
            )
        inner = difference(got[key], wanted[key])
        return f"{key!r} is {short(got[key])}, not {short(wanted[key])}" + (
            f": {inner}" if inner else ""
        )
    if type(got) is not type(wanted) and not _both_numbers(got, wanted):
        return f"return {_a(type(wanted).__name__)}, not {_a(type(got).__name__)}"
    if isinstance(got, str) and isinstance(wanted, str):
        return _text_difference(got, wanted)
    if isinstance(got, list) and isinstance(wanted, list):
        if len(got) != len(wanted):
            return f"{len(got)} item(s), not {len(wanted)}"
        index = next(i for i, (g, w) in enumerate(zip(got, wanted, strict=True)) if g != w)
        return f"item {index} is {short(got[index])}, not {short(wanted[index])}"
    return ""


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _both_numbers(a: Any, b: Any) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))


def _text_difference(got: str, wanted: str) -> str:
    """Where two strings part: "'!' missing at the end", "'Λ' where 'λ' belongs (character 8)"."""
    if got.strip() == wanted.strip():
        return "they differ in spaces at the ends"
    if got.lower() == wanted.lower():
        return "they differ in upper and lower case"
    common = 0
    while common < min(len(got), len(wanted)) and got[common] == wanted[common]:
        common += 1
    if common == len(got):
        return f"{short(wanted[common:], 30)} missing at the end"
    if common == len(wanted):
        return f"{short(got[common:], 30)} extra at the end"
    return (
        f"{short(got[common : common + 12], 30)} where {short(wanted[common : common + 12], 30)} "
        f"belongs (character {common + 1})"
    )


def expect_each(subject: str, runs: Any, show: Callable[[Any], str] | None = None) -> None:
    """Try each run; raise NotYet at the first whose result is not the one expected.

    ``runs`` yields ``(label, call, wanted)``: ``label`` says the input ("the event
    {'name': 'Ada'}"), ``call()`` runs the answer on it (a NotYet from it, the function's
    own error, is kept as it is) and ``wanted`` is what it must return (an empty
    ``subject`` when ``label`` names the call: "decode_key('a%2Bb')"). The message
    names the input, what ``subject`` returned and what was expected, with
    :func:`difference`, and the inputs that passed before it: a partly right answer is
    told where it stops being right, never a cause guessed for it. ``show`` writes what
    was returned (default: its repr, cut to 200 characters; :func:`describe` adds its type).

    Example
    -------
    >>> runs = [(f"the name {n!r}", lambda n=n: n.title(), n) for n in ["Ada", "λ"]]
    >>> expect_each("your function", runs)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lambdalab.course.probe.NotYet: for the name 'λ' your function returned 'Λ'; expected 'λ': ...
    """
    passed: list[str] = []

    def note() -> str:
        if not passed:
            return ""
        shown = ", ".join(passed[:3]) + (f" and {len(passed) - 3} more" if len(passed) > 3 else "")
        return f" (it passed for {shown})"

    show = show or (lambda value: short(value, 200))
    for label, call, wanted in runs:
        try:
            got = call()
        except NotYet as error:  # the answer's own error, which names the input already
            text = str(error)
            said = label in text or label.split(" ", 2)[-1] in text
            raise NotYet((text if said else f"for {label}: {text}") + note()) from None
        if got == wanted and type(got) is type(wanted):
            passed.append(label)
            continue
        diff = difference(got, wanted)
        why = f": {diff}" if diff else ""
        if got is None and not diff:
            why = ": a function that ends without a return statement returns None"
        said = f"for {label} {subject}" if subject else label
        raise NotYet(f"{said} returned {show(got)}; expected {short(wanted, 200)}{why}{note()}")


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
        rule = deployed_note(
            failure.error_type,
            failure.error_message,
            failure.handler_line,
            deployed_root(failure.function_name),
        )
        if rule:
            text += f" ({rule})"
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


def refused_invocations(function_name: str | None = None) -> list[str]:
    """What the sandbox refused to invoke, oldest first: its log group
    ``/aws/lambdalab/sandbox``, where a trigger that a function's resource-based policy
    does not allow is reported ("HTTP API x could not invoke f: ..."), as AWS answers such
    a call with an error and never runs the function
    (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).

    A check counts them before it sends requests; a new one is why the function did not
    run, said instead of a guess from the response.
    """
    logs = client("logs")
    try:
        events = logs.filter_log_events(logGroupName="/aws/lambdalab/sandbox")["events"]
    except Exception:  # noqa: BLE001 - no group yet: nothing was refused
        return []
    lines = [str(e.get("message", "")) for e in events]
    if function_name is None:
        return lines
    return [line for line in lines if f" could not invoke {function_name}:" in line]


def raise_if_failed(sb: Any, function_name: str, what: str) -> None:
    """A NotYet naming the function's recorded error, if it failed during the check.

    ``what`` says what went wrong in the check's own terms ("the tally stayed at zero");
    the function's error follows, because it is the cause.
    """
    failures = failures_of(sb, function_name)
    if failures:
        raise NotYet(f"{what}: {failure_feedback(failures, function_name)}")


# --------------------------------------------------------------------------------------
# Stale state: what an earlier cell, or a restart, left in the way
# --------------------------------------------------------------------------------------

#: The deployed functions the running check looked at, in order, so that a failure can
#: say what stale state they carry (:func:`with_stale_state`).
_LOOKED_AT: list[str] = []
#: Which cells rebuild what a restarted kernel lost: all of them, from the Setup cell.
SETUP_CELLS = (
    "Run the lesson's Setup cell, then the cells from there down to this one (in "
    "JupyterLab: click this cell, then Run > Run All Above)"
)


def begin_check() -> None:
    """Forget the functions the previous check looked at (``check()`` calls it first)."""
    _LOOKED_AT.clear()


def looked_at(name: str) -> None:
    """Note that the running check probes the function ``name``."""
    if name and name not in _LOOKED_AT:
        _LOOKED_AT.append(name)


def _sandbox_is_new() -> bool:
    """True when the sandbox holds no function at all: a restarted kernel's new sandbox."""
    try:
        return not client("lambda").list_functions(MaxItems=1).get("Functions")
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return False


def _new_sandbox_note(cell: str) -> str:
    """', and the sandbox is new and empty: ...' when no function exists at all; else ''."""
    if not _sandbox_is_new():
        return ""
    return (
        ", and the sandbox holds no function at all: it is new (the kernel restarted, or "
        "this lesson's cells have not run in it yet), and what earlier cells made went with "
        f"the old kernel. {SETUP_CELLS}; {cell} is among them"
    )


def missing_function(
    name: str, deploy_cell: str = "the cell that deploys it", listing: str = ""
) -> str:
    """Why there is no function ``name``, and which cells to run: a restart says so.

    ``listing`` (what the sandbox has, :func:`listed`) is added when it is not new.
    """
    restarted = _new_sandbox_note(deploy_cell)
    if restarted:
        return f"there is no function named {name!r}{restarted}"
    more = f" ({listing})" if listing else ""
    return f"there is no function named {name!r} in the sandbox: run {deploy_cell} first{more}"


def package_entries(name: str) -> tuple[str, list[str]]:
    """Where ``sb.deploy()`` took the function's package from, and its top-level entries
    (``("functions/x", ["app.py", "defusedxml/"])``); ("", []) when not known (the grader)."""
    try:
        source = running_sandbox().deployed_from(name)
    except Exception:  # noqa: BLE001 - a grader's stand-in keeps no record
        return "", []
    if source is None:
        return "", []
    tops = sorted({f.split("/")[0] + ("/" if "/" in f else "") for f in source.files})
    return source.path, tops


def stale_code(name: str) -> str:
    """'functions/x/app.py changed after the last deploy of x: ...', or "" when current.

    Compares the files ``sb.deploy()`` packaged (lambdalab.sandbox.deploy_sources) with
    the folder as it is now, if the function still runs that package (its CodeSha256).
    """
    try:
        sb = running_sandbox()
        source = sb.deployed_from(name)
        if source is None:
            return ""
        now = client("lambda").get_function_configuration(FunctionName=name)
        if now.get("CodeSha256") != source.code_sha256:
            return ""  # deployed since by other means: the record says nothing of it
        changes = source.changes()
    except Exception:  # noqa: BLE001 - a grader's stand-in has no record; only words lost
        return ""
    if not changes:
        return ""
    where = "" if source.single_file else source.path.rstrip("/") + "/"
    listed = ", ".join(f"{where}{change}" for change in changes)
    return (
        f"{listed} since the last deploy of {name}: the function still runs the code "
        f"deployed before. Run the cell that deploys it again ({source.deploy_call}), "
        "then the check"
    )


def settings_left(name: str) -> list[str]:
    """Settings an earlier cell left that make a right answer fail: reserved concurrency
    of 0 on the function (every invocation throttled), a lowered account limit."""
    notes = []
    try:
        reserved = client("lambda").get_function_concurrency(FunctionName=name)
    except Exception:  # noqa: BLE001 - only a better message is at stake
        reserved = {}
    if reserved.get("ReservedConcurrentExecutions") == 0:
        notes.append(
            f"{name} has a reserved concurrency of 0 (put_function_concurrency): Lambda "
            "throttles every invocation of it. Remove it with "
            f"lam.delete_function_concurrency(FunctionName={name!r})"
        )
    return notes


def account_settings_left() -> list[str]:
    """The account's concurrency limit, when an earlier cell lowered it."""
    try:
        limit = running_sandbox().account_concurrency
    except Exception:  # noqa: BLE001 - a grader's stand-in does not say
        return []
    if not isinstance(limit, int) or limit >= 1000:
        return []
    throttled = "every invocation is" if limit == 0 else f"more than {limit} at a time are"
    cell = getattr(running_sandbox(), "account_concurrency_set_by", "")
    where = f", in the cell that starts: {cell}" if cell else ""
    return [
        f"the account's concurrency limit is {limit} (sb.set_account_concurrency({limit})"
        f"{where}): {throttled} throttled. sb.recover() sets it back to AWS's default, 1,000"
    ]


def with_stale_state(message: str) -> str:
    """A failed check's message, with the stale state behind it said first.

    Code edited on disk and never deployed comes first (it is the likeliest cause: the
    check tested the old code); settings left by earlier cells follow. A passing check is
    never failed for them: ``check()`` calls this only for a "not yet".
    """
    if not _LOOKED_AT or "AWS_ENDPOINT_URL" not in os.environ:
        return message
    stale = [stale_code(name) for name in _LOOKED_AT]
    stale = [text for text in stale if text]
    left = [note for name in _LOOKED_AT for note in settings_left(name)]
    left += account_settings_left()
    left = [note for note in left if note.split(" (")[0] not in message]  # said already
    if stale:
        message = f"{'; '.join(stale)}. What the check saw: {message}"
    if left:
        message = f"{message.rstrip('.')}. Left by an earlier cell: {'; '.join(left)}"
    return message


# --------------------------------------------------------------------------------------
# A deployed function
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invoked:
    """What a deployed function answered: its decoded payload, error marker and log tail."""

    payload: Any
    function_error: str | None
    log: str
    function_name: str = ""  # which function answered, for the notes read from its code

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
    detail = ""
    if callable(answer) and what:
        detail = f"the notebook's Python function {what}, not the name Lambda knows it by"
    elif isinstance(answer, dict) and isinstance(answer.get("FunctionName"), str):
        detail = (
            "the function's configuration (a dict), as sb.deploy or create_function returns "
            "it; "
            f"its name is {answer['FunctionName']!r}"
        )
    elif isinstance(answer, dict) and "StatusCode" in answer and "Payload" in answer:
        detail = "what lambda.invoke returned, not the function's name"
    example = f" such as {expected!r}" if expected else ""
    raise WrongKind(
        f"pass check() the deployed function's name, a str{example}; this is "
        + describe(answer)
        + (f": {detail}" if detail else ""),
        answer,
        repr(expected) if expected else "a deployed function's name",
        f"Pass check() the deployed function's name, a str{example}"
        + (f"; this is {detail}" if detail else ""),
    )


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
        raise NotYet(missing_function(name, "the cell that deploys it")) from None
    short_name = name.split(":function:")[-1].split(":")[0]
    looked_at(short_name)
    return _invoked(response, short_name)


def _invoked(response: dict[str, Any], function_name: str = "") -> Invoked:
    raw = response["Payload"].read()
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = raw.decode("utf-8", "replace")
    log = base64.b64decode(response.get("LogResult", "")).decode("utf-8", "replace")
    return Invoked(payload, response.get("FunctionError"), log, function_name)


def deployed_root(function_name: str | None) -> Any:
    """The folder ``sb.deploy()`` zipped for the function (None when unknown): where the
    notes on its errors read its code."""
    if not function_name or "AWS_ENDPOINT_URL" not in os.environ:
        return None
    try:
        source = running_sandbox().deployed_from(function_name)
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    return getattr(source, "root", None)


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
        rule = deployed_note(kind, message, where, deployed_root(invoked.function_name))
        if rule:
            text += f" ({rule})"
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
        config = lam.get_function_configuration(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        raise NotYet(
            missing_function(name, deploy_cell, listed(function_names(lam), near=name))
        ) from None
    looked_at(config.get("FunctionName", name))
    return config


def function_names(lam: Any) -> list[str]:
    """The names of the functions the sandbox has, sorted; [] when they cannot be listed."""
    try:
        pages = lam.get_paginator("list_functions").paginate()
        return sorted(f["FunctionName"] for page in pages for f in page["Functions"])
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return []


def listed(names: list[str], limit: int = 12, near: str = "") -> str:
    """``"the sandbox has 'greeter', 'hello'"``, or says it has none.

    With ``near`` (the name the learner wrote), the names most like it come first, so a
    typo's intended name is never among the "more".
    """
    if not names:
        return "the sandbox has no function yet"
    if near:
        close = difflib.get_close_matches(near, names, n=limit, cutoff=0.5)
        names = close + [name for name in names if name not in close]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "the sandbox has " + ", ".join(map(repr, names[:limit])) + more


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

    def invoke_at_once(self, events: list[Any]) -> list[Invoked]:
        """One synchronous invocation per event, all released at the same instant.

        Each runs in an execution environment of its own, as simultaneous requests do on
        AWS; what they do to shared data (a read-then-write, a check-then-put) happens
        side by side, so a race that only shows under load shows here.
        """
        import threading
        from concurrent.futures import ThreadPoolExecutor

        lam = client("lambda")
        start = threading.Barrier(len(events))

        def one(event: Any) -> Invoked:
            start.wait(timeout=30)
            return self.invoke(event, client=lam)

        with ThreadPoolExecutor(max_workers=len(events)) as pool:
            return list(pool.map(one, events))

    def in_new_environment(self) -> contextlib.AbstractContextManager[Any]:
        """A block in which the function runs in new execution environments.

        A configuration change makes Lambda replace the environments (as a deploy does, and
        as idle time or a second concurrent request give a fresh one): what the code kept
        in module memory is gone. Set back afterwards (another new environment).
        """
        import uuid

        variables = (self.config.get("Environment") or {}).get("Variables") or {}
        return configured(
            self.name,
            Environment={"Variables": {**variables, "LAMBDALAB_CHECK": uuid.uuid4().hex}},
        )

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
        note = log_note(error)
        error += f" ({note})" if note else ""
        return f"{message}. The function's log says: {error}" if error else message

    def _error_line(self) -> str:
        """The last line of this check's log that says the function failed, or ""."""
        for line in reversed(self.lines()):
            text = line.strip()
            if text.startswith("[ERROR]") or "Task timed out" in text or " failed: " in text:
                return text.split("\r")[0].split("\n")[0][:300]
        return ""


def logged_error(line: str) -> str:
    r"""An ``[ERROR]`` log line in words: the error and the line of the handler it came from.

    The sandbox keeps a failure until the function's next success; a check that ran the
    function several times reads the failed run's own error in its log, where the runtime
    wrote it as AWS's Python runtime does (the error, then its traceback, one log line).

    Example
    -------
    >>> logged_error("[ERROR] ZeroDivisionError: division by zero\rTraceback (most recent "
    ...              "call last):\r  File \"/var/task/app.py\", line 3, in handler\r"
    ...              "    return 1 / 0")
    'ZeroDivisionError: division by zero, at app.py, line 3: return 1 / 0'
    """
    first, _, trace = line.replace("\r", "\n").partition("\n")
    text = first.removeprefix("[ERROR] ").strip()[:300]
    frames = trace.split("\n  File ")
    where = handler_line(["  File " + f.removeprefix("  File ") + "\n" for f in frames[1:]])
    return f"{text}, at {where}" if where else text


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
        return logged_error(self.errors[0]) if self.errors else ""

    @property
    def printed(self) -> list[str]:
        """What the function itself wrote to its log (not the runtime's START/END/REPORT)."""
        own = ("START ", "END ", "REPORT ", "INIT_START", "INIT_REPORT", "EXTENSION")
        return [line.strip() for line in self.lines if line.strip() and not line.startswith(own)]

    def outcome(self) -> str:
        """What the run did, in words: its error, or how often it ran and what it printed.

        For a message that must say what the function did when nothing raised: "it ran
        1 time without an error and printed 'Skipping a.txt'".
        """
        if self.failed:
            return f"it failed: {self.first_error()}"
        runs = len(self.starts)
        if not runs:
            return "it did not run"
        said = self.printed
        text = f"it ran {runs} time{'s' if runs > 1 else ''} without an error"
        if said:
            quoted = ", ".join(repr(line[:120]) for line in said[:2])
            return text + f" and printed {quoted}" + (" ..." if len(said) > 2 else "")
        return text + " and printed nothing"


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
            name = uri.split(":function:")[1].split(":")[0].split("/")[0]
            looked_at(name)  # its code is then checked against its files (stale_code)
            return name
    return None


def dynamodb_table(name: str, cell: str = "the cell that creates it") -> Any:
    """A DynamoDB table (boto3's resource); a NotYet naming the cell when it is missing."""
    import boto3

    _require_sandbox()
    table = boto3.resource("dynamodb").Table(name)
    try:
        table.load()
    except table.meta.client.exceptions.ResourceNotFoundException:
        restarted = _new_sandbox_note(cell)
        raise NotYet(f"there is no table {name!r}{restarted or ': run ' + cell}") from None
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


# --------------------------------------------------------------------------------------
# What a function wrote to S3, and whether it is the image it claims to be
# --------------------------------------------------------------------------------------


def object_keys(bucket: str, prefix: str = "") -> set[str]:
    """Every key of ``bucket`` under ``prefix`` (all pages); empty when there is no bucket.

    Taken before and after a trigger runs, the difference is what the function wrote,
    wherever it wrote it: a check can then say "it wrote '200/3f1c.jpg' instead".
    """
    s3 = client("s3")
    keys: set[str] = set()
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys.update(item["Key"] for item in page.get("Contents", []))
    except s3.exceptions.NoSuchBucket:
        pass
    return keys


def wrote_words(keys: set[str] | list[str], limit: int = 3) -> str:
    """``"wrote nothing"`` or ``"wrote '200/a.jpg', '800/a.jpg'"``: new objects in words."""
    if not keys:
        return "wrote nothing"
    shown = sorted(keys)
    more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
    return "wrote " + ", ".join(repr(key) for key in shown[:limit]) + more


def decode_image(data: bytes, what: str) -> Any:
    """``data`` opened and fully decoded by Pillow; a NotYet saying why it cannot be.

    A function can write an object that S3 stores happily and no one can open: 0 bytes
    (a BytesIO passed after writing, without ``seek(0)``), a cut or corrupt file. The
    message names ``what`` (``"the 200 px thumbnail of 'a.png'"``), its size, its first
    bytes and Pillow's own error.
    """
    import io

    from PIL import Image

    if not data:
        raise NotYet(
            f"{what} is an empty object (0 bytes): nothing was written into it. A BytesIO "
            "read after writing must be rewound (seek(0)), or pass buffer.getvalue()"
        )
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # noqa: BLE001 - whatever Pillow says is the feedback
        raise NotYet(
            f"{what} ({len(data):,} bytes, starting {data[:8]!r}) is not an image Pillow "
            f"can read: {type(error).__name__}: {error}"
        ) from None
    return image


# --------------------------------------------------------------------------------------
# A wrong figure, matched to what a slip gives
# --------------------------------------------------------------------------------------


def which_slip(
    got: Any, right: float, slips: dict[str, float], rel_tol: float = 1e-9, abs_tol: float = 1e-12
) -> str | None:
    """The description of the slip whose figure ``got`` is, or None.

    A check computes what each slip gives on its own input and names one only when the
    learner's result is that figure (and the right answer is not): the message then says
    what the answer did, not a guess. A result no slip explains gets the plain input, got
    and expected.

    Example
    -------
    >>> which_slip(2.0, 1.0, {"counted twice": 2.0, "halved": 0.5})
    'counted twice'
    """
    import math

    if isinstance(got, bool) or not isinstance(got, int | float) or not math.isfinite(got):
        return None
    for description, value in slips.items():
        if math.isclose(got, value, rel_tol=rel_tol, abs_tol=abs_tol) and not math.isclose(
            value, right, rel_tol=rel_tol, abs_tol=abs_tol
        ):
            return description
    return None


#: How a figure is off when a unit is converted wrongly or not at all: (factor, in words).
UNIT_FACTORS: tuple[tuple[float, str], ...] = (
    (1000, "milliseconds and seconds (a duration in ms is divided by 1,000)"),
    (1024, "MB and GB (a memory size in MB is divided by 1,024)"),
    (1.024, "a GB taken as 1,000 MB (a GB here is 1,024 MB)"),
    (1.048576, "MB converted with 1,000 instead of 1,024, twice (1,024² / 1,000²)"),
    (1e6, "a price per million requests (0.20 / 1,000,000 per request)"),
)


def which_relation(
    got: Any,
    is_right: Any,
    terms: dict[str, float] | None = None,
    factors: tuple[tuple[float, str], ...] = UNIT_FACTORS,
) -> str | None:
    """How ``got`` relates to the right figure, in words, or None: off by one of the unit
    ``factors``, or by exactly one of the known ``terms`` (added or left out).

    ``is_right(candidate)`` says whether a figure is the right one: a comparison with a
    figure the check computed on its own inputs, or with a salted digest (so that a check
    needs not hold its answer). A relation is named only when undoing it on the learner's
    figure gives the right one: the message says what the answer did, not a guess.

    Example
    -------
    >>> right = 2.5
    >>> which_relation(2500.0, lambda x: abs(x - right) < 1e-9, factors=((1000, "ms and s"),))
    'off by 1,000, 1,000 times the right figure: ms and s'
    >>> which_relation(3.5, lambda x: abs(x - right) < 1e-9, {"the free tier": 1.0})
    'it is the right figure plus the free tier'
    """
    import math

    if isinstance(got, bool) or not isinstance(got, int | float) or not math.isfinite(got):
        return None
    if got == 0 or is_right(got):
        return None
    for factor, words in factors:
        if is_right(got / factor):
            return f"off by {factor:,g}, {factor:,g} times the right figure: {words}"
        if is_right(got * factor):
            return f"off by {factor:,g}, the right figure divided by {factor:,g}: {words}"
    for name, term in (terms or {}).items():
        if term and is_right(got - term):
            return f"it is the right figure plus {name}"
        if term and is_right(got + term):
            return f"it is the right figure without {name}"
    return None


def close_to(right: float, rel_tol: float = 1e-9, abs_tol: float = 1e-12) -> Any:
    """A predicate for :func:`which_relation`: whether a figure is ``right``."""
    import math

    return lambda value: math.isclose(value, right, rel_tol=rel_tol, abs_tol=abs_tol)
