"""Lesson 05's probes: a learner's function read part by part (no notebook needed)."""

import math

from lambdalab.course.checks import lesson05


def _my_cost(seconds_per_ms=1 / 1000, free_requests=1_000_000, per_gb_s=0.0000166667):
    def my_cost(requests, duration_ms, memory_mb):
        gb_s = requests * math.ceil(duration_ms) * seconds_per_ms * memory_mb / 1024
        return max(0, requests - free_requests) * 0.2e-6 + max(0, gb_s - 400_000) * per_gb_s

    return my_cost


def _break_even(per_gb_s=0.0000166667, per_request=0.2e-6, mb_per_gb=1024):
    def break_even_requests(duration_ms, memory_mb, server_monthly):
        gb_s = math.ceil(duration_ms) / 1000 * memory_mb / mb_per_gb
        return server_monthly / (per_request + gb_s * per_gb_s)

    return break_even_requests


def test_a_right_my_cost_has_no_wrong_line():
    assert lesson05._probe_my_cost(_my_cost()) == (None, None)


def test_the_line_a_slip_is_in_is_named_with_its_factor():
    named, _ = lesson05._probe_my_cost(_my_cost(seconds_per_ms=1))
    assert named.startswith("your duration line is 1,000 times the right one")
    named, _ = lesson05._probe_my_cost(_my_cost(free_requests=0))
    assert named == "your request line does not take off the free 1,000,000 requests"


def test_an_unknown_factor_shows_the_line_in_figures():
    named, shown = lesson05._probe_my_cost(_my_cost(per_gb_s=0.00002))
    assert named is None
    assert "your duration line charges $2e-05 per GB-s" in shown


def test_break_even_parts():
    assert lesson05._probe_break_even(_break_even()) == (None, None)
    named, _ = lesson05._probe_break_even(_break_even(per_request=0))
    assert "no request price" in named
    named, _ = lesson05._probe_break_even(_break_even(mb_per_gb=1000))
    assert "1.024 times the right one" in named


def test_a_function_that_raises_on_a_probe_says_nothing():
    def my_cost(requests, duration_ms, memory_mb):
        raise ValueError("no")

    assert lesson05._probe_my_cost(my_cost) == (None, None)
    assert lesson05._probe_break_even(my_cost) == (None, None)
