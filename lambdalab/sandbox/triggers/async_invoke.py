"""Asynchronous invocation: an internal queue, retries, destinations and dead-letter queues.

S3 notifications, SNS, EventBridge and ``invoke(InvocationType="Event")`` do not wait for
the function: Lambda puts the event in an internal queue, answers at once (HTTP 202 for
``Invoke``) and runs the function in the background. What happens next, as AWS does it:
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html

* A **function error** is retried twice by default, about 1 minute after the first
  attempt and about 2 minutes after the second (``MaximumRetryAttempts`` 0 to 2 in
  ``put_function_event_invoke_config``). Retries keep the same request id.
* A **throttle** (no concurrency left) is not an attempt: the event goes back to the
  queue and is tried again with a growing delay (1 second up to 5 minutes).
* An event older than ``MaximumEventAgeInSeconds`` (60 to 21,600; 6 hours by default)
  is not tried again.
* An event that failed for good goes to the **on-failure destination** (an SQS queue,
  SNS topic, Lambda function or EventBridge bus) as an *invocation record*, or else to the
  function's **dead-letter queue** (``DeadLetterConfig``: SQS or SNS) as the event itself
  with the attributes ``RequestID``, ``ErrorCode`` and ``ErrorMessage``. A success goes
  to the on-success destination, if there is one.

Delays are timers on the sandbox clock: in real time they fire after a real minute
(the sandbox ticks its clock in the background), and ``sandbox.wait()`` fast-forwards
the clock to them, so a lesson sees three attempts and a destination in milliseconds.
A retry runs *at* its time on the sandbox clock: the timer waits until the attempt is
over (or parked for the next retry), so ``clock.advance(days=2)`` over a failing daily
schedule runs 2 x 3 attempts, each at its own time, and every age is measured on the
sandbox clock. Whoever waits for the queue (``wait()``, the EventBridge scheduler) is
woken as soon as an event is parked for a retry.

Example
-------
>>> lam = sb.client("lambda")                                          # doctest: +SKIP
>>> lam.put_function_event_invoke_config(FunctionName="flaky", MaximumRetryAttempts=1,
...     DestinationConfig={"OnFailure": {"Destination": queue_arn}})   # doctest: +SKIP
>>> lam.invoke(FunctionName="flaky", InvocationType="Event", Payload=b"{}")["StatusCode"]
202
>>> sb.wait()    # two attempts, one minute apart on the sandbox clock; record in the queue
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..failures import describe_trigger
from ..runtime.concurrency import Throttled
from ..runtime.execution_environment import InvocationResult
from .recursion import RecursiveLoopDetected

log = logging.getLogger(__name__)

DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2
DEFAULT_MAXIMUM_EVENT_AGE_S = 21_600  # 6 hours
RETRY_DELAYS_S = (60.0, 120.0)  # before the 2nd and the 3rd attempt
THROTTLE_BACKOFF_S = (1.0, 300.0)  # first delay and cap (5 minutes)
ERROR_MESSAGE_LIMIT = 1024  # the DLQ's ErrorMessage attribute is truncated to 1 KB
RECORD_VERSION = "1.0"


@dataclass
class AsyncEvent:
    """One event in Lambda's internal queue for asynchronous invocation."""

    fn: Any  # moto's LambdaFunction (the version that was invoked)
    payload: bytes
    request_id: str
    received_at: datetime  # sandbox time when Lambda accepted the event
    lineage: tuple[str, int] | None = None  # recursion tracking (see recursion.py)
    attempts: int = 0  # invocations that ran (throttles are not attempts)
    throttles: int = 0
    result: InvocationResult | None = None
    due: datetime | None = None  # while waiting for a retry timer
    error_code: int = 200  # HTTP status of the last attempt (200 with a function error)
    condition: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    trigger: str = "asynchronous Invoke"  # who sent it, in words (see lambdalab.sandbox.failures)
    settled: threading.Event = field(default_factory=threading.Event)  # parked or finished

    @property
    def function_name(self) -> str:
        return self.fn.function_name


def _iso_millis(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _json_or_text(data: bytes | None) -> Any:
    try:
        return json.loads(data or b"null")
    except ValueError:
        return (data or b"").decode("utf-8", "replace")


class AsyncInvoker:
    """Lambda's internal event queue and the workers that take events from it.

    Parameters
    ----------
    sandbox : Sandbox
        Gives the clock, ``_run`` (one invocation with throttling, recursion checks and
        metrics), boto3 clients for destinations, and the metrics writer.
    workers : int
        How many events may run at once (each in its own execution environment).
    """

    def __init__(self, sandbox: Any, workers: int = 8) -> None:
        self.sandbox = sandbox
        self.clock = sandbox.clock
        self._queue: queue.SimpleQueue[AsyncEvent | None] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._outstanding: set[str] = set()  # request ids not finished yet
        self._waiting: dict[str, AsyncEvent] = {}  # events waiting for a retry timer
        self._events: dict[str, AsyncEvent] = {}  # every outstanding event
        self._dropped: set[str] = set()  # request ids recover() dropped while queued
        self._timers: list[Any] = []
        self._clients: dict[str, Any] = {}
        self._threads = [
            threading.Thread(target=self._work, name=f"lambda-async-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()
        self.records: list[dict[str, Any]] = []  # every invocation record sent (for lessons)

    # -- the queue ------------------------------------------------------------------
    def submit(
        self,
        fn: Any,
        payload: bytes,
        lineage: tuple[str, int] | None = None,
        trigger: str | None = None,
    ) -> str:
        """Accept an event (HTTP 202): it runs in the background. Returns its request id."""
        trigger = trigger or describe_trigger(payload)
        event = AsyncEvent(fn, payload, str(uuid.uuid4()), self.clock.now(), lineage)
        event.trigger = trigger
        if trigger != "asynchronous Invoke" and self.sandbox.paused(fn.function_name, trigger):
            return event.request_id  # its triggers are paused after a loop (recover())
        if lineage is not None and self.sandbox._runaway(fn.function_name, lineage, trigger):
            return event.request_id  # a runaway loop: accepted (202) and dropped
        with self._lock:
            self._outstanding.add(event.request_id)
            self._events[event.request_id] = event
        self.sandbox.metrics.put(event.function_name, AsyncEventsReceived=1)
        self._queue.put(event)
        return event.request_id

    def busy(self) -> bool:
        """True while an event is queued or running (not merely waiting for a timer)."""
        with self._lock:
            return len(self._outstanding) > len(self._waiting)

    def pending(self) -> int:
        """Events not finished yet, those waiting for a retry included."""
        with self._lock:
            return len(self._outstanding)

    def next_due(self) -> datetime | None:
        """The sandbox time of the earliest retry, or None."""
        with self._lock:
            times = [e.due for e in self._waiting.values() if e.due is not None]
        return min(times) if times else None

    def wait_idle(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds until no event is queued or running."""
        with self._lock:
            return self._lock.wait_for(
                lambda: len(self._outstanding) <= len(self._waiting), timeout=timeout
            )

    def shutdown(self) -> None:
        for timer in self._timers:
            timer.cancel()
        for _ in self._threads:
            self._queue.put(None)

    def _retry_at(self, event: AsyncEvent, delay_s: float) -> None:
        event.due = self.clock.now() + timedelta(seconds=delay_s)
        event.settled.set()  # the timer that ran this attempt may go on
        with self._lock:
            if event.request_id in self._dropped:  # recover() ran during the attempt
                self._dropped.discard(event.request_id)
                self._lock.notify_all()
                return
            self._waiting[event.request_id] = event
            self._timers = [t for t in self._timers if not (t.fired or t.cancelled)]
            timer = self.clock.call_at(event.due, self._requeue, event)
            event.extra["timer"] = timer
            self._timers.append(timer)
            self._lock.notify_all()  # parked: whoever waits for the queue may go on

    def _requeue(self, event: AsyncEvent) -> None:
        """The retry timer fired: run the attempt now, at the timer's sandbox time.

        The timer waits (up to the function's timeout and a margin) until the attempt is
        over or parked again, so the clock does not move on meanwhile.
        """
        with self._lock:
            if self._waiting.pop(event.request_id, None) is None:
                return  # dropped by recover()
            event.due = None
            event.settled.clear()
        self._queue.put(event)
        event.settled.wait(float(getattr(event.fn, "timeout", 3) or 3) + 5.0)

    def _finish(self, event: AsyncEvent) -> None:
        with self._lock:
            self._dropped.discard(event.request_id)
            self._outstanding.discard(event.request_id)
            self._events.pop(event.request_id, None)
            self._lock.notify_all()
        event.settled.set()

    def recover(self, function_name: str | None = None) -> int:
        """Drop the queued and parked events of one function (or all); how many."""
        with self._lock:
            events = [
                e
                for e in self._events.values()
                if function_name is None or e.function_name == function_name
            ]
            for event in events:
                self._dropped.add(event.request_id)
                self._waiting.pop(event.request_id, None)
                timer = event.extra.pop("timer", None)
                if timer is not None:
                    timer.cancel()
                self._outstanding.discard(event.request_id)
                self._events.pop(event.request_id, None)
            self._lock.notify_all()
        for event in events:
            event.settled.set()
        return len(events)

    def _work(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                return
            with self._lock:
                if event.request_id in self._dropped:
                    self._dropped.discard(event.request_id)
                    event.settled.set()
                    continue
            if event.lineage and self.sandbox.runaway.stopped(event.lineage[0]):
                self._finish(event)  # its chain was stopped as a runaway loop
                continue
            try:
                self._attempt(event)
            except Exception as error:  # noqa: BLE001 - a sandbox bug must not kill the worker
                log.debug("asynchronous invocation %s failed", event.request_id, exc_info=True)
                self.sandbox._internal_error(event.function_name, event.trigger, error)
                self._finish(event)

    # -- one attempt ----------------------------------------------------------------
    def _settings(self, fn: Any) -> dict[str, Any]:
        """``put_function_event_invoke_config`` settings (moto keeps them on the function)."""
        configs = getattr(fn, "event_invoke_config", None) or []
        return dict(configs[0].config) if configs else {}

    def _attempt(self, event: AsyncEvent) -> None:
        settings = self._settings(event.fn)
        max_age = settings.get("MaximumEventAgeInSeconds", DEFAULT_MAXIMUM_EVENT_AGE_S)
        max_retries = settings.get("MaximumRetryAttempts", DEFAULT_MAXIMUM_RETRY_ATTEMPTS)
        now = self.clock.now()
        age_s = (now - event.received_at).total_seconds()
        if age_s > max_age:
            return self._failed(event, "EventAgeExceeded", settings)
        self.sandbox.metrics.put(event.function_name, AsyncEventAge=(age_s * 1000, "Milliseconds"))
        try:
            result = self.sandbox._run(
                event.fn,
                event.payload,
                request_id=event.request_id,
                lineage=event.lineage,
                trigger=event.trigger,
                retries=max_retries,
            )
        except Throttled:
            event.throttles += 1
            event.error_code = 429
            first, cap = THROTTLE_BACKOFF_S
            return self._retry_at(event, min(cap, first * 2 ** (event.throttles - 1)))
        except RecursiveLoopDetected as error:
            event.error_code = 400
            event.extra["errorMessage"] = str(error)
            # UNVERIFIED: the condition AWS writes for a dropped recursive event.
            return self._failed(event, "RetriesExhausted", settings)
        event.attempts += 1
        event.result = result
        event.error_code = 200
        if not result.function_error:
            self._succeeded(event, settings)
            return
        if event.attempts <= max_retries:
            delay = RETRY_DELAYS_S[min(event.attempts, len(RETRY_DELAYS_S)) - 1]
            return self._retry_at(event, delay)
        self._failed(event, "RetriesExhausted", settings)

    # -- outcomes -------------------------------------------------------------------
    def invocation_record(self, event: AsyncEvent, condition: str) -> dict[str, Any]:
        """The JSON document Lambda sends to a destination (``version`` 1.0)."""
        fn = event.fn
        version = str(fn.version)
        response_context: dict[str, Any] = {"statusCode": event.error_code}
        if event.result is not None:
            response_context["executedVersion"] = version
            if event.result.function_error:
                response_context["functionError"] = event.result.function_error
        record: dict[str, Any] = {
            "version": RECORD_VERSION,
            "timestamp": _iso_millis(self.clock.now()),
            "requestContext": {
                "requestId": event.request_id,
                "functionArn": f"{fn.function_arn.rsplit(':' + version, 1)[0]}:{version}",
                "condition": condition,
                "approximateInvokeCount": event.attempts,
            },
            "requestPayload": _json_or_text(event.payload),
            "responseContext": response_context,
        }
        if event.result is not None:
            record["responsePayload"] = _json_or_text(event.result.payload)
        return record

    def _succeeded(self, event: AsyncEvent, settings: dict[str, Any]) -> None:
        try:
            target = settings.get("DestinationConfig", {}).get("OnSuccess", {}).get("Destination")
            if target:
                self._deliver(event, target, self.invocation_record(event, "Success"), True)
        finally:
            self._finish(event)

    def _failed(self, event: AsyncEvent, condition: str, settings: dict[str, Any]) -> None:
        """The event failed for good: on-failure destination, else dead-letter queue."""
        try:
            event.condition = condition
            self.sandbox.metrics.put(event.function_name, AsyncEventsDropped=1)
            target = settings.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            dead_letter = (getattr(event.fn, "dead_letter_config", None) or {}).get("TargetArn")
            if target:
                self._deliver(event, target, self.invocation_record(event, condition), False)
            elif dead_letter:
                self._dead_letter(event, dead_letter)
        finally:
            self._finish(event)

    def _client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.sandbox.client(service)
        return self._clients[service]

    def _deliver(self, event: AsyncEvent, arn: str, record: dict, success: bool) -> None:
        """Send an invocation record to an SQS queue, SNS topic, function or event bus."""
        self.records.append(record)
        service = arn.split(":")[2]
        body = json.dumps(record)
        try:
            if service == "sqs":
                self._client("sqs").send_message(QueueUrl=self._queue_url(arn), MessageBody=body)
            elif service == "sns":
                self._client("sns").publish(TopicArn=arn, Message=body)
            elif service == "lambda":
                self._client("lambda").invoke(
                    FunctionName=arn, InvocationType="Event", Payload=body.encode()
                )
            elif service == "events":
                outcome = "Success" if success else "Failure"
                self._client("events").put_events(
                    Entries=[
                        {
                            "Source": "lambda",
                            "DetailType": f"Lambda Function Invocation Result - {outcome}",
                            "Detail": body,
                            "Resources": [record["requestContext"]["functionArn"]],
                            "EventBusName": arn,
                        }
                    ]
                )
            else:
                raise ValueError(f"{arn} is not an SQS, SNS, Lambda or EventBridge ARN")
        except Exception:  # noqa: BLE001 - AWS counts it and drops the record
            log.exception("could not deliver the invocation record to %s", arn)
            self.sandbox.metrics.put(event.function_name, DestinationDeliveryFailures=1)

    def _queue_url(self, arn: str) -> str:
        account, name = arn.split(":")[4:6]
        return self._client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)[
            "QueueUrl"
        ]

    def _dead_letter(self, event: AsyncEvent, arn: str) -> None:
        """Send the event itself, with RequestID, ErrorCode and ErrorMessage attributes."""
        message = event.extra.get("errorMessage", "")
        if event.result is not None and event.result.function_error:
            error = _json_or_text(event.result.payload)
            message = error.get("errorMessage", "") if isinstance(error, dict) else str(error)
        elif event.error_code == 429:
            message = "Rate Exceeded."
        attributes = {
            "RequestID": {"DataType": "String", "StringValue": event.request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": str(event.error_code)},
            "ErrorMessage": {
                "DataType": "String",
                "StringValue": message.encode()[:ERROR_MESSAGE_LIMIT].decode("utf-8", "ignore")
                or "(none)",
            },
        }
        body = event.payload.decode("utf-8", "replace")
        try:
            if arn.split(":")[2] == "sqs":
                self._client("sqs").send_message(
                    QueueUrl=self._queue_url(arn), MessageBody=body, MessageAttributes=attributes
                )
            else:
                self._client("sns").publish(
                    TopicArn=arn, Message=body, MessageAttributes=attributes
                )
        except Exception:  # noqa: BLE001 - AWS counts it in DeadLetterErrors
            log.exception("could not send event %s to its dead-letter queue", event.request_id)
            self.sandbox.metrics.put(event.function_name, DeadLetterErrors=1)
