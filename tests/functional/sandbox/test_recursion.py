"""Recursive loop detection: a chain started by one event stops after 16 invocations."""

from __future__ import annotations

import pytest

from lambdalab.sandbox.failures import SandboxStuck
from lambdalab.sandbox.triggers.recursion import MAX_CHAIN_INVOCATIONS

COPY_INTO_OWN_BUCKET = """
import boto3
from urllib.parse import unquote_plus

s3 = boto3.client("s3")

def handler(event, context):
    record = event["Records"][0]["s3"]
    key = unquote_plus(record["object"]["key"])
    s3.put_object(Bucket=record["bucket"]["name"], Key=key + "x", Body=b"again")
"""


def recursive_bucket(sb, write_function, name: str) -> str:
    fn = sb.deploy(name, write_function(app=COPY_INTO_OWN_BUCKET))
    s3 = sb.client("s3")
    s3.create_bucket(Bucket=name)
    sb.client("lambda").add_permission(
        FunctionName=name,
        StatementId="s3-invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{name}",
    )
    s3.put_bucket_notification_configuration(
        Bucket=name,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": fn["FunctionArn"], "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    return fn["FunctionArn"]


def test_recursive_s3_loop_is_stopped_at_16(sb, write_function):
    recursive_bucket(sb, write_function, "loop-stopped")
    sb.client("s3").put_object(Bucket="loop-stopped", Key="start", Body=b"go")
    with pytest.raises(SandboxStuck) as stuck:  # stopped as AWS would, and said
        sb.wait()
    message = str(stuck.value)
    assert "loop-stopped writes into loop-stopped, the bucket that triggers it" in message
    assert "AWS's recursive loop detection stops this loop too" in message
    assert [f.kind for f in stuck.value.failures] == ["loop"]
    sb.wait()  # said once
    logs = sb.logs("loop-stopped")
    assert len(logs.reports) == MAX_CHAIN_INVOCATIONS == 16
    assert any("recursive loop detected" in line for line in logs.lines)
    keys = sb.client("s3").list_objects_v2(Bucket="loop-stopped")["KeyCount"]
    assert keys == 17  # the first upload and one per invocation


def test_recursion_config_allow_lets_the_loop_run(sb, write_function):
    recursive_bucket(sb, write_function, "loop-allowed")
    lam = sb.client("lambda")
    assert lam.get_function_recursion_config(FunctionName="loop-allowed")["RecursiveLoop"] == (
        "Terminate"
    )
    lam.put_function_recursion_config(FunctionName="loop-allowed", RecursiveLoop="Allow")
    assert lam.get_function_recursion_config(FunctionName="loop-allowed")["RecursiveLoop"] == (
        "Allow"
    )
    sb.client("s3").put_object(Bucket="loop-allowed", Key="k", Body=b"go")
    # It would run for ever: let it pass 16, then switch detection back on.
    while len(sb.logs("loop-allowed").reports) <= MAX_CHAIN_INVOCATIONS + 2:
        sb._async.wait_idle(0.05)
    lam.put_function_recursion_config(FunctionName="loop-allowed", RecursiveLoop="Terminate")
    with pytest.raises(SandboxStuck):  # the sandbox stops it (AWS would not: Allow)
        sb.wait()
    sb.recover("loop-allowed")
    assert len(sb.logs("loop-allowed").reports) > MAX_CHAIN_INVOCATIONS


def test_unrelated_events_each_start_a_new_chain(sb, write_function):
    sb.deploy("loop-fresh", write_function(app="def handler(event, context):\n    return 1\n"))
    lam = sb.client("lambda")
    for _ in range(MAX_CHAIN_INVOCATIONS + 2):
        assert lam.invoke(FunctionName="loop-fresh")["StatusCode"] == 200
