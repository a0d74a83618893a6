"""EventBridge rules, schedules and Scheduler, invoking Lambda through plain boto3."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import boto3
import pytest
from botocore.exceptions import ClientError

from lambdalab.sandbox.triggers import eventbridge, permissions
from lambdalab.sandbox.triggers.eventbridge import ScheduleExpressionWarning

RECORDER = """
import json
def handler(event, context):
    print("EVENT " + json.dumps(event))
"""


@pytest.fixture(autouse=True)
def clean_rules(sb):
    """Rules and schedules of one test must not fire in the next test's simulated week."""
    yield
    events, scheduler = boto3.client("events"), boto3.client("scheduler")
    for rule in events.list_rules()["Rules"]:
        targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        if targets:
            events.remove_targets(Rule=rule["Name"], Ids=[t["Id"] for t in targets])
        events.delete_rule(Name=rule["Name"])
    for schedule in scheduler.list_schedules()["Schedules"]:
        scheduler.delete_schedule(Name=schedule["Name"], GroupName=schedule["GroupName"])
    sb.wait()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def recorder(sb, write_function, prefix: str) -> tuple[str, str]:
    name = unique(prefix)
    return name, sb.deploy(name, write_function(app=RECORDER))["FunctionArn"]


def seen(sb, name: str) -> list[dict]:
    """The events a recorder function received, in the order its log lines arrived."""
    sb.wait()
    return [
        json.loads(line.split("EVENT ", 1)[1])
        for line in sb.logs(name).lines
        if line.startswith("EVENT ")
    ]


def allow_rule(name: str, rule_arn: str) -> None:
    boto3.client("lambda").add_permission(
        FunctionName=name,
        StatementId=unique("events"),
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule_arn,
    )


def scheduled_rule(name: str, arn: str, expression: str, *, permit: bool = True) -> str:
    events = boto3.client("events")
    rule_arn = events.put_rule(Name=unique("rule"), ScheduleExpression=expression)["RuleArn"]
    events.put_targets(Rule=rule_arn.rsplit("/", 1)[1], Targets=[{"Id": "fn", "Arn": arn}])
    if permit:
        allow_rule(name, rule_arn)
    return rule_arn


# -- schedules on the sandbox clock -------------------------------------------------------


def test_nightly_cron_rule_runs_seven_times_in_a_simulated_week(sb, write_function):
    name, arn = recorder(sb, write_function, "nightly")
    rule_arn = scheduled_rule(name, arn, "cron(0 2 * * ? *)")
    start = sb.clock.now()
    sb.clock.advance(days=7)
    received = seen(sb, name)
    assert len(received) == 7
    times = sorted(datetime.fromisoformat(e["time"].replace("Z", "+00:00")) for e in received)
    assert all(t.strftime("%H:%M:%S") == "02:00:00" for t in times)
    assert len({t.date() for t in times}) == 7 and start < times[0] < start + timedelta(days=1)
    event = received[0]
    assert event["source"] == "aws.events" and event["detail-type"] == "Scheduled Event"
    assert event["resources"] == [rule_arn] and event["detail"] == {}
    assert set(event) == {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    }


def test_rate_rule_counts_from_its_creation(sb, write_function):
    name, arn = recorder(sb, write_function, "hourly")
    created = sb.clock.now()
    scheduled_rule(name, arn, "rate(1 hour)")
    sb.clock.advance(hours=3, minutes=30)
    times = sorted(datetime.fromisoformat(e["time"].replace("Z", "+00:00")) for e in seen(sb, name))
    assert len(times) == 3
    assert [round((t - created).total_seconds() / 3600, 2) for t in times] == [1.0, 2.0, 3.0]


def test_disabled_or_deleted_rule_does_not_fire(sb, write_function):
    name, arn = recorder(sb, write_function, "disabled")
    events = boto3.client("events")
    rule_arn = scheduled_rule(name, arn, "rate(1 hour)")
    rule_name = rule_arn.rsplit("/", 1)[1]
    events.disable_rule(Name=rule_name)
    sb.clock.advance(hours=2)
    assert seen(sb, name) == []
    events.enable_rule(Name=rule_name)
    sb.clock.advance(hours=1)
    assert len(seen(sb, name)) == 1
    events.remove_targets(Rule=rule_name, Ids=["fn"])
    events.delete_rule(Name=rule_name)
    sb.clock.advance(hours=2)
    assert len(seen(sb, name)) == 1
    assert rule_arn not in sb.triggers.eventbridge.scheduled()


def test_scheduled_rule_without_permission_fails_its_invocations(sb, write_function):
    name, arn = recorder(sb, write_function, "noperm")
    rule_arn = scheduled_rule(name, arn, "rate(1 day)", permit=False)
    with pytest.warns(permissions.InvokePermissionWarning, match="events.amazonaws.com"):
        sb.clock.advance(days=2)
    assert seen(sb, name) == []
    assert sb.triggers.eventbridge.failed_invocations[rule_arn] == 2
    assert any(rule_arn in line for line in permissions.sandbox_log())
    stats = boto3.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/Events",
        MetricName="FailedInvocations",
        Dimensions=[{"Name": "RuleName", "Value": rule_arn.rsplit("/", 1)[1]}],
        StartTime=sb.clock.now() - timedelta(days=3),
        EndTime=sb.clock.now() + timedelta(minutes=1),
        Period=86400 * 4,
        Statistics=["Sum"],
    )
    assert sum(p["Sum"] for p in stats["Datapoints"]) == 2


@pytest.mark.parametrize(
    ("expression", "why"),
    [("cron(0 2 * * * *)", "?"), ("rate(1 minutes)", "singular"), ("at(2030-01-01T00:00:00)", "")],
)
def test_put_rule_rejects_what_aws_rejects(sb, expression, why):
    with pytest.warns(ScheduleExpressionWarning, match=f"Why: .*{why}".replace("?", r"\?")):
        with pytest.raises(ClientError) as caught:
            boto3.client("events").put_rule(Name=unique("bad"), ScheduleExpression=expression)
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == "Parameter ScheduleExpression is not valid."


# -- EventBridge Scheduler --------------------------------------------------------------------


def create_schedule(arn: str, expression: str, **extra) -> str:
    name = unique("schedule")
    boto3.client("scheduler").create_schedule(
        Name=name,
        ScheduleExpression=expression,
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": "arn:aws:iam::123456789012:role/scheduler",
            "Input": '{"job": "report"}',
        },
        **extra,
    )
    return name


def test_scheduler_passes_input_verbatim_in_its_time_zone(sb, write_function):
    name, arn = recorder(sb, write_function, "sched")
    schedule = create_schedule(arn, "cron(0 9 * * ? *)", ScheduleExpressionTimezone="Europe/Paris")
    arn_of = f"arn:aws:scheduler:us-east-1:123456789012:schedule/default/{schedule}"
    first = sb.triggers.eventbridge.scheduled()[arn_of]
    assert first.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris")).hour == 9
    sb.clock.advance(days=2)
    assert seen(sb, name) == [{"job": "report"}, {"job": "report"}]


def test_scheduler_one_time_schedule_fires_once(sb, write_function):
    name, arn = recorder(sb, write_function, "once")
    when = (sb.clock.now() + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S")
    create_schedule(arn, f"at({when})")
    sb.clock.advance(days=3)
    assert len(seen(sb, name)) == 1


def test_scheduler_rejects_what_aws_rejects(sb):
    with pytest.warns(ScheduleExpressionWarning):
        with pytest.raises(ClientError) as caught:
            create_schedule("arn:aws:lambda:us-east-1:123456789012:function:x", "cron(0 2 * * * *)")
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == "Invalid Schedule Expression cron(0 2 * * * *)."


# -- put_events -------------------------------------------------------------------------------


def pattern_rule(name: str, arn: str, pattern: dict, *, permit: bool = True, **target) -> str:
    events = boto3.client("events")
    rule_arn = events.put_rule(Name=unique("orders"), EventPattern=json.dumps(pattern))["RuleArn"]
    events.put_targets(
        Rule=rule_arn.rsplit("/", 1)[1], Targets=[{"Id": "fn", "Arn": arn, **target}]
    )
    if permit:
        allow_rule(name, rule_arn)
    return rule_arn


def put(detail: dict, source: str = "com.example.orders", detail_type: str = "Order Placed"):
    return boto3.client("events").put_events(
        Entries=[{"Source": source, "DetailType": detail_type, "Detail": json.dumps(detail)}]
    )


def test_put_events_invokes_matching_rules_with_the_eventbridge_event(sb, write_function):
    name, arn = recorder(sb, write_function, "orders")
    pattern_rule(
        name,
        arn,
        {"source": ["com.example.orders"], "detail": {"total": [{"numeric": [">", 100]}]}},
    )
    response = put({"id": 1, "total": 250})
    put({"id": 2, "total": 5})  # does not match
    put({"id": 3, "total": 500}, source="com.example.other")  # does not match
    received = seen(sb, name)
    assert [e["detail"]["id"] for e in received] == [1]
    event = received[0]
    assert event["id"] == response["Entries"][0]["EventId"]
    assert event["version"] == "0" and event["detail-type"] == "Order Placed"
    assert event["account"] == "123456789012" and event["region"] == "us-east-1"
    assert event["time"].endswith("Z") and event["resources"] == []
    event_time = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    assert abs((event_time - sb.clock.now()).total_seconds()) < 60  # the sandbox clock's now


def test_put_events_input_and_input_path(sb, write_function):
    name, arn = recorder(sb, write_function, "inputs")
    pattern_rule(name, arn, {"source": ["shop"]}, Input='{"fixed": true}')
    name2, arn2 = recorder(sb, write_function, "inputpath")
    pattern_rule(name2, arn2, {"source": ["shop"]}, InputPath="$.detail")
    put({"sku": "A-1"}, source="shop")
    assert seen(sb, name) == [{"fixed": True}]
    assert seen(sb, name2) == [{"sku": "A-1"}]


def test_put_events_without_permission_is_dropped(sb, write_function):
    name, arn = recorder(sb, write_function, "dropped")
    rule_arn = pattern_rule(name, arn, {"source": ["audit"]}, permit=False)
    with pytest.warns(permissions.InvokePermissionWarning):
        response = put({"x": 1}, source="audit")
    assert response["FailedEntryCount"] == 0  # put_events itself succeeds, as in AWS
    assert seen(sb, name) == []
    assert sb.triggers.eventbridge.failed_invocations[rule_arn] == 1


def test_other_targets_still_go_to_moto(sb, write_function):
    name, arn = recorder(sb, write_function, "mixed")
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    rule_arn = pattern_rule(name, arn, {"source": ["mixed"]})
    boto3.client("events").put_targets(
        Rule=rule_arn.rsplit("/", 1)[1], Targets=[{"Id": "q", "Arn": queue_arn}]
    )
    put({"n": 1}, source="mixed")
    assert len(seen(sb, name)) == 1
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0)["Messages"]
    assert json.loads(messages[0]["Body"])["detail"] == {"n": 1}


def test_moto_internals_are_where_we_expect():
    """sandbox/triggers/eventbridge.py wraps these moto 5.2.5 methods; this names what moved."""
    import importlib
    import inspect

    for module, cls, method in eventbridge.MOTO_INTERNALS.values():
        owner = getattr(importlib.import_module(module), cls, None)
        assert owner is not None, f"{module}.{cls} is gone"
        assert hasattr(owner, method), f"{module}.{cls}.{method} is gone"
    from moto.events.models import Rule

    source = inspect.getsource(eventbridge._originals.get("send_to_targets", Rule.send_to_targets))
    assert "NotImplementedError" in source, (
        "moto.events.models.Rule.send_to_targets no longer raises NotImplementedError for"
        " Lambda targets: check whether lambdalab.sandbox.triggers.eventbridge still needs to "
        "replace it"
    )
    from moto.scheduler.models import EventBridgeSchedulerBackend

    assert "schedule_groups" in inspect.getsource(EventBridgeSchedulerBackend.__init__)


# -- S3 checks the same kind of permission when notifications are configured -----------------


def test_s3_notification_needs_permission_first(sb, write_function):
    name, arn = recorder(sb, write_function, "s3perm")
    s3, bucket = boto3.client("s3"), unique("uploads")
    s3.create_bucket(Bucket=bucket)
    config = {
        "LambdaFunctionConfigurations": [
            {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
        ]
    }
    with pytest.warns(permissions.InvokePermissionWarning, match="s3.amazonaws.com"):
        with pytest.raises(ClientError) as caught:
            s3.put_bucket_notification_configuration(
                Bucket=bucket, NotificationConfiguration=config
            )
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidArgument"
    assert error["Message"] == "Unable to validate the following destination configurations"
    boto3.client("lambda").add_permission(
        FunctionName=name,
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{bucket}",
        SourceAccount="123456789012",
    )
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
    s3.put_object(Bucket=bucket, Key="cat.jpg", Body=b"meow")
    assert seen(sb, name)[0]["Records"][0]["s3"]["object"]["key"] == "cat.jpg"


def test_moto_internals_for_s3():
    from moto.s3.models import S3Backend

    assert hasattr(S3Backend, "put_bucket_notification_configuration"), (
        "moto.s3.models.S3Backend.put_bucket_notification_configuration is gone"
    )


def test_a_schedule_warning_reads_as_one_line_without_moto_s_source():
    """A learner saw moto's file path and source line before the sandbox's advice."""
    import warnings

    text = warnings.formatwarning(
        "put_rule: 'cron(0 2 * * * *)' is rejected by AWS",
        ScheduleExpressionWarning,
        "/venv/site-packages/moto/events/responses.py",
        47,
    )
    assert text == "ScheduleExpressionWarning: put_rule: 'cron(0 2 * * * *)' is rejected by AWS\n"
    other = warnings.formatwarning("careful", UserWarning, "/x/y.py", 3)
    assert "/x/y.py:3" in other
