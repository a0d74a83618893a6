"""Schedule expressions: AWS's validation rules and the fire times they give."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime, timedelta

import pytest

import lambdalab.sandbox.schedules
from lambdalab.sandbox.schedules import (
    PUT_RULE_MESSAGE,
    ScheduleExpressionError,
    parse_schedule,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def fire_times(expression: str, start: datetime, count: int, **kwargs) -> list[datetime]:
    return parse_schedule(expression, **kwargs).next_times(start, count)


def test_docstring_examples_run():
    assert doctest.testmod(lambdalab.sandbox.schedules).failed == 0


# -- cron ------------------------------------------------------------------------------


def test_daily_2am_over_a_week_gives_seven_times():
    schedule = parse_schedule("cron(0 2 * * ? *)")
    start = utc(2026, 4, 1)
    week = []  # times_after is endless: take what falls in the week
    for t in schedule.times_after(start):
        if t >= start + timedelta(days=7):
            break
        week.append(t)
    assert week == [utc(2026, 4, d, 2) for d in range(1, 8)]
    assert schedule.describe() == "every day at 02:00 UTC"


def test_next_after_is_strictly_after():
    schedule = parse_schedule("cron(0 2 * * ? *)")
    assert schedule.next_after(utc(2026, 4, 1, 2)) == utc(2026, 4, 2, 2)
    assert schedule.next_after(utc(2026, 4, 1, 1, 59, 59)) == utc(2026, 4, 1, 2)


def test_last_friday_of_the_month_in_2027():
    times = fire_times("cron(15 10 ? * 6L 2027)", utc(2026, 4, 1), 13)
    assert times[:4] == [
        utc(2027, 1, 29, 10, 15),
        utc(2027, 2, 26, 10, 15),
        utc(2027, 3, 26, 10, 15),
        utc(2027, 4, 30, 10, 15),
    ]
    assert len(times) == 12  # and nothing after 2027
    assert all(t.weekday() == 4 and (t + timedelta(days=7)).month != t.month for t in times)


def test_first_monday_of_the_month():
    times = fire_times("cron(0 9 ? * 2#1 *)", utc(2026, 4, 1), 3)
    assert times == [utc(2026, 4, 6, 9), utc(2026, 5, 4, 9), utc(2026, 6, 1, 9)]
    assert parse_schedule("cron(0 9 ? * MON#1 *)").next_times(utc(2026, 4, 1), 3) == times


def test_fifth_friday_skips_months_without_one():
    times = fire_times("cron(0 9 ? * 6#5 *)", utc(2026, 4, 1), 3)
    assert times == [utc(2026, 5, 29, 9), utc(2026, 7, 31, 9), utc(2026, 10, 30, 9)]


def test_last_day_of_the_month():
    times = fire_times("cron(0 18 L * ? *)", utc(2026, 1, 1), 3)
    assert times == [utc(2026, 1, 31, 18), utc(2026, 2, 28, 18), utc(2026, 3, 31, 18)]
    assert fire_times("cron(0 18 L * ? *)", utc(2028, 2, 1), 1) == [utc(2028, 2, 29, 18)]


def test_nearest_weekday_to_the_first():
    # 2026-08-01 is a Saturday: W does not leave the month, so it moves to Monday the 3rd.
    times = fire_times("cron(0 8 1W * ? *)", utc(2026, 7, 15), 3)
    assert times == [utc(2026, 8, 3, 8), utc(2026, 9, 1, 8), utc(2026, 10, 1, 8)]
    # 2026-11-15 is a Sunday: the nearest weekday is Monday the 16th.
    assert fire_times("cron(0 8 15W * ? *)", utc(2026, 11, 1), 1) == [utc(2026, 11, 16, 8)]


def test_last_weekday_of_the_month():
    # May 2026 ends on a Sunday: the last weekday is Friday the 29th.
    times = fire_times("cron(0 9 LW * ? *)", utc(2026, 5, 1), 2)
    assert times == [utc(2026, 5, 29, 9), utc(2026, 6, 30, 9)]


def test_every_15_minutes():
    times = fire_times("cron(0/15 * * * ? *)", utc(2026, 4, 1, 10, 7), 4)
    assert times == [utc(2026, 4, 1, 10, m) for m in (15, 30, 45)] + [utc(2026, 4, 1, 11)]
    assert parse_schedule("cron(0/15 * * * ? *)").describe() == "every 15 minutes"


def test_names_lists_and_ranges():
    weekdays = fire_times("cron(0 18 ? * MON-FRI *)", utc(2026, 4, 3), 3)  # a Friday
    assert weekdays == [utc(2026, 4, 3, 18), utc(2026, 4, 6, 18), utc(2026, 4, 7, 18)]
    twice = fire_times("cron(5,35 14 * * ? *)", utc(2026, 4, 1), 3)
    assert twice == [utc(2026, 4, 1, 14, 5), utc(2026, 4, 1, 14, 35), utc(2026, 4, 2, 14, 5)]
    months = fire_times("cron(0 0 1 JAN,JUL ? *)", utc(2026, 4, 1), 2)
    assert months == [utc(2026, 7, 1), utc(2027, 1, 1)]
    assert fire_times("cron(0 9 ? * SUN *)", utc(2026, 4, 1), 1) == [utc(2026, 4, 5, 9)]
    assert fire_times("cron(0 9 ? * 1 *)", utc(2026, 4, 1), 1) == [utc(2026, 4, 5, 9)]
    assert fire_times("cron(0 9 ? * L *)", utc(2026, 4, 1), 1) == [utc(2026, 4, 4, 9)]  # SAT


def test_hour_range_that_wraps_past_midnight():
    # AWS's own example: every 30 minutes, Monday to Friday, 22:00 to 02:00.
    times = fire_times("cron(0/30 22-2 ? * MON-FRI *)", utc(2026, 4, 6, 21), 8)  # Monday
    assert times[0] == utc(2026, 4, 6, 22)
    assert times[-1] == utc(2026, 4, 7, 1, 30)


def test_days_that_some_months_lack_are_skipped():
    assert fire_times("cron(0 0 31 * ? *)", utc(2026, 4, 1), 3) == [
        utc(2026, 5, 31),
        utc(2026, 7, 31),
        utc(2026, 8, 31),
    ]
    assert fire_times("cron(0 0 29 2 ? *)", utc(2026, 4, 1), 2) == [
        utc(2028, 2, 29),
        utc(2032, 2, 29),
    ]
    assert fire_times("cron(0 0 30 2 ? *)", utc(2026, 4, 1), 1) == []


def test_years_in_the_past_never_fire():
    assert parse_schedule("cron(15 10 ? * 6L 2019-2022)").next_after(utc(2026, 1, 1)) is None


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 2 * * * *)",  # both day fields "*"
        "cron(0 2 ? * ? *)",  # both day fields "?"
        "cron(0 2 1 * MON *)",  # both day fields given
        "cron(0 2 * * ?)",  # five fields (Unix cron)
        "cron(0 0 2 * * ? *)",  # seven fields (Quartz seconds)
        "cron(60 2 * * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 2 32 * ? *)",
        "cron(0 2 ? 13 * *)",
        "cron(0 2 ? * 8 *)",
        "cron(0 2 ? * 0 *)",  # Sunday is 1 in AWS, not 0
        "cron(0 2 ? * 3#1,6#3 *)",  # only one # expression
        "cron(0 2 ? * 2#6 *)",
        "cron(0 2 * * ? 1969)",
        "cron(*/60 * * * ? *)",
        "cron(0/0 * * * ? *)",
        "cron(0 2 ? * MON/2 *)",
        "cron(a 2 * * ? *)",
        "cron(0 2 * FOO ? *)",
        "cron()",
        "cron 0 2 * * ? *",
        "0 2 * * ? *",
    ],
)
def test_cron_expressions_aws_rejects(expression):
    with pytest.raises(ScheduleExpressionError) as caught:
        parse_schedule(expression)
    assert str(caught.value) == "Parameter ScheduleExpression is not valid."
    assert caught.value.reason  # a plain-words explanation for the learner


def test_rejection_explains_the_fix():
    with pytest.raises(ScheduleExpressionError) as caught:
        parse_schedule("cron(0 2 * * * *)")
    assert "cron(0 2 * * ? *)" in caught.value.reason
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 10 * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0/5 8-17 ? * MON-FRI *)",
        "cron(15 10 ? * 6L 2019-2022)",
        "cron(0 9 ? * fri *)",
        "cron(1/10 * * * ? *)",
        "cron(0 0 1-15/2 * ? 2030/2)",
    ],
)
def test_cron_expressions_aws_accepts(expression):
    assert parse_schedule(expression).kind == "cron"


# -- rate ------------------------------------------------------------------------------


def test_rate_every_5_minutes_from_a_start_time():
    times = fire_times("rate(5 minutes)", utc(2026, 4, 1, 9, 2), 3)
    assert times == [utc(2026, 4, 1, 9, 7), utc(2026, 4, 1, 9, 12), utc(2026, 4, 1, 9, 17)]


@pytest.mark.parametrize(
    ("expression", "period", "words"),
    [
        ("rate(1 minute)", timedelta(minutes=1), "every minute"),
        ("rate(5 minutes)", timedelta(minutes=5), "every 5 minutes"),
        ("rate(1 hour)", timedelta(hours=1), "every hour"),
        ("rate(12 hours)", timedelta(hours=12), "every 12 hours"),
        ("rate(1 day)", timedelta(days=1), "every day"),
        ("rate(2 days)", timedelta(days=2), "every 2 days"),
    ],
)
def test_valid_rates(expression, period, words):
    schedule = parse_schedule(expression)
    assert schedule.period == period
    assert schedule.describe() == words


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 minutes)",
        "rate(5 minute)",
        "rate(1 hours)",
        "rate(2 day)",
        "rate(0 minutes)",
        "rate(-5 minutes)",
        "rate(1.5 hours)",
        "rate(five minutes)",
        "rate(1 week)",
        "rate(1 second)",
        "rate(5minutes)",
        "rate(5 Minutes)",
        "rate()",
    ],
)
def test_invalid_rates(expression):
    with pytest.raises(ScheduleExpressionError, match="Parameter ScheduleExpression is not valid."):
        parse_schedule(expression)


def test_rate_with_start_date_fires_from_the_start_date():
    schedule = parse_schedule(
        "rate(1 hour)", "UTC", service="scheduler", start_date=utc(2026, 4, 1, 9, 30)
    )
    assert schedule.next_times(utc(2026, 4, 1), 2) == [
        utc(2026, 4, 1, 9, 30),
        utc(2026, 4, 1, 10, 30),
    ]
    assert schedule.next_after(utc(2026, 4, 1, 10, 45)) == utc(2026, 4, 1, 11, 30)


def test_rate_days_are_24_hours_across_dst():
    schedule = parse_schedule(
        "rate(1 day)",
        "America/New_York",
        service="scheduler",
        start_date=utc(2026, 3, 7, 14),
    )
    assert schedule.next_times(utc(2026, 3, 1), 3) == [
        utc(2026, 3, 7, 14),
        utc(2026, 3, 8, 14),
        utc(2026, 3, 9, 14),
    ]


# -- EventBridge Scheduler: time zones, at(), start and end dates ------------------------


def test_scheduler_cron_in_new_york_across_the_march_dst_change():
    # Clocks in New York spring forward on Sunday 2026-03-08, 02:00 EST -> 03:00 EDT.
    nine_am = parse_schedule("cron(0 9 * * ? *)", "America/New_York", service="scheduler")
    assert nine_am.next_times(utc(2026, 3, 6), 4) == [
        utc(2026, 3, 6, 14),  # 09:00 EST = 14:00 UTC
        utc(2026, 3, 7, 14),
        utc(2026, 3, 8, 13),  # 09:00 EDT = 13:00 UTC
        utc(2026, 3, 9, 13),
    ]
    assert nine_am.describe() == "every day at 09:00 America/New_York"


def test_scheduler_skips_a_time_that_does_not_exist_when_clocks_spring_forward():
    half_past_two = parse_schedule("cron(30 2 * * ? *)", "America/New_York", service="scheduler")
    assert half_past_two.next_times(utc(2026, 3, 7), 2) == [
        utc(2026, 3, 7, 7, 30),  # 02:30 EST
        utc(2026, 3, 9, 6, 30),  # 02:30 EDT; 2026-03-08 02:30 never happened
    ]


def test_scheduler_runs_a_repeated_time_once_when_clocks_fall_back():
    # 2026-11-01: 01:30 happens twice in New York (EDT, then EST).
    half_past_one = parse_schedule("cron(30 1 * * ? *)", "America/New_York", service="scheduler")
    assert half_past_one.next_times(utc(2026, 10, 31, 12), 2) == [
        utc(2026, 11, 1, 5, 30),  # 01:30 EDT, once
        utc(2026, 11, 2, 6, 30),  # 01:30 EST
    ]


def test_at_schedule_fires_once_in_its_time_zone():
    once = parse_schedule("at(2026-05-01T09:30:00)", "Europe/Paris", service="scheduler")
    assert once.kind == "at"
    assert once.next_after(utc(2026, 4, 1)) == utc(2026, 5, 1, 7, 30)  # CEST is UTC+2
    assert once.next_after(utc(2026, 5, 1, 7, 30)) is None
    assert list(once.times_after(utc(2026, 1, 1))) == [utc(2026, 5, 1, 7, 30)]
    assert once.describe() == "once, at 2026-05-01 09:30 Europe/Paris"


@pytest.mark.parametrize(
    "expression",
    ["at(2026-02-30T09:00:00)", "at(2026-5-1T09:00:00)", "at(2026-05-01 09:00:00)", "at()"],
)
def test_invalid_at_expressions_get_schedulers_message(expression):
    with pytest.raises(ScheduleExpressionError) as caught:
        parse_schedule(expression, service="scheduler")
    assert str(caught.value) == f"Invalid Schedule Expression {expression}."


def test_eventbridge_rules_take_no_at_expression():
    with pytest.raises(ScheduleExpressionError, match=PUT_RULE_MESSAGE):
        parse_schedule("at(2026-05-01T09:30:00)", service="events")


def test_eventbridge_rules_take_no_time_zone():
    with pytest.raises(ValueError, match="UTC"):
        parse_schedule("cron(0 9 * * ? *)", "Europe/Paris", service="events")


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="IANA"):
        parse_schedule("cron(0 9 * * ? *)", "Mars/Olympus_Mons")


def test_end_date_stops_the_schedule():
    schedule = parse_schedule("cron(0 9 * * ? *)", service="scheduler", end_date=utc(2026, 4, 3, 9))
    assert schedule.next_times(utc(2026, 4, 1), 5) == [utc(2026, 4, 1, 9), utc(2026, 4, 2, 9)]


def test_start_date_delays_a_cron_schedule():
    schedule = parse_schedule("cron(0 9 * * ? *)", start_date=utc(2026, 4, 10, 9))
    assert schedule.next_after(utc(2026, 4, 1)) == utc(2026, 4, 10, 9)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        parse_schedule("rate(1 hour)").next_after(datetime(2026, 4, 1))


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("cron(0 9 ? * MON-FRI *)", "at 09:00 UTC on Monday to Friday"),
        ("cron(15 10 ? * 6L 2027)", "at 10:15 UTC on the last Friday of the month, in 2027"),
        ("cron(0 9 ? * 2#1 *)", "at 09:00 UTC on the first Monday of the month"),
        ("cron(0 18 L * ? *)", "at 18:00 UTC on the last day of the month"),
        ("cron(0 8 1W * ? *)", "at 08:00 UTC on the weekday nearest day 1 of the month"),
        ("cron(0 8 1 * ? *)", "at 08:00 UTC on day 1 of the month"),
        ("cron(0 0 1 JAN ? *)", "at 00:00 UTC on day 1 of the month, in January"),
        ("cron(30 * * * ? *)", "every hour at minute 30"),
        ("cron(* * * * ? *)", "every minute"),
    ],
)
def test_describe(expression, words):
    assert parse_schedule(expression).describe() == words


def test_describe_falls_back_to_the_expression():
    words = parse_schedule("cron(0/30 22-2 ? * MON-FRI *)").describe()
    assert "cron(0/30 22-2 ? * MON-FRI *)" in words
