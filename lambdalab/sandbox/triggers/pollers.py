"""Event source mappings: Lambda's pollers read SQS queues and DynamoDB streams in batches.

For queues and streams, nobody pushes events to the function: Lambda runs *pollers* that
read the source, build a batch and invoke the function **synchronously** with it.
https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html

SQS (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html):

* A batch holds up to ``BatchSize`` messages (10 by default), gathered for at most
  ``MaximumBatchingWindowInSeconds`` (0 by default: whatever is there now).
* Receiving a message hides it for the queue's visibility timeout. When the function
  succeeds, the poller deletes the batch. When it fails, nothing is deleted: the messages
  reappear after the visibility timeout and are delivered again; after
  ``maxReceiveCount`` receives, the queue's redrive policy moves a message to its
  dead-letter queue.
* With ``FunctionResponseTypes=["ReportBatchItemFailures"]`` the function may answer
  ``{"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}``: only those messages
  stay in the queue, the others are deleted.
* Messages sent before the mapping existed are delivered too.
* ``FilterCriteria``: a message that matches none of the filters is deleted without
  invoking the function (a stream's record is skipped): :mod:`.filtering`.

DynamoDB Streams (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html):

* Records are delivered in order from ``StartingPosition`` (``TRIM_HORIZON``: the
  oldest; ``LATEST``: those written after the mapping was created), in batches of up to
  ``BatchSize`` (100 by default).
* A failing batch is retried, blocking the shard, until it succeeds, its records are
  older than ``MaximumRecordAgeInSeconds``, or ``MaximumRetryAttempts`` is used up
  (both -1, unlimited, by default); ``BisectBatchOnFunctionError`` splits a failing
  batch in two; a batch given up on goes to the ``OnFailure`` destination of
  ``DestinationConfig`` as a record describing it. ``ReportBatchItemFailures`` works
  here too (``itemIdentifier`` is the sequence number).

How the sandbox does it: moto's own mappings (invoked inside ``send_message`` or a table
write, one message at a time) are switched off in :mod:`lambdalab.sandbox.moto_patch`; one
thread per enabled mapping reads moto's backends in-process. An SQS poller long-polls the
queue (it wakes when a message arrives); a stream poller sleeps 50 ms between reads.

Batches that keep failing, on the sandbox clock: a stream batch is retried after 1, 2, 4
... seconds (up to a minute). After ``PARK_AFTER`` failed attempts of the same batch with
the same code, when nothing would end the retries soon (unlimited ``MaximumRetryAttempts``
and a record age of more than an hour: AWS retries until the records expire, 24 hours
for DynamoDB Streams), the sandbox *parks* the batch instead of invoking the same code
hundreds of times: no more attempts until the function is deployed again (then the
retry runs at once), ``sandbox.recover()`` drops it, or its records expire on the sandbox
clock (then it goes to the ``OnFailure`` destination and the shard moves on, as in AWS).
An SQS message without a redrive policy (or with a ``maxReceiveCount`` far away) is
parked the same way after ``PARK_AFTER`` receives. ``sandbox.wait()`` raises
SandboxStuck for a parked batch, naming the error, instead of waiting in silence.

Binary attributes (``B``, ``BS``) appear base64-encoded in stream records, as AWS
delivers them. An error inside the poller itself (a sandbox bug) is recorded once as a
failure of kind "internal" and stops that poller, instead of retrying for ever.

``sandbox.wait()`` rule: it returns when every queue with an enabled mapping has no
visible message and no batch in flight, every stream poller has caught up, and no
retry is scheduled. A message that failed is invisible until its visibility timeout:
the poller schedules its return on the sandbox clock, and ``wait()`` fast-forwards the
clock to it, so retries and redrives to the dead-letter queue complete within ``wait()``.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from .. import events
from ..runtime.concurrency import Throttled
from . import filtering
from .recursion import RecursiveLoopDetected

log = logging.getLogger(__name__)

SQS_DEFAULT_BATCH_SIZE = 10
STREAM_DEFAULT_BATCH_SIZE = 100
STREAM_POLL_S = 0.05
LONG_POLL_S = 1  # moto's long poll wakes as soon as a message arrives
PARK_AFTER = 3  # failed attempts of one batch before the sandbox parks it (see above)
FAR_AWAY_RETRIES = 20  # more retries left than this: the batch is parked
STREAM_RETENTION_S = 86_400  # DynamoDB Streams keep a record 24 hours
STREAM_RETRY_CAP_S = 60.0
SQS_MAX_VISIBILITY_S = 43_200  # 12 hours: a parked message stays hidden meanwhile


def jsonable(value: Any) -> Any:
    """A stream record's value as JSON: bytes base64-encoded, as Lambda delivers them.

    Example
    -------
    >>> jsonable({"B": b"hi"}), jsonable({"BS": [b"hi"]})
    ({'B': 'aGk='}, {'BS': ['aGk=']})
    """
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "to_json") and hasattr(value, "type"):  # moto's DynamoType
        return jsonable(value.to_json())
    return value


def _fingerprint(fn: Any) -> tuple:
    """What changes when the function is deployed again (code or configuration)."""
    return (getattr(fn, "code_sha_256", ""), str(getattr(fn, "last_modified", "")))


def _mapping_backend(account_id: str, region: str) -> Any:
    from moto.awslambda.models import lambda_backends

    return lambda_backends[account_id][region]


def _items_failed(result: Any, response_types: list[str] | None) -> list[str] | None:
    """Identifiers the function reported as failed, or None when the whole batch failed."""
    if result.function_error:
        return None
    if "ReportBatchItemFailures" not in (response_types or []):
        return []
    try:
        answer = json.loads(result.payload or b"null")
    except ValueError:
        return None
    if not isinstance(answer, dict) or not answer.get("batchItemFailures"):
        return []
    try:
        return [str(item["itemIdentifier"]) for item in answer["batchItemFailures"]]
    except (KeyError, TypeError):
        return None  # a malformed answer fails the whole batch, as in AWS


def _iso_millis(epoch_seconds: float) -> str:
    """``2019-11-14T00:38:04.835Z``: how stream batch info writes its arrival times."""
    when = datetime.fromtimestamp(float(epoch_seconds), UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _visible(message: Any, now_ms: float) -> bool:
    return now_ms > message.visible_at and now_ms >= message.delayed_until


def _has_visible_messages(queue: Any) -> bool:
    """Any message ready to receive? (moto's ``queue.messages`` builds the whole list.)"""
    from moto.core.utils import unix_time_millis

    now = unix_time_millis()
    return any(_visible(m, now) for m in list(queue._messages))


def _receive(backend: Any, queue: Any, count: int, visibility_timeout: int) -> list[Any]:
    """Receive up to ``count`` messages, as moto's ``receive_message`` does, in one pass.

    MOTO INTERNALS (Queue._messages, pending_messages, Message.mark_received): moto's
    receive_message recomputes the queue's attributes for every message it returns
    (quadratic: 2 s for 10 messages of a 200-message queue on this machine). This does
    its steps once per batch: skip invisible and delayed messages, move those received
    ``maxReceiveCount`` times to the dead-letter queue (redrive), mark the rest received.
    FIFO queues keep moto's own (message groups).
    """
    from moto.core.utils import unix_time_millis

    if queue.fifo_queue:
        return backend.receive_message(queue.name, count, 0, visibility_timeout, ["All"])
    now = unix_time_millis()
    result, to_dead_letter = [], []
    redrive = queue.redrive_policy if queue.dead_letter_queue is not None else None
    for message in list(queue._messages):
        if not _visible(message, now):
            continue
        if redrive and message.approximate_receive_count >= int(redrive["maxReceiveCount"]):
            to_dead_letter.append(message)
            continue
        queue.pending_messages.add(message)
        message.mark_received(visibility_timeout=visibility_timeout)
        result.append(message)
        if len(result) >= count:
            break
    with queue._messages_lock:  # moto's add_message holds it: no send is lost meanwhile
        for message in to_dead_letter:
            queue._messages.remove(message)
    for message in to_dead_letter:
        queue.dead_letter_queue.add_message(message)
    return result


class Poller(threading.Thread):
    """One event source mapping's poller thread (a base class)."""

    def __init__(self, sandbox: Any, esm: Any) -> None:
        super().__init__(name=f"lambda-poller-{esm.uuid[:8]}", daemon=True)
        self.sandbox = sandbox
        self.esm = esm
        self.stopped = threading.Event()
        self.invoking = False
        self.due: dict[str, datetime] = {}  # retries and reappearing messages
        self.broken: BaseException | None = None  # a sandbox error stopped this poller
        self.lock = threading.RLock()  # one poll or one recover() at a time
        self.parked: tuple | None = None  # the function's fingerprint when parked

    @property
    def function_name(self) -> str:
        return self.esm.function_arn.split(":function:", 1)[-1].split(":", 1)[0]

    @property
    def trigger(self) -> str:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.function_name} on the {self.trigger}"

    def redeployed(self) -> bool:
        """Parked, and the function was deployed again since: time to retry."""
        if self.parked is None:
            return False
        try:
            return _fingerprint(self.function()) != self.parked
        except Exception:  # noqa: BLE001 - function deleted
            return False

    def stuck(self) -> bool:
        """Parked on a failing batch that nothing but a fix or recover() will end."""
        if self.parked is None or self.broken is not None or not self.esm.enabled:
            return False
        return not self.redeployed()

    def recover(self) -> int:
        """Drop the failing batch (and clear a sandbox error); how many batches."""
        with self.lock:
            self.broken = None
            return self.drop_failing()

    def drop_failing(self) -> int:
        return 0

    def alive_mapping(self) -> bool:
        """Is the mapping still there (not deleted, sandbox not reset)?"""
        backend = _mapping_backend(self.esm.account_id, self.esm.region)
        return backend._event_source_mappings.get(self.esm.uuid) is self.esm

    def function(self) -> Any:
        backend = _mapping_backend(self.esm.account_id, self.esm.region)
        return backend.get_function(self.esm.function_arn)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                if not self.alive_mapping():
                    return
                if not self.esm.enabled or self.broken is not None:
                    self.stopped.wait(STREAM_POLL_S)
                    continue
                if self.paused():  # after a loop, until a redeploy (sandbox.recover)
                    if self.pending():
                        self.sandbox.paused(self.function_name, self.trigger)  # said once
                    self.stopped.wait(STREAM_POLL_S)
                    continue
                self.poll_once()
            except Exception as error:  # noqa: BLE001 - a sandbox bug: say it once, stop
                log.debug("poller of %s failed", self.esm.event_source_arn, exc_info=True)
                self.invoking = False
                if not self.source_exists():  # the queue or table was deleted: as in AWS,
                    self.stopped.wait(0.5)  # the mapping just finds nothing to read
                    continue
                self.broken = error
                self.sandbox._internal_error(self.function_name, self.trigger, error)

    def source_exists(self) -> bool:
        """Is the queue or table still there?"""
        return True

    def paused(self) -> bool:
        """Paused by ``sandbox.recover()`` after a loop, until the function is redeployed."""
        return self.sandbox.paused(self.function_name)

    def pending(self) -> bool:
        """Is there something to deliver (a visible message, an unread record)?"""
        return False

    def next_due(self) -> datetime | None:
        times = list(self.due.values())
        return min(times) if times else None


class SqsPoller(Poller):
    """Reads an SQS queue in batches and deletes what the function processed."""

    def __init__(self, sandbox: Any, esm: Any) -> None:
        super().__init__(sandbox, esm)
        self.failing: dict[str, Any] = {}  # message id -> message, failed and not yet done
        self.parked_messages: dict[str, Any] = {}  # message id -> message

    @property
    def trigger(self) -> str:
        return f"SQS queue {self.esm.event_source_arn.rsplit(':', 1)[1]}"

    def stuck(self) -> bool:
        return bool(self.parked_messages) and super().stuck()

    def pending(self) -> bool:
        try:
            return _has_visible_messages(self.queue())
        except Exception:  # noqa: BLE001 - the queue was deleted
            return False

    def unpark(self, backend: Any, queue: Any) -> None:
        """The function was deployed again: parked messages come back now."""
        for message in list(self.parked_messages.values()):
            try:
                backend.change_message_visibility(queue.name, message.receipt_handle, 0)
            except Exception:  # noqa: BLE001 - deleted meanwhile
                pass
        self.parked_messages.clear()
        self.parked = None

    def drop_failing(self) -> int:
        """Delete the messages that keep failing (parked or waiting to reappear)."""
        dropped = 0
        try:
            queue = self.queue()
        except Exception:  # noqa: BLE001 - queue gone
            queue = None
        for message in list(self.failing.values()) + list(self.parked_messages.values()):
            try:
                with queue._messages_lock:
                    if message in queue._messages:
                        queue._messages.remove(message)
                        dropped += 1
                    queue.pending_messages.discard(message)
            except Exception:  # noqa: BLE001
                pass
        self.failing.clear()
        self.parked_messages.clear()
        self.parked = None
        self.due.clear()
        return 1 if dropped else 0

    def source_exists(self) -> bool:
        try:
            self.queue()
        except Exception:  # noqa: BLE001 - moto's QueueDoesNotExist
            return False
        return True

    def queue(self) -> Any:
        from moto.sqs.models import sqs_backends

        name = self.esm.event_source_arn.rsplit(":", 1)[1]
        return sqs_backends[self.esm.account_id][self.esm.region].get_queue(name)

    def busy(self) -> bool:
        if self.invoking or self.redeployed():
            return True
        if self.broken is not None or self.paused():
            return False
        try:
            return bool(self.esm.enabled and _has_visible_messages(self.queue()))
        except Exception:  # noqa: BLE001 - the queue was deleted
            return False

    def poll_once(self) -> None:
        from moto.sqs.models import sqs_backends

        backend = sqs_backends[self.esm.account_id][self.esm.region]
        queue = self.queue()
        if self.redeployed():
            self.unpark(backend, queue)
        batch_size = int(self.esm.batch_size or SQS_DEFAULT_BATCH_SIZE)
        window = float(self.esm.max_batch_window or 0)
        visibility = int(queue.visibility_timeout)
        self.invoking = True
        try:
            messages = _receive(backend, queue, batch_size, visibility)
            if not messages:
                self.invoking = False
                queue.wait_for_messages(LONG_POLL_S)
                return
            started = time.monotonic()
            while len(messages) < batch_size and time.monotonic() - started < window:
                more = _receive(backend, queue, batch_size - len(messages), visibility)
                messages += more
                if not more:
                    queue.wait_for_messages(min(1.0, window))
            messages = self.filtered(backend, queue, messages)
            if not messages:
                return
            with self.lock:
                self.deliver(backend, queue, messages)
        finally:
            self.invoking = False

    def filtered(self, backend: Any, queue: Any, messages: list[Any]) -> list[Any]:
        """The messages the mapping's FilterCriteria let through; the others are deleted."""
        if not self.esm.filter_criteria:
            return messages
        kept = []
        for message in messages:
            if filtering.record_matches(self.esm.filter_criteria, self.record(queue, message)):
                kept.append(message)
                continue
            try:
                with queue._messages_lock:
                    backend.delete_message(queue.name, message.receipt_handle)
            except Exception:  # noqa: BLE001 - already gone
                pass
        return kept

    def record(self, queue: Any, message: Any) -> dict[str, Any]:
        """One message as Lambda's SQS poller writes it into the event."""
        record = events.sqs_record(
            queue.queue_arn,
            message.body,
            message_id=message.id,
            message_attributes=message.message_attributes or None,
            time=message.sent_timestamp / 1000,
            receive_count=message.approximate_receive_count,
            message_group_id=getattr(message, "group_id", None),
            message_deduplication_id=getattr(message, "deduplication_id", None),
            region=self.esm.region,
            account=self.esm.account_id,
        )
        record["receiptHandle"] = message.receipt_handle
        record["attributes"]["SenderId"] = message.sender_id
        first = getattr(message, "approximate_first_receive_timestamp", None)
        if first:
            record["attributes"]["ApproximateFirstReceiveTimestamp"] = str(first)
        return record

    def deliver(self, backend: Any, queue: Any, messages: list[Any]) -> None:
        event = {"Records": [self.record(queue, m) for m in messages]}
        lineage = self.sandbox.recursion.message_lineage([m.id for m in messages])
        fn = self.function()
        if self.sandbox._runaway(self.function_name, lineage, self.trigger):
            for message in messages:  # a runaway loop's messages: dropped
                try:
                    with queue._messages_lock:
                        backend.delete_message(queue.name, message.receipt_handle)
                except Exception:  # noqa: BLE001
                    pass
            return
        try:
            result = self.sandbox._run(
                fn, json.dumps(event).encode(), lineage=lineage, trigger=self.trigger
            )
        except Throttled:
            failed = None  # the batch goes back to the queue after the visibility timeout
        except RecursiveLoopDetected:
            # AWS drops the loop's messages (to the queue's DLQ, if there is one, by
            # redrive): here they are deleted after the sandbox has logged the loop.
            failed = []
        else:
            failed = _items_failed(result, self.esm.function_response_types)
        failed_ids = {m.id for m in messages} if failed is None else set(failed)
        retried = []
        for message in messages:
            if message.id in failed_ids:
                self.failing[message.id] = message
                if self.should_park(queue, message):
                    self.park(backend, queue, message, fn)
                else:
                    retried.append(message)
            else:
                self.failing.pop(message.id, None)
                try:
                    with queue._messages_lock:  # a concurrent send must not be lost
                        backend.delete_message(queue.name, message.receipt_handle)
                except Exception:  # noqa: BLE001 - deleted by the handler itself
                    pass
        if retried:
            self.reappear_later(backend, queue, retried)

    def should_park(self, queue: Any, message: Any) -> bool:
        """Received PARK_AFTER times, and no redrive policy will end it soon."""
        count = int(message.approximate_receive_count)
        if count < PARK_AFTER:
            return False
        if queue.dead_letter_queue is None or not queue.redrive_policy:
            return True
        return int(queue.redrive_policy["maxReceiveCount"]) - count > FAR_AWAY_RETRIES

    def park(self, backend: Any, queue: Any, message: Any, fn: Any) -> None:
        """Keep a message that keeps failing hidden until a redeploy or recover()."""
        # MOTO INTERNALS (Message.change_visibility): the API caps the total at 12 hours
        # from the send, in real time; a parked message is hidden until unparked.
        message.change_visibility(SQS_MAX_VISIBILITY_S)
        self.parked_messages[message.id] = message
        self.parked = _fingerprint(fn)

    def reappear_later(self, backend: Any, queue: Any, messages: list[Any]) -> None:
        """Failed messages come back after the visibility timeout (on the sandbox clock).

        The messages of one failed batch reappear together, as their visibility
        timeouts end at the same moment, and then wake the poller.
        """
        clock = self.sandbox.clock
        when = clock.now() + timedelta(seconds=int(queue.visibility_timeout))
        handles = [message.receipt_handle for message in messages]
        for handle in handles:
            self.due[handle] = when

        def reappear() -> None:
            for handle in handles:
                self.due.pop(handle, None)
                try:
                    backend.change_message_visibility(queue.name, handle, 0)
                except Exception:  # noqa: BLE001 - already deleted or moved
                    pass
            # MOTO INTERNALS (Queue._messages_lock): only a send wakes a long poll; a
            # message made visible again must wake the poller too, or each retry waits
            # out LONG_POLL_S of real time.
            with queue._messages_lock:
                queue._messages_lock.notify_all()

        clock.call_at(when, reappear)


class StreamPoller(Poller):
    """Reads a DynamoDB stream's shard in order and retries a failing batch."""

    def __init__(self, sandbox: Any, esm: Any) -> None:
        super().__init__(sandbox, esm)
        shard = self.shard()
        position = (esm.starting_position or "TRIM_HORIZON").upper()
        self.position = len(shard.items) if (shard and position == "LATEST") else 0
        self.retry: dict[str, Any] | None = None  # {"start", "end", "attempts", "first_at"}
        self._timers: list[Any] = []

    @property
    def trigger(self) -> str:
        table = self.esm.event_source_arn.split(":table/", 1)[1].split("/", 1)[0]
        return f"DynamoDB stream of table {table}"

    def _cancel_timers(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self.due.clear()

    def drop_failing(self) -> int:
        """Skip the failing batch (AWS would retry it until its records expire)."""
        self._cancel_timers()
        self.parked = None
        if self.retry is None or not self.retry["attempts"]:
            return 0
        self.position = self.retry["end"]
        self.retry = None
        return 1

    def table(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        name = self.esm.event_source_arn.split(":table/", 1)[1].split("/", 1)[0]
        return dynamodb_backends[self.esm.account_id][self.esm.region].get_table(name)

    def source_exists(self) -> bool:
        return self.shard() is not None

    def pending(self) -> bool:
        shard = self.shard()
        return shard is not None and self.position < len(shard.items)

    def shard(self) -> Any:
        try:
            return self.table().stream_shard
        except Exception:  # noqa: BLE001 - table gone
            return None

    def busy(self) -> bool:
        if self.invoking or self.redeployed():
            return True
        shard = self.shard()
        if shard is None or not self.esm.enabled or self.broken is not None or self.paused():
            return False
        return self.position < len(shard.items) and not self.due and self.parked is None

    def record(self, item: Any) -> dict[str, Any]:
        """A stream record as Lambda writes it into the event (``eventVersion`` 1.1)."""
        raw = item.to_json()
        stream = jsonable(dict(raw["dynamodb"]))
        created = stream.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):  # moto keeps naive UTC datetimes
            stream["ApproximateCreationDateTime"] = int(created.replace(tzinfo=UTC).timestamp())
        return {
            "eventID": raw["eventID"],
            "eventName": raw["eventName"],
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": self.esm.region,
            "dynamodb": stream,
            "eventSourceARN": self.esm.event_source_arn,
        }

    def poll_once(self) -> None:
        with self.lock:
            idle = self._poll_once()
        if idle:
            self.stopped.wait(STREAM_POLL_S)  # outside the lock: recover() may run

    def _poll_once(self) -> bool:
        """One read and delivery; True when there was nothing to do."""
        if self.redeployed():  # fixed: retry the parked batch now
            self._cancel_timers()
            self.parked = None
        if self.expired:
            self.expired = False
            if self.retry is not None:
                self.give_up(self._pending_records(), None, "RecordAgeExceeded")
            return False
        shard = self.shard()
        if shard is None or self.position >= len(shard.items) or self.due or self.parked:
            return True
        batch_size = int(self.esm.batch_size or STREAM_DEFAULT_BATCH_SIZE)
        if self.retry is None:
            end = min(len(shard.items), self.position + batch_size)
            if self.esm.filter_criteria:  # a batch: the next run of records that match
                while self.position < len(shard.items) and not self._matches(shard, self.position):
                    self.position += 1  # filtered out: never delivered
                if self.position >= len(shard.items):
                    return True
                end = self.position + 1
                limit = min(len(shard.items), self.position + batch_size)
                while end < limit and self._matches(shard, end):
                    end += 1
            self.retry = {"end": end, "attempts": 0, "first_at": self.sandbox.clock.now()}
        records = self._pending_records()
        lineage = self._lineage(shard.items[self.position : self.retry["end"]])
        if self.sandbox._runaway(self.function_name, lineage, self.trigger):
            self.position = self.retry["end"]  # a loop's records: skipped
            self.retry = None
            return False
        self.invoking = True
        try:
            self.deliver(records, lineage)
        finally:
            self.invoking = False
        return False

    def _matches(self, shard: Any, index: int) -> bool:
        return filtering.record_matches(self.esm.filter_criteria, self.record(shard.items[index]))

    def _lineage(self, items: list[Any]) -> tuple[str, int]:
        """The chain of a batch: the deepest among the invocations that wrote its records.

        A record written by a handler carries that invocation's chain (moto_patch keeps
        it). AWS's own detection does not follow a stream: it counts from here again.
        """
        from .recursion import new_lineage

        found = [lin for item in items if (lin := getattr(item, "lambdalab_lineage", None))]
        if not found:
            return new_lineage()
        lineage = max(found, key=lambda lin: lin[1])
        self.sandbox.recursion.untracked_hop(lineage)
        return lineage

    expired = False  # set by the record-expiry timer of a parked batch

    def _pending_records(self) -> list[dict[str, Any]]:
        items = self.shard().items[self.position : self.retry["end"]]
        return [self.record(item) for item in items]

    def deliver(
        self, records: list[dict[str, Any]], lineage: tuple[str, int] | None = None
    ) -> None:
        fn = self.function()
        try:
            result = self.sandbox._run(
                fn, json.dumps({"Records": records}).encode(), lineage=lineage, trigger=self.trigger
            )
        except (Throttled, RecursiveLoopDetected):
            result, failed = None, None
        else:
            failed = _items_failed(result, self.esm.function_response_types)
        if failed == []:
            self.position = self.retry["end"]
            self.retry = None
            return
        # Checkpoint: with ReportBatchItemFailures, retry from the first failed record.
        if failed:
            sequence = [r["dynamodb"]["SequenceNumber"] for r in records]
            first = min((sequence.index(f) for f in failed if f in sequence), default=0)
            self.position += first
            records = records[first:]
        self.retry["attempts"] += 1
        max_retries = self.esm.max_retry_attempts
        max_age = self.esm.max_record_age
        age = (self.sandbox.clock.now() - self.retry["first_at"]).total_seconds()
        retries_used = self.retry["attempts"] - 1
        if (max_retries not in (None, -1) and retries_used >= int(max_retries)) or (
            max_age not in (None, -1) and age > int(max_age)
        ):
            aged = max_age not in (None, -1) and age > int(max_age)
            self.give_up(records, result, "RecordAgeExceeded" if aged else "RetryAttemptsExhausted")
            return
        if self.esm.bisect_on_error and len(records) > 1:
            self.retry["end"] = self.position + len(records) // 2
        clock = self.sandbox.clock
        unlimited = max_retries in (None, -1) or int(max_retries) - retries_used > FAR_AWAY_RETRIES
        long_lived = max_age in (None, -1) or int(max_age) > 3600
        if self.retry["attempts"] >= PARK_AFTER and unlimited and long_lived:
            # Park (see the module): until a redeploy, recover() or the records expire.
            self._cancel_timers()
            self.parked = _fingerprint(fn)
            keep = STREAM_RETENTION_S if max_age in (None, -1) else int(max_age)
            self._timers.append(
                clock.call_at(self.retry["first_at"] + timedelta(seconds=keep), self._expire)
            )
            return
        # Lambda retries a stream batch with a growing delay, on the sandbox clock.
        delay = min(STREAM_RETRY_CAP_S, 2.0 ** (self.retry["attempts"] - 1))
        when = clock.now() + timedelta(seconds=delay)
        self.due["retry"] = when
        self._timers = [t for t in self._timers if not (t.fired or t.cancelled)]
        self._timers.append(clock.call_at(when, self.due.pop, "retry", None))

    def _expire(self) -> None:
        """The parked batch's records expired (sandbox clock): give up on it."""
        self.parked = None
        self.expired = True

    def give_up(
        self, records: list[dict[str, Any]], result: Any, condition: str = "RetryAttemptsExhausted"
    ) -> None:
        """Skip the batch; describe it to the OnFailure destination (SQS or SNS)."""
        if not records:
            self.retry = None
            return
        target = ((self.esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
        if target:
            first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
            shard = self.shard()
            description = {
                "requestContext": {
                    "requestId": getattr(result, "request_id", ""),
                    "functionArn": self.esm.function_arn,
                    "condition": condition,
                    "approximateInvokeCount": self.retry["attempts"],
                },
                "responseContext": {
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": getattr(result, "function_error", None) or "Unhandled",
                },
                "version": "1.0",
                "timestamp": self.sandbox.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "DDBStreamBatchInfo": {
                    "shardId": getattr(shard, "id", ""),
                    "startSequenceNumber": first["SequenceNumber"],
                    "endSequenceNumber": last["SequenceNumber"],
                    # ISO-8601 strings here, though the records carry epoch seconds:
                    # "2019-11-14T00:38:04.835Z" in AWS's on-failure record.
                    "approximateArrivalOfFirstRecord": _iso_millis(
                        first["ApproximateCreationDateTime"]
                    ),
                    "approximateArrivalOfLastRecord": _iso_millis(
                        last["ApproximateCreationDateTime"]
                    ),
                    "batchSize": len(records),
                    "streamArn": self.esm.event_source_arn,
                },
            }
            body = json.dumps(description)
            try:
                if target.split(":")[2] == "sqs":
                    sqs = self.sandbox.client("sqs")
                    url = sqs.get_queue_url(QueueName=target.rsplit(":", 1)[1])["QueueUrl"]
                    sqs.send_message(QueueUrl=url, MessageBody=body)
                else:
                    self.sandbox.client("sns").publish(TopicArn=target, Message=body)
            except Exception:  # noqa: BLE001
                log.exception("could not send the failed batch to %s", target)
        self.position += len(records)
        self.retry = None


class Pollers:
    """Starts a poller for each enabled SQS or DynamoDB stream mapping, stops stale ones."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self._pollers: dict[str, Poller] = {}
        self._lock = threading.Lock()

    def sync(self) -> None:
        """Match the running pollers to moto's event source mappings."""
        backend = _mapping_backend(self.sandbox.account_id, self.sandbox.region)
        mappings = dict(backend._event_source_mappings)
        with self._lock:
            for uuid, poller in list(self._pollers.items()):
                if mappings.get(uuid) is not poller.esm or not poller.is_alive():
                    poller.stopped.set()
                    del self._pollers[uuid]
            for uuid, esm in mappings.items():
                if uuid in self._pollers:
                    continue
                service = esm.event_source_arn.split(":")[2]
                if service == "sqs":
                    poller: Poller = SqsPoller(self.sandbox, esm)
                elif service == "dynamodb":
                    poller = StreamPoller(self.sandbox, esm)
                else:
                    continue
                self._pollers[uuid] = poller
                poller.start()

    def pollers(self) -> list[Poller]:
        with self._lock:
            return list(self._pollers.values())

    def busy(self) -> bool:
        return any(p.busy() for p in self.pollers())

    def say_paused(self) -> None:
        """Record, once, each paused mapping that has something it does not deliver."""
        for poller in self.pollers():
            if poller.paused() and poller.pending():
                self.sandbox.paused(poller.function_name, poller.trigger)

    def next_due(self) -> datetime | None:
        times = [t for p in self.pollers() if (t := p.next_due()) is not None]
        return min(times) if times else None

    def stuck(self) -> list[tuple[str, str]]:
        """(function name, trigger) of each mapping parked on a batch that keeps failing."""
        return [(p.function_name, p.trigger) for p in self.pollers() if p.stuck()]

    def recover(self, function_name: str | None = None) -> int:
        """Drop the failing batches of one function's mappings (or all); how many."""
        return sum(
            p.recover()
            for p in self.pollers()
            if function_name is None or p.function_name == function_name
        )

    def stop(self) -> None:
        with self._lock:
            for poller in self._pollers.values():
                poller.stopped.set()
            self._pollers.clear()
