"""The sandbox clock: time that lessons move forward, and timers fired in order."""

from __future__ import annotations

import doctest
import threading
from datetime import UTC, datetime, timedelta

import pytest

import lambdalab.sandbox.clock
from lambdalab.sandbox.clock import SandboxClock
from lambdalab.sandbox.schedules import parse_schedule

T0 = datetime(2030, 1, 1, 0, 0, tzinfo=UTC)


class FakeRealTime:
    """A real-time source that tests move by hand."""

    def __init__(self, start: datetime = T0):
        self.current = start

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture
def real():
    return FakeRealTime()


@pytest.fixture
def clock(real):
    return SandboxClock(real_time=real)


def at(hours: float = 0, minutes: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, minutes=minutes)


def test_docstring_examples_run():
    assert doctest.testmod(lambdalab.sandbox.clock).failed == 0


def test_now_is_aware_utc_and_follows_real_time(clock, real):
    assert clock.now() == T0
    assert clock.now().tzinfo is not None
    real.current = T0 + timedelta(seconds=5)
    assert clock.now() == T0 + timedelta(seconds=5)


def test_default_clock_reads_the_real_clock():
    before = datetime.now(UTC)
    now = SandboxClock().now()
    assert before <= now <= datetime.now(UTC)


def test_advance_moves_now_and_real_time_keeps_flowing(clock, real):
    clock.advance(days=1, hours=2, minutes=3, seconds=4)
    assert clock.now() == T0 + timedelta(days=1, hours=2, minutes=3, seconds=4)
    real.current += timedelta(minutes=1)
    assert clock.now() == T0 + timedelta(days=1, hours=2, minutes=4, seconds=4)
    assert clock.offset == timedelta(days=1, hours=2, minutes=3, seconds=4)


def test_advance_accepts_a_timedelta(clock):
    clock.advance(timedelta(hours=5))
    assert clock.now() == at(hours=5)


def test_negative_advance_is_refused(clock):
    with pytest.raises(ValueError, match="the sandbox clock only moves forward"):
        clock.advance(minutes=-1)
    assert clock.now() == T0


def test_advance_fires_due_timers_in_time_order_with_now_at_scheduled_time(clock):
    seen = []
    # registered out of order on purpose
    for hour in (3, 1, 2):
        clock.call_at(at(hours=hour), lambda h=hour: seen.append((h, clock.now())))
    clock.call_at(at(hours=30), lambda: seen.append("too late"))
    fired = clock.advance(hours=5)
    assert fired == 3
    assert seen == [(1, at(hours=1)), (2, at(hours=2)), (3, at(hours=3))]
    assert clock.now() == at(hours=5)


def test_timers_at_the_same_time_fire_in_registration_order(clock):
    seen = []
    for name in "abc":
        clock.call_at(at(hours=1), seen.append, name)
    clock.advance(hours=1)  # a timer exactly at the end of the window fires
    assert seen == ["a", "b", "c"]


def test_cancelled_timer_never_fires(clock):
    seen = []
    timer = clock.call_at(at(hours=1), seen.append, "x")
    timer.cancel()
    assert clock.advance(hours=2) == 0
    assert seen == [] and timer.cancelled and not timer.fired
    assert clock.pending_timers() == []


def test_timer_fires_once(clock):
    seen = []
    timer = clock.call_at(at(minutes=1), seen.append, "x")
    clock.advance(minutes=2)
    clock.advance(minutes=2)
    assert seen == ["x"] and timer.fired


def test_callbacks_registered_during_advance_fire_when_inside_the_window(clock):
    seen = []

    def first():
        seen.append(("first", clock.now()))
        clock.call_at(clock.now() + timedelta(minutes=30), second)
        clock.call_at(clock.now() + timedelta(hours=10), seen.append, "outside the window")

    def second():
        seen.append(("second", clock.now()))

    clock.call_at(at(hours=1), first)
    clock.call_at(at(hours=2), lambda: seen.append(("third", clock.now())))
    assert clock.advance(hours=3) == 3
    assert seen == [
        ("first", at(hours=1)),
        ("second", at(hours=1, minutes=30)),
        ("third", at(hours=2)),
    ]
    assert [t.when for t in clock.pending_timers()] == [at(hours=11)]


def test_callback_errors_are_captured_not_raised(clock, caplog):
    seen = []

    def broken():
        raise RuntimeError("handler bug")

    clock.call_at(at(hours=1), broken)
    clock.call_at(at(hours=2), seen.append, "still runs")
    assert clock.advance(hours=3) == 2
    assert seen == ["still runs"]
    assert len(clock.errors) == 1
    assert isinstance(clock.errors[0], RuntimeError)
    assert "handler bug" in caplog.text
    assert clock.now() == at(hours=3)  # not pinned to the failed timer


def test_fire_due_fires_what_real_time_has_reached(clock, real):
    seen = []
    clock.call_at(at(minutes=1), seen.append, "one")
    clock.call_at(at(minutes=2), seen.append, "two")
    assert clock.fire_due() == 0
    real.current = at(minutes=1, hours=0) + timedelta(seconds=30)
    assert clock.fire_due() == 1
    assert seen == ["one"]
    real.current = at(minutes=5)
    clock.fire_due()
    assert seen == ["one", "two"]


def test_naive_datetimes_are_refused(clock):
    with pytest.raises(ValueError, match="aware datetime"):
        clock.call_at(datetime(2030, 1, 1), print)


def test_schedule_re_arms_after_each_fire(clock):
    stamps = []
    daily_2am = parse_schedule("cron(0 2 * * ? *)")
    job = clock.schedule(daily_2am.times_after(clock.now()), lambda: stamps.append(clock.now()))
    assert clock.advance(days=7) == 7
    assert stamps == [T0 + timedelta(days=d, hours=2) for d in range(7)]
    assert job.fire_count == 7
    assert job.next_time == T0 + timedelta(days=7, hours=2)


def test_schedule_with_rate_and_cancel(clock):
    stamps = []
    every_5 = parse_schedule("rate(5 minutes)")
    job = clock.schedule(every_5.times_after(clock.now()), lambda: stamps.append(clock.now()))
    clock.advance(minutes=12)
    assert stamps == [at(minutes=5), at(minutes=10)]
    job.cancel()
    clock.advance(hours=1)
    assert len(stamps) == 2
    assert job.next_time is None


def test_schedule_can_be_cancelled_from_its_own_callback(clock):
    stamps = []

    def once_then_stop():
        stamps.append(clock.now())
        job.cancel()

    times = (T0 + timedelta(minutes=n) for n in range(1, 100))
    job = clock.schedule(times, once_then_stop)
    clock.advance(hours=2)
    assert stamps == [at(minutes=1)]


def test_schedule_keeps_firing_after_a_failing_callback(clock):
    def broken():
        raise ValueError("boom")

    job = clock.schedule([at(hours=1), at(hours=2)], broken)
    clock.advance(hours=3)
    assert job.fire_count == 2
    assert len(clock.errors) == 2


def test_schedule_skips_times_that_do_not_move_forward(clock):
    stamps = []
    clock.schedule([at(hours=1), at(hours=1), at(minutes=30), at(hours=2)], stamps.append, "x")
    assert clock.advance(hours=3) == 2


def test_schedule_ends_when_its_times_run_out(clock):
    job = clock.schedule([at(hours=1)], lambda: None)
    clock.advance(hours=5)
    assert job.fire_count == 1 and job.next_time is None


def test_now_from_another_thread_during_a_callback(clock):
    """Callbacks run outside the clock's lock: other threads can read the time."""
    seen = []

    def callback():
        reader = threading.Thread(target=lambda: seen.append(clock.now()))
        reader.start()
        reader.join(timeout=5)

    clock.call_at(at(hours=1), callback)
    clock.advance(hours=2)
    assert seen == [at(hours=1)]
