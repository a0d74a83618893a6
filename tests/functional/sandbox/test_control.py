"""The grader's view of a sandbox: wait, logs, URLs and the clock over the control endpoint."""

from __future__ import annotations

import boto3


def test_remote_sandbox_reaches_wait_logs_and_the_clock(sb, remote, write_function):
    sb.deploy("remote-view", write_function(app="def handler(e, c):\n    print('seen', e)\n"))
    boto3.client("lambda").invoke(
        FunctionName="remote-view", InvocationType="Event", Payload=b'{"n": 1}'
    )
    remote.wait()
    assert "seen {'n': 1}" in remote.logs("remote-view").lines
    assert remote.logs("remote-view", last=1).lines[0].startswith("REPORT")
    before = remote.clock.now()
    remote.clock.advance(hours=2)
    assert (remote.clock.now() - before).total_seconds() >= 7200
    remote.set_account_concurrency(1000)


def test_remote_errors_are_reported_as_data(remote):
    try:
        remote.url("no-such-api")
    except RuntimeError as error:
        assert "no-such-api" in str(error) or "Error" in str(error)
    else:
        raise AssertionError("an unknown API must fail")
