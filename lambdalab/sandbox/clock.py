"""The sandbox clock: the time every part of Lambda Lab reads, and the timers it fires.

In real AWS, time simply passes: an EventBridge rule with ``rate(1 day)`` fires once a
day, a Scheduler ``at(...)`` schedule fires on its date, an asynchronous retry waits a
minute or more. A lesson cannot wait a day, so the sandbox keeps its own clock:

* :meth:`SandboxClock.now` is the real time plus an *offset*. Nobody advancing it, it
  keeps flowing like a wall clock.
* :meth:`SandboxClock.advance` moves the offset forward ("let a week pass") and, without
  sleeping, fires every timer that falls due in that window, in time order. While a
  timer fires, ``now()`` reads the timer's scheduled time, so the ``time`` of a scheduled
  event is its scheduled time, exactly as in the events that EventBridge sends:
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
* :meth:`SandboxClock.fire_due` fires the timers whose time has come in real time; the
  sandbox calls it from a background thread, so a ``rate(1 minute)`` rule fires on its
  own while a learner reads.

The clock never goes backwards: ``advance`` with a negative amount is refused.

Timers are registered with :meth:`SandboxClock.call_at` (one time) and
:meth:`SandboxClock.schedule` (recurring: it takes an iterator of fire times, such as
``Schedule.times_after`` from :mod:`lambdalab.sandbox.schedules`).

Example
-------
>>> from datetime import datetime, timezone
>>> start = datetime(2030, 1, 1, tzinfo=timezone.utc)
>>> clock = SandboxClock(real_time=lambda: start)   # a frozen "real" clock, for tests
>>> seen = []
>>> timer = clock.call_at(datetime(2030, 1, 1, 2, 0, tzinfo=timezone.utc),
...                       lambda: seen.append(clock.now()))
>>> clock.advance(hours=3)
1
>>> seen[0].isoformat()
'2030-01-01T02:00:00+00:00'
>>> clock.now().isoformat()
'2030-01-01T03:00:00+00:00'
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["RecurringTimer", "SandboxClock", "Timer"]

log = logging.getLogger(__name__)


def _real_utc_now() -> datetime:
    return datetime.now(UTC)


def _require_aware(when: datetime, what: str) -> datetime:
    if not isinstance(when, datetime) or when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(
            f"{what} needs an aware datetime, such as datetime(2030, 1, 1, tzinfo=timezone.utc);"
            f" got {when!r}"
        )
    return when.astimezone(UTC)


class Timer:
    """One pending call on the sandbox clock, returned by :meth:`SandboxClock.call_at`.

    Attributes
    ----------
    when : datetime
        The scheduled time (aware, UTC).
    callback : callable
        What is called, with ``args``, when the clock reaches ``when``.
    cancelled : bool
        True once :meth:`cancel` has been called; a cancelled timer never fires.
    fired : bool
        True once the callback has been called.

    Example
    -------
    >>> from datetime import datetime, timezone
    >>> clock = SandboxClock()
    >>> timer = clock.call_at(datetime(2999, 1, 1, tzinfo=timezone.utc), print, "hello")
    >>> timer.cancel()
    >>> timer.cancelled
    True
    """

    __slots__ = ("when", "callback", "args", "cancelled", "fired")

    def __init__(self, when: datetime, callback: Callable[..., Any], args: tuple[Any, ...]):
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False
        self.fired = False

    def cancel(self) -> None:
        """Stop this timer from firing (no effect once it has fired)."""
        self.cancelled = True

    def __repr__(self) -> str:
        state = "cancelled" if self.cancelled else "fired" if self.fired else "pending"
        name = getattr(self.callback, "__qualname__", repr(self.callback))
        return f"<Timer {name} at {self.when.isoformat()} {state}>"


class RecurringTimer:
    """A recurring schedule on the sandbox clock, returned by :meth:`SandboxClock.schedule`.

    It fires at each time its iterator yields, one after another: after each fire it
    re-arms itself with the next time. ``cancel()`` stops it for good.

    Attributes
    ----------
    callback : callable
        What is called at each fire time.
    fire_count : int
        How many times it has fired so far.
    next_time : datetime or None
        The next fire time, or None when the iterator is exhausted or it was cancelled.

    Example
    -------
    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
    >>> clock = SandboxClock(real_time=lambda: t0)
    >>> hourly = (t0 + timedelta(hours=n) for n in itertools.count(1))
    >>> ticks = clock.schedule(hourly, lambda: None)
    >>> clock.advance(days=1)
    24
    >>> ticks.fire_count
    24
    """

    def __init__(
        self,
        clock: SandboxClock,
        times: Iterator[datetime],
        callback: Callable[..., Any],
        args: tuple[Any, ...],
    ):
        self._clock = clock
        self._times = times
        self.callback = callback
        self.args = args
        self.cancelled = False
        self.fire_count = 0
        self._current: Timer | None = None
        self._last: datetime | None = None

    @property
    def next_time(self) -> datetime | None:
        current = self._current
        if self.cancelled or current is None or current.cancelled:
            return None
        return current.when

    def cancel(self) -> None:
        """Stop the schedule: the pending fire and all later ones are dropped."""
        self.cancelled = True
        if self._current is not None:
            self._current.cancel()

    def _arm_next(self) -> None:
        """Register a one-time timer for the next time the iterator yields."""
        if self.cancelled:
            return
        for when in self._times:
            when = _require_aware(when, "schedule()")
            # A schedule must move forward; a time at or before the last fire would
            # make advance() loop forever, so it is skipped.
            if self._last is None or when > self._last:
                self._current = self._clock.call_at(when, self._fire)
                return
        self._current = None  # the iterator is exhausted: the schedule has ended

    def _fire(self) -> None:
        self._last = self._current.when if self._current is not None else None
        self.fire_count += 1
        try:
            self.callback(*self.args)
        finally:
            # Re-arm even when the callback failed: a schedule keeps firing in AWS too.
            self._arm_next()

    def __repr__(self) -> str:
        name = getattr(self.callback, "__qualname__", repr(self.callback))
        nxt = self.next_time.isoformat() if self.next_time else None
        return f"<RecurringTimer {name} fired={self.fire_count} next={nxt}>"


class SandboxClock:
    """The sandbox's clock: real time plus an offset that lessons can move forward.

    Parameters
    ----------
    real_time : callable, optional
        Returns the real current time as an aware datetime. Defaults to
        ``datetime.now(timezone.utc)``; tests pass a function returning a fixed time, so
        nothing depends on how fast the machine runs and nothing sleeps.

    Attributes
    ----------
    errors : list of Exception
        Exceptions raised by timer callbacks, oldest first. A failing callback never
        stops the clock or escapes from :meth:`advance`; it is logged and kept here.

    Example
    -------
    >>> from datetime import datetime, timezone
    >>> t0 = datetime(2030, 3, 1, 9, 0, tzinfo=timezone.utc)
    >>> clock = SandboxClock(real_time=lambda: t0)
    >>> clock.advance(days=2)
    0
    >>> clock.now().isoformat()
    '2030-03-03T09:00:00+00:00'
    """

    def __init__(self, real_time: Callable[[], datetime] | None = None):
        self._real_time = real_time or _real_utc_now
        self._offset = timedelta(0)
        self._pinned: datetime | None = None  # the scheduled time of the timer firing now
        self._timers: list[tuple[datetime, int, Timer]] = []  # a heap ordered by time
        self._sequence = itertools.count()  # keeps timers of equal time in call order
        self._lock = threading.RLock()  # guards the fields above; never held in a callback
        self._firing = threading.RLock()  # one advance()/fire_due() at a time
        self.errors: list[Exception] = []

    # -- reading the time ----------------------------------------------------------

    def now(self) -> datetime:
        """Return the sandbox time: an aware UTC datetime.

        While a timer fires, this is the timer's scheduled time.

        Example
        -------
        >>> SandboxClock().now().tzinfo
        datetime.timezone.utc
        """
        with self._lock:
            if self._pinned is not None:
                return self._pinned
            return self._unpinned_now()

    def _unpinned_now(self) -> datetime:
        return _require_aware(self._real_time(), "real_time()") + self._offset

    @property
    def offset(self) -> timedelta:
        """How far the sandbox clock runs ahead of real time."""
        with self._lock:
            return self._offset

    # -- registering timers ----------------------------------------------------------

    def call_at(self, when: datetime, callback: Callable[..., Any], *args: Any) -> Timer:
        """Call ``callback(*args)`` when the sandbox clock reaches ``when``.

        Parameters
        ----------
        when : datetime
            An aware datetime. A time already past fires at the next ``advance`` or
            ``fire_due``.
        callback : callable
            Called with ``args``; its exceptions are caught and kept in ``errors``.

        Returns
        -------
        Timer
            Call ``.cancel()`` on it to drop the call.

        Example
        -------
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
        >>> clock = SandboxClock(real_time=lambda: t0)
        >>> _ = clock.call_at(datetime(2030, 1, 1, 0, 5, tzinfo=timezone.utc), print, "5 min")
        >>> clock.advance(minutes=10)
        5 min
        1
        """
        timer = Timer(_require_aware(when, "call_at()"), callback, args)
        with self._lock:
            heapq.heappush(self._timers, (timer.when, next(self._sequence), timer))
        return timer

    def schedule(
        self, times: Iterable[datetime], callback: Callable[..., Any], *args: Any
    ) -> RecurringTimer:
        """Call ``callback(*args)`` at each time that ``times`` yields.

        ``times`` is read lazily, one time after each fire, so an endless generator
        (every minute, for ever) is fine. Times must increase; one that does not is
        skipped.

        Parameters
        ----------
        times : iterable of datetime
            Aware datetimes in increasing order, for example
            ``parse_schedule("rate(5 minutes)").times_after(clock.now())``.
        callback : callable
            Called with ``args`` at each time; ``clock.now()`` inside it reads the
            scheduled time.

        Returns
        -------
        RecurringTimer
            Call ``.cancel()`` on it to stop the schedule.

        Example
        -------
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
        >>> clock = SandboxClock(real_time=lambda: t0)
        >>> daily = [t0 + timedelta(days=n) for n in (1, 2, 3)]
        >>> job = clock.schedule(daily, lambda: print(clock.now().date()))
        >>> clock.advance(days=10)
        2030-01-02
        2030-01-03
        2030-01-04
        3
        """
        recurring = RecurringTimer(self, iter(times), callback, args)
        recurring._arm_next()
        return recurring

    def pending_timers(self) -> list[Timer]:
        """Return the timers not yet fired nor cancelled, earliest first."""
        with self._lock:
            return [t for _, _, t in sorted(self._timers) if not t.cancelled]

    # -- moving time -------------------------------------------------------------------

    def advance(
        self,
        days: float | timedelta = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> int:
        """Move the sandbox clock forward and fire, in time order, every timer due.

        Nothing sleeps: a week passes in milliseconds. Timers that callbacks register
        during the advance fire too when they fall inside the window.

        Parameters
        ----------
        days : float or timedelta
            Days to move forward, or a ``timedelta`` giving the whole amount.
        hours, minutes, seconds : float
            Added to ``days``.

        Returns
        -------
        int
            How many timers fired.

        Raises
        ------
        ValueError
            If the amount is negative: the sandbox clock only moves forward.

        Example
        -------
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
        >>> clock = SandboxClock(real_time=lambda: t0)
        >>> clock.advance(timedelta(hours=1, minutes=30))
        0
        >>> clock.now().isoformat()
        '2030-01-01T01:30:00+00:00'
        """
        step = days if isinstance(days, timedelta) else timedelta(days=days)
        step += timedelta(hours=hours, minutes=minutes, seconds=seconds)
        if step < timedelta(0):
            raise ValueError(
                f"the sandbox clock only moves forward (asked to advance by {step});"
                " restart the sandbox to start again from the real time"
            )
        with self._firing:
            with self._lock:
                target = self._unpinned_now() + step
            fired = self._fire_until(target)
            with self._lock:
                self._offset += step
        return fired

    def fire_due(self) -> int:
        """Fire every timer whose time is at or before ``now()``; return how many fired.

        The sandbox calls this from a background thread every second or so, so timers
        fire in real time too. Tests call it directly.

        Example
        -------
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
        >>> clock = SandboxClock(real_time=lambda: t0)
        >>> _ = clock.call_at(t0, print, "due now")
        >>> clock.fire_due()
        due now
        1
        """
        with self._firing:
            with self._lock:
                target = self._unpinned_now()
            return self._fire_until(target)

    def _fire_until(self, target: datetime) -> int:
        """Fire the due timers one by one, earliest first, until none is due by ``target``."""
        fired = 0
        try:
            while True:
                with self._lock:
                    timer = self._pop_due(target)
                    if timer is None:
                        return fired
                    self._pinned = timer.when
                    timer.fired = True
                fired += 1
                self._run(timer)  # outside the lock: the callback may use the clock
        finally:
            with self._lock:
                self._pinned = None

    def _pop_due(self, target: datetime) -> Timer | None:
        while self._timers and self._timers[0][0] <= target:
            _, _, timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                return timer
        return None

    def _run(self, timer: Timer) -> None:
        try:
            timer.callback(*timer.args)
        except Exception as error:  # a learner's bug must not stop the sandbox's clock
            error.add_note(f"(raised by a sandbox clock timer scheduled at {timer.when})")
            self.errors.append(error)
            log.exception("timer %r failed", timer)

    def __repr__(self) -> str:
        return f"<SandboxClock now={self.now().isoformat()} offset={self.offset}>"
