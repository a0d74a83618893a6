"""Benchmark: how long a failing function keeps the learner waiting, against a working one.

For each case the same setup runs twice in the same sandbox, once with a handler that
fails and once with one that works (the baseline), and the script times what a learner
waits for:

* ``cron``: a daily EventBridge rule, ``sb.clock.advance(days=2)`` then ``sb.wait()``
  (2 runs; 3 attempts each when failing).
* ``stream``: one DynamoDB stream record, ``sb.wait()`` (SandboxStuck when failing).
* ``fanout``: one upload into a bucket whose function writes two objects back into it
  (the loop the sandbox stops), against a function that writes nothing.
* ``ddb-loop``: one item into a table whose stream handler writes into the same table
  (a loop AWS would not stop), against a handler that writes nothing.
* ``sqs-loop``: one message into a queue whose consumer sends it back to the same queue
  (AWS's recursive loop detection stops it at 16), against a consumer that sends nothing.
* ``eb-loop``: one event matching a rule whose target puts a matching event again,
  against a target that puts nothing.
* ``chain``: two functions feeding each other (a queue, then a table's stream).

A loop counts as settled when ``sb.wait()`` raises SandboxStuck naming it.

Run: ``.venv/bin/python bench/settle.py [ROUNDS] [CASE...]`` (3 rounds, every case by
default). Prints medians and the
ratio failing / working. No thresholds: the machine is shared and noisy.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lambdalab.sandbox import sandbox
from lambdalab.sandbox.failures import SandboxStuck

FAILING_CRON = 'def handler(event, context):\n    raise ValueError("broken")\n'
WORKING = "def handler(event, context):\n    return 'ok'\n"
FAILING_STREAM = """
def handler(event, context):
    for record in event["Records"]:
        old = record["dynamodb"]["OldImage"]
"""
FAN_OUT = """
import boto3
s3 = boto3.client("s3")
def handler(event, context):
    for record in event["Records"]:
        for size in ("small-", "large-"):
            s3.put_object(Bucket=record["s3"]["bucket"]["name"],
                          Key=size + record["s3"]["object"]["key"], Body=b"x")
"""


def deploy(sb, name: str, source: str) -> str:
    folder = Path(tempfile.mkdtemp()) / "fn"
    folder.mkdir()
    (folder / "app.py").write_text(source)
    sb.deploy(name, folder)
    return sb.client("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]


def timed_wait(sb) -> float:
    start = time.perf_counter()
    try:
        sb.wait()
    except SandboxStuck:
        pass
    return time.perf_counter() - start


def cron(sb, tag: str, source: str) -> float:
    arn = deploy(sb, f"cron-{tag}", source)
    events = sb.client("events")
    rule = events.put_rule(Name=f"cron-{tag}", ScheduleExpression="cron(0 2 * * ? *)")
    sb.client("lambda").add_permission(
        FunctionName=f"cron-{tag}",
        StatementId="events",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule["RuleArn"],
    )
    events.put_targets(Rule=f"cron-{tag}", Targets=[{"Id": "1", "Arn": arn}])
    start = time.perf_counter()
    sb.clock.advance(days=2)
    elapsed = time.perf_counter() - start + timed_wait(sb)
    events.remove_targets(Rule=f"cron-{tag}", Ids=["1"])
    return elapsed


def stream(sb, tag: str, source: str) -> float:
    deploy(sb, f"stream-{tag}", source)
    ddb = sb.client("dynamodb")
    arn = ddb.create_table(
        TableName=f"stream-{tag}",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=f"stream-{tag}", StartingPosition="TRIM_HORIZON"
    )
    start = time.perf_counter()
    ddb.put_item(TableName=f"stream-{tag}", Item={"id": {"S": "a"}})
    return time.perf_counter() - start + timed_wait(sb)


def fanout(sb, tag: str, source: str) -> float:
    arn = deploy(sb, f"fanout-{tag}", source)
    s3 = sb.client("s3")
    s3.create_bucket(Bucket=f"fanout-{tag}")
    sb.client("lambda").add_permission(
        FunctionName=f"fanout-{tag}",
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::fanout-{tag}",
    )
    s3.put_bucket_notification_configuration(
        Bucket=f"fanout-{tag}",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    start = time.perf_counter()
    s3.put_object(Bucket=f"fanout-{tag}", Key="cat.jpg", Body=b"x")
    return time.perf_counter() - start + timed_wait(sb)


DDB_LOOP = """
import boto3
def handler(event, context):
    table = event["Records"][0]["eventSourceARN"].split("/")[1]
    boto3.resource("dynamodb").Table(table).update_item(
        Key={"id": "visits"}, UpdateExpression="ADD n :one",
        ExpressionAttributeValues={":one": 1})
"""
SQS_LOOP = """
import boto3
def handler(event, context):
    for record in event["Records"]:
        sqs = boto3.client("sqs")
        name = record["eventSourceARN"].rsplit(":", 1)[1]
        sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"],
                         MessageBody=record["body"])
"""
EB_LOOP = """
import boto3
def handler(event, context):
    boto3.client("events").put_events(Entries=[
        {"Source": event["source"], "DetailType": "again", "Detail": "{}"}])
"""
CHAIN_A = """
import boto3
def handler(event, context):
    table = event["Records"][0]["eventSourceARN"].split("/")[1]
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=table.replace("chain-a", "chain-b"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=table)
"""
CHAIN_B = """
import boto3
def handler(event, context):
    for record in event["Records"]:
        boto3.resource("dynamodb").Table(record["body"]).put_item(
            Item={"id": record["messageId"]})
"""


def _table(sb, name: str) -> str:
    return sb.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]


def _queue(sb, name: str) -> tuple[str, str]:
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return url, attributes["Attributes"]["QueueArn"]


def ddb_loop(sb, tag: str, source: str) -> float:
    deploy(sb, f"ddb-loop-{tag}", source)
    arn = _table(sb, f"ddb-loop-{tag}")
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=f"ddb-loop-{tag}", StartingPosition="LATEST"
    )
    start = time.perf_counter()
    sb.client("dynamodb").put_item(TableName=f"ddb-loop-{tag}", Item={"id": {"S": "a"}})
    return time.perf_counter() - start + timed_wait(sb)


def sqs_loop(sb, tag: str, source: str) -> float:
    deploy(sb, f"sqs-loop-{tag}", source)
    url, arn = _queue(sb, f"sqs-loop-{tag}")
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=f"sqs-loop-{tag}"
    )
    start = time.perf_counter()
    sb.client("sqs").send_message(QueueUrl=url, MessageBody="job")
    return time.perf_counter() - start + timed_wait(sb)


def eb_loop(sb, tag: str, source: str) -> float:
    arn = deploy(sb, f"eb-loop-{tag}", source)
    events = sb.client("events")
    rule = events.put_rule(
        Name=f"eb-loop-{tag}", EventPattern=json.dumps({"source": [f"bench.{tag}"]})
    )["RuleArn"]
    sb.client("lambda").add_permission(
        FunctionName=f"eb-loop-{tag}",
        StatementId="events",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule,
    )
    events.put_targets(Rule=f"eb-loop-{tag}", Targets=[{"Id": "1", "Arn": arn}])
    start = time.perf_counter()
    events.put_events(Entries=[{"Source": f"bench.{tag}", "DetailType": "go", "Detail": "{}"}])
    elapsed = time.perf_counter() - start + timed_wait(sb)
    events.remove_targets(Rule=f"eb-loop-{tag}", Ids=["1"])
    return elapsed


def chain(sb, tag: str, source: str) -> float:
    a_source, b_source = (CHAIN_A, CHAIN_B) if source == "loop" else (WORKING, WORKING)
    deploy(sb, f"chain-a-{tag}", a_source)
    deploy(sb, f"chain-b-{tag}", b_source)
    a_arn = _table(sb, f"chain-a-{tag}")
    _, b_arn = _queue(sb, f"chain-b-{tag}")
    lam = sb.client("lambda")
    lam.create_event_source_mapping(
        EventSourceArn=a_arn, FunctionName=f"chain-a-{tag}", StartingPosition="LATEST"
    )
    lam.create_event_source_mapping(EventSourceArn=b_arn, FunctionName=f"chain-b-{tag}")
    start = time.perf_counter()
    sb.client("dynamodb").put_item(TableName=f"chain-a-{tag}", Item={"id": {"S": "a"}})
    return time.perf_counter() - start + timed_wait(sb)


CASES = {
    "cron": (cron, FAILING_CRON),
    "stream": (stream, FAILING_STREAM),
    "fanout": (fanout, FAN_OUT),
    "ddb-loop": (ddb_loop, DDB_LOOP),
    "sqs-loop": (sqs_loop, SQS_LOOP),
    "eb-loop": (eb_loop, EB_LOOP),
    "chain": (chain, "loop"),
}


def main(rounds: int = 3, only: list[str] | None = None) -> None:
    sb = sandbox()
    print(f"{'case':8} {'failing (median s)':>20} {'working (median s)':>20} {'ratio':>7}")
    if only:
        unknown = sorted(set(only) - set(CASES))
        if unknown:
            raise SystemExit(f"unknown case(s) {unknown}; known: {', '.join(CASES)}")
    chosen = {name: CASES[name] for name in only} if only else CASES
    for name, (run, failing_source) in chosen.items():
        failing, working = [], []
        for n in range(rounds):
            failing.append(run(sb, f"f{n}", failing_source))
            working.append(run(sb, f"w{n}", WORKING))
            sb.recover()
        bad, good = statistics.median(failing), statistics.median(working)
        print(f"{name:8} {bad:20.2f} {good:20.2f} {bad / good:7.1f}x")
    sb.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3, sys.argv[2:])
