"""Benchmark: how long a failing function keeps the learner waiting, against a working one.

For each case the same setup runs twice in the same sandbox, once with a handler that
fails and once with one that works (the baseline), and the script times what a learner
waits for:

* ``cron``: a daily EventBridge rule, ``sb.clock.advance(days=2)`` then ``sb.wait()``
  (2 runs; 3 attempts each when failing).
* ``stream``: one DynamoDB stream record, ``sb.wait()`` (SandboxStuck when failing).
* ``fanout``: one upload into a bucket whose function writes two objects back into it
  (the loop the sandbox stops), against a function that writes nothing.

Run: ``.venv/bin/python bench/settle.py [ROUNDS]`` (3 by default). Prints medians and the
ratio failing / working. No thresholds: the machine is shared and noisy.
"""

from __future__ import annotations

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


CASES = {
    "cron": (cron, FAILING_CRON),
    "stream": (stream, FAILING_STREAM),
    "fanout": (fanout, FAN_OUT),
}


def main(rounds: int = 3) -> None:
    sb = sandbox()
    print(f"{'case':8} {'failing (median s)':>20} {'working (median s)':>20} {'ratio':>7}")
    for name, (run, failing_source) in CASES.items():
        failing, working = [], []
        for n in range(rounds):
            failing.append(run(sb, f"f{n}", failing_source))
            working.append(run(sb, f"w{n}", WORKING))
            sb.recover()
        bad, good = statistics.median(failing), statistics.median(working)
        print(f"{name:8} {bad:20.2f} {good:20.2f} {bad / good:7.1f}x")
    sb.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
