"""lambdalab.calculator: the widget's behaviour through its widget objects, and the plots.

No browser is needed: a test moves the sliders as a learner would (``slider.value = ...``)
and reads the HTML the calculator shows. Plots are drawn with the Agg backend.
"""

from __future__ import annotations

import math

import pytest

from lambdalab import calculator as calc_module
from lambdalab.calculator import (
    DEFAULT_MEMORIES,
    SERVER_PRICES,
    CostCalculator,
    calculator,
    crossovers,
    modelled_durations,
    plot_cost_vs_traffic,
    plot_power_tuning,
    power_tuning_table,
)
from lambdalab.pricing import crossover_requests, monthly_cost, server_monthly_cost

# ---------------------------------------------------------------------------------------
# The calculator widget
# ---------------------------------------------------------------------------------------


def test_calculator_is_a_widget_box_with_the_five_controls_and_the_bill():
    import ipywidgets

    calc = calculator()
    assert isinstance(calc, CostCalculator) and isinstance(calc, ipywidgets.VBox)
    assert list(calc.children) == [*calc.controls, calc.summary, calc.table]
    assert isinstance(calc.requests, ipywidgets.FloatLogSlider)
    assert isinstance(calc.duration_ms, ipywidgets.FloatLogSlider)
    assert (calc.memory_mb.min, calc.memory_mb.max, calc.memory_mb.step) == (128, 10_240, 1)
    assert [value for _, value in calc.architecture.options] == ["x86_64", "arm64"]
    # Requests per month are on a log scale from 100 to 10 billion.
    assert (calc.requests.base, calc.requests.min, calc.requests.max) == (10, 2, 10)


def test_starting_bill_is_the_articles_example_with_the_free_tier():
    calc = calculator(requests=1_000_000, duration_ms=200, memory_mb=512)
    assert calc.bill.cents == 0
    assert "$0.00 a month" in calc.summary.value
    assert "Free tier used" in calc.table.value


def test_unticking_the_free_tier_updates_table_and_summary():
    calc = calculator(requests=1_000_000, duration_ms=200, memory_mb=512)
    before = calc.table.value
    calc.free_tier.value = False
    assert calc.table.value != before
    assert "$1.87" in calc.table.value
    assert "$1.87 a month" in calc.summary.value
    assert calc.bill == monthly_cost(1_000_000, 200, 512, free_tier=False)


@pytest.mark.parametrize(
    ("control", "value", "expected"),
    [
        ("requests", 3_000_000, dict(requests=3_000_000)),
        ("duration_ms", 120, dict(duration_ms=120)),
        ("memory_mb", 1536, dict(memory_mb=1536)),
        ("architecture", "arm64", dict(architecture="arm64")),
    ],
)
def test_each_control_recomputes_the_bill(control, value, expected):
    calc = calculator(requests=2_000_000, duration_ms=200, memory_mb=1024, free_tier=False)
    before = (calc.table.value, calc.summary.value)
    getattr(calc, control).value = value
    settings = dict(requests=2_000_000, duration_ms=200, memory_mb=1024) | expected
    architecture = settings.pop("architecture", "x86_64")
    wanted = monthly_cost(**settings, architecture=architecture, free_tier=False)
    assert calc.bill == wanted
    assert (calc.table.value, calc.summary.value) != before
    assert f"${wanted.total:,.2f}" in calc.summary.value


def test_pricing_page_example_to_the_cent_after_moving_the_sliders():
    calc = calculator()
    calc.requests.value = 3_000_000
    calc.duration_ms.value = 120
    calc.memory_mb.value = 1536
    assert calc.bill.cents == 273  # https://aws.amazon.com/lambda/pricing/ example: $2.73
    assert "$2.73" in calc.table.value


def test_summary_compares_with_the_other_architecture():
    calc = calculator(requests=1_000_000, duration_ms=200, memory_mb=512, free_tier=False)
    assert "on arm64: $1.53 (-18%)" in calc.summary.value
    calc.architecture.value = "arm64"
    assert "$1.53 a month" in calc.summary.value
    assert "on x86_64: $1.87 (+22%)" in calc.summary.value


def test_summary_shows_billed_duration_rounded_up_and_vcpus():
    calc = calculator(requests=1_000, duration_ms=0.4, memory_mb=1769)
    assert "of 1 ms (billed)" in calc.summary.value
    assert "(1.00 vCPU)" in calc.summary.value


def test_an_impossible_starting_point_is_refused_with_monthly_costs_message():
    with pytest.raises(ValueError, match="memory_mb must be a whole number of MB from 128"):
        calculator(memory_mb=64)


# ---------------------------------------------------------------------------------------
# Server prices and crossovers
# ---------------------------------------------------------------------------------------


def test_server_prices_carry_a_date_and_a_source():
    for name, server in SERVER_PRICES.items():
        assert server.instance_type == name
        assert server.hourly > 0 and server.vcpus > 0 and server.memory_gib > 0
        assert server.as_of[:4].isdigit() and server.source
        assert math.isclose(server.monthly, server_monthly_cost(server.hourly))
    assert round(SERVER_PRICES["t4g.small"].monthly, 2) == 12.26
    assert round(SERVER_PRICES["m7g.large"].monthly, 2) == 59.57


def test_crossovers_match_crossover_requests_for_numbers_and_server_prices():
    points = crossovers(120, 512, {"cheap": 0.0208, **SERVER_PRICES})
    assert math.isclose(points["cheap"], crossover_requests(120, 512, 0.0208 * 730))
    small = SERVER_PRICES["t4g.small"]
    assert math.isclose(points["t4g.small"], crossover_requests(120, 512, small.monthly))
    assert points["t4g.small"] < points["m7g.large"]


# ---------------------------------------------------------------------------------------
# Plots (Agg: figures made without pyplot)
# ---------------------------------------------------------------------------------------


def test_cost_vs_traffic_plot_marks_each_crossover_and_labels_its_axes():
    fig = plot_cost_vs_traffic(120, 512)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "Requests per month" in ax.get_xlabel()
    assert "US$" in ax.get_ylabel()
    assert "120 ms, 512 MB" in ax.get_title()
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    for name, n in fig.crossovers.items():
        assert any(name in label and "crossover" in label for label in legend)
        monthly = SERVER_PRICES[name].monthly
        assert math.isclose(monthly_cost(n, 120, 512).total, monthly, rel_tol=1e-9)
    png = fig._repr_png_()
    assert png.startswith(b"\x89PNG")


def test_a_crossover_outside_the_range_is_not_marked():
    fig = plot_cost_vs_traffic(1, 128, {"huge": 100.0}, requests_range=(1e3, 1e6))
    assert fig.crossovers["huge"] > 1e6
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert not any("crossover" in label for label in legend)


def test_cost_vs_traffic_rejects_a_backwards_range():
    with pytest.raises(ValueError, match="0 < low < high"):
        plot_cost_vs_traffic(120, 512, requests_range=(1e6, 1e3))


def test_modelled_durations_scale_with_vcpus_up_to_the_threads():
    one = modelled_durations(800, other_ms=20)
    assert list(one) == list(DEFAULT_MEMORIES)
    assert math.isclose(one[1769], 820)
    assert math.isclose(one[128], 20 + 800 * 1769 / 128)
    assert one[3008] == one[10_240] == one[1769]  # one thread: no faster above one vCPU
    four = modelled_durations(800, memories=(1769, 3538, 7076, 10_240), threads=4)
    assert four[3538] == pytest.approx(400) and four[7076] == pytest.approx(200)
    assert four[10_240] == pytest.approx(200)
    with pytest.raises(ValueError, match="threads"):
        modelled_durations(800, threads=0)


def test_power_tuning_table_prices_rounded_durations_without_free_tier():
    rows = power_tuning_table({128: 2.1, 1024: 0.2})
    by_memory = {row["memory_mb"]: row for row in rows}
    assert by_memory[128]["cost_per_million"] == monthly_cost(1e6, 3, 128, free_tier=False).total
    assert by_memory[1024]["cost_per_million"] == monthly_cost(1e6, 1, 1024, free_tier=False).total
    assert rows[0]["memory_mb"] == 128


def test_power_tuning_plot_marks_cheapest_and_balanced():
    fig = plot_power_tuning(modelled_durations(800, other_ms=20))
    assert fig.cheapest["memory_mb"] == 128
    assert fig.balanced["memory_mb"] == 1769
    top, bottom = fig.axes
    assert bottom.get_xscale() == "log" and top.get_yscale() == "log"
    assert "MB" in bottom.get_xlabel() and "ms" in top.get_ylabel()
    assert "US$" in bottom.get_ylabel()
    texts = [t.get_text() for t in bottom.texts]
    assert any("cheapest: 128 MB" in t for t in texts)
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_plots_need_no_display_and_no_pyplot(monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "matplotlib.pyplot", raising=False)
    plot_power_tuning({128: 100, 256: 40})
    plot_cost_vs_traffic(100, 256, {"x": 0.01})
    assert "matplotlib.pyplot" not in sys.modules


def test_module_doctests():
    import doctest

    result = doctest.testmod(calc_module)
    assert result.failed == 0 and result.attempted > 5
