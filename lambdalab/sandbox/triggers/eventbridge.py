"""EventBridge rules and EventBridge Scheduler schedules that invoke Lambda functions.

moto 5 stores rules, targets and schedules but stops short of Lambda: ``put_events`` to a
rule with a Lambda target raises NotImplementedError, and no scheduled rule or schedule
ever fires. This module adds what is missing:

**Events.** ``events.put_events`` delivers each event to the rules of its event bus whose
event pattern matches (:mod:`lambdalab.sandbox.patterns`), and each rule invokes its Lambda
targets *asynchronously*, with the EventBridge event (``version``, ``id``,
``detail-type``, ``source``, ``account``, ``time``, ``region``, ``resources``,
``detail``) or what the target's ``Input``, ``InputPath`` or ``InputTransformer`` makes
of it. A disabled rule delivers nothing.
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html

**Permissions.** A rule may invoke a function only if the function's resource-based
policy allows ``events.amazonaws.com`` for that rule (``lambda.add_permission``).
Otherwise the event is dropped, the rule's ``FailedInvocations`` metric (namespace
``AWS/Events``) goes up and the sandbox says why (:mod:`lambdalab.sandbox.triggers.permissions`).
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html

**Schedules, on the sandbox clock.** A rule with ``ScheduleExpression`` (``rate(...)``,
``cron(...)``, always UTC) and a Scheduler schedule (``rate``, ``cron``, ``at``, in its
``ScheduleExpressionTimezone``) become timers on ``sandbox.clock``. So
``sandbox.clock.advance(days=7)`` fires a week of runs at once, in time order, without
sleeping, each event's ``time`` being its scheduled time; and the sandbox's ticker calls
``clock.fire_due()`` a few times a second, so a ``rate(1 minute)`` rule also fires on its
own in real time. A rate counts from when the rule or schedule was created. A Scheduler
target receives its ``Input`` (``{}`` without one), its ``<aws.scheduler.*>`` context
attributes filled in, and is invoked with the schedule's execution role, so no
resource-based policy is needed.
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html

**Validation.** moto accepts expressions AWS rejects, such as ``cron(0 2 * * * *)``
(AWS wants ``?`` in one of the two day fields). ``put_rule`` and ``create_schedule`` /
``update_schedule`` first check the expression with :mod:`lambdalab.sandbox.schedules` and fail
with AWS's ``ValidationException`` message; the reason and the fix go to the sandbox
log and a Python warning.

How the sandbox notices new rules (the design): three moto methods are wrapped, each
in one small function below, marked "moto internals": ``EventsBackend.put_rule``,
``EventBridgeSchedulerBackend.create_schedule`` and ``update_schedule``. They validate,
let moto do its work, then (re)register the schedule's timer. Everything else is read
from moto when a timer fires: a rule deleted or a schedule deleted since is forgotten,
a disabled one skipped, targets are whatever they are at that moment. That keeps the
copy of moto's state small (one timer per schedule) and always right. The fourth
wrapped method, ``Rule.send_to_targets``, hands Lambda targets to this module and the
others (SQS, CloudWatch Logs, ...) back to moto.

Example
-------
>>> events = boto3.client("events")                                   # doctest: +SKIP
>>> rule = events.put_rule(Name="nightly", ScheduleExpression="cron(0 2 * * ? *)")  # doctest: +SKIP
>>> events.put_targets(Rule="nightly", Targets=[{"Id": "1", "Arn": function_arn}])  # doctest: +SKIP
>>> sb.clock.advance(days=7); sb.wait()   # seven runs, each at 02:00 UTC  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import json
import threading
import warnings
from datetime import UTC, datetime
from typing import Any

from .. import events as event_shapes
from ..schedules import ScheduleExpressionError, parse_schedule
from . import permissions

METRICS_NAMESPACE = "AWS/Events"


class ScheduleExpressionWarning(UserWarning):
    """A schedule expression AWS would reject; the warning says what to change."""


warnings.simplefilter("always", ScheduleExpressionWarning)
_formatwarning = getattr(warnings.formatwarning, "wrapped", warnings.formatwarning)


def _format_schedule_warning(message, category, filename, lineno, line=None):  # noqa: ANN001
    """Our warning in one line: where moto's server called us is of no use to a learner."""
    if issubclass(category, ScheduleExpressionWarning):
        return f"{category.__name__}: {message}\n"
    return _formatwarning(message, category, filename, lineno, line)


_format_schedule_warning.wrapped = _formatwarning  # a reload wraps the original, not us
warnings.formatwarning = _format_schedule_warning

_active: EventBridgeTriggers | None = None
_originals: dict[str, Any] = {}


def _is_lambda(arn: str) -> bool:
    parts = arn.split(":")
    return len(parts) > 5 and parts[2] == "lambda"


def _epoch(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(value), UTC)


def _pattern_matches(pattern: Any, event: dict[str, Any]) -> bool:
    """Does the rule's event pattern match the event? (lambdalab.sandbox.patterns decides.)"""
    from .. import patterns

    return patterns.matches(pattern, event)


class EventBridgeTriggers:
    """Rules, schedules and their Lambda targets for one sandbox.

    Parameters
    ----------
    sandbox : Sandbox
        Its ``clock``, ``_invoke``, ``account_id`` and ``region`` are used.

    Attributes
    ----------
    failed_invocations : dict
        Rule ARN to the number of events dropped because a target could not be invoked
        (the ``FailedInvocations`` metric, also put in CloudWatch).
    """

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.clock = sandbox.clock
        self._timers: dict[str, tuple[tuple, Any]] = {}  # ARN -> (fingerprint, timer)
        self._lock = threading.Lock()
        self.failed_invocations: dict[str, int] = {}
        self.invocations: dict[str, int] = {}

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        """Patch moto (see the module docstring); timers fire on the sandbox's ticker."""
        global _active
        _install()
        _active = self

    def stop(self) -> None:
        """Cancel every timer and give moto its methods back."""
        global _active
        self.reset()
        if _active is self:
            _active = None
            _uninstall()

    def reset(self) -> None:
        """Cancel every schedule's timer (moto's reset removes the rules themselves)."""
        with self._lock:
            timers = [timer for _, timer in self._timers.values()]
            self._timers.clear()
            self.failed_invocations.clear()
            self.invocations.clear()
        for timer in timers:
            timer.cancel()

    def scheduled(self) -> dict[str, datetime | None]:
        """Each rule's or schedule's ARN and its next fire time on the sandbox clock.

        Example
        -------
        >>> sb.triggers.eventbridge.scheduled()      # doctest: +SKIP
        {'arn:aws:events:us-east-1:123456789012:rule/nightly': datetime(... 2, 0, ...)}
        """
        with self._lock:
            return {arn: timer.next_time for arn, (_, timer) in self._timers.items()}

    # -- registering schedules -----------------------------------------------------------
    def _register(self, arn: str, fingerprint: tuple, schedule: Any, callback, *args) -> None:
        with self._lock:
            current = self._timers.get(arn)
            if current is not None and current[0] == fingerprint and not current[1].cancelled:
                return  # put again unchanged: the schedule keeps its rhythm
            if current is not None:
                current[1].cancel()
            timer = self.clock.schedule(
                schedule.times_after(self.clock.now()), self._guarded, arn, callback, *args
            )
            self._timers[arn] = (fingerprint, timer)

    def _guarded(self, arn: str, callback: Any, *args: Any) -> None:
        """Fire a rule or schedule; a sandbox error stops it, said once (kind "internal")."""
        try:
            callback(*args)
        except Exception as error:  # noqa: BLE001 - a sandbox bug must not repeat each run
            self._unregister(arn)
            name = arn.rsplit("/", 1)[-1]
            what = "EventBridge schedule" if ":scheduler:" in arn else "EventBridge rule"
            report = getattr(self.sandbox, "_internal_error", None)
            if report is not None:
                report(f"(targets of {name})", f"{what} {name}", error)

    def _unregister(self, arn: str) -> None:
        with self._lock:
            current = self._timers.pop(arn, None)
        if current is not None:
            current[1].cancel()

    def rule_changed(self, rule: Any) -> None:
        """put_rule ran: (re)arm the timer of a scheduled rule, drop it otherwise."""
        if not rule.scheduled_expression:
            self._unregister(rule.arn)
            return
        schedule = parse_schedule(rule.scheduled_expression, service="events")
        self._register(
            rule.arn,
            (rule.scheduled_expression,),
            schedule,
            self._fire_rule,
            rule.account_id,
            rule.region_name,
            rule.event_bus_name,
            rule.name,
            rule.arn,
        )

    def schedule_changed(self, account_id: str, region: str, schedule: Any) -> None:
        """create_schedule or update_schedule ran: (re)arm its timer."""
        start, end = _epoch(schedule.start_date), _epoch(schedule.end_date)
        parsed = parse_schedule(
            schedule.schedule_expression,
            schedule.schedule_expression_timezone or "UTC",
            service="scheduler",
            start_date=start,
            end_date=end,
        )
        fingerprint = (
            schedule.schedule_expression,
            schedule.schedule_expression_timezone,
            start,
            end,
        )
        self._register(
            schedule.arn,
            fingerprint,
            parsed,
            self._fire_schedule,
            account_id,
            region,
            schedule.group_name,
            schedule.name,
            schedule.arn,
        )

    # -- firing --------------------------------------------------------------------------
    def _fire_rule(self, account_id: str, region: str, bus: str, name: str, arn: str) -> None:
        from moto.events.models import events_backends

        event_bus = events_backends[account_id][region].event_buses.get(bus)
        rule = None if event_bus is None else event_bus.rules.get(name)
        if rule is None or rule.arn != arn or not rule.scheduled_expression:
            self._unregister(arn)  # deleted (or no longer scheduled) since
            return
        if rule.state != "ENABLED" or not rule.targets:
            return  # a rule without targets matches, and nothing happens (as on AWS)
        event = event_shapes.scheduled_event(
            rule.arn, time=self.clock.now(), region=region, account=account_id
        )
        self.deliver(rule, event, settle=True)

    def _fire_schedule(self, account_id: str, region: str, group: str, name: str, arn: str) -> None:
        from moto.scheduler.models import scheduler_backends

        backend = scheduler_backends[account_id][region]
        found = backend.schedule_groups.get(group)
        schedule = None if found is None else found.schedules.get(name)
        if schedule is None or schedule.arn != arn:
            self._unregister(arn)
            return
        if schedule.state == "ENABLED":
            target = schedule.target or {}
            fn = self._function(account_id, region, target.get("Arn", ""))
            if fn is None:
                self.sandbox_log(
                    account_id,
                    region,
                    f"schedule {name}: target {target.get('Arn')} is not a function the"
                    " sandbox knows; nothing was invoked",
                )
            else:
                payload = scheduler_input(
                    target.get("Input"),
                    schedule_arn=schedule.arn,
                    scheduled_time=self.clock.now(),
                )
                self.sandbox._invoke(fn, payload, "Event", None, f"EventBridge schedule {name}")
                self._settle(fn)
        if schedule.schedule_expression.startswith("at(") and (
            schedule.action_after_completion == "DELETE"
        ):
            backend.delete_schedule(group, name)
            self._unregister(arn)

    def _function(self, account_id: str, region: str, arn: str) -> Any:
        from moto.awslambda.models import lambda_backends

        if not _is_lambda(arn):
            return None
        try:
            return lambda_backends[account_id][arn.split(":")[3] or region].get_function(arn)
        except Exception:  # noqa: BLE001 - moto's own not-found error
            return None

    def _settle(self, fn: Any) -> None:
        """Let a scheduled run start before the clock moves on.

        ``clock.advance(days=7)`` fires a week of timers in milliseconds. Each run is an
        asynchronous invocation, queued with the sandbox time it was sent at; waiting
        here until Lambda's queue has taken it means each run happens at its own
        scheduled time, in order, instead of a week's worth arriving a week late (and
        being dropped as older than MaximumEventAgeInSeconds). The queue wakes this wait
        as soon as the event is done or parked for a retry (its retry timers then run
        each attempt at its own time).
        """
        queue = getattr(self.sandbox, "_async", None)
        if queue is not None and hasattr(queue, "wait_idle"):
            queue.wait_idle(float(getattr(fn, "timeout", 3) or 3) + 5.0)

    def deliver(self, rule: Any, event: dict[str, Any], settle: bool = False) -> None:
        """Send one event to each of the rule's targets (Lambda here, the rest to moto).

        ``settle`` (scheduled events): wait until each invocation has been taken from
        Lambda's asynchronous queue, see :meth:`_settle`.
        """
        others = [t for t in rule.targets if not _is_lambda(t["Arn"])]
        if others:
            clone = copy.copy(rule)
            clone.targets = others
            legacy = dict(event, time=_epoch_seconds(event["time"]))
            try:
                _originals["send_to_targets"](clone, legacy)
            except Exception as error:  # noqa: BLE001 - moto's targets must not stop ours
                self.sandbox_log(rule.account_id, rule.region_name, f"rule {rule.name}: {error!r}")
        for target in rule.targets:
            if _is_lambda(target["Arn"]):
                fn = self._invoke_target(rule, target, event)
                if settle and fn is not None:
                    self._settle(fn)

    def _invoke_target(self, rule: Any, target: dict[str, Any], event: dict[str, Any]) -> Any:
        """Invoke one Lambda target asynchronously; returns the function, or None if not."""
        fn = self._function(rule.account_id, rule.region_name, target["Arn"])
        if fn is None:
            self.sandbox_log(
                rule.account_id,
                rule.region_name,
                f"rule {rule.name}: target {target['Arn']} does not exist; event dropped",
            )
            self._count(rule, "FailedInvocations")
            return None
        if not permissions.is_allowed(
            fn, permissions.EVENTBRIDGE, rule.arn, source_account=rule.account_id
        ):
            hint = permissions.add_permission_hint(
                fn.function_name, permissions.EVENTBRIDGE, rule.arn, "lambda:InvokeFunction"
            )
            permissions.report_denied(
                fn,
                f"EventBridge rule {rule.name}",
                "its resource-based policy does not allow events.amazonaws.com for this"
                f" rule, so the event was dropped (FailedInvocations). Grant it: {hint}",
            )
            self._count(rule, "FailedInvocations")
            return None
        try:
            payload = target_input(target, event)
        except (ValueError, KeyError) as error:
            self.sandbox_log(rule.account_id, rule.region_name, f"rule {rule.name}: {error}")
            self._count(rule, "FailedInvocations")
            return None
        self.sandbox._invoke(fn, payload, "Event", None, f"EventBridge rule {rule.name}")
        self._count(rule, "Invocations")
        return fn

    def _count(self, rule: Any, metric: str) -> None:
        from moto.cloudwatch.models import cloudwatch_backends

        counts = self.failed_invocations if metric == "FailedInvocations" else self.invocations
        with self._lock:
            counts[rule.arn] = counts.get(rule.arn, 0) + 1
        cloudwatch_backends[rule.account_id][rule.region_name].put_metric_data(
            METRICS_NAMESPACE,
            [
                {
                    "MetricName": metric,
                    "Value": 1.0,
                    "Unit": "Count",
                    "Timestamp": self.clock.now().replace(tzinfo=None),  # moto: naive UTC
                    "Dimensions": [{"Name": "RuleName", "Value": rule.name}],
                }
            ],
        )

    @staticmethod
    def sandbox_log(account_id: str, region: str, line: str) -> None:
        permissions._write_sandbox_log(account_id, region, f"[eventbridge] {line}")


def _epoch_seconds(iso_time: str) -> float:
    return datetime.fromisoformat(iso_time.replace("Z", "+00:00")).timestamp()


def scheduler_input(
    template: str | None,
    *,
    schedule_arn: str,
    scheduled_time: datetime,
    execution_id: str | None = None,
    attempt_number: int = 1,
) -> bytes:
    """A Scheduler target's ``Input`` with the schedule's context attributes filled in.

    EventBridge Scheduler replaces ``<aws.scheduler.schedule-arn>``,
    ``<aws.scheduler.scheduled-time>``, ``<aws.scheduler.execution-id>`` and
    ``<aws.scheduler.attempt-number>`` in the input before it invokes the target.
    https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html

    >>> from datetime import UTC
    >>> scheduler_input('{"at": "<aws.scheduler.scheduled-time>"}', schedule_arn="arn",
    ...                 scheduled_time=datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    b'{"at": "2026-11-30T02:00:00Z"}'
    """
    import uuid

    values = {
        "<aws.scheduler.schedule-arn>": schedule_arn,
        "<aws.scheduler.scheduled-time>": scheduled_time.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "<aws.scheduler.execution-id>": execution_id or str(uuid.uuid4()),
        "<aws.scheduler.attempt-number>": str(attempt_number),
    }
    text = template or "{}"
    for name, value in values.items():
        text = text.replace(name, value)
    return text.encode()


def target_input(target: dict[str, Any], event: dict[str, Any]) -> bytes:
    """What a target receives: the event, or its ``Input`` / ``InputPath`` / transformer.

    Example
    -------
    >>> event = {"detail": {"id": 7}, "source": "shop"}
    >>> target_input({"Input": '{"fixed": true}'}, event)
    b'{"fixed": true}'
    >>> target_input({"InputPath": "$.detail"}, event)
    b'{"id": 7}'
    """
    if target.get("Input") is not None:
        return target["Input"].encode()
    if target.get("InputPath"):
        from jsonpath_ng.ext import parse

        found = [m.value for m in parse(target["InputPath"]).find(event)]
        if not found:
            raise ValueError(f"InputPath {target['InputPath']} matches nothing in the event")
        return json.dumps(found[0]).encode()
    if target.get("InputTransformer"):
        from moto.events.utils import EventTemplateParser

        transformer = target["InputTransformer"]
        result = EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,
        )
        return (result if isinstance(result, str) else json.dumps(result)).encode()
    return json.dumps(event).encode()


# ---------------------------------------------------------------------------------------
# moto internals. Each function below replaces or wraps one moto 5.2.5 method;
# tests/functional/sandbox/test_eventbridge.py::test_moto_internals_are_where_we_expect names them.
# ---------------------------------------------------------------------------------------

MOTO_INTERNALS = {
    "send_to_targets": ("moto.events.models", "Rule", "send_to_targets"),
    "put_rule": ("moto.events.models", "EventsBackend", "put_rule"),
    "create_schedule": ("moto.scheduler.models", "EventBridgeSchedulerBackend", "create_schedule"),
    "update_schedule": ("moto.scheduler.models", "EventBridgeSchedulerBackend", "update_schedule"),
}


def _send_to_targets(self: Any, original_event: dict[str, Any], transform_input: bool = True):
    """moto internals: replaces ``Rule.send_to_targets``, which raises NotImplementedError
    for a Lambda target. Lambda targets are ours; every other target goes to moto."""
    lambda_targets = [t for t in self.targets if _is_lambda(t["Arn"])]
    if len(lambda_targets) < len(self.targets):
        clone = copy.copy(self)
        clone.targets = [t for t in self.targets if not _is_lambda(t["Arn"])]
        _originals["send_to_targets"](clone, original_event, transform_input)
    if not lambda_targets or _active is None or self.state != "ENABLED":
        return
    if self.event_pattern.get_pattern() in (None, {}) or "replay-name" in original_event:
        return  # a schedule-only rule matches no event; replays are not served
    event = _as_eventbridge_event(original_event)
    if not _pattern_matches(self.event_pattern.get_pattern(), event):
        return
    for target in lambda_targets:
        _active._invoke_target(self, target, event)


def _as_eventbridge_event(message: dict[str, Any]) -> dict[str, Any]:
    """moto's event message (time as epoch seconds) as EventBridge delivers it."""
    raw_time = message.get("time")
    ingested = message.get("ingestion-time")
    if _active is not None and (
        raw_time is None
        or raw_time == ingested
        or (isinstance(raw_time, float) and ingested and abs(raw_time - ingested) < 0.5)
    ):
        when = _active.clock.now()  # no Time given: the event happens now, on the sandbox clock
    else:
        when = _epoch(raw_time)
    detail = message.get("detail")
    event = event_shapes.eventbridge_event(
        message["source"],
        message["detail-type"],
        detail if isinstance(detail, dict) else {},
        message.get("resources") or [],
        when,
        event_id=message.get("id"),
        region=message.get("region") or "us-east-1",
        account=message.get("account") or "123456789012",
    )
    if not isinstance(detail, dict):
        event["detail"] = detail
    return event


def _put_rule(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """moto internals: wraps ``EventsBackend.put_rule``: validate, then arm the timer."""
    from moto.events.exceptions import ValidationException

    expression = kwargs.get("scheduled_expression")
    if expression:
        try:
            parse_schedule(expression, service="events")
        except ScheduleExpressionError as error:
            _explain(self.account_id, self.region_name, f"put_rule {name}", error)
            raise ValidationException(str(error)) from None
    rule = _originals["put_rule"](self, name, *args, **kwargs)
    if _active is not None:
        _active.rule_changed(rule)
    return rule


def _create_schedule(self: Any, *args: Any, **kwargs: Any) -> Any:
    """moto internals: wraps ``EventBridgeSchedulerBackend.create_schedule``."""
    return _checked_schedule_call(self, "create_schedule", args, kwargs)


def _update_schedule(self: Any, *args: Any, **kwargs: Any) -> Any:
    """moto internals: wraps ``EventBridgeSchedulerBackend.update_schedule``."""
    return _checked_schedule_call(self, "update_schedule", args, kwargs)


def _checked_schedule_call(backend: Any, operation: str, args: tuple, kwargs: dict) -> Any:
    """moto internals: validate the schedule expression as EventBridge Scheduler does, run
    moto's own ``operation``, then arm the schedule's timer on the sandbox clock."""
    _check_schedule(backend, kwargs, operation)
    schedule = _originals[operation](backend, *args, **kwargs)
    if _active is not None:
        _active.schedule_changed(backend.account_id, backend.region_name, schedule)
    return schedule


def _check_schedule(backend: Any, kwargs: dict[str, Any], operation: str) -> None:
    from moto.scheduler.exceptions import ValidationException

    try:
        parse_schedule(
            kwargs.get("schedule_expression") or "",
            kwargs.get("schedule_expression_timezone") or "UTC",
            service="scheduler",
        )
    except ScheduleExpressionError as error:
        _explain(backend.account_id, backend.region_name, operation, error)
        raise ValidationException(str(error)) from None
    except ValueError as error:  # an unknown ScheduleExpressionTimezone
        raise ValidationException(str(error)) from None


def _explain(account_id: str, region: str, operation: str, error: ScheduleExpressionError):
    text = f"{operation}: {error.expression!r} is rejected by AWS ({error}). Why: {error.reason}"
    permissions._write_sandbox_log(account_id, region, f"[eventbridge] {text}")
    warnings.warn(text, ScheduleExpressionWarning, stacklevel=3)


def _install() -> None:
    import importlib

    replacements = {
        "send_to_targets": _send_to_targets,
        "put_rule": _put_rule,
        "create_schedule": _create_schedule,
        "update_schedule": _update_schedule,
    }
    for key, (module, cls, method) in MOTO_INTERNALS.items():
        owner = getattr(importlib.import_module(module), cls)
        if key not in _originals:
            _originals[key] = getattr(owner, method)
        setattr(owner, method, replacements[key])


def _uninstall() -> None:
    import importlib

    for key, (module, cls, method) in MOTO_INTERNALS.items():
        if key in _originals:
            setattr(getattr(importlib.import_module(module), cls), method, _originals.pop(key))
