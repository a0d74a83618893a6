"""lambdalab.sandbox.failures: failures in the learner's words, and the stuck-state message."""

from __future__ import annotations

import doctest
import json

import lambdalab.sandbox.failures as failures
from lambdalab.sandbox.failures import Failure, FailureLog, SandboxStuck, stuck_message
from lambdalab.sandbox.triggers import pollers, recursion


def test_doctests():
    assert doctest.testmod(failures).failed == 0
    assert doctest.testmod(recursion).failed == 0
    assert doctest.testmod(pollers).failed == 0


def test_sandbox_stuck_is_a_timeout_error_and_carries_the_failures():
    failure = Failure("counter", "DynamoDB stream of table inventory", count=4)
    error = SandboxStuck("stuck", [failure])
    assert isinstance(error, TimeoutError)
    assert error.failures == [failure]


def test_a_failure_from_an_error_response_names_the_line_and_the_way_out():
    log = FailureLog()
    payload = json.dumps(
        {
            "errorType": "KeyError",
            "errorMessage": "'OldImage'",
            "stackTrace": [
                '  File "/var/runtime/bootstrap.py", line 60, in run\n    handler(event)\n',
                '  File "/tmp/lambdalab-x/code/' + "a" * 64 + '/app.py", line 5, in handler\n'
                '    old = record["dynamodb"]["OldImage"]\n',
            ],
        }
    ).encode()
    lines = ["START", "[ERROR] KeyError: 'OldImage'\nTraceback (most recent call last):", "END"]
    log.record_error("counter", "DynamoDB stream of table inventory", payload, None, lines)
    failure = log.record_error(
        "counter", "DynamoDB stream of table inventory", payload, None, lines
    )
    assert failure.count == 2
    assert failure.handler_line == 'app.py, line 5: old = record["dynamodb"]["OldImage"]'
    assert failure.last_error_log == "[ERROR] KeyError: 'OldImage'"
    text = failure.describe()
    assert "counter failed 2 times when called by the DynamoDB stream of table inventory" in text
    assert "sb.recover('counter')" in text
    message = stuck_message([failure], "lead")
    assert message.startswith("lead") and "sb.recover('counter')" in message
    assert "0 asynchronous" not in message


def test_a_timeout_is_its_own_kind():
    log = FailureLog()
    payload = (
        b'{"errorMessage": "Task timed out after 3.00 seconds", "errorType": "Sandbox.Timedout"}'
    )
    failure = log.record_error("slow", "Invoke", payload, "Sandbox.Timedout", [])
    assert failure.kind == "timeout"
    assert "timed out (Task timed out after 3.00 seconds)" in failure.describe()


def test_clear_keeps_loops_when_asked_and_unreported_loops_are_said_once():
    log = FailureLog()
    log.add(Failure("resizer", "S3 bucket up", kind="loop", detail="a loop."))
    log.add(Failure("resizer", "S3 bucket up"))
    log.clear("resizer", keep_loops=True)
    assert [f.kind for f in log.list("resizer")] == ["loop"]
    assert [f.kind for f in log.take_unreported()] == ["loop"]
    assert log.take_unreported() == []
    log.clear()
    assert log.list() == []


def test_describe_trigger_reads_the_event_shape():
    sqs = {"Records": [{"eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:r:1:orders"}]}
    assert failures.describe_trigger(json.dumps(sqs).encode()) == "SQS queue orders"
    sns = {"Records": [{"EventSource": "aws:sns", "Sns": {"TopicArn": "arn:aws:sns:r:1:news"}}]}
    assert failures.describe_trigger(json.dumps(sns).encode()) == "SNS topic news"
    scheduled = {"detail-type": "Scheduled Event", "resources": ["arn:aws:events:r:1:rule/x"]}
    assert failures.describe_trigger(json.dumps(scheduled).encode()) == "EventBridge rule x"
    assert failures.describe_trigger(b"not json") == "asynchronous Invoke"
