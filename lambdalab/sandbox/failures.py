r"""What went wrong, in the learner's words: failed invocations, loops, stuck triggers.

AWS keeps failures in several places: the function's log group (the ``[ERROR]`` line and
the stack trace), the ``Errors`` metric, dead-letter queues and on-failure destinations.
A learner looking at a notebook needs one answer: *which function failed, called by what,
how often, with which error, on which line of my code, and what do I do now?*

The sandbox records each failed invocation here (see ``Sandbox._run``), grouped by
function, trigger and kind, and ``sb.failures()`` lists them. ``sb.wait()`` raises
:class:`SandboxStuck` with the same words when the sandbox cannot settle (a batch that
keeps failing, a runaway loop); ``sb.recover()`` drops what is in flight.

Example
-------
>>> log = FailureLog()
>>> frame = '  File "/var/task/app.py", line 7, in handler\n    old = record["OldImage"]\n'
>>> payload = json.dumps({"errorType": "KeyError", "errorMessage": "'OldImage'",
...                       "stackTrace": [frame]}).encode()
>>> failure = log.record_error("counter", "DynamoDB stream of table inventory", payload,
...                            None, ["[ERROR] KeyError: 'OldImage'"])
>>> failure.handler_line
'app.py, line 7: old = record["OldImage"]'
>>> failure.count, failure.kind
(1, 'error')
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

KINDS = ("error", "timeout", "hang", "loop", "internal")
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in [^\n]*\n\s*(?P<code>[^\n]*)')
_TASK_ROOT = re.compile(r"^.*/(var/task|code/[0-9a-f]{16,})/")
_RUNTIME_PATHS = ("/var/runtime", "awslambdaric", "site-packages", "lambdalab/sandbox/runtime")


def recover_hint(function_name: str | None = None) -> str:
    """The recovery call, as a learner types it."""
    return f"sb.recover({function_name!r})" if function_name else "sb.recover()"


@dataclass(frozen=True)
class Failure:
    """Failed invocations of one function by one trigger (or a loop, or a sandbox error).

    Attributes
    ----------
    function_name : str
    trigger : str
        In AWS's words: "S3 bucket lesson04-uploads", "DynamoDB stream of table
        inventory", "SQS queue orders", "EventBridge rule daily-report",
        "asynchronous Invoke", "Invoke", ...
    count : int
        Failed invocations (for a loop: invocations the loop made before it was stopped).
    error_type, error_message : str or None
        From the function's error response (``errorType``, ``errorMessage``).
    handler_line : str or None
        The last line of the learner's code in the stack trace, e.g.
        ``'app.py, line 7: old = record["dynamodb"]["OldImage"]'``.
    last_error_log : str or None
        The last ``[ERROR]`` line of the function's log for that invocation.
    kind : str
        "error", "timeout", "hang" (still running long after it should have ended: the
        sandbox ended it as a timeout at once, see :func:`hang_detail`), "loop" (the
        sandbox stopped a runaway loop) or "internal" (the sandbox itself could not
        deliver to the function).
    detail : str
        For "hang", "loop" and "internal": what happened and what the sandbox did; for
        a "timeout", where the function was when it timed out.
    """

    function_name: str
    trigger: str
    count: int = 1
    error_type: str | None = None
    error_message: str | None = None
    handler_line: str | None = None
    last_error_log: str | None = None
    kind: str = "error"
    detail: str = ""
    last_seen: float = field(default=0.0, compare=False)
    loop: str | None = None  # the invocation ran on what the function itself wrote

    def what_happened(self) -> str:
        """One clause for an error or a timeout: who failed, how often, called by what."""
        times = "once" if self.count == 1 else f"{self.count} times"
        what = (
            f"timed out ({self.error_message})"
            if self.kind in ("timeout", "hang")
            else f"raised {self.error_type or 'an error'}: {self.error_message or ''}".rstrip(": ")
        )
        text = f"{self.function_name} failed {times} when called by the {self.trigger}: it {what}"
        if self.loop:
            text += f" (on events it caused itself, a loop: {self.loop})"
        return text

    def describe(self) -> str:
        """One learner-facing paragraph: what failed, where, and what to do."""
        fix = (
            f"Fix the handler and deploy it again (the next retry runs the new code), "
            f"or call {recover_hint(self.function_name)} to drop what is in flight."
        )
        if self.kind == "hang":
            return (
                f"{self.function_name} timed out when called by the {self.trigger}: "
                f"{self.detail} Fix the handler and deploy it again, or call "
                f"{recover_hint(self.function_name)} to drop what is in flight."
            )
        if self.kind == "loop" and "triggers are paused" in self.detail:
            return self.detail
        if self.kind == "loop":
            return (
                f"{self.detail} Fix the handler and deploy it again. Meanwhile "
                f"{recover_hint(self.function_name)} stops it for good: it drops what is "
                "left and pauses the function's triggers until you deploy it again."
            )
        if self.kind == "internal":
            return (
                f"The sandbox could not deliver the {self.trigger} to {self.function_name}: "
                f"{self.detail} That trigger was stopped. This is a Lambda Lab problem, not "
                f"your code: {recover_hint(self.function_name)} clears it; please report it."
            )
        text = f"{self.what_happened()}."
        if self.handler_line:
            text += f" Line: {self.handler_line}."
        if self.detail and self.kind == "timeout":
            text += f" {self.detail}"
        if self.last_error_log and self.kind != "timeout":
            text += f' Last [ERROR] log line: "{self.last_error_log.strip()}".'
        return f"{text} {fix}"

    def __str__(self) -> str:
        return self.describe()


class SandboxStuck(TimeoutError):
    """``sb.wait()`` cannot settle: something keeps failing, or a loop was stopped.

    ``failures`` lists what is wrong (:class:`Failure`); ``str(error)`` says it in full,
    with what to do. A TimeoutError, so code written for the old ``wait()`` still works.
    """

    def __init__(self, message: str, failures: list[Failure] | None = None) -> None:
        super().__init__(message)
        self.failures = list(failures or [])


def stuck_message(failures: list[Failure], lead: str) -> str:
    """The message of a SandboxStuck: the lead sentence, then one paragraph per failure."""
    names = sorted({f.function_name for f in failures})
    lines = [lead]
    lines += [f"- {failure.describe()}" for failure in failures]
    hint = recover_hint(names[0]) if len(names) == 1 else recover_hint()
    if all(f.kind in ("hang", "loop", "internal") for f in failures):
        lines.append(
            "That is stopped now; it happens again at the next event until the cause is "
            f"fixed. {hint} drops anything left (your buckets, tables, queues and "
            "functions stay)"
            + (
                "; for a loop it also pauses the function's triggers until you deploy it again."
                if len(names) == 1 and any(f.kind == "loop" for f in failures)
                else "."
            )
        )
    else:
        lines.append(
            f"Until then every sb.wait() stops here. Fix and redeploy, or run {hint} to "
            "drop what is in flight (your buckets, tables, queues and functions stay)."
        )
    return "\n".join(lines)


#: Triggers whose pollers retry a failing batch (lambdalab/sandbox/triggers/pollers.py).
POLLED = ("SQS queue", "DynamoDB stream", "Kinesis stream")


def hang_detail(
    trigger: str,
    where: str,
    guess: str,
    timeout_s: float,
    stopped_after_s: float,
    retries: int | None = None,
) -> str:
    """What a function that kept running was doing, and what AWS would have done.

    ``retries`` is the asynchronous retry count (None: not an asynchronous trigger).
    AWS runs a function to its timeout; an asynchronous event is retried after 1 and
    2 minutes; a poller retries the batch until it succeeds or its records expire.
    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html

    Example
    -------
    >>> print(hang_detail("S3 bucket up", "app.py line 6: `while True:`",
    ...                   "a loop that never ends?", 30, 3.1, retries=2))
    ... # doctest: +NORMALIZE_WHITESPACE
    it was still running after 3 s, at app.py line 6: `while True:`: a loop that never
    ends? Its timeout is 30 s. On AWS it would run to that timeout, then, being
    asynchronous, be retried twice (after 1 and 2 minutes): 3 attempts over about 4.5
    minutes, 90 s billed. The sandbox ended it now, as that timeout.
    """
    t = f"{timeout_s:g}"
    text = (
        f"it was still running after {stopped_after_s:.0f} s, at {where}: {guess} "
        f"Its timeout is {t} s."
    )
    if trigger.startswith(POLLED):
        aws = (
            f"On AWS it would run to that timeout, and the {trigger} would retry the batch "
            f"until it succeeds or expires (a queue: until a redrive policy moves it to a "
            f"dead-letter queue or its retention period ends; a stream: until its records "
            f"expire, 24 hours), {t} s billed each time."
        )
    elif retries is not None:
        attempts = 1 + retries
        delays = [60, 120][:retries]
        total = (attempts * timeout_s + sum(delays)) / 60
        again = {0: "not retried", 1: "retried once (after 1 minute)"}.get(
            retries, "retried twice (after 1 and 2 minutes)"
        )
        aws = (
            f"On AWS it would run to that timeout, then, being asynchronous, be {again}: "
            f"{attempts} attempt{'s' if attempts > 1 else ''} over about "
            f"{f'{total:.1f}'.rstrip('0').rstrip('.')} minutes, "
            f"{attempts * timeout_s:g} s billed."
        )
    else:
        aws = (
            f'On AWS it would run to that timeout; the caller would then get "Task timed '
            f'out after {timeout_s:.2f} seconds" ({t} s billed).'
        )
    return f"{text} {aws} The sandbox ended it now, as that timeout."


def handler_line(stack_trace: Any) -> str | None:
    """The last frame of the learner's code in a Lambda error's ``stackTrace``.

    Example
    -------
    >>> handler_line(['  File "/var/task/app.py", line 3, in handler\\n    return 1 / 0\\n'])
    'app.py, line 3: return 1 / 0'
    >>> handler_line(None) is None
    True
    """
    if not isinstance(stack_trace, list):
        return None
    found = other = None
    for frame in stack_trace:
        for match in _FRAME.finditer(str(frame)):
            path = match.group("file")
            if any(part in path for part in _RUNTIME_PATHS):
                continue
            # /var/task/app.py, in AWS and in the sandbox (runtime/paths.py rewrites its
            # <workdir>/code/<sha256>/ folder); the second form is still understood.
            name = _TASK_ROOT.sub("", path)
            line = f"{name}, line {match.group('line')}: {match.group('code').strip()}"
            if name != path:
                found = line  # the function's own package
            else:
                other = line  # a layer (/opt), the standard library: not the learner's code
    return found or other


def describe_trigger(payload: bytes, default: str = "asynchronous Invoke") -> str:
    """Which AWS service sent this event, in words, read from the event's shape.

    Example
    -------
    >>> s3 = {"eventSource": "aws:s3", "s3": {"bucket": {"name": "up"}}}
    >>> describe_trigger(json.dumps({"Records": [s3]}).encode())
    'S3 bucket up'
    """
    try:
        event = json.loads(payload or b"null")
    except ValueError:
        return default
    if isinstance(event, dict):
        records = event.get("Records")
        if isinstance(records, list) and records and isinstance(records[0], dict):
            record = records[0]
            source = record.get("eventSource") or record.get("EventSource")
            if source == "aws:s3":
                return f"S3 bucket {record.get('s3', {}).get('bucket', {}).get('name', '?')}"
            if source == "aws:sns":
                topic = str(record.get("Sns", {}).get("TopicArn", "?")).rsplit(":", 1)[-1]
                return f"SNS topic {topic}"
            if source == "aws:sqs":
                return f"SQS queue {str(record.get('eventSourceARN', '?')).rsplit(':', 1)[-1]}"
            if source == "aws:kinesis":
                arn = str(record.get("eventSourceARN", ""))
                return f"Kinesis stream {arn.rsplit('/', 1)[-1] or '?'}"
            if source == "aws:dynamodb":
                arn = str(record.get("eventSourceARN", ""))
                table = arn.split(":table/", 1)[-1].split("/", 1)[0]
                return f"DynamoDB stream of table {table}"
        if event.get("detail-type") == "Scheduled Event":
            resources = event.get("resources") or ["?"]
            return f"EventBridge rule {str(resources[0]).rsplit('/', 1)[-1]}"
        if "detail-type" in event and "source" in event:
            return f"EventBridge event from {event.get('source')}"
        if isinstance(event.get("requestContext"), dict):
            return "API Gateway or function URL"
    return default


class FailureLog:
    """The failures the sandbox saw, grouped by (function, trigger, kind). Thread-safe."""

    def __init__(self) -> None:
        self._failures: dict[tuple[str, str, str], Failure] = {}
        self._lock = threading.Lock()
        self.unreported: set[tuple[str, str, str]] = set()  # loops wait() has not raised

    def add(self, failure: Failure, report: bool | None = None) -> Failure:
        """Record a failure; ``report`` (default: a hang, loop or sandbox error) makes the
        next ``wait()`` raise it."""
        if report is None:
            report = failure.kind in ("hang", "loop", "internal")
        key = (failure.function_name, failure.trigger, failure.kind)
        with self._lock:
            old = self._failures.get(key)
            count = failure.count + (old.count if old else 0)
            failure = replace(failure, count=count, last_seen=time.monotonic())
            self._failures[key] = failure
            if report:
                self.unreported.add(key)
        return failure

    def record_error(
        self,
        function_name: str,
        trigger: str,
        payload: bytes,
        error_type: str | None,
        log_lines: list[str],
        loop: str | None = None,
    ) -> Failure:
        """A failed invocation, from its error response and its log lines.

        ``loop``: the loop in words, when the invocation ran on events the function
        itself caused (its chain had invoked it before).
        """
        try:
            error = json.loads(payload or b"null")
        except ValueError:
            error = None
        error = error if isinstance(error, dict) else {}
        errors = [line.splitlines()[0] for line in log_lines if "[ERROR]" in line]
        timed_out = error_type == "Sandbox.Timedout" or "Task timed out" in str(
            error.get("errorMessage", "")
        )
        return self.add(
            Failure(
                function_name,
                trigger,
                error_type=str(error.get("errorType") or error_type or "") or None,
                error_message=str(error.get("errorMessage", "")) or None,
                handler_line=handler_line(error.get("stackTrace")),
                last_error_log=errors[-1] if errors else None,
                kind="timeout" if timed_out else "error",
                loop=loop,
            )
        )

    def record_timeout(
        self,
        function_name: str,
        trigger: str,
        payload: bytes,
        where: str,
        guess: str,
        timeout_s: float,
        stopped_after_s: float | None,
        retries: int | None,
    ) -> Failure:
        """A timed-out invocation whose line the sandbox saw (runtime/stuck.py).

        Ended by the sandbox before its timeout (``stopped_after_s``): a "hang", which
        the next ``sb.wait()`` raises at once when no caller waits for the answer (an
        asynchronous or polled trigger); else a "timeout" that says where it was.
        """
        try:
            message = str(json.loads(payload or b"null").get("errorMessage", "")) or None
        except (ValueError, AttributeError):
            message = None
        if stopped_after_s is None:
            detail = f"When it timed out it was at {where}: {guess}"
        else:
            detail = hang_detail(trigger, where, guess, timeout_s, stopped_after_s, retries)
        return self.add(
            Failure(
                function_name,
                trigger,
                error_type="Sandbox.Timedout",
                error_message=message,
                handler_line=where,
                kind="timeout" if stopped_after_s is None else "hang",
                detail=detail,
            ),
            report=stopped_after_s is not None
            and (retries is not None or trigger.startswith(POLLED)),
        )

    def list(self, function_name: str | None = None) -> list[Failure]:
        """Failures of one function (or all), the most recent last."""
        with self._lock:
            found = [
                f
                for f in self._failures.values()
                if function_name is None or f.function_name == function_name
            ]
        return sorted(found, key=lambda f: f.last_seen)

    def take_unreported(self) -> list[Failure]:
        """Loops and internal errors that no ``wait()`` has raised yet (then forgotten)."""
        with self._lock:
            found = [self._failures[k] for k in self.unreported if k in self._failures]
            self.unreported.clear()
        return sorted(found, key=lambda f: f.last_seen)

    def forget(self, function_name: str, kind: str) -> None:
        """Forget one function's failures of one kind (e.g. its loops, once redeployed)."""
        with self._lock:
            for key in [k for k in self._failures if k[0] == function_name and k[2] == kind]:
                del self._failures[key]
                self.unreported.discard(key)

    def clear(self, function_name: str | None = None, keep_loops: bool = False) -> None:
        """Forget the failures of one function (or all)."""
        with self._lock:
            for key in list(self._failures):
                if function_name is not None and key[0] != function_name:
                    continue
                if keep_loops and key[2] in ("loop", "internal"):
                    continue
                del self._failures[key]
                self.unreported.discard(key)
