"""The time limit on learner code a check calls in the kernel (lambdalab.course.time_limit).

Each case is a kind of code that never ends; the feedback must name the line of the
learner's own code where it was, and the call must come back (a hang guard: the whole
module is far below pytest's patience, but no test here measures speed).
"""

from __future__ import annotations

import signal
import sys
import textwrap
import threading
import time

import pytest

from lambdalab.course.probe import NotYet, call_answer
from lambdalab.course.time_limit import TooSlow, call_limited

LIMIT = 0.3  # short, so that the suite stays quick; the mechanism is the same at 2 s


def decode_key(key):
    while "%" in key:
        key = key.replace("%", "%")
    return key


def sleeps(_):
    time.sleep(60)


def swallows(_):
    while True:
        try:
            time.sleep(1)
        except Exception:  # noqa: BLE001 - a learner's habit the limit must survive
            pass


def swallows_everything(_):
    n = 0
    while True:
        try:
            n += 1
        except:  # noqa: E722 - even a bare except cannot keep it going
            pass


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def limited(function, *args):
    with pytest.raises(TooSlow) as caught:
        call_limited(function, *args, seconds=LIMIT)
    return caught.value


def test_busy_loop_names_its_line():
    slow = limited(decode_key, "100%")
    assert "test_time_limit.py line" in slow.where
    assert "key" in slow.where
    assert slow.guess == "a loop that never ends?"


def test_sleep_is_stopped_and_named():
    started = time.monotonic()
    slow = limited(sleeps, None)
    assert time.monotonic() - started < 30  # hang guard
    assert "time.sleep(60)" in slow.where
    assert "sleep" in slow.guess


def test_except_exception_does_not_swallow_it():
    assert "time.sleep(1)" in limited(swallows, None).where


def test_bare_except_does_not_keep_it_going():
    where = limited(swallows_everything, None).where
    assert any(line in where for line in ("n += 1", "while True:", "try:", "pass"))


def test_recursion_is_named_as_recursion():
    slow = limited(fib, 60)
    assert "fib(n - 1)" in slow.where
    assert "recursion" in slow.guess


def test_a_loop_inside_a_helper_module_names_the_helper(tmp_path, monkeypatch):
    (tmp_path / "keys.py").write_text(
        textwrap.dedent(
            """\
            def unquote_all(key):
                while "%" in key:
                    key = key.replace("%25", "%")
                return key
            """
        )
    )
    (tmp_path / "app.py").write_text(
        "from keys import unquote_all\n\ndef decode_key(key):\n    return unquote_all(key)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    for name in ("app", "keys"):
        sys.modules.pop(name, None)
    import app

    slow = limited(app.decode_key, "100%")
    assert slow.where.startswith("keys.py line 2") or slow.where.startswith("keys.py line 3")


def test_call_answer_says_it_in_a_not_yet(monkeypatch):
    monkeypatch.setattr("lambdalab.course.probe.TIME_LIMIT_S", LIMIT)
    with pytest.raises(NotYet) as caught:
        call_answer(decode_key, "100%", name="decode_key")
    message = str(caught.value)
    assert message.startswith(f"decode_key is still running after {LIMIT:g} s, at ")
    assert "a loop that never ends?" in message


def test_a_quick_answer_is_returned_and_errors_pass_through():
    assert call_limited(decode_key, "abc", seconds=LIMIT) == "abc"
    with pytest.raises(ZeroDivisionError):
        call_limited(lambda: 1 / 0, seconds=LIMIT)


def test_previous_alarm_handler_and_timer_are_restored():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        limited(decode_key, "%")
        assert signal.getsignal(signal.SIGALRM) is not None
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 5.0
        signal.setitimer(signal.ITIMER_REAL, 0)
        assert call_limited(sum, [1, 2], seconds=LIMIT) == 3
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired


def test_outside_the_main_thread_the_limit_still_holds():
    outcome = {}

    def run():
        try:
            call_limited(decode_key, "50%", seconds=LIMIT)
        except TooSlow as slow:
            outcome["slow"] = slow

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert "key" in outcome["slow"].where


def test_the_caller_of_the_call_is_never_named_as_the_learners_line():
    """In the grader a hidden test calls the answer: its own lines must never be shown."""
    import time as clock

    from lambdalab.course.time_limit import TooSlow, call_limited

    with pytest.raises(TooSlow) as caught:
        call_limited(clock.sleep, 30, seconds=0.3)
    assert "test_time_limit" not in str(caught.value)
