"""Reading a worker's stack dump and deciding it is stuck (lambdalab.sandbox.runtime.stuck)."""

from __future__ import annotations

import sysconfig

from lambdalab.sandbox.failures import FailureLog, hang_detail
from lambdalab.sandbox.runtime import stuck

ROOT = "/work/code/abc123"
STDLIB = sysconfig.get_path("stdlib")


def dump(*frames: tuple[str, int, str]) -> str:
    """A faulthandler dump: a runtime thread, then the handler's thread (innermost first)."""
    lines = [
        "Thread 0x00007f01 (most recent call first):",
        f'  File "{STDLIB}/threading.py", line 331 in wait',
        "",
        "Current thread 0x00007f02 (most recent call first):",
    ]
    lines += [f'  File "{file}", line {line} in {function}' for file, line, function in frames]
    lines.append('  File "/work/runtime/awslambdaric/bootstrap.py", line 185 in handle_event')
    return "\n".join(lines) + "\n"


def sample(*frames):
    return stuck.parse(dump(*frames), ROOT)


def test_the_handlers_thread_is_found_and_its_own_frames_named():
    found = sample((f"{ROOT}/keys.py", 3, "unquote_all"), (f"{ROOT}/app.py", 9, "handler"))
    assert found.function == "keys.py:unquote_all"
    assert found.line == "keys.py:3"
    assert [f.function for f in found.own()] == ["unquote_all", "handler"]


def test_a_dump_without_the_functions_code_is_no_sample():
    assert stuck.parse("Current thread 0x1 (most recent call first):\n", ROOT) is None


def test_a_busy_loop_in_the_handler_is_stuck_after_three_samples():
    loop = [sample((f"{ROOT}/app.py", line, "handler")) for line in (7, 8, 7)]
    assert not stuck.stuck(loop[:2])
    assert stuck.stuck(loop)


def test_a_sleep_or_a_stdlib_call_in_the_same_function_is_stuck():
    sleeping = [sample((f"{ROOT}/app.py", 6, "handler"))] * 3
    assert stuck.stuck(sleeping)
    waiting = [sample((f"{STDLIB}/socket.py", 700, "readinto"), (f"{ROOT}/app.py", 12, "handler"))]
    assert stuck.stuck(waiting * 3)


def test_work_inside_a_library_is_progress_not_a_hang():
    library = "/work/runtime/botocore/endpoint.py"
    busy = [
        sample((library, line, "_send"), (f"{ROOT}/app.py", 10 + n, "handler"))
        for n, line in enumerate((100, 140, 180))
    ]
    assert not stuck.stuck(busy)


def test_moving_between_functions_is_progress():
    moving = [
        sample((f"{ROOT}/app.py", 5, "parse")),
        sample((f"{ROOT}/app.py", 9, "store")),
        sample((f"{ROOT}/app.py", 5, "parse")),
    ]
    assert not stuck.stuck(moving)


def test_a_version_found_stuck_is_ended_after_two_samples_at_the_same_lines():
    config = object()
    loop = [sample((f"{ROOT}/app.py", line, "handler")) for line in (7, 8, 7)]
    stuck.remember(config, loop)
    try:
        known = stuck.known(config)
        assert known == {"app.py:7", "app.py:8"}
        assert stuck.stuck(loop[:2], known)
        elsewhere = [sample((f"{ROOT}/app.py", 20, "handler"))] * 2
        assert not stuck.stuck(elsewhere, known)
    finally:
        stuck.forget()
    assert stuck.known(config) == frozenset()


def test_what_aws_would_do_depends_on_the_trigger():
    where, guess = "app.py line 7: `while True:`", "a loop that never ends?"
    sync = hang_detail("Invoke", where, guess, 60, 2.6)
    assert "caller would then get" in sync and "Task timed out after 60.00 seconds" in sync
    async_ = hang_detail("S3 bucket up", where, guess, 60, 2.6, retries=2)
    assert "3 attempts over about 6 minutes, 180 s billed" in async_
    once = hang_detail("S3 bucket up", where, guess, 900, 2.6, retries=1)
    assert "retried once" in once and "2 attempts over about 31 minutes" in once
    polled = hang_detail("SQS queue orders", where, guess, 30, 2.6)
    assert "retry the batch until it succeeds or expires" in polled


def test_a_hang_is_raised_by_wait_only_when_nobody_waits_for_the_answer():
    log = FailureLog()
    payload = b'{"errorMessage": "Task timed out after 60.00 seconds"}'
    where = "app.py line 7: `while True:`"
    log.record_timeout("f", "Invoke", payload, where, "a loop?", 60, 2.6, None)
    assert not log.take_unreported()
    log.record_timeout("f", "S3 bucket up", payload, where, "a loop?", 60, 2.6, 2)
    reported = log.take_unreported()
    assert [f.kind for f in reported] == ["hang"] and reported[0].handler_line == where
    log.record_timeout("g", "S3 bucket up", payload, where, "a loop?", 3, None, 2)
    assert not log.take_unreported()
    assert log.list("g")[0].kind == "timeout"
    assert "When it timed out it was at app.py line 7" in log.list("g")[0].detail
