"""lambdalab.course.figures: how a wrong figure relates to the right one."""

import math

import pytest

from lambdalab.course.figures import (
    factor_between,
    line_through,
    one_slip,
    slipped_inputs,
    times,
)


@pytest.mark.parametrize(
    ("got", "right", "factor"),
    [
        (2000.0, 2.0, 1000),
        (0.002, 2.0, 1 / 1000),
        (1024 * 3.5, 3.5, 1024),
        (1.024, 1.0, 1.024),
        (0.8 * 1.0000025, 1.0, 0.0000133334 / 0.0000166667),
        (730 * 12.5, 12.5, 730),
    ],
)
def test_factor_between_names_an_exact_factor(got, right, factor):
    found = factor_between(got, right)
    assert found is not None
    assert math.isclose(found[0], factor)


@pytest.mark.parametrize(("got", "right"), [(3.0, 2.0), (2.0, 2.0), (0.0, 2.0), (2.0, 0.0)])
def test_factor_between_names_nothing_else(got, right):
    assert factor_between(got, right) is None


def test_factor_between_ignores_non_numbers():
    assert factor_between(float("nan"), 1.0) is None
    assert factor_between(True, 1.0) is None


def test_times_in_words():
    assert times(1000) == "1,000 times"
    assert times(1 / 1024) == "1/1,024 of"
    assert times(0.8000020000) == "0.8 times"
    assert times(1e6) == "1,000,000 times"


def test_line_through_reads_price_and_allowance():
    slope, offset = line_through(lambda n: 0.2e-6 * (n - 1_000_000), 3e6, 5e6, 9e6)
    assert math.isclose(slope, 0.2e-6)
    assert math.isclose(offset / slope, 1_000_000)


def test_line_through_refuses_a_curve_or_a_failing_call():
    assert line_through(lambda x: x * x, 1, 2, 4) is None
    assert line_through(lambda x: 1 / (x - 2), 1, 2, 4) is None
    assert line_through(lambda x: float("inf"), 1, 2, 4) is None


def test_one_slip_names_the_only_slip_that_explains_every_observation():
    slips = {"halved": lambda x: x / 2, "minus one": lambda x: x - 1, "zero": lambda x: 0}
    assert one_slip([(4, 2.0), (6, 3.0)], slips) == "halved"
    assert one_slip([(2, 1.0)], slips) is None  # halved and minus one agree: no name
    assert one_slip([(4, 5.0)], slips) is None


def test_one_slip_skips_a_slip_that_raises():
    slips = {"inverse": lambda x: 1 / x, "zero": lambda x: 0.0}
    assert one_slip([(0, 0.0)], slips) == "zero"


def test_slipped_inputs_changes_one_input_at_a_time():
    inputs = {"requests": 7e6, "duration_ms": 200}
    slips = {"requests": ((0.1, "a zero short"),), "duration_ms": ((1e-3, "in seconds"),)}
    assert list(slipped_inputs(inputs, slips)) == [
        ("a zero short", {"requests": 7e5, "duration_ms": 200}),
        ("in seconds", {"requests": 7e6, "duration_ms": 0.2}),
    ]
