"""Learner mistakes settle on the sandbox clock, fast, and say why (issue 14).

Each test is a mistake a learner makes: a failing scheduled function, a stream handler
that raises on every batch, a function that writes into its own trigger bucket twice per
invocation, a binary attribute in a streamed table, clearing environment variables.
"""

from __future__ import annotations

import base64
import json
import time

import pytest

from lambdalab.sandbox.failures import SandboxStuck

FAILING = """
def handler(event, context):
    print("RUN " + event.get("time", "direct"))
    raise ValueError("always broken")
"""

STREAM_KEYERROR = """
def handler(event, context):
    for record in event["Records"]:
        old = record["dynamodb"]["OldImage"]
        print(old)
"""

STREAM_FIXED = """
import json

def handler(event, context):
    for record in event["Records"]:
        print("RECORD " + json.dumps(record["dynamodb"]))
"""

FAN_OUT = """
import boto3

s3 = boto3.client("s3")

def handler(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        bucket = record["s3"]["bucket"]["name"]
        for size in ("small", "large"):
            s3.put_object(Bucket=bucket, Key=f"{size}-{key}", Body=b"x")
"""

FAN_OUT_FIXED = """
def handler(event, context):
    return "ok"
"""


def _stream_table(sb, name: str) -> str:
    ddb = sb.client("dynamodb")
    table = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return table["TableDescription"]["LatestStreamArn"]


def _runs(sb, name: str) -> list[str]:
    return [line for line in sb.logs(name).lines if line.startswith("RUN ")]


def test_failing_daily_rule_is_retried_at_its_times_when_the_clock_advances(sb, write_function):
    """Two days of a failing daily rule: 2 runs x 3 attempts, each at its own time."""
    sb.deploy("fail-daily", write_function(app=FAILING), Timeout=20)
    events = sb.client("events")
    arn = events.put_rule(Name="fail-daily-rule", ScheduleExpression="cron(0 2 * * ? *)")["RuleArn"]
    lam = sb.client("lambda")
    lam.add_permission(
        FunctionName="fail-daily",
        StatementId="events",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=arn,
    )
    fn_arn = lam.get_function(FunctionName="fail-daily")["Configuration"]["FunctionArn"]
    events.put_targets(Rule="fail-daily-rule", Targets=[{"Id": "1", "Arn": fn_arn}])
    started = time.monotonic()
    sb.clock.advance(days=2)
    sb.wait()
    elapsed = time.monotonic() - started
    events.remove_targets(Rule="fail-daily-rule", Ids=["1"])
    events.delete_rule(Name="fail-daily-rule")  # later tests share the sandbox and its clock
    runs = _runs(sb, "fail-daily")
    assert len(runs) == 6, runs
    # Each scheduled time appears three times (same event, same `time`): the retries.
    assert len(set(runs)) == 2 and all(runs.count(run) == 3 for run in runs)
    failures = sb.failures("fail-daily")
    assert failures and failures[-1].count == 6
    assert failures[-1].trigger == "EventBridge rule fail-daily-rule"
    assert failures[-1].error_type == "ValueError"
    assert "raise ValueError" in (failures[-1].handler_line or "")
    assert elapsed < 60  # was 16 s (Timeout=3) to 50 s (Timeout=20) with 2 runs
    sb.recover("fail-daily")


def test_stream_handler_failing_every_batch_makes_wait_raise_fast(sb, write_function):
    stream_arn = _stream_table(sb, "stuck-inventory")
    sb.deploy("stuck-counter", write_function(app=STREAM_KEYERROR))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="stuck-counter", StartingPosition="TRIM_HORIZON"
    )
    sb.client("dynamodb").put_item(TableName="stuck-inventory", Item={"id": {"S": "a"}})
    started = time.monotonic()
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait()
    assert time.monotonic() - started < 30
    message = str(stuck.value)
    assert "stuck-counter" in message
    assert "DynamoDB stream of table stuck-inventory" in message
    assert "KeyError" in message and "OldImage" in message
    assert 'record["dynamodb"]["OldImage"]' in message  # the handler's line
    assert "sb.recover('stuck-counter')" in message
    assert "0 asynchronous" not in message
    failure = stuck.value.failures[0]
    assert failure.error_type == "KeyError" and failure.count >= 3
    # Every later wait() says it again at once, instead of 60 s of silence.
    started = time.monotonic()
    with pytest.raises(SandboxStuck):
        sb.wait()
    assert time.monotonic() - started < 10
    # Fixing and redeploying lets the parked batch through.
    sb.deploy("stuck-counter", write_function(app=STREAM_FIXED))
    sb.wait()
    assert any(line.startswith("RECORD ") for line in sb.logs("stuck-counter").lines)
    assert sb.failures("stuck-counter") == []


def test_recover_drops_the_failing_batch_and_keeps_the_resources(sb, write_function):
    stream_arn = _stream_table(sb, "recover-inventory")
    sb.deploy("recover-counter", write_function(app=STREAM_KEYERROR))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="recover-counter", StartingPosition="TRIM_HORIZON"
    )
    sb.client("dynamodb").put_item(TableName="recover-inventory", Item={"id": {"S": "a"}})
    with pytest.raises(SandboxStuck):
        sb.wait()
    summary = sb.recover("recover-counter")
    assert "1 failing batch" in summary
    started = time.monotonic()
    sb.wait()
    assert time.monotonic() - started < 5
    assert sb.failures("recover-counter") == []
    names = sb.client("dynamodb").list_tables()["TableNames"]
    assert "recover-inventory" in names
    sb.client("lambda").get_function(FunctionName="recover-counter")  # still there


def test_fan_out_loop_is_stopped_and_named(sb, write_function):
    s3 = sb.client("s3")
    s3.create_bucket(Bucket="fanout-uploads")
    sb.deploy("fanout-resizer", write_function(app=FAN_OUT))
    lam = sb.client("lambda")
    fn_arn = lam.get_function(FunctionName="fanout-resizer")["Configuration"]["FunctionArn"]
    lam.add_permission(
        FunctionName="fanout-resizer",
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::fanout-uploads",
    )
    s3.put_bucket_notification_configuration(
        Bucket="fanout-uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": fn_arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    started = time.monotonic()
    s3.put_object(Bucket="fanout-uploads", Key="cat.jpg", Body=b"x")
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait()
    assert time.monotonic() - started < 30
    message = str(stuck.value)
    assert "fanout-resizer writes into fanout-uploads, the bucket that triggers it" in message
    assert "AWS would" in message and "sandbox stopped it" in message
    loop = [f for f in stuck.value.failures if f.kind == "loop"]
    assert loop and loop[0].function_name == "fanout-resizer"
    invocations = len([x for x in sb.logs("fanout-resizer").lines if x.startswith("START")])
    assert invocations < 200
    # Fixed: the next upload makes one invocation, and wait() returns.
    sb.deploy("fanout-resizer", write_function(app=FAN_OUT_FIXED))
    sb.recover("fanout-resizer")
    s3.put_object(Bucket="fanout-uploads", Key="dog.jpg", Body=b"x")
    sb.wait()
    assert sb.failures("fanout-resizer") == []


def test_binary_attributes_arrive_base64_encoded(sb, write_function):
    stream_arn = _stream_table(sb, "binary-table")
    sb.deploy("binary-reader", write_function(app=STREAM_FIXED))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="binary-reader", StartingPosition="TRIM_HORIZON"
    )
    sb.client("dynamodb").put_item(
        TableName="binary-table",
        Item={"id": {"S": "img"}, "data": {"B": b"\x89PNG"}, "parts": {"BS": [b"a", b"b"]}},
    )
    sb.wait(timeout=20)
    records = [
        json.loads(line.split("RECORD ", 1)[1])
        for line in sb.logs("binary-reader").lines
        if line.startswith("RECORD ")
    ]
    assert records, sb.logs("binary-reader")
    image = records[-1]["NewImage"]
    assert base64.b64decode(image["data"]["B"]) == b"\x89PNG"
    assert sorted(base64.b64decode(v) for v in image["parts"]["BS"]) == [b"a", b"b"]
    assert sb.failures("binary-reader") == []


def test_clearing_environment_variables_works_as_on_aws(sb, write_function):
    sb.deploy(
        "env-clear", write_function(app=FAN_OUT_FIXED), Environment={"Variables": {"AB": "1"}}
    )
    lam = sb.client("lambda")
    lam.update_function_configuration(FunctionName="env-clear", Environment={})
    lam.get_waiter("function_updated_v2").wait(FunctionName="env-clear")
    config = lam.get_function_configuration(FunctionName="env-clear")
    assert not config.get("Environment", {}).get("Variables")
    lam.update_function_configuration(FunctionName="env-clear", Environment={"Variables": {}})
    config = lam.get_function_configuration(FunctionName="env-clear")
    assert not config.get("Environment", {}).get("Variables")


def test_remote_sandbox_sees_failures_and_recovers(sb, remote, write_function):
    sb.deploy("remote-fails", write_function(app=FAILING))
    sb.client("lambda").invoke(FunctionName="remote-fails", Payload=b"{}")
    found = remote.failures("remote-fails")
    assert found and found[0].error_type == "ValueError" and found[0].trigger == "Invoke"
    assert "Recovered remote-fails" in remote.recover("remote-fails")
    assert remote.failures("remote-fails") == []
    # A stuck sandbox raises SandboxStuck in the grader's process too, with the failures.
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName="remote-stuck")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sb.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="remote-fails")
    sqs.send_message(QueueUrl=url, MessageBody="{}")
    with pytest.raises(SandboxStuck) as stuck:
        remote.wait()
    assert "SQS queue remote-stuck" in str(stuck.value)
    assert stuck.value.failures[0].error_type == "ValueError"
    remote.recover()
    remote.wait()


def test_sqs_message_failing_without_redrive_makes_wait_raise(sb, write_function):
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName="stuck-orders")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sb.deploy("stuck-orders-fn", write_function(app=FAILING))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="stuck-orders-fn", BatchSize=1
    )
    sqs.send_message(QueueUrl=url, MessageBody='{"time": "order-1"}')
    started = time.monotonic()
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait()
    assert time.monotonic() - started < 30
    assert "SQS queue stuck-orders" in str(stuck.value)
    assert "ValueError: always broken" in str(stuck.value)
    assert "dropped 0 asynchronous event(s) and 1 failing batch" in sb.recover("stuck-orders-fn")
    sb.wait()
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_parked_stream_batch_expires_on_the_sandbox_clock(sb, write_function):
    sqs = sb.client("sqs")
    dest_url = sqs.create_queue(QueueName="expired-batches")["QueueUrl"]
    dest_arn = sqs.get_queue_attributes(QueueUrl=dest_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    stream_arn = _stream_table(sb, "expiring-inventory")
    sb.deploy("expiring-counter", write_function(app=STREAM_KEYERROR))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn,
        FunctionName="expiring-counter",
        StartingPosition="TRIM_HORIZON",
        DestinationConfig={"OnFailure": {"Destination": dest_arn}},
    )
    sb.client("dynamodb").put_item(TableName="expiring-inventory", Item={"id": {"S": "a"}})
    with pytest.raises(SandboxStuck):
        sb.wait()
    starts = len([x for x in sb.logs("expiring-counter").lines if x.startswith("START")])
    sb.clock.advance(days=1, minutes=1)  # DynamoDB Streams keep records 24 hours
    sb.wait()
    later = len([x for x in sb.logs("expiring-counter").lines if x.startswith("START")])
    assert later == starts  # parked: the same failing code is not run again and again
    record = json.loads(sqs.receive_message(QueueUrl=dest_url)["Messages"][0]["Body"])
    assert record["DDBStreamBatchInfo"]["batchSize"] == 1
    assert record["requestContext"]["condition"] == "RecordAgeExceeded"
    sb.recover("expiring-counter")


def test_an_error_inside_a_poller_surfaces_once_and_stops_that_trigger(
    sb, write_function, monkeypatch
):
    from lambdalab.sandbox.triggers import pollers

    def broken(self, item):
        raise RuntimeError("cannot build the record")

    stream_arn = _stream_table(sb, "internal-table")
    sb.deploy("internal-reader", write_function(app=STREAM_FIXED))
    monkeypatch.setattr(pollers.StreamPoller, "record", broken)
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="internal-reader", StartingPosition="TRIM_HORIZON"
    )
    sb.client("dynamodb").put_item(TableName="internal-table", Item={"id": {"S": "a"}})
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait(timeout=20)
    failure = stuck.value.failures[0]
    assert failure.kind == "internal" and failure.count == 1
    assert "cannot build the record" in str(stuck.value)
    assert "DynamoDB stream of table internal-table" in str(stuck.value)
    started = time.monotonic()
    sb.wait()  # said once; the trigger is stopped, nothing loops
    assert time.monotonic() - started < 5
    assert [f.count for f in sb.failures("internal-reader")] == [1]
    monkeypatch.undo()
    sb.recover("internal-reader")


def test_sns_fan_out_loop_is_named_by_its_topic(sb, write_function):
    sns = sb.client("sns")
    topic = sns.create_topic(Name="echo-topic")["TopicArn"]
    sb.deploy(
        "echo",
        write_function(
            app=f"""
            import boto3

            sns = boto3.client("sns")

            def handler(event, context):
                for _ in range(2):
                    sns.publish(TopicArn="{topic}", Message="again")
            """
        ),
    )
    lam = sb.client("lambda")
    fn_arn = lam.get_function(FunctionName="echo")["Configuration"]["FunctionArn"]
    lam.add_permission(
        FunctionName="echo",
        StatementId="sns",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        SourceArn=topic,
    )
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=fn_arn)
    sns.publish(TopicArn=topic, Message="start")
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait()
    assert "echo publishes to echo-topic, the topic that triggers it" in str(stuck.value)
    sb.recover("echo")
    sns.delete_topic(TopicArn=topic)


def test_deleting_a_mapped_queue_is_not_a_sandbox_error(sb, write_function):
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName="short-lived")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sb.deploy("short-lived-fn", write_function(app=FAN_OUT_FIXED))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="short-lived-fn"
    )
    sb.wait()
    sqs.delete_queue(QueueUrl=url)
    time.sleep(1.5)  # the poller meets the missing queue
    sb.wait()
    assert sb.failures("short-lived-fn") == []


def test_async_retries_run_at_their_sandbox_times_when_the_clock_jumps(sb, write_function):
    """An asynchronous Invoke that fails, then clock.advance(): attempts 1 and 2 minutes apart."""
    sb.deploy("jumping", write_function(app=FAILING))
    sb.client("lambda").invoke(FunctionName="jumping", InvocationType="Event", Payload=b"{}")
    sb.wait()  # the first attempt fails; the retries are parked on the clock
    sb.recover("jumping")
    sb.client("lambda").invoke(FunctionName="jumping", InvocationType="Event", Payload=b"{}")
    deadline = time.monotonic() + 10
    while not sb.failures("jumping") and time.monotonic() < deadline:
        time.sleep(0.02)  # the first attempt, in real time
    sb.clock.advance(minutes=10)  # no wait(): the retries still run, each at its own time
    events = sb.logs("jumping").events
    first, second, third = [e["timestamp"] for e in events if e["message"].startswith("START")][-3:]
    assert (round((second - first) / 1000), round((third - second) / 1000)) == (60, 120)
    assert sb.failures("jumping")[-1].count == 3
    assert sb.failures("jumping")[-1].trigger == "asynchronous Invoke"


def test_an_error_firing_a_rule_surfaces_once_and_stops_that_rule(sb, write_function, monkeypatch):
    from lambdalab.sandbox.triggers import eventbridge

    def broken(*args, **kwargs):
        raise RuntimeError("cannot build the scheduled event")

    sb.deploy("rule-victim", write_function(app=FAN_OUT_FIXED))
    events = sb.client("events")
    events.put_rule(Name="broken-rule", ScheduleExpression="rate(1 hour)")
    arn = sb.client("lambda").get_function(FunctionName="rule-victim")["Configuration"][
        "FunctionArn"
    ]
    events.put_targets(Rule="broken-rule", Targets=[{"Id": "1", "Arn": arn}])
    monkeypatch.setattr(eventbridge.event_shapes, "scheduled_event", broken)
    sb.clock.advance(days=1)  # 24 fire times: the first error stops the rule
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait()
    # Only this rule's: another test's scheduled rule, on the shared clock, may fail too.
    [failure] = [f for f in stuck.value.failures if f.trigger == "EventBridge rule broken-rule"]
    assert failure.kind == "internal" and failure.count == 1
    assert "cannot build the scheduled event" in str(stuck.value)
    sb.wait()  # said once
    monkeypatch.undo()
    events.remove_targets(Rule="broken-rule", Ids=["1"])
    events.delete_rule(Name="broken-rule")
    sb.recover()


def test_a_scheduled_rule_without_targets_does_nothing(sb, monkeypatch):
    """As on AWS: a rule whose targets were removed matches, and nothing happens (the
    sandbox does not even build its event)."""
    from lambdalab.sandbox.triggers import eventbridge

    built = []
    monkeypatch.setattr(
        eventbridge.event_shapes, "scheduled_event", lambda *a, **k: built.append(a) or {}
    )
    events = sb.client("events")
    events.put_rule(Name="no-target-rule", ScheduleExpression="rate(1 hour)")
    try:
        sb.clock.advance(hours=5)
        sb.wait()
        assert not any("no-target-rule" in str(args) for args in built)
    finally:
        events.delete_rule(Name="no-target-rule")
