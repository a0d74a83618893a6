"""Recursive loop detection: a chain of invocations started by one event stops after 16.

A function that writes into the bucket, topic or queue that triggers it calls itself for
ever. Lambda tracks each *chain* of invocations started by one event, in the X-Ray trace
header that its runtime hands to the function (``_X_AMZN_TRACE_ID``) and that the AWS
SDK sends back on every call the handler makes (``X-Amzn-Trace-Id``). When a chain has
invoked functions approximately 16 times (AWS's word; the sandbox stops at exactly 16),
Lambda drops the next invocation and notifies by AWS Health Dashboard and e-mail,
possibly hours later (the sandbox logs it at once): a synchronous
caller gets ``RecursiveInvocationException``, an asynchronous event goes to the
function's dead-letter queue or on-failure destination (if any). Supported: Amazon SQS,
Amazon SNS, the Lambda Invoke API (July 2023) and Amazon S3 (October 2024).
``put_function_recursion_config(RecursiveLoop="Allow")`` turns it off for one function.
https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
https://aws.amazon.com/blogs/compute/detecting-and-stopping-recursive-loops-in-aws-lambda-functions/

How the sandbox does it:

1. Each invocation gets a trace header ``Root=...;Parent=...;Sampled=0;Lineage=<id>:<n>``
   where ``n`` counts the invocations of its chain so far (the format of AWS's own
   Lineage field is not documented; this one is illustrative).
2. The worker's boto3 sends it (botocore's ``add_recursion_detection_header``) with the
   S3 put, SNS publish, SQS send or Lambda invoke that the handler makes.
3. moto handles that request in a Flask request context: :func:`incoming_lineage` reads
   the header there, so the invocation that the request starts continues the chain
   (S3 notifications, SNS subscriptions, EventBridge rules, Lambda invokes). SQS
   messages keep their chain until a poller delivers them (:class:`RecursionGuard`);
   a DynamoDB stream record keeps the chain of the invocation whose write made it
   (``moto_patch`` stores it on the record).
4. AWS's detection follows only SQS, SNS, S3 and Lambda itself: a hop through a
   DynamoDB stream or an EventBridge rule starts a new count for it
   (:meth:`RecursionGuard.untracked_hop`), so a loop through them is never stopped at 16,
   as on AWS. The sandbox's own guard (:class:`RunawayGuard`) follows the chain through
   every trigger and stops any loop; the message says whether AWS would have.

Example
-------
>>> header = trace_header("4f1a9c2b", 3)
>>> parse_lineage(header)
('4f1a9c2b', 3)
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict

MAX_CHAIN_INVOCATIONS = 16  # "drops requests after exceeding 16 invocations"
RECURSIVE_LOOP_MESSAGE = (
    "Lambda has detected your function being invoked in a recursive loop with other AWS "
    "resources and stopped your function's invocation."
)
_LINEAGE = re.compile(r"Lineage=([0-9a-f]+):(\d+)")
_REMEMBERED_MESSAGES = 100_000  # SQS message ids whose chain is kept


class RecursiveLoopDetected(Exception):
    """The chain reached its limit: Lambda refuses this invocation."""

    def __init__(self, function_name: str, lineage_id: str, count: int) -> None:
        super().__init__(RECURSIVE_LOOP_MESSAGE)
        self.function_name = function_name
        self.lineage_id = lineage_id
        self.count = count


def trace_header(lineage_id: str, count: int) -> str:
    """The trace header of an invocation that is number ``count`` of its chain.

    Example
    -------
    >>> trace_header("00ab", 1).endswith("Sampled=0;Lineage=00ab:1")
    True
    """
    epoch = f"{int(time.time()):08x}"
    root = f"1-{epoch}-{secrets.token_hex(12)}"
    return f"Root={root};Parent={secrets.token_hex(8)};Sampled=0;Lineage={lineage_id}:{count}"


def parse_lineage(header: str | None) -> tuple[str, int] | None:
    """``(lineage id, count)`` from a trace header, or None when it carries no lineage.

    Example
    -------
    >>> parse_lineage("Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2e8;Lineage=9a8b7c6d:16")
    ('9a8b7c6d', 16)
    >>> parse_lineage(None) is None
    True
    """
    match = _LINEAGE.search(header or "")
    return (match.group(1), int(match.group(2))) if match else None


def new_lineage() -> tuple[str, int]:
    """A new chain: nothing has been invoked in it yet."""
    return secrets.token_hex(4), 0


def incoming_lineage() -> tuple[str, int]:
    """The chain of the AWS request being handled now (a new chain if it has none).

    moto's server handles each request in a Flask request context; an S3 put, SNS
    publish, SQS send or Lambda invoke made by a handler carries its trace header.
    """
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - moto's server always brings Flask
        return new_lineage()
    if has_request_context():
        found = parse_lineage(request.headers.get("X-Amzn-Trace-Id"))
        if found:
            return found
    return new_lineage()


FANOUT_LIMIT = 32  # invocations in one chain before a loop is stopped by the sandbox
#: The same, for a loop that AWS's detection does not see (a DynamoDB stream, a rule):
#: 16, as deep as AWS lets a chain it sees go.
UNTRACKED_LIMIT = 16
_PATH_DEPTHS = 256  # depths of a chain whose first invocation is kept (to name a loop)

#: Triggers AWS's recursive loop detection follows (the invocation-recursion page's
#: "Supported AWS services": Amazon SQS, Amazon SNS, Amazon S3 and Lambda's Invoke API).
#: DynamoDB Streams, Kinesis and EventBridge are not among them.
AWS_TRACKED_TRIGGERS = ("SQS queue ", "SNS topic ", "S3 bucket ", "Invoke", "asynchronous Invoke")


def aws_tracks(trigger: str) -> bool:
    """Does AWS's recursive loop detection follow a chain through this trigger?

    Example
    -------
    >>> aws_tracks("SQS queue orders"), aws_tracks("DynamoDB stream of table visits")
    (True, False)
    """
    return any(
        trigger == t or (t.endswith(" ") and trigger.startswith(t)) for t in AWS_TRACKED_TRIGGERS
    )


def _hop(trigger: str, writer: str, target: str) -> str:
    """How ``writer`` starts ``target`` through ``trigger``, in words."""
    them = "it" if target == writer else target
    if trigger.startswith("S3 bucket "):
        name = trigger[len("S3 bucket ") :]
        if target == writer:
            return f"writes into {name}, the bucket that triggers it"
        return f"writes into bucket {name}, which triggers {them}"
    if trigger.startswith("SNS topic "):
        name = trigger[len("SNS topic ") :]
        if target == writer:
            return f"publishes to {name}, the topic that triggers it"
        return f"publishes to topic {name}, which triggers {them}"
    if trigger.startswith("SQS queue "):
        name = trigger[len("SQS queue ") :]
        if target == writer:
            return f"sends to {name}, the queue that triggers it"
        return f"sends to queue {name}, which triggers {them}"
    if trigger.startswith("DynamoDB stream of table "):
        name = trigger[len("DynamoDB stream of table ") :]
        return f"writes into table {name}, whose stream triggers {them}"
    if trigger.startswith("Kinesis stream "):
        name = trigger[len("Kinesis stream ") :]
        return f"puts records into stream {name}, which triggers {them}"
    if trigger.startswith("EventBridge rule "):
        name = trigger[len("EventBridge rule ") :]
        return f"puts events that match rule {name}, which triggers {them}"
    if trigger in ("Invoke", "asynchronous Invoke"):
        return f"invokes {them}"
    return f"triggers {them} through the {trigger}"


def describe_loop(steps: list[tuple[str, str]]) -> str:
    """A loop in words, from its steps ``(function, trigger that invoked it)``.

    The last step is the first function invoked again.

    Example
    -------
    >>> describe_loop([("counter", "DynamoDB stream of table visits"),
    ...                ("counter", "DynamoDB stream of table visits")])
    'counter writes into table visits, whose stream triggers it'
    >>> describe_loop([("a", "SQS queue a-in"), ("b", "SQS queue b-in"), ("a", "SQS queue a-in")])
    'a sends to queue b-in, which triggers b; b sends to queue a-in, which triggers a'
    """
    parts = []
    for (writer, _), (target, trigger) in zip(steps, steps[1:], strict=False):
        parts.append(f"{writer} {_hop(trigger, writer, target)}")
    return "; ".join(parts)


class RunawayGuard:
    """Stops a loop through any trigger: a function invoked again deeper in one chain.

    AWS's detection (above) counts the *depth* of a chain, follows it only through SQS,
    SNS, S3 and Lambda, and stops it at 16. So a function that writes two objects into
    its own trigger bucket makes up to 2 ** 16 invocations before the chain is 16 deep,
    and a loop through a DynamoDB stream or an EventBridge rule is never stopped at all:
    it runs, and bills, until someone notices. The sandbox does not wait for that (this
    is not AWS behaviour; README, "What differs from AWS"): once one chain has started
    more than ``FANOUT_LIMIT`` invocations (``UNTRACKED_LIMIT`` when the trigger is one
    AWS's detection does not follow) *and* a function in it was invoked again deeper in
    the same chain, the chain is stopped and its pending events dropped.
    Each chain keeps the first invocation at each depth, ``(function, trigger)``, so
    that :meth:`cycle` can name the loop.

    Example
    -------
    >>> guard = RunawayGuard()
    >>> [guard.observe("resizer", ("ab", depth), "S3 bucket up") for depth in (0, 1, 1)]
    ['ok', 'ok', 'ok']
    >>> results = [guard.observe("resizer", ("ab", 2), "S3 bucket up") for _ in range(40)]
    >>> results.count("stopped"), guard.stopped("ab")
    (1, True)
    >>> describe_loop(guard.cycle("ab", "resizer"))
    'resizer writes into up, the bucket that triggers it'
    """

    def __init__(self) -> None:
        self._chains: OrderedDict[str, dict] = OrderedDict()
        self._stopped: OrderedDict[str, int] = OrderedDict()  # lineage id -> invocations
        self._lock = threading.Lock()

    def observe(
        self,
        function_name: str,
        lineage: tuple[str, int],
        trigger: str = "",
        limit: int = FANOUT_LIMIT,
    ) -> str:
        """ "ok", "stopped" (this invocation stops the chain) or "dropped" (already stopped).

        ``limit``: invocations of the chain before a loop in it is stopped.
        """
        lineage_id, depth = lineage
        with self._lock:
            if lineage_id in self._stopped:
                self._stopped[lineage_id] += 1
                return "dropped"
            chain = self._chains.setdefault(lineage_id, {"total": 0, "depth": {}, "path": {}})
            self._chains.move_to_end(lineage_id)
            while len(self._chains) > _REMEMBERED_MESSAGES:
                self._chains.popitem(last=False)
            chain["total"] += 1
            if len(chain["path"]) < _PATH_DEPTHS:
                chain["path"].setdefault(depth, (function_name, trigger))
            first = chain["depth"].setdefault(function_name, depth)
            if depth > first and chain["total"] > limit:
                self._stopped[lineage_id] = chain["total"]
                return "stopped"
        return "ok"

    def cycle(self, lineage_id: str, function_name: str) -> list[tuple[str, str]]:
        """The loop's steps ``(function, trigger)``: from the function's previous
        invocation in the chain to its last one (both included); [] when unknown."""
        with self._lock:
            chain = self._chains.get(lineage_id)
            path = dict(chain["path"]) if chain else {}
        depths = sorted(d for d, (name, _) in path.items() if name == function_name)
        if len(depths) < 2:
            return []
        return [path[d] for d in sorted(path) if depths[-2] <= d <= depths[-1]]

    def invocations(self, lineage_id: str) -> int:
        with self._lock:
            chain = self._chains.get(lineage_id)
            return chain["total"] if chain else 0

    def stopped(self, lineage_id: str | None) -> bool:
        with self._lock:
            return lineage_id in self._stopped

    def clear(self) -> None:
        with self._lock:
            self._chains.clear()
            self._stopped.clear()


class RecursionGuard:
    """Keeps each function's RecursiveLoop setting and the chains of queued SQS messages.

    Example
    -------
    >>> guard = RecursionGuard()
    >>> guard.check("copier", ("abcd", 16))
    Traceback (most recent call last):
    ...
    lambdalab.sandbox.triggers.recursion.RecursiveLoopDetected: Lambda has detected your function \
being invoked in a recursive loop with other AWS resources and stopped your function's \
invocation.
    >>> guard.set_config("copier", "Allow")
    >>> guard.check("copier", ("abcd", 16))
    ('abcd', 17)
    """

    def __init__(self) -> None:
        self._config: dict[str, str] = {}
        self._messages: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._aws_start: OrderedDict[str, int] = OrderedDict()  # lineage id -> depth
        self._lock = threading.Lock()

    def get_config(self, function_name: str) -> str:
        """``Terminate`` (the default) or ``Allow``."""
        return self._config.get(function_name, "Terminate")

    def set_config(self, function_name: str, recursive_loop: str) -> None:
        """What ``put_function_recursion_config`` stores."""
        if recursive_loop not in ("Allow", "Terminate"):
            raise ValueError(f"RecursiveLoop is 'Allow' or 'Terminate', not {recursive_loop!r}")
        self._config[function_name] = recursive_loop

    def untracked_hop(self, lineage: tuple[str, int]) -> None:
        """The chain passes through a trigger AWS's detection does not follow (a DynamoDB
        stream, an EventBridge rule): AWS would count from here again."""
        lineage_id, depth = lineage
        with self._lock:
            self._aws_start[lineage_id] = max(depth, self._aws_start.get(lineage_id, 0))
            self._aws_start.move_to_end(lineage_id)
            while len(self._aws_start) > _REMEMBERED_MESSAGES:
                self._aws_start.popitem(last=False)

    def check(self, function_name: str, lineage: tuple[str, int]) -> tuple[str, int]:
        """The lineage of the next invocation in the chain, or RecursiveLoopDetected.

        The count AWS compares with 16 starts at the chain's last untracked hop.
        """
        lineage_id, count = lineage
        count += 1
        with self._lock:
            aws_count = count - self._aws_start.get(lineage_id, 0)
        if aws_count > MAX_CHAIN_INVOCATIONS and self.get_config(function_name) != "Allow":
            raise RecursiveLoopDetected(function_name, lineage_id, count)
        return lineage_id, count

    def remember_message(self, message_id: str, lineage: tuple[str, int]) -> None:
        """An SQS message sent inside a chain keeps that chain until it is delivered."""
        with self._lock:
            self._messages[message_id] = lineage
            while len(self._messages) > _REMEMBERED_MESSAGES:
                self._messages.popitem(last=False)

    def message_lineage(self, message_ids: list[str]) -> tuple[str, int]:
        """The chain of a batch of messages: the longest chain among them."""
        with self._lock:
            found = [self._messages[m] for m in message_ids if m in self._messages]
        return max(found, key=lambda lineage: lineage[1]) if found else new_lineage()

    def clear(self) -> None:
        with self._lock:
            self._config.clear()
            self._messages.clear()
            self._aws_start.clear()


def loop_log_line(error: RecursiveLoopDetected) -> str:
    """What the sandbox writes to the function's log group when it stops a loop."""
    return (
        f"Lambda Lab: recursive loop detected: {error.function_name} was invoked "
        f"{MAX_CHAIN_INVOCATIONS} times by one chain of events (lineage {error.lineage_id}); "
        "invocation number "
        f"{error.count} was dropped (AWS stops such a chain after about 16). "
        "To allow it (rarely wise), call "
        "put_function_recursion_config(FunctionName=..., RecursiveLoop='Allow'). "
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html"
    )
