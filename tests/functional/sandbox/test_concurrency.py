"""Concurrency: reserved and account limits throttle (429); idle environments are reaped."""

from __future__ import annotations

import json
import threading

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

QUICK = """
def handler(event, context):
    return "done"
"""

SLOW = """
import time

def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return "done"
"""


def no_retry_lambda(sb):
    """boto3 retries 429s by itself (as in AWS); the tests want to see the first one."""
    return sb.client("lambda", config=Config(retries={"total_max_attempts": 1}))


def test_reserved_concurrency_zero_throttles_synchronous_calls(sb, write_function):
    sb.deploy("conc-off", write_function(app=QUICK))
    lam = no_retry_lambda(sb)
    lam.put_function_concurrency(FunctionName="conc-off", ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError) as caught:
        lam.invoke(FunctionName="conc-off", Payload=b"{}")
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert error["Error"]["Code"] == "TooManyRequestsException"
    assert error["Error"]["Message"] == "Rate Exceeded."
    assert error["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    lam.delete_function_concurrency(FunctionName="conc-off")
    assert lam.invoke(FunctionName="conc-off", Payload=b"{}")["StatusCode"] == 200


def test_account_limit_throttles_the_second_concurrent_call(sb, write_function):
    sb.deploy("conc-slow", write_function(app=SLOW))
    lam = no_retry_lambda(sb)
    lam.invoke(FunctionName="conc-slow", Payload=b"{}")  # warm it up
    sb.set_account_concurrency(1)
    try:
        first = threading.Thread(
            target=lam.invoke, kwargs={"FunctionName": "conc-slow", "Payload": b'{"sleep": 1}'}
        )
        first.start()
        while sb.engine.concurrency.concurrent_executions("conc-slow") == 0:
            threading.Event().wait(0.005)
        with pytest.raises(ClientError) as caught:
            lam.invoke(FunctionName="conc-slow", Payload=b"{}")
        first.join()
    finally:
        sb.set_account_concurrency(1000)
    assert caught.value.response["Reason"] == "ConcurrentInvocationLimitExceeded"


def test_throttled_async_events_are_retried_until_too_old(sb, write_function):
    sb.deploy("conc-async", write_function(app=QUICK))
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName="conc-async-failures")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    lam = sb.client("lambda")
    lam.put_function_concurrency(FunctionName="conc-async", ReservedConcurrentExecutions=0)
    lam.put_function_event_invoke_config(
        FunctionName="conc-async",
        MaximumEventAgeInSeconds=60,
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    assert lam.invoke(FunctionName="conc-async", InvocationType="Event")["StatusCode"] == 202
    sb.wait()
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "EventAgeExceeded"
    assert record["requestContext"]["approximateInvokeCount"] == 0  # throttles are not attempts
    assert record["responseContext"]["statusCode"] == 429
    assert "START" not in str(sb.logs("conc-async"))


def test_idle_environments_are_reused_then_reaped(sb, write_function):
    sb.deploy("conc-idle", write_function(app=QUICK))
    lam = sb.client("lambda")
    for _ in range(2):
        lam.invoke(FunctionName="conc-idle", Payload=b"{}")
    sb.clock.advance(minutes=sb.engine.idle_timeout_s / 60 + 1)
    sb.engine.reap_idle()
    assert sb.engine.environments("conc-idle") == []
    lam.invoke(FunctionName="conc-idle", Payload=b"{}")
    reports = sb.logs("conc-idle").reports
    assert ["Init Duration" in r for r in reports] == [True, False, True]
