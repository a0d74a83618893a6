"""Loops named in words, and AWS's depth count kept honest (triggers/recursion.py)."""

from __future__ import annotations

import pytest

from lambdalab.sandbox.triggers.recursion import (
    FANOUT_LIMIT,
    UNTRACKED_LIMIT,
    RecursionGuard,
    RecursiveLoopDetected,
    RunawayGuard,
    aws_tracks,
    describe_loop,
)


@pytest.mark.parametrize(
    ("trigger", "said"),
    [
        ("S3 bucket up", "f writes into up, the bucket that triggers it"),
        ("SNS topic news", "f publishes to news, the topic that triggers it"),
        ("SQS queue jobs", "f sends to jobs, the queue that triggers it"),
        ("DynamoDB stream of table visits", "f writes into table visits, whose stream triggers it"),
        ("EventBridge rule orders", "f puts events that match rule orders, which triggers it"),
        ("Kinesis stream clicks", "f puts records into stream clicks, which triggers it"),
        ("Invoke", "f invokes it"),
    ],
)
def test_a_self_loop_is_named_by_its_trigger(trigger, said):
    assert describe_loop([("f", trigger), ("f", trigger)]) == said


def test_a_chain_of_three_functions_names_every_step():
    steps = [
        ("a", "S3 bucket in"),
        ("b", "SNS topic t"),
        ("c", "DynamoDB stream of table x"),
        ("a", "S3 bucket in"),
    ]
    assert describe_loop(steps) == (
        "a publishes to topic t, which triggers b; b writes into table x, whose stream "
        "triggers c; c writes into bucket in, which triggers a"
    )


def test_aws_follows_only_sqs_sns_s3_and_lambda():
    tracked = ["SQS queue q", "SNS topic t", "S3 bucket b", "Invoke", "asynchronous Invoke"]
    untracked = ["DynamoDB stream of table t", "EventBridge rule r", "Kinesis stream k"]
    assert all(aws_tracks(t) for t in tracked)
    assert not any(aws_tracks(t) for t in untracked)


def test_a_stream_hop_restarts_aws_count_but_not_the_chain():
    guard = RecursionGuard()
    with pytest.raises(RecursiveLoopDetected):
        guard.check("f", ("chain", 16))
    guard.untracked_hop(("chain", 10))  # a DynamoDB stream at depth 10: AWS counts anew
    assert guard.check("f", ("chain", 16)) == ("chain", 17)  # depth kept for the sandbox


def test_the_sandbox_stops_a_loop_it_alone_sees_sooner():
    guard = RunawayGuard()
    verdicts = [
        guard.observe("f", ("c", depth), "DynamoDB stream of table t", UNTRACKED_LIMIT)
        for depth in range(1, 40)
    ]
    assert verdicts.index("stopped") == UNTRACKED_LIMIT
    assert guard.cycle("c", "f")[-1] == ("f", "DynamoDB stream of table t")
    other = RunawayGuard()
    verdicts = [other.observe("f", ("d", depth), "SQS queue q") for depth in range(1, 40)]
    assert verdicts.index("stopped") == FANOUT_LIMIT


def test_one_write_into_another_trigger_is_not_a_loop():
    guard = RunawayGuard()
    assert guard.observe("a", ("c", 1), "SQS queue q") == "ok"
    for _ in range(50):  # b invoked many times, never deeper: a fan-in, not a loop
        assert guard.observe("b", ("c", 2), "DynamoDB stream of table t", UNTRACKED_LIMIT) == "ok"
    assert guard.cycle("c", "b") == []
