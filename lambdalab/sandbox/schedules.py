"""Schedule expressions, as EventBridge rules and EventBridge Scheduler read them.

A scheduled Lambda function is started by one of three kinds of expression:

``rate(value unit)``
    Every *value* minutes, hours or days: ``rate(1 minute)``, ``rate(5 minutes)``,
    ``rate(1 hour)``, ``rate(2 days)``. AWS is strict about grammar: a value of 1 takes
    the singular unit and any larger value the plural, so ``rate(1 minutes)`` and
    ``rate(5 minute)`` are rejected. A rate counts real elapsed time (a "day" is 24
    hours, even across a daylight saving change).
``cron(Minutes Hours Day-of-month Month Day-of-week Year)``
    Six fields, AWS's own cron dialect (not Unix cron): day-of-week runs 1=SUN ... 7=SAT,
    names JAN-DEC and SUN-SAT are allowed, ``L`` (last), ``W`` (nearest weekday) and
    ``#`` (nth weekday of the month) are supported, and exactly one of day-of-month and
    day-of-week must be ``?``.
``at(yyyy-mm-ddThh:mm:ss)``
    EventBridge Scheduler only: a one-time schedule.

EventBridge rules always run in UTC. EventBridge Scheduler evaluates cron and at()
expressions in the schedule's time zone (``ScheduleExpressionTimezone``, an IANA name
such as ``America/New_York``) and follows daylight saving time: a time that does not
exist when clocks spring forward is skipped, and a time that happens twice when they
fall back runs once.

AWS documentation followed here:

* https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
* https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
* https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
* https://repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst

The next fire time of a cron expression is computed by pyawscron, a small library that
implements AWS's cron dialect. This module validates expressions first (pyawscron
checks nothing) and works around the few cases pyawscron 1.0.7 gets wrong; each
work-around is marked "pyawscron 1.0.7:" below.

Example
-------
>>> from datetime import datetime, timezone
>>> nightly = parse_schedule("cron(0 2 * * ? *)")
>>> nightly.describe()
'every day at 02:00 UTC'
>>> nightly.next_after(datetime(2030, 1, 1, 12, 0, tzinfo=UTC)).isoformat()
'2030-01-02T02:00:00+00:00'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyawscron import AWSCron

__all__ = [
    "AtSchedule",
    "CronSchedule",
    "RateSchedule",
    "Schedule",
    "ScheduleExpressionError",
    "parse_schedule",
]

Service = Literal["events", "scheduler"]

# What EventBridge PutRule answers (ValidationException) for any expression it rejects.
# Confirmed in public reports of the real API, for example
# https://github.com/aws/aws-sdk-js/issues/4212 and the AWS CLI output quoted in
# https://github.com/localstack/localstack/pull/12156 .
PUT_RULE_MESSAGE = "Parameter ScheduleExpression is not valid."

# What EventBridge Scheduler CreateSchedule answers (ValidationException). The wording
# comes from https://github.com/localstack/localstack/issues/9284 and LocalStack's
# Scheduler provider, which imitate AWS; we could not check it against AWS itself.
CREATE_SCHEDULE_MESSAGE = "Invalid Schedule Expression {expression}."


class ScheduleExpressionError(ValueError):
    """A schedule expression that AWS would reject.

    ``str(error)`` is the message of AWS's ValidationException, word for word, so the
    sandbox can return it to boto3 as AWS does. ``error.reason`` says, for a learner,
    what is wrong and how to fix it; it is also attached to the traceback as a note.

    Attributes
    ----------
    expression : str
        The expression as given.
    reason : str
        What is wrong with it, in plain words.

    Example
    -------
    >>> try:
    ...     parse_schedule("rate(1 minutes)")
    ... except ScheduleExpressionError as error:
    ...     print(error)
    ...     print(error.reason)
    Parameter ScheduleExpression is not valid.
    a value of 1 takes a singular unit: write rate(1 minute)
    """

    def __init__(self, expression: str, reason: str, service: Service | None = None):
        if service == "scheduler":
            message = CREATE_SCHEDULE_MESSAGE.format(expression=expression)
        else:
            message = PUT_RULE_MESSAGE
        super().__init__(message)
        self.expression = expression
        self.reason = reason
        self.add_note(f"Why: {reason}")


# ---------------------------------------------------------------------------------------
# The schedule objects
# ---------------------------------------------------------------------------------------


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"use an aware datetime (with tzinfo), got {when!r}")
    return when.astimezone(UTC)


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule expression: ask it when it fires next.

    Made by :func:`parse_schedule`; one of :class:`RateSchedule`, :class:`CronSchedule`
    and :class:`AtSchedule`.

    Attributes
    ----------
    expression : str
        The expression as given, for example ``"rate(5 minutes)"``.
    timezone : str
        The IANA time zone the expression is evaluated in (``"UTC"`` for rules).
    start_date, end_date : datetime or None
        EventBridge Scheduler's ``StartDate`` and ``EndDate``: no fire before the start
        date, nor at or after the end date.
    """

    expression: str
    timezone: str = "UTC"
    start_date: datetime | None = None
    end_date: datetime | None = None

    kind = "schedule"

    def next_after(self, after: datetime) -> datetime | None:
        """Return the first fire time strictly after ``after`` (aware UTC), or None.

        None means the schedule never fires again (an ``at()`` in the past, a cron
        expression whose years are over, a passed ``end_date``).

        Example
        -------
        >>> from datetime import datetime, timezone
        >>> every_hour = parse_schedule("cron(0 * * * ? *)")
        >>> every_hour.next_after(datetime(2030, 1, 1, 9, 15, tzinfo=UTC)).time()
        datetime.time(10, 0)
        """
        after = _utc(after)
        if self.start_date is not None and after < self.start_date:
            # The start date itself may be a fire time: look from just before it.
            after = self.start_date - timedelta(microseconds=1)
        when = self._next(after)
        if when is not None and self.end_date is not None and when >= self.end_date:
            return None
        return when

    def times_after(self, start: datetime) -> Iterator[datetime]:
        """Yield the fire times after ``start``, in order, for as long as there are any.

        Made for :meth:`lambdalab.sandbox.clock.SandboxClock.schedule`.

        Example
        -------
        >>> from datetime import datetime, timezone
        >>> times = parse_schedule("rate(1 hour)").times_after(
        ...     datetime(2030, 1, 1, tzinfo=UTC))
        >>> next(times).isoformat()
        '2030-01-01T01:00:00+00:00'
        """
        when = self.next_after(start)
        while when is not None:
            yield when
            when = self.next_after(when)

    def next_times(self, start: datetime, count: int) -> list[datetime]:
        """Return up to ``count`` fire times after ``start`` (fewer if the schedule ends).

        Example
        -------
        >>> from datetime import datetime, timezone
        >>> five = parse_schedule("rate(5 minutes)")
        >>> [t.strftime("%H:%M") for t in five.next_times(
        ...     datetime(2030, 1, 1, 9, 0, tzinfo=UTC), 3)]
        ['09:05', '09:10', '09:15']
        """
        times = []
        for when in self.times_after(start):
            if len(times) >= count:
                break
            times.append(when)
        return times

    def describe(self) -> str:  # pragma: no cover - every subclass says it its way
        """Say in a few English words when this schedule fires."""
        return self.expression

    def _next(self, after: datetime) -> datetime | None:  # pragma: no cover
        raise NotImplementedError


_RATE_UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True)
class RateSchedule(Schedule):
    """``rate(value unit)``: fires every ``period``.

    Without a ``start_date``, the first fire is one period after the time you ask from
    (as a rule fires first about one period after it is created). With a
    ``start_date`` (EventBridge Scheduler), fires fall at ``start_date + n * period``.
    """

    value: int = 1
    unit: str = "minute"
    kind = "rate"

    @property
    def period(self) -> timedelta:
        return self.value * _RATE_UNITS[self.unit]

    def _next(self, after: datetime) -> datetime | None:
        anchor = self.start_date
        if anchor is None:
            return after + self.period
        if after < anchor:
            return anchor
        periods_done = (after - anchor) // self.period
        return anchor + (periods_done + 1) * self.period

    def describe(self) -> str:
        if self.value == 1:
            return f"every {self.unit}"
        return f"every {self.value} {self.unit}s"


@dataclass(frozen=True)
class AtSchedule(Schedule):
    """``at(yyyy-mm-ddThh:mm:ss)``: fires once, at ``at`` (aware UTC)."""

    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    kind = "at"

    def _next(self, after: datetime) -> datetime | None:
        return self.at if self.at > after else None

    def describe(self) -> str:
        local = self.at.astimezone(ZoneInfo(self.timezone))
        return f"once, at {local:%Y-%m-%d %H:%M} {self.timezone}"


@dataclass(frozen=True)
class CronSchedule(Schedule):
    """``cron(...)``: fires at the times its six fields allow, in ``timezone``.

    Attributes
    ----------
    fields : tuple of str
        The six fields as written (Minutes, Hours, Day-of-month, Month, Day-of-week, Year).
    """

    fields: tuple[str, ...] = ()
    kind = "cron"

    @property
    def _cron(self) -> _PyAwsCron:
        # Built on first use and kept (the dataclass is frozen, hence object.__setattr__).
        cron = self.__dict__.get("_cron_cache")
        if cron is None:
            cron = _PyAwsCron(self.fields)
            object.__setattr__(self, "_cron_cache", cron)
        return cron

    def _next(self, after: datetime) -> datetime | None:
        zone = ZoneInfo(self.timezone)
        # Cron fields speak of wall-clock time in the schedule's time zone. Search in
        # wall-clock time, then turn each candidate into UTC.
        wall = after.astimezone(zone).replace(tzinfo=None)
        for _ in range(1000):  # far more than any real schedule needs
            candidate = self._cron.next_wall_time(wall)
            if candidate is None:
                return None
            when = _wall_to_utc(candidate, zone)
            # Skipped: a wall time that does not exist (clocks spring forward), and the
            # second pass of a repeated hour (clocks fall back), which already ran.
            if when is not None and when > after:
                return when
            wall = candidate
        return None

    def describe(self) -> str:
        return _describe_cron(self.fields, self.timezone)


def _wall_to_utc(wall: datetime, zone: ZoneInfo) -> datetime | None:
    """Turn a naive wall-clock time in ``zone`` into UTC; None if it does not exist there.

    For a time that happens twice (the hour repeated when clocks fall back), the first
    one is taken (``fold=0``): the schedule runs once, as EventBridge Scheduler does.
    """
    aware = wall.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != wall:
        return None  # e.g. 02:30 on the day New York springs from 02:00 to 03:00
    return utc


# ---------------------------------------------------------------------------------------
# Parsing and validation
# ---------------------------------------------------------------------------------------

_RATE = re.compile(r"rate\((?P<value>[^\s()]+) (?P<unit>[a-z]+)\)")
_CRON = re.compile(r"cron\((?P<fields>[^()]*)\)")
_AT = re.compile(r"at\((?P<when>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")


def parse_schedule(
    expression: str,
    timezone: str = "UTC",
    *,
    service: Service | None = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
) -> Schedule:
    """Parse and check a schedule expression the way EventBridge does.

    Parameters
    ----------
    expression : str
        ``rate(...)``, ``cron(...)`` or (EventBridge Scheduler) ``at(...)``.
    timezone : str, default "UTC"
        EventBridge Scheduler's ``ScheduleExpressionTimezone``: an IANA name such as
        ``"Europe/Paris"``. cron and at() expressions are read in this zone.
    service : {"events", "scheduler"}, optional
        Whose rules to follow. ``"events"`` (EventBridge PutRule) refuses at() and
        time zones; ``"scheduler"`` (CreateSchedule) accepts both and words its error as
        Scheduler does. Left out, every form is accepted and errors read as PutRule's.
    start_date, end_date : datetime, optional
        EventBridge Scheduler's ``StartDate`` and ``EndDate`` (aware datetimes).

    Returns
    -------
    Schedule
        A :class:`RateSchedule`, :class:`CronSchedule` or :class:`AtSchedule`.

    Raises
    ------
    ScheduleExpressionError
        If AWS would reject the expression; ``str(error)`` is AWS's message and
        ``error.reason`` explains what to change.

    Example
    -------
    >>> parse_schedule("cron(15 10 ? * 6L 2027)").describe()
    'at 10:15 UTC on the last Friday of the month, in 2027'
    >>> try:
    ...     parse_schedule("cron(0 2 * * * *)")
    ... except ScheduleExpressionError as error:
    ...     print(error)
    Parameter ScheduleExpression is not valid.
    """

    def reject(reason: str) -> ScheduleExpressionError:
        return ScheduleExpressionError(expression, reason, service)

    if not isinstance(expression, str):
        raise reject(f"a schedule expression is a string, got {type(expression).__name__}")
    if service == "events" and timezone != "UTC":
        raise ValueError("EventBridge rules always run in UTC: PutRule takes no time zone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        # CreateSchedule rejects an unknown ScheduleExpressionTimezone too; we have not
        # confirmed AWS's wording for that error, so ours names the problem plainly.
        raise ValueError(
            f"Invalid ScheduleExpressionTimezone {timezone!r}: use an IANA time zone name"
            " such as 'UTC', 'Europe/Paris' or 'America/New_York'"
        ) from None
    bounds = {
        "start_date": None if start_date is None else _utc(start_date),
        "end_date": None if end_date is None else _utc(end_date),
    }

    if match := _RATE.fullmatch(expression):
        value, unit = _check_rate(match["value"], match["unit"], reject)
        return RateSchedule(expression, timezone, value=value, unit=unit, **bounds)
    if match := _CRON.fullmatch(expression):
        fields = tuple(match["fields"].split())
        _check_cron(fields, reject)
        return CronSchedule(expression, timezone, fields=fields, **bounds)
    if match := _AT.fullmatch(expression):
        if service == "events":
            raise reject(
                "at() is for EventBridge Scheduler; an EventBridge rule takes rate or cron"
            )
        try:
            local = datetime.fromisoformat(match["when"])
        except ValueError:
            raise reject(f"{match['when']} is not a real date and time") from None
        at = local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
        return AtSchedule(expression, timezone, at=at, **bounds)
    if expression.startswith("at("):
        raise reject(
            "write a one-time schedule as at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-31T09:00:00)"
        )
    raise reject("a schedule expression is rate(value unit) or cron(six fields)")


def _check_rate(value_text: str, unit: str, reject) -> tuple[int, str]:
    """Check ``rate(value unit)``: a positive whole number and a unit that agrees with it."""
    if not value_text.isdigit() or int(value_text) <= 0:
        raise reject(f"the value of a rate must be a positive whole number, got {value_text!r}")
    value = int(value_text)
    singular = unit.removesuffix("s")
    if singular not in _RATE_UNITS:
        raise reject(f"the unit of a rate is minute(s), hour(s) or day(s), got {unit!r}")
    if value == 1 and unit != singular:
        raise reject(f"a value of 1 takes a singular unit: write rate(1 {singular})")
    if value > 1 and unit == singular:
        raise reject(f"a value above 1 takes a plural unit: write rate({value} {singular}s)")
    return value, singular


_MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]  # AWS numbers them 1..7


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names for low, low+1, ...
    step: bool = True  # the "/" wildcard is allowed


_FIELDS = (
    _Field("Minutes", 0, 59),
    _Field("Hours", 0, 23),
    _Field("Day-of-month", 1, 31),
    _Field("Month", 1, 12, tuple(_MONTH_NAMES)),
    _Field("Day-of-week", 1, 7, tuple(_DAY_NAMES), step=False),
    _Field("Year", 1970, 2199),
)


def _number(text: str, spec: _Field) -> int | None:
    """Read one value of a field (a number or, for months and weekdays, a name)."""
    upper = text.upper()
    if upper in spec.names:
        return spec.low + spec.names.index(upper)
    if text.isdigit() and spec.low <= int(text) <= spec.high:
        return int(text)
    return None


def _expand(text: str, spec: _Field) -> list[int] | None:
    """Turn a list of values, ranges and steps into the sorted values it allows.

    Returns None if the text is not valid for the field. A range may wrap around the
    end of its field (``20-2`` in Hours is 20, 21, 22, 23, 0, 1, 2), as in AWS's own
    example ``cron(0/30 20-2 ? * MON-FRI *)``.
    """
    size = spec.high - spec.low + 1
    values: set[int] = set()
    for item in text.split(","):
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            # The step must fit in the field: AWS rejects cron(*/60 * * * ? *).
            if not spec.step or not step_text.isdigit() or not 0 < int(step_text) < size:
                return None
            step = int(step_text)
        if base == "*":
            first, last = spec.low, spec.high
        elif "-" in base:
            first_text, _, last_text = base.partition("-")
            first, last = _number(first_text, spec), _number(last_text, spec)
            if first is None or last is None:
                return None
        else:
            first = _number(base, spec)
            if first is None:
                return None
            last = spec.high if slash else first  # "5/15" runs from 5 to the end
        span = (last - first) % size if spec.name != "Year" else last - first
        if span < 0:
            return None  # a range of years cannot wrap around
        values.update(spec.low + (first - spec.low + k) % size for k in range(0, span + 1, step))
    return sorted(values)


# Forms allowed only on their own in a day field (AWS documents none of them in a list).
_LAST_DAY = re.compile(r"L|LW")  # last day / last weekday of the month
_NEAREST_WEEKDAY = re.compile(r"(?P<day>\d{1,2})W")  # 15W: weekday nearest the 15th
_LAST_WEEKDAY_OF_MONTH = re.compile(r"(?P<day>\w+)L")  # 6L / FRIL: last Friday
_NTH_WEEKDAY = re.compile(r"(?P<day>\w+)#(?P<nth>\d)")  # 2#1 / MON#1: first Monday


def _check_cron(fields: tuple[str, ...], reject) -> None:
    """Check the six cron fields against AWS's rules; raise ``reject(reason)`` if wrong."""
    if len(fields) != 6:
        raise reject(
            f"a cron expression has six fields (Minutes Hours Day-of-month Month Day-of-week"
            f" Year), this one has {len(fields)}; Unix cron's five-field form needs a Year"
            f" field and a '?' in Day-of-month or Day-of-week, e.g. cron(0 2 * * ? *)"
        )
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        raise reject(
            "exactly one of Day-of-month and Day-of-week must be '?': to run every day"
            " write cron(0 2 * * ? *), on weekdays cron(0 2 ? * MON-FRI *)"
        )
    for text, spec in zip(fields, _FIELDS, strict=True):
        if text == "?" and spec.name in ("Day-of-month", "Day-of-week"):
            continue
        if spec.name == "Day-of-month" and _LAST_DAY.fullmatch(text):
            continue
        if spec.name == "Day-of-month" and (m := _NEAREST_WEEKDAY.fullmatch(text)):
            if 1 <= int(m["day"]) <= 31:
                continue
        if spec.name == "Day-of-week":
            if text.upper() == "L":
                continue
            if (m := _LAST_WEEKDAY_OF_MONTH.fullmatch(text)) and _number(m["day"], spec):
                continue
            if (m := _NTH_WEEKDAY.fullmatch(text)) and _number(m["day"], spec):
                if 1 <= int(m["nth"]) <= 5:
                    continue
                raise reject(f"in {text!r}, the number after '#' is 1 to 5 (which week)")
        if _expand(text, spec) is None:
            hint = f"{spec.low}-{spec.high}"
            if spec.names:
                hint += f" or {spec.names[0]}-{spec.names[-1]}"
            raise reject(f"{spec.name} field {text!r} is not valid; its values are {hint}")


# ---------------------------------------------------------------------------------------
# The bridge to pyawscron
# ---------------------------------------------------------------------------------------


class _PyAwsCron:
    """Next fire times of six valid cron fields, in wall-clock time, using pyawscron.

    pyawscron works on "UTC" datetimes; here they stand for wall-clock times in the
    schedule's zone (CronSchedule converts them). What pyawscron 1.0.7 gets wrong, and
    what is done about it:

    * It gives up (``iter > 10`` exception) on a range that wraps around, such as hours
      ``20-2``: the fields are handed to it as explicit lists instead.
    * It cannot read ``L`` alone in Day-of-week (AWS: the last day of the week,
      Saturday) nor ``LW`` in Day-of-month (the last weekday of the month): ``L`` is
      handed over as ``7``, and ``LW`` is computed from ``L`` (see ``_next_last_weekday``).
    * It builds impossible dates (31 April, 29 February 2027) and crashes with
      ValueError, for a day-of-month that some months lack: the search restarts from
      the next month.
    * It splits fields on single spaces only and treats names case-sensitively in
      places: fields are normalised to numbers first.
    """

    def __init__(self, fields: tuple[str, ...]):
        minutes, hours, day_of_month, month, day_of_week, year = fields
        self.last_weekday = day_of_month.upper() == "LW"
        normalised = [
            _as_list(minutes, _FIELDS[0]),
            _as_list(hours, _FIELDS[1]),
            "L" if self.last_weekday else _day_of_month(day_of_month),
            _as_list(month, _FIELDS[3]),
            _day_of_week(day_of_week),
            year,  # years cannot wrap and are plain numbers: pyawscron reads them fine
        ]
        self.cron = AWSCron(" ".join(normalised))
        self.last_year = max(_expand(year, _FIELDS[5]) or [2199])

    def next_wall_time(self, after: datetime) -> datetime | None:
        """First time strictly after ``after`` (naive, wall clock), or None if none."""
        if self.last_weekday:
            return self._next_last_weekday(after)
        return self._next(after)

    def _next(self, after: datetime) -> datetime | None:
        cursor = after.replace(tzinfo=UTC)
        while cursor.year <= self.last_year:
            try:
                found = self.cron.occurrence(cursor).next()
            except ValueError:
                # pyawscron 1.0.7 tried to build a date that does not exist (say, 31
                # April): nothing is left to find in the month it was searching, nor
                # before it. Skip the first month searched and try again.
                cursor = _skip_month(cursor)
                continue
            except Exception as error:
                # pyawscron 1.0.7 gives up with a bare Exception after about ten months
                # without a match (the 5th Monday, a rare day): skip a month and retry.
                if "shouldn't happen" not in str(error):
                    raise
                cursor = _skip_month(cursor)
                continue
            return None if found is None else found.replace(tzinfo=None)
        return None

    def _next_last_weekday(self, after: datetime) -> datetime | None:
        # LW, the last weekday (Mon-Fri) of the month, is the last day of the month
        # moved back to Friday when it falls on a weekend. Those moves are at most two
        # days, so searching the "last day" times from two days earlier finds them all.
        cursor = after - timedelta(days=2)
        while (last_day := self._next(cursor)) is not None:
            weekday = last_day.weekday()  # Monday is 0 ... Sunday is 6
            moved = last_day - timedelta(days=max(0, weekday - 4))
            if moved > after:
                return moved
            cursor = last_day
        return None


def _skip_month(cursor: datetime) -> datetime:
    """The cursor that makes pyawscron search from the month after the one it searched.

    ``occurrence(cursor).next()`` searches from the minute after ``cursor``.
    """
    first = cursor + timedelta(minutes=1)
    year, month = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
    start = first.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start - timedelta(minutes=1)


def _as_list(text: str, spec: _Field) -> str:
    return ",".join(str(v) for v in _expand(text, spec))


def _day_of_month(text: str) -> str:
    if text == "?" or _LAST_DAY.fullmatch(text) or _NEAREST_WEEKDAY.fullmatch(text):
        return text
    return _as_list(text, _FIELDS[2])


def _day_of_week(text: str) -> str:
    spec = _FIELDS[4]
    if text == "?":
        return text
    if text.upper() == "L":
        return "7"  # pyawscron 1.0.7 cannot read a bare L; AWS: last day of week = SAT
    if m := _LAST_WEEKDAY_OF_MONTH.fullmatch(text):
        return f"{_number(m['day'], spec)}L"
    if m := _NTH_WEEKDAY.fullmatch(text):
        return f"{_number(m['day'], spec)}#{m['nth']}"
    return _as_list(text, spec)


# ---------------------------------------------------------------------------------------
# describe(): a few English words for a cron expression
# ---------------------------------------------------------------------------------------

_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
_DAY_WORDS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_MONTH_WORDS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _describe_cron(fields: tuple[str, ...], zone: str) -> str:
    """Describe common cron shapes in English; fall back to the fields themselves.

    Example
    -------
    >>> _describe_cron(("0/15", "*", "*", "*", "?", "*"), "UTC")
    'every 15 minutes'
    >>> _describe_cron(("0", "9", "?", "*", "MON-FRI", "*"), "Europe/Paris")
    'at 09:00 Europe/Paris on Monday to Friday'
    """
    minutes, hours, day_of_month, month, day_of_week, year = fields
    time_part = _describe_time(minutes, hours, zone)
    if time_part is None:
        return f"at the times cron({' '.join(fields)}) gives, in {zone}"
    days = _describe_days(day_of_month, day_of_week)
    if days is None:
        return f"{time_part}, on the days cron({' '.join(fields)}) gives"
    if days:
        parts = [f"{time_part} {days}"]
    elif time_part.startswith("every"):
        parts = [time_part]  # "every 15 minutes" already says it runs every day
    else:
        parts = [f"every day {time_part}"]
    if month != "*":
        months = _expand(month, _FIELDS[3]) or []
        parts.append("in " + ", ".join(_MONTH_WORDS[m - 1] for m in months))
    if year != "*":
        parts.append(f"in {year}")
    return ", ".join(parts)


def _describe_time(minutes: str, hours: str, zone: str) -> str | None:
    if re.fullmatch(r"[\d,]+", minutes) and re.fullmatch(r"[\d,]+", hours):
        times = [f"{int(h):02d}:{int(m):02d}" for h in hours.split(",") for m in minutes.split(",")]
        if len(times) <= 4:
            return f"at {' and '.join(sorted(times))} {zone}"
    if minutes.isdigit() and hours == "*":
        return f"every hour at minute {int(minutes)}"
    if hours == "*" and (m := re.fullmatch(r"(0|\*)/(\d+)", minutes)):
        step = int(m[2])
        return "every minute" if step == 1 else f"every {step} minutes"
    if minutes == "*" and hours == "*":
        return "every minute"
    return None


def _describe_days(day_of_month: str, day_of_week: str) -> str | None:
    """'' for every day, a phrase like 'on Monday to Friday', or None when too complex."""
    if day_of_week == "?":
        if day_of_month == "*":
            return ""
        if day_of_month.upper() == "L":
            return "on the last day of the month"
        if day_of_month.upper() == "LW":
            return "on the last weekday of the month"
        if m := _NEAREST_WEEKDAY.fullmatch(day_of_month):
            return f"on the weekday nearest day {int(m['day'])} of the month"
        if day_of_month.isdigit():
            return f"on day {int(day_of_month)} of the month"
        return None
    spec = _FIELDS[4]
    if day_of_week == "*":
        return ""
    if day_of_week.upper() == "L":
        return "on Saturdays"
    if m := _LAST_WEEKDAY_OF_MONTH.fullmatch(day_of_week):
        return f"on the last {_DAY_WORDS[_number(m['day'], spec) - 1]} of the month"
    if m := _NTH_WEEKDAY.fullmatch(day_of_week):
        day = _DAY_WORDS[_number(m["day"], spec) - 1]
        return f"on the {_ORDINALS[int(m['nth'])]} {day} of the month"
    if re.fullmatch(r"\w+-\w+", day_of_week):
        first, last = (_number(part, spec) for part in day_of_week.split("-"))
        return f"on {_DAY_WORDS[first - 1]} to {_DAY_WORDS[last - 1]}"
    days = _expand(day_of_week, spec)
    return None if days is None else "on " + ", ".join(_DAY_WORDS[d - 1] for d in days)
