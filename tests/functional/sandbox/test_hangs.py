"""A deployed function that keeps running is found, named and ended (runtime/stuck.py).

Whatever its trigger, a function that never ends (a busy loop, a long sleep, a recursion,
a loop in a helper module) is reported within seconds, with the line of its own code it
was executing, its configured timeout and what AWS would have done; the sandbox ends it
as the timeout AWS would give it. The time bounds here are hang guards, not speed tests
(bench/mistakes.py and bench/engine.py measure speed).
"""

from __future__ import annotations

import json
import time

import pytest

from lambdalab.sandbox.failures import SandboxStuck

GUARD_S = 30  # hang guard: far above the few seconds a hang takes to be found

LOOPS = """
import time

from keys import unquote_all


def decode(key):
    while "%" in key:
        key = key.replace("%", "%")
    return key


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def handler(event, context):
    what = event.get("do") if isinstance(event, dict) and "do" in event else "loop"
    if what == "sleep":
        time.sleep(120)
    if what == "fib":
        return fib(60)
    if what == "helper":
        return unquote_all("100%")
    if what == "ok":
        return "ok"
    if what == "work":
        time.sleep(0.6)
        return "worked"
    return decode("100%")
"""

KEYS = """
def unquote_all(key):
    while "%" in key:
        key = key.replace("%25", "%")
    return key
"""


@pytest.fixture
def looping(sb, write_function):
    """A function that loops (in several ways) and has a long timeout, deployed fresh."""

    deployed = []

    def deploy(name: str, timeout: int = 60) -> str:
        sb.deploy(name, write_function(app=LOOPS, keys=KEYS), Timeout=timeout)
        deployed.append(name)
        return name

    yield deploy
    # The session's sandbox is shared: no trigger may call a looping function again later.
    lam = sb.client("lambda")
    for name in deployed:
        for mapping in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]:
            lam.delete_event_source_mapping(UUID=mapping["UUID"])
        sb.recover(name)
        lam.delete_function(FunctionName=name)
    sb.recover()


def invoke(sb, name, event):
    response = sb.client("lambda").invoke(FunctionName=name, Payload=json.dumps(event))
    return response.get("FunctionError"), json.loads(response["Payload"].read())


@pytest.mark.parametrize(
    ("do", "line", "guess"),
    [
        ("loop", "app.py line ", "a loop that never ends?"),
        ("sleep", "time.sleep(120)", "a sleep longer than the timeout?"),
        ("fib", "fib(n - 1)", "a recursion that does not end?"),
        ("helper", "keys.py line ", "a loop that never ends?"),
    ],
)
def test_sync_invoke_is_ended_as_its_timeout_and_says_where(sb, looping, do, line, guess):
    name = looping(f"hang-sync-{do}")
    started = time.monotonic()
    error, payload = invoke(sb, name, {"do": do})
    assert time.monotonic() - started < GUARD_S
    assert error == "Unhandled" and payload["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 60.00 seconds" in payload["errorMessage"]
    lines = sb.logs(name).lines
    report = [x for x in lines if x.startswith("REPORT ")][-1]
    assert "Duration: 60000.00 ms" in report and "Status: timeout" in report  # as on AWS
    note = [x for x in lines if x.startswith("Lambda Lab: still running")][-1]
    assert line in note and guess in note
    failure = sb.failures(name)[-1]
    assert failure.kind == "hang" and line in failure.handler_line
    assert "Its timeout is 60 s" in failure.detail
    assert "the caller would then get" in failure.detail


def test_a_function_that_works_a_while_is_not_stopped(sb, looping):
    name = looping("hang-honest")
    assert invoke(sb, name, {"do": "work"}) == (None, "worked")
    assert invoke(sb, name, {"do": "ok"}) == (None, "ok")
    assert sb.failures(name) == []


def test_a_short_timeout_still_times_out_and_names_the_line(sb, looping):
    name = looping("hang-short", timeout=1)
    error, payload = invoke(sb, name, {"do": "loop"})
    assert "Task timed out after 1.00 seconds" in payload["errorMessage"]
    failure = sb.failures(name)[-1]
    assert failure.kind == "timeout" and "app.py line" in (failure.handler_line or "")
    assert "When it timed out it was at app.py line" in failure.detail


def _stuck(sb) -> SandboxStuck:
    started = time.monotonic()
    with pytest.raises(SandboxStuck) as caught:
        sb.wait()
    assert time.monotonic() - started < GUARD_S
    return caught.value


def _says_hang(error: SandboxStuck, name: str, trigger: str, line: str = "app.py line") -> str:
    message = str(error)
    assert name in message and trigger in message, message
    assert line in message and "Its timeout is 60 s" in message
    assert any(f.kind == "hang" and f.function_name == name for f in error.failures)
    return message


def test_async_invoke_wait_says_it_with_aws_retries_in_minutes(sb, looping):
    name = looping("hang-async")
    sb.client("lambda").invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")
    message = _says_hang(_stuck(sb), name, "asynchronous Invoke")
    assert "retried twice (after 1 and 2 minutes): 3 attempts over about 6 minutes" in message
    assert "180 s billed" in message
    assert "1 asynchronous event" in sb.recover(name)  # the retry, dropped


def test_s3_notification(sb, looping):
    name = looping("hang-s3")
    s3 = sb.client("s3")
    s3.create_bucket(Bucket="hang-uploads")
    lam = sb.client("lambda")
    lam.add_permission(
        FunctionName=name,
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::hang-uploads",
    )
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    s3.put_bucket_notification_configuration(
        Bucket="hang-uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    s3.put_object(Bucket="hang-uploads", Key="a%20b.jpg", Body=b"x")
    message = _says_hang(_stuck(sb), name, "S3 bucket hang-uploads")
    assert "being asynchronous" in message


def test_sqs_queue(sb, looping):
    name = looping("hang-sqs")
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName="hang-orders")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sb.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=name)
    sqs.send_message(QueueUrl=url, MessageBody="order")
    message = _says_hang(_stuck(sb), name, "SQS queue hang-orders")
    assert "retry the batch until it succeeds or expires" in message


def test_dynamodb_stream(sb, looping):
    name = looping("hang-stream")
    ddb = sb.client("dynamodb")
    table = ddb.create_table(
        TableName="hang-inventory",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=table["TableDescription"]["LatestStreamArn"],
        FunctionName=name,
        StartingPosition="TRIM_HORIZON",
    )
    ddb.put_item(TableName="hang-inventory", Item={"id": {"S": "a"}})
    message = _says_hang(_stuck(sb), name, "DynamoDB stream of table hang-inventory")
    assert "a stream: until its records expire" in message


def test_eventbridge_schedule(sb, looping):
    name = looping("hang-nightly")
    events = sb.client("events")
    rule = events.put_rule(Name="hang-nightly", ScheduleExpression="rate(1 day)")["RuleArn"]
    lam = sb.client("lambda")
    lam.add_permission(
        FunctionName=name,
        StatementId="events",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule,
    )
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    events.put_targets(Rule="hang-nightly", Targets=[{"Id": "1", "Arn": arn}])
    try:
        started = time.monotonic()
        with pytest.raises(SandboxStuck) as caught:
            sb.clock.advance(days=1)
            sb.wait()
        assert time.monotonic() - started < GUARD_S * 2
        _says_hang(caught.value, name, "EventBridge rule hang-nightly")
    finally:
        events.remove_targets(Rule="hang-nightly", Ids=["1"])
        events.delete_rule(Name="hang-nightly")


def test_a_retry_stuck_at_the_same_line_is_ended_sooner(sb, looping):
    name = looping("hang-retry")
    invoke(sb, name, {"do": "loop"})
    first = sb.failures(name)[-1].detail
    invoke(sb, name, {"do": "loop"})
    again = sb.failures(name)[-1]
    assert again.count == 2
    seconds = [
        float(d.split("still running after ")[1].split(" s")[0]) for d in (first, again.detail)
    ]
    assert seconds[1] <= seconds[0]


def test_sns_topic(sb, looping):
    name = looping("hang-sns")
    sns = sb.client("sns")
    topic = sns.create_topic(Name="hang-orders-topic")["TopicArn"]
    lam = sb.client("lambda")
    lam.add_permission(
        FunctionName=name,
        StatementId="sns",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        SourceArn=topic,
    )
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="order")
    message = _says_hang(_stuck(sb), name, "SNS topic hang-orders-topic")
    assert "being asynchronous" in message


def test_eventbridge_scheduler(sb, looping):
    name = looping("hang-scheduled")
    arn = sb.client("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    scheduler = sb.client("scheduler")
    scheduler.create_schedule(
        Name="hang-schedule",
        ScheduleExpression="rate(1 day)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": arn, "RoleArn": "arn:aws:iam::123456789012:role/scheduler"},
    )
    try:
        started = time.monotonic()
        with pytest.raises(SandboxStuck) as caught:
            sb.clock.advance(days=1)
            sb.wait()
        assert time.monotonic() - started < GUARD_S * 2
        message = _says_hang(caught.value, name, "EventBridge schedule hang-schedule")
        assert "being asynchronous" in message
    finally:
        scheduler.delete_schedule(Name="hang-schedule")


def test_module_level_code_that_keeps_running_is_ended_and_named(sb, write_function):
    module = "import time\n\nready = False\nwhile not ready:\n    time.sleep(0.1)\n\n\n"
    handler = "def handler(event, context):\n    return 'ok'\n"
    sb.deploy("hang-init", write_function(app=module + handler), Timeout=60)
    try:
        started = time.monotonic()
        error, payload = invoke(sb, "hang-init", {})
        assert time.monotonic() - started < GUARD_S
        assert error == "Unhandled" and "init timeout" in payload["errorMessage"]
        note = [x for x in sb.logs("hang-init").lines if x.startswith("Lambda Lab:")][-1]
        assert "module-level code (INIT)" in note and "app.py line" in note
        assert sb.failures("hang-init")[-1].handler_line.startswith("app.py line")
    finally:
        sb.recover("hang-init")
