"""Event source mappings: SQS batches, partial failures, redrive; DynamoDB stream order."""

from __future__ import annotations

import json

SQS_HANDLER = """
import json

def handler(event, context):
    bodies = [r["body"] for r in event["Records"]]
    print("BATCH " + json.dumps(event["Records"]))
    failures = [{"itemIdentifier": r["messageId"]} for r in event["Records"]
                if r["body"] == "poison"]
    return {"batchItemFailures": failures}
"""

FAIL_BATCH_HANDLER = """
def handler(event, context):
    print("BATCH " + __import__("json").dumps(event["Records"]))
    if any(r["body"] == "poison" for r in event["Records"]):
        raise RuntimeError("the batch failed")
"""

STREAM_HANDLER = """
import json

def handler(event, context):
    print("BATCH " + json.dumps(event["Records"]))
    if any(r["dynamodb"]["Keys"]["id"]["S"] == "bad" for r in event["Records"]):
        raise RuntimeError("cannot handle bad")
"""


def batches(sb, name: str) -> list[list[dict]]:
    return [
        json.loads(line.split("BATCH ", 1)[1])
        for line in sb.logs(name).lines
        if line.startswith("BATCH ")
    ]


def queue(sb, name: str, **attributes: str) -> tuple[str, str]:
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def test_messages_sent_before_the_mapping_arrive_in_batches(sb, write_function):
    sb.deploy("poll-batches", write_function(app=SQS_HANDLER))
    url, arn = queue(sb, "poll-batches-q")
    sqs = sb.client("sqs")
    for n in range(25):
        sqs.send_message(
            QueueUrl=url,
            MessageBody=f"m{n}",
            MessageAttributes={"n": {"DataType": "Number", "StringValue": str(n)}},
        )
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="poll-batches", BatchSize=10
    )
    sb.wait()
    seen = batches(sb, "poll-batches")
    assert all(len(batch) <= 10 for batch in seen)
    assert len(seen) >= 3
    bodies = sorted(r["body"] for batch in seen for r in batch)
    assert bodies == sorted(f"m{n}" for n in range(25))  # each exactly once
    record = seen[0][0]
    assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"] == arn
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["n"]["dataType"] == "Number"
    assert set(record) >= {"messageId", "receiptHandle", "md5OfBody", "awsRegion"}
    assert "Messages" not in sqs.receive_message(QueueUrl=url)  # all deleted


def test_poison_message_is_redriven_and_the_rest_of_its_batch_delivered(sb, write_function):
    sb.deploy("poll-poison", write_function(app=SQS_HANDLER))
    dlq_url, dlq_arn = queue(sb, "poll-poison-dlq")
    url, arn = queue(
        sb,
        "poll-poison-q",
        VisibilityTimeout="30",
        RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}),
    )
    sqs = sb.client("sqs")
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(n), "MessageBody": b} for n, b in enumerate(["a", "poison", "b"])],
    )
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="poll-poison",
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    sb.wait()
    bodies = [r["body"] for batch in batches(sb, "poll-poison") for r in batch]
    assert sorted(bodies) == ["a", "b", "poison", "poison"]  # the poison twice, then DLQ
    counts = [
        r["attributes"]["ApproximateReceiveCount"]
        for batch in batches(sb, "poll-poison")
        for r in batch
        if r["body"] == "poison"
    ]
    assert counts == ["1", "2"]
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in dead] == ["poison"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_whole_batch_returns_without_report_batch_item_failures(sb, write_function):
    sb.deploy("poll-fail-all", write_function(app=FAIL_BATCH_HANDLER))
    dlq_url, dlq_arn = queue(sb, "poll-fail-all-dlq")
    url, arn = queue(
        sb,
        "poll-fail-all-q",
        RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}),
    )
    sqs = sb.client("sqs")
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "1", "MessageBody": "a"}, {"Id": "2", "MessageBody": "poison"}],
    )
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="poll-fail-all", BatchSize=10
    )
    sb.wait()
    bodies = sorted(r["body"] for batch in batches(sb, "poll-fail-all") for r in batch)
    assert bodies == ["a", "a", "poison", "poison"]  # the whole batch, twice
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in dead) == ["a", "poison"]


def test_dynamodb_stream_in_order_with_retries_and_on_failure_destination(sb, write_function):
    sb.deploy("poll-stream", write_function(app=STREAM_HANDLER))
    failures_url, failures_arn = queue(sb, "poll-stream-failures")
    ddb = sb.client("dynamodb")
    table = ddb.create_table(
        TableName="poll-stream-table",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    for key in ["a", "b", "bad", "c"]:
        ddb.put_item(TableName="poll-stream-table", Item={"id": {"S": key}})
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=table["LatestStreamArn"],
        FunctionName="poll-stream",
        StartingPosition="TRIM_HORIZON",
        BatchSize=2,
        MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": failures_arn}},
    )
    sb.wait()
    seen = [
        [r["dynamodb"]["Keys"]["id"]["S"] for r in batch] for batch in batches(sb, "poll-stream")
    ]
    assert seen == [["a", "b"], ["bad", "c"], ["bad", "c"]]  # in order; one retry; then skip
    record = batches(sb, "poll-stream")[0][0]
    assert record["eventSource"] == "aws:dynamodb" and record["eventVersion"] == "1.1"
    assert record["eventSourceARN"] == table["LatestStreamArn"]
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int)
    (message,) = sb.client("sqs").receive_message(QueueUrl=failures_url)["Messages"]
    info = json.loads(message["Body"])
    assert info["DDBStreamBatchInfo"]["batchSize"] == 2
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted"
    # a later write is delivered: the shard is no longer blocked
    ddb.put_item(TableName="poll-stream-table", Item={"id": {"S": "d"}})
    sb.wait()
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in batches(sb, "poll-stream")[-1]] == ["d"]


def test_a_message_made_visible_again_wakes_the_poller(sb, write_function, monkeypatch):
    """A retried message must not wait out the poller's long poll in real time.

    Only a send used to wake moto's long poll: each retry of a failing message then
    waited LONG_POLL_S real seconds. With the long poll made ten minutes long, the
    poison message's two receives and its move to the DLQ finish well inside wait().
    """
    from lambdalab.sandbox.triggers import pollers

    monkeypatch.setattr(pollers, "LONG_POLL_S", 600)
    sb.deploy("poll-wake", write_function(app=SQS_HANDLER))
    dlq_url, dlq_arn = queue(sb, "poll-wake-dlq")
    url, arn = queue(
        sb,
        "poll-wake-q",
        VisibilityTimeout="30",
        RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}),
    )
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="poll-wake",
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    sb.client("sqs").send_message(QueueUrl=url, MessageBody="poison")
    sb.wait(timeout=60)  # without the wake-up: TimeoutError (the retry sleeps 600 s)
    sqs = sb.client("sqs")
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in dead] == ["poison"]
