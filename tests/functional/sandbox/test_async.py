"""Asynchronous invocation: 202 first, retries on the sandbox clock, destinations, DLQs.

Also the events S3 and SNS deliver (built by lambdalab.sandbox.events, not moto's).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from lambdalab.sandbox import moto_patch

ECHO = """
import json

def handler(event, context):
    print("EVENT " + json.dumps(event))
    return {"ok": True, "request": context.aws_request_id}
"""

FAIL = """
def handler(event, context):
    print("attempt for", context.aws_request_id)
    raise ValueError("always fails")
"""


def events_seen(sb, name: str) -> list[dict]:
    return [
        json.loads(line.split("EVENT ", 1)[1])
        for line in sb.logs(name).lines
        if line.startswith("EVENT ")
    ]


def starts(sb, name: str) -> list[str]:
    return [line.split()[2] for line in sb.logs(name).lines if line.startswith("START ")]


def make_queue(sb, name: str) -> tuple[str, str]:
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def drain(sb, url: str) -> list[dict]:
    response = sb.client("sqs").receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )
    return response.get("Messages", [])


def test_event_invoke_returns_202_and_runs_in_the_background(sb, write_function):
    sb.deploy("async-echo", write_function(app=ECHO))
    response = sb.client("lambda").invoke(
        FunctionName="async-echo", InvocationType="Event", Payload=b'{"n": 1}'
    )
    assert response["StatusCode"] == 202
    sb.wait()
    assert events_seen(sb, "async-echo") == [{"n": 1}]


def test_failing_handler_is_tried_three_times_then_goes_to_the_destination(sb, write_function):
    sb.deploy("async-always-fails", write_function(app=FAIL))
    url, arn = make_queue(sb, "async-failures")
    lam = sb.client("lambda")
    lam.put_function_event_invoke_config(
        FunctionName="async-always-fails",
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    before = sb.clock.now()
    lam.invoke(FunctionName="async-always-fails", InvocationType="Event", Payload=b'{"id": 7}')
    sb.wait()

    request_ids = starts(sb, "async-always-fails")
    assert len(request_ids) == 3 and len(set(request_ids)) == 1  # retries keep the id
    assert sb.clock.now() - before >= timedelta(minutes=3)  # 1 min, then 2 min
    (message,) = drain(sb, url)
    record = json.loads(message["Body"])
    assert record["version"] == "1.0"
    assert record["requestContext"] == {
        "requestId": request_ids[0],
        "functionArn": record["requestContext"]["functionArn"],
        "condition": "RetriesExhausted",
        "approximateInvokeCount": 3,
    }
    assert record["requestContext"]["functionArn"].endswith(":function:async-always-fails:$LATEST")
    assert record["requestPayload"] == {"id": 7}
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    assert record["responsePayload"]["errorMessage"] == "always fails"
    assert record["responsePayload"]["errorType"] == "ValueError"
    assert record["timestamp"].endswith("Z")


def test_retry_attempts_zero_and_the_dead_letter_queue(sb, write_function):
    url, arn = make_queue(sb, "async-dlq")
    sb.deploy("async-dlq-fn", write_function(app=FAIL), DeadLetterConfig={"TargetArn": arn})
    lam = sb.client("lambda")
    assert lam.get_function_configuration(FunctionName="async-dlq-fn")["DeadLetterConfig"] == {
        "TargetArn": arn
    }
    lam.put_function_event_invoke_config(FunctionName="async-dlq-fn", MaximumRetryAttempts=0)
    lam.invoke(FunctionName="async-dlq-fn", InvocationType="Event", Payload=b'{"x": 1}')
    sb.wait()
    assert len(starts(sb, "async-dlq-fn")) == 1
    (message,) = drain(sb, url)
    assert json.loads(message["Body"]) == {"x": 1}  # the event itself, unchanged
    attributes = message["MessageAttributes"]
    assert attributes["RequestID"]["StringValue"] == starts(sb, "async-dlq-fn")[0]
    assert attributes["ErrorCode"] == {"DataType": "Number", "StringValue": "200"}
    assert attributes["ErrorMessage"]["StringValue"] == "always fails"


def test_event_age_exceeded(sb, write_function):
    sb.deploy("async-old", write_function(app=FAIL))
    url, arn = make_queue(sb, "async-old-failures")
    sb.client("lambda").put_function_event_invoke_config(
        FunctionName="async-old",
        MaximumEventAgeInSeconds=100,
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    sb.client("lambda").invoke(FunctionName="async-old", InvocationType="Event", Payload=b"{}")
    sb.wait()
    # attempt at 0 s, retry at 60 s (age 60: allowed), next at 180 s: older than 100 s
    assert len(starts(sb, "async-old")) == 2
    (message,) = drain(sb, url)
    context = json.loads(message["Body"])["requestContext"]
    assert context["condition"] == "EventAgeExceeded"
    assert context["approximateInvokeCount"] == 2


def test_success_destination_is_a_function(sb, write_function):
    sb.deploy("async-target", write_function(app=ECHO))
    sb.deploy("async-ok", write_function(app=ECHO))
    target = sb.client("lambda").get_function(FunctionName="async-target")["Configuration"]
    sb.client("lambda").put_function_event_invoke_config(
        FunctionName="async-ok",
        DestinationConfig={"OnSuccess": {"Destination": target["FunctionArn"]}},
    )
    sb.client("lambda").invoke(FunctionName="async-ok", InvocationType="Event", Payload=b"{}")
    sb.wait()
    (record,) = events_seen(sb, "async-target")
    assert record["requestContext"]["condition"] == "Success"
    assert record["requestContext"]["approximateInvokeCount"] == 1
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert record["responsePayload"]["ok"] is True


def test_s3_notification_is_asynchronous_with_aws_shaped_event(sb, write_function):
    fn = sb.deploy("async-s3", write_function(app=ECHO))
    s3 = sb.client("s3")
    s3.create_bucket(Bucket="async-s3-bucket")
    sb.client("lambda").add_permission(
        FunctionName="async-s3",
        StatementId="s3-invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{'async-s3-bucket'}",
    )
    s3.put_bucket_notification_configuration(
        Bucket="async-s3-bucket",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": fn["FunctionArn"], "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    s3.put_object(Bucket="async-s3-bucket", Key="photos/red flower+1.jpg", Body=b"12345")
    sb.wait()
    (event,) = events_seen(sb, "async-s3")
    (record,) = event["Records"]
    assert record["s3"]["object"]["key"] == "photos/red+flower%2B1.jpg"
    assert record["s3"]["object"]["size"] == 5
    assert record["eventName"] == "ObjectCreated:Put"
    assert record["eventTime"].endswith("Z") and not record["eventTime"].startswith("1970")
    assert set(record) >= {"userIdentity", "requestParameters", "responseElements"}
    assert record["s3"]["bucket"]["arn"] == "arn:aws:s3:::async-s3-bucket"
    assert "sequencer" in record["s3"]["object"]


def test_sns_event_carries_the_real_topic_message_id_and_time(sb, write_function):
    fn = sb.deploy("async-sns", write_function(app=ECHO))
    sns = sb.client("sns")
    topic = sns.create_topic(Name="async-topic")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=fn["FunctionArn"])
    published = sns.publish(
        TopicArn=topic,
        Message="hello",
        Subject="greeting",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "test"}},
    )
    sb.wait()
    (event,) = events_seen(sb, "async-sns")
    record = event["Records"][0]
    assert record["EventSubscriptionArn"].startswith(topic + ":")
    assert record["Sns"]["TopicArn"] == topic
    assert record["Sns"]["MessageId"] == published["MessageId"]
    assert record["Sns"]["Subject"] == "greeting"
    assert not record["Sns"]["Timestamp"].startswith("1970")
    assert record["Sns"]["MessageAttributes"] == {"kind": {"Type": "String", "Value": "test"}}


def test_wait_returns_at_once_when_nothing_is_pending(sb):
    before = sb.clock.now()
    sb.wait()
    assert sb.clock.now() - before < timedelta(seconds=5)


@pytest.mark.parametrize(
    "internal", sorted(moto_patch.TRIGGER_INTERNALS), ids=lambda name: name.rsplit(".", 1)[-1]
)
def test_moto_internals_used_by_the_trigger_patches_exist(internal):
    """Fails loudly, naming the moto internal, if a moto upgrade moved it."""
    moto_patch.check_trigger_internals()  # raises MotoInternalsChanged naming it
    assert moto_patch._resolve(internal) is not None
