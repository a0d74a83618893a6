"""Loops through any trigger are stopped, named, and stay stopped after recover() (issue 23).

Each test builds a loop a learner can build: a stream handler writing into the table
whose stream triggers it, a queue consumer sending to its own queue, an SNS target
publishing to its topic, an EventBridge target putting events its own rule matches, two
functions feeding each other. Each must be stopped and named by ``sb.wait()``, with
whether AWS's own recursive loop detection would have stopped it; ``sb.recover(name)``
then pauses the function's triggers until it is deployed again. A handler that writes
once, even into its own trigger, is not a loop.
"""

from __future__ import annotations

import json

import pytest

from lambdalab.sandbox.failures import SandboxStuck


@pytest.fixture(autouse=True)
def _leave_no_loop(sb):
    """The session's sandbox is shared: a looping function and its mappings go with its test."""
    yield
    lam = sb.client("lambda")
    pages = lam.get_paginator("list_functions").paginate()
    names = [f["FunctionName"] for page in pages for f in page["Functions"]]
    for name in [n for n in names if n.startswith("loop-")]:
        for mapping in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]:
            lam.delete_event_source_mapping(UUID=mapping["UUID"])
        sb.recover(name)
        lam.delete_function(FunctionName=name)
    sb.recover()


def starts(sb, name: str) -> int:
    return len([line for line in sb.logs(name).lines if line.startswith("START")])


def stream_table(sb, name: str) -> str:
    ddb = sb.client("dynamodb")
    return ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]


def queue(sb, name: str) -> tuple[str, str]:
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def stuck_loop(sb) -> SandboxStuck:
    with pytest.raises(SandboxStuck) as stuck:
        sb.wait(timeout=60)
    assert any(f.kind == "loop" for f in stuck.value.failures), str(stuck.value)
    return stuck.value


COUNT_VISITS = """
import boto3

table = boto3.resource("dynamodb").Table("{table}")

def handler(event, context):
    for record in event["Records"]:
        table.update_item(Key={{"id": "visits"}}, UpdateExpression="ADD n :one",
                          ExpressionAttributeValues={{":one": 1}})
"""

COUNT_ELSEWHERE = """
import boto3

table = boto3.resource("dynamodb").Table("{table}")

def handler(event, context):
    table.update_item(Key={{"id": "visits"}}, UpdateExpression="ADD n :one",
                      ExpressionAttributeValues={{":one": len(event["Records"])}})
"""


def test_stream_handler_writing_into_its_own_table_is_stopped_named_and_paused(sb, write_function):
    arn = stream_table(sb, "loop-visits")
    sb.client("dynamodb").create_table(
        TableName="loop-visits-tally",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    sb.deploy("loop-counter", write_function(app=COUNT_VISITS.format(table="loop-visits")))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="loop-counter", StartingPosition="LATEST"
    )
    ddb = sb.client("dynamodb")
    ddb.put_item(TableName="loop-visits", Item={"id": {"S": "home"}})
    stuck = stuck_loop(sb)
    message = str(stuck)
    assert "loop-counter writes into table loop-visits, whose stream triggers it" in message
    assert "AWS would NOT stop it" in message and "DynamoDB stream of table" in message
    # recover() stops it for good: the trigger stays paused until a redeploy
    said = sb.recover("loop-counter")
    assert "paused until you deploy the function again" in said
    before = starts(sb, "loop-counter")
    ddb.put_item(TableName="loop-visits", Item={"id": {"S": "about"}})
    with pytest.raises(SandboxStuck) as paused:  # nothing ran, and wait() says why
        sb.wait(timeout=30)
    assert "loop-counter's triggers are paused" in str(paused.value)
    assert starts(sb, "loop-counter") == before
    # Deployed again, fixed (it writes once into another table): it runs, no loop.
    sb.deploy("loop-counter", write_function(app=COUNT_ELSEWHERE.format(table="loop-visits-tally")))
    sb.wait(timeout=30)
    assert starts(sb, "loop-counter") > before
    ddb.put_item(TableName="loop-visits", Item={"id": {"S": "contact"}})
    sb.wait(timeout=30)
    assert [f for f in sb.failures("loop-counter") if f.kind == "loop"] == []
    tally = ddb.get_item(TableName="loop-visits-tally", Key={"id": {"S": "visits"}})["Item"]
    assert int(tally["n"]["N"]) >= 2  # "about" (kept while paused) and "contact"


WRITE_ONCE_INTO_OWN_TABLE = """
import boto3

table = boto3.resource("dynamodb").Table("loop-own")

def handler(event, context):
    orders = [r for r in event["Records"] if r["dynamodb"]["Keys"]["id"]["S"] != "tally"]
    if orders:
        table.update_item(Key={"id": "tally"}, UpdateExpression="ADD n :k",
                          ExpressionAttributeValues={":k": len(orders)})
"""


def test_a_handler_writing_once_into_its_own_table_is_not_a_loop(sb, write_function):
    arn = stream_table(sb, "loop-own")
    sb.deploy("loop-own-tally", write_function(app=WRITE_ONCE_INTO_OWN_TABLE))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="loop-own-tally", StartingPosition="LATEST"
    )
    ddb = sb.client("dynamodb")
    for n in range(5):
        ddb.put_item(TableName="loop-own", Item={"id": {"S": f"order-{n}"}})
        sb.wait(timeout=30)
    assert sb.failures("loop-own-tally") == []
    tally = ddb.get_item(TableName="loop-own", Key={"id": {"S": "tally"}})["Item"]
    assert tally["n"]["N"] == "5"


RESEND = """
import boto3

sqs = boto3.client("sqs")

def handler(event, context):
    for record in event["Records"]:
        sqs.send_message(QueueUrl="{url}", MessageBody=record["body"])
"""


def test_queue_consumer_sending_to_its_own_queue_is_stopped_as_aws_would(sb, write_function):
    url, arn = queue(sb, "loop-jobs")
    sb.deploy("loop-resender", write_function(app=RESEND.format(url=url)))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="loop-resender"
    )
    sb.client("sqs").send_message(QueueUrl=url, MessageBody="job")
    message = str(stuck_loop(sb))
    assert "loop-resender sends to loop-jobs, the queue that triggers it" in message
    assert "AWS's recursive loop detection stops this loop too" in message
    assert starts(sb, "loop-resender") == 16
    sb.recover("loop-resender")


REPUBLISH = """
import boto3

sns = boto3.client("sns")

def handler(event, context):
    sns.publish(TopicArn="{topic}", Message="again")
"""


def test_sns_target_publishing_to_its_topic_is_stopped_as_aws_would(sb, write_function):
    sns = sb.client("sns")
    topic = sns.create_topic(Name="loop-news")["TopicArn"]
    fn = sb.deploy("loop-publisher", write_function(app=REPUBLISH.format(topic=topic)))
    sb.client("lambda").add_permission(
        FunctionName="loop-publisher",
        StatementId="sns",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        SourceArn=topic,
    )
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=fn["FunctionArn"])
    sns.publish(TopicArn=topic, Message="start")
    message = str(stuck_loop(sb))
    assert "loop-publisher publishes to loop-news, the topic that triggers it" in message
    assert "AWS's recursive loop detection stops this loop too" in message
    said = sb.recover("loop-publisher")
    assert "paused" in said
    before = starts(sb, "loop-publisher")
    sns.publish(TopicArn=topic, Message="while paused")
    with pytest.raises(SandboxStuck) as paused:
        sb.wait(timeout=30)
    assert "the SNS topic loop-news did not invoke it" in str(paused.value)
    assert starts(sb, "loop-publisher") == before
    sns.delete_topic(TopicArn=topic)


PUT_EVENT = """
import json
import boto3

events = boto3.client("events")

def handler(event, context):
    events.put_events(Entries=[{"Source": "loop.shop", "DetailType": "order placed",
                                "Detail": json.dumps({"again": True})}])
"""


def test_eventbridge_target_putting_events_its_rule_matches_is_stopped(sb, write_function):
    events = sb.client("events")
    rule = events.put_rule(Name="loop-orders", EventPattern=json.dumps({"source": ["loop.shop"]}))[
        "RuleArn"
    ]
    fn = sb.deploy("loop-putter", write_function(app=PUT_EVENT))
    sb.client("lambda").add_permission(
        FunctionName="loop-putter",
        StatementId="events",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule,
    )
    events.put_targets(Rule="loop-orders", Targets=[{"Id": "1", "Arn": fn["FunctionArn"]}])
    events.put_events(
        Entries=[{"Source": "loop.shop", "DetailType": "order placed", "Detail": "{}"}]
    )
    message = str(stuck_loop(sb))
    assert "loop-putter puts events that match rule loop-orders, which triggers it" in message
    assert "AWS would NOT stop it" in message
    sb.recover("loop-putter")
    events.remove_targets(Rule="loop-orders", Ids=["1"])


SEND_TO_B = """
import boto3

sqs = boto3.client("sqs")

def handler(event, context):
    sqs.send_message(QueueUrl="{url}", MessageBody="from a")
"""

WRITE_TO_A = """
import boto3

table = boto3.resource("dynamodb").Table("loop-chain-a")

def handler(event, context):
    for record in event["Records"]:
        table.put_item(Item={"id": record["messageId"]})
"""


def test_a_chain_through_two_functions_is_stopped_and_both_steps_named(sb, write_function):
    a_arn = stream_table(sb, "loop-chain-a")
    b_url, b_arn = queue(sb, "loop-chain-b")
    sb.deploy("loop-a", write_function(app=SEND_TO_B.format(url=b_url)))
    sb.deploy("loop-b", write_function(app=WRITE_TO_A))
    lam = sb.client("lambda")
    lam.create_event_source_mapping(
        EventSourceArn=a_arn, FunctionName="loop-a", StartingPosition="LATEST"
    )
    lam.create_event_source_mapping(EventSourceArn=b_arn, FunctionName="loop-b")
    sb.client("dynamodb").put_item(TableName="loop-chain-a", Item={"id": {"S": "start"}})
    message = str(stuck_loop(sb))
    assert "loop-a sends to queue loop-chain-b, which triggers loop-b" in message
    assert "loop-b writes into table loop-chain-a, whose stream triggers loop-a" in message
    assert "AWS would NOT stop it" in message  # the DynamoDB stream breaks AWS's count
    sb.recover()


PUT_RECORD = """
import boto3

kinesis = boto3.client("kinesis")

def handler(event, context):
    kinesis.put_record(StreamName="loop-clicks", Data=b"again", PartitionKey="k")
"""


def test_kinesis_handler_putting_records_into_its_own_stream_is_stopped(sb, write_function):
    kinesis = sb.client("kinesis")
    kinesis.create_stream(StreamName="loop-clicks", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="loop-clicks")["StreamDescription"]["StreamARN"]
    sb.deploy("loop-clicker", write_function(app=PUT_RECORD))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="loop-clicker", StartingPosition="LATEST"
    )
    kinesis.put_record(StreamName="loop-clicks", Data=b"start", PartitionKey="k")
    message = str(stuck_loop(sb))
    assert "loop-clicker puts records into stream loop-clicks, which triggers it" in message
    assert "AWS would NOT stop it" in message
    sb.recover("loop-clicker")


FAILS_ON_ITS_OWN_WRITE = """
import boto3

table = boto3.resource("dynamodb").Table("loop-own-fail")

def handler(event, context):
    for record in event["Records"]:
        stock = int(record["dynamodb"]["NewImage"]["stock"]["N"])  # the tally has none
    table.put_item(Item={"id": "tally", "n": len(event["Records"])})
"""


def test_a_failure_on_events_the_function_caused_itself_names_the_loop(sb, write_function):
    arn = stream_table(sb, "loop-own-fail")
    sb.deploy("loop-own-failer", write_function(app=FAILS_ON_ITS_OWN_WRITE))
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="loop-own-failer", StartingPosition="LATEST"
    )
    sb.client("dynamodb").put_item(
        TableName="loop-own-fail", Item={"id": {"S": "a"}, "stock": {"N": "1"}}
    )
    with pytest.raises(SandboxStuck) as stuck:  # a batch that keeps failing
        sb.wait(timeout=60)
    assert "KeyError" in str(stuck.value)
    assert (
        "on events it caused itself, a loop: loop-own-failer writes into table "
        "loop-own-fail, whose stream triggers it"
    ) in str(stuck.value)
    sb.recover("loop-own-failer")
