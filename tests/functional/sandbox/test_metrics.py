"""Lambda's metrics land in CloudWatch (AWS/Lambda, FunctionName) for lessons to query."""

from __future__ import annotations

from datetime import timedelta

from botocore.config import Config
from botocore.exceptions import ClientError

FLAKY = """
def handler(event, context):
    if event.get("fail"):
        raise RuntimeError("asked to fail")
    return "ok"
"""


def statistic(sb, name: str, metric: str, stat: str = "Sum") -> float:
    now = sb.clock.now()
    points = sb.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName=metric,
        Dimensions=[{"Name": "FunctionName", "Value": name}],
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(minutes=1),
        Period=3600,
        Statistics=[stat],
    )["Datapoints"]
    return sum(p[stat] for p in points) if stat == "Sum" else max(p[stat] for p in points)


def test_invocations_errors_duration_throttles(sb, write_function):
    sb.deploy("metrics-fn", write_function(app=FLAKY))
    lam = sb.client("lambda", config=Config(retries={"total_max_attempts": 1}))
    lam.invoke(FunctionName="metrics-fn", Payload=b"{}")
    lam.invoke(FunctionName="metrics-fn", Payload=b'{"fail": true}')
    lam.put_function_concurrency(FunctionName="metrics-fn", ReservedConcurrentExecutions=0)
    try:
        lam.invoke(FunctionName="metrics-fn", Payload=b"{}")
    except ClientError:
        pass
    assert statistic(sb, "metrics-fn", "Invocations") == 2
    assert statistic(sb, "metrics-fn", "Errors") == 1
    assert statistic(sb, "metrics-fn", "Throttles") == 1
    assert statistic(sb, "metrics-fn", "Duration", "Maximum") > 0
    assert statistic(sb, "metrics-fn", "ConcurrentExecutions", "Maximum") == 1


def test_async_event_age_and_dead_letter_errors(sb, write_function):
    sb.deploy(
        "metrics-async",
        write_function(app=FLAKY),
        DeadLetterConfig={"TargetArn": "arn:aws:sqs:us-east-1:123456789012:no-such-queue"},
    )
    lam = sb.client("lambda")
    lam.put_function_event_invoke_config(FunctionName="metrics-async", MaximumRetryAttempts=1)
    lam.invoke(FunctionName="metrics-async", InvocationType="Event", Payload=b'{"fail": true}')
    sb.wait()
    assert statistic(sb, "metrics-async", "AsyncEventAge", "Maximum") >= 60_000  # the retry
    assert statistic(sb, "metrics-async", "DeadLetterErrors") == 1
    assert statistic(sb, "metrics-async", "AsyncEventsReceived") == 1
