"""Lesson 05's calculator and plots, built on :mod:`lambdalab.pricing`.

Three things to look at a Lambda bill with, instead of reading one:

* :func:`calculator`: sliders for traffic, duration, memory, architecture and the free
  tier, and the bill's table updating as you move them (ipywidgets);
* :func:`plot_cost_vs_traffic`: Lambda's monthly cost against traffic, next to always-on
  servers, with the crossover points marked;
* :func:`plot_power_tuning`: duration and cost against memory, the cheapest setting
  marked (the picture AWS Lambda Power Tuning draws from measurements).

Every number comes from :mod:`lambdalab.pricing`; this module only draws. The plots
return a :class:`matplotlib.figure.Figure` made without pyplot, so they work the same
in Jupyter, in a test or on a server without a display (the Agg backend).

Server prices are data, with their date and source, in :data:`SERVER_PRICES`.

Example
-------
>>> calc = calculator(requests=1_000_000, duration_ms=200, memory_mb=512)
>>> calc.bill.cents            # the article's function: the free tier covers it
0
>>> calc.free_tier.value = False
>>> "$1.87" in calc.table.value
True
"""

from __future__ import annotations

import functools
import html
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lambdalab.pricing import (
    ARCHITECTURES,
    FREE_TIER,
    HOURS_PER_MONTH,
    MAX_MEMORY_MB,
    MB_PER_VCPU,
    MIN_MEMORY_MB,
    CostBreakdown,
    PricingError,
    crossover_requests,
    monthly_cost,
    server_monthly_cost,
    vcpus,
)

__all__ = [
    "DEFAULT_MEMORIES",
    "SERVER_PRICES",
    "CostCalculator",
    "ServerPrice",
    "calculator",
    "crossovers",
    "modelled_durations",
    "plot_cost_vs_traffic",
    "plot_power_tuning",
    "power_tuning_table",
]

#: Seconds in a month as AWS's calculator counts them (730 hours).
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
#: Memory sizes a power-tuning run usually tries (MB), 1,769 MB (one vCPU) included.
DEFAULT_MEMORIES = (128, 256, 512, 1024, 1769, 3008, 4096, 6144, 8192, 10_240)
#: Longest invocation Lambda allows: 900 s (15 minutes), in ms.
MAX_DURATION_MS = 900_000


# --------------------------------------------------------------------------------------
# Server prices: data with a date and a source
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerPrice:
    """The on-demand price of one always-on EC2 instance (Linux, us-east-1).

    Attributes
    ----------
    instance_type : str
        EC2's name, e.g. ``"t4g.small"``.
    hourly : float
        On-demand price in US dollars per hour.
    vcpus : int
    memory_gib : float
    note : str
        What kind of instance it is, in a few words.
    as_of : str
        When the price was read (ISO 8601 month).
    source : str
        Where it was read.

    Example
    -------
    >>> round(SERVER_PRICES["t4g.small"].monthly, 2)
    12.26
    """

    instance_type: str
    hourly: float
    vcpus: int
    memory_gib: float
    note: str
    as_of: str
    source: str

    @property
    def monthly(self) -> float:
        """Dollars for a month running all the time (730 hours)."""
        return server_monthly_cost(self.hourly)

    def label(self) -> str:
        return f"{self.instance_type} ({self.vcpus} vCPU, {self.memory_gib:g} GiB)"


_PRICE_LIST_QUOTES = (
    "third-party copies of the AWS Price List API (us-east-1, Linux, shared tenancy, "
    "on-demand), identical in several public repositories; check "
    "https://aws.amazon.com/ec2/pricing/on-demand/ before relying on it"
)

#: Two always-on servers to compare Lambda with: a small burstable Arm instance and a
#: larger general-purpose one. Instance only: no disk (EBS), load balancer or data transfer.
SERVER_PRICES: dict[str, ServerPrice] = {
    "t4g.small": ServerPrice(
        instance_type="t4g.small",
        hourly=0.0168,
        vcpus=2,
        memory_gib=2,
        note="burstable Arm (Graviton2): full speed only in bursts, on CPU credits",
        as_of="2026-09",
        source=_PRICE_LIST_QUOTES + " (one dated 2026-09-16)",
    ),
    "m7g.large": ServerPrice(
        instance_type="m7g.large",
        hourly=0.0816,
        vcpus=2,
        memory_gib=8,
        note="general-purpose Arm (Graviton3), full speed all the time",
        as_of="2026-06",
        source=_PRICE_LIST_QUOTES
        + "; also factualminds.com, 'Amazon EC2 On-Demand Pricing ... (2026)', 2026-06-17",
    ),
}


def _hourly(price: float | ServerPrice) -> float:
    return price.hourly if isinstance(price, ServerPrice) else float(price)


def _server_label(name: str, price: float | ServerPrice) -> str:
    return price.label() if isinstance(price, ServerPrice) else name


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------


def _fmt_count(n: float) -> str:
    """1,234 -> '1.2k', 21,600,000 -> '21.6M': short counts for plots and labels."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            value = n / size
            text = f"{value:.1f}" if value < 100 else f"{value:,.0f}"
            return text.removesuffix(".0") + suffix
    return f"{n:,.0f}"


def _fmt_dollars(x: float) -> str:
    if x >= 100:
        return f"${x:,.0f}"
    return f"${x:,.2f}"


# --------------------------------------------------------------------------------------
# The calculator
# --------------------------------------------------------------------------------------


def _widgets():
    try:
        import ipywidgets
    except ImportError as error:  # pragma: no cover - ipywidgets is pinned in the kit
        raise ImportError(
            "the calculator needs ipywidgets, which the course environment installs; "
            "run `make lab` from the course folder, or `pip install ipywidgets`"
        ) from error
    return ipywidgets


class CostCalculator(_widgets().VBox):
    """A Lambda bill with sliders: every change recomputes :func:`monthly_cost`.

    Create it with :func:`calculator`. The controls are attributes, so a program (or a
    test) can move them as a learner would: ``calc.memory_mb.value = 1024``.

    Attributes
    ----------
    requests : ipywidgets.FloatLogSlider
        Requests per month, 100 to 10 billion (log scale).
    duration_ms : ipywidgets.FloatLogSlider
        Average duration, 1 ms to 900,000 ms (15 minutes; log scale).
    memory_mb : ipywidgets.IntSlider
        Configured memory, 128 to 10,240 MB in 1 MB steps.
    architecture : ipywidgets.ToggleButtons
        ``"x86_64"`` or ``"arm64"``.
    free_tier : ipywidgets.Checkbox
        Apply the always-free allowance.
    summary : ipywidgets.HTML
        One line: the monthly total, per request, and the other architecture's total.
    table : ipywidgets.HTML
        The bill, line by line (the :class:`CostBreakdown` table).
    """

    def __init__(
        self,
        requests: float = 1_000_000,
        duration_ms: float = 200,
        memory_mb: int = 512,
        architecture: str = "x86_64",
        free_tier: bool = True,
    ):
        w = _widgets()
        super().__init__()
        # Validate the starting point with monthly_cost's own messages.
        monthly_cost(requests, duration_ms, memory_mb, architecture=architecture)
        style = {"description_width": "11em"}
        # Each slider recomputes when it is released, not at every step of a drag.
        slider = {"continuous_update": False, "style": style, "layout": w.Layout(width="46em")}
        self.requests = w.FloatLogSlider(
            value=requests,
            base=10,
            min=2,
            max=10,
            step=0.01,
            readout_format=",.0f",
            description="Requests per month",
            **slider,
        )
        self.duration_ms = w.FloatLogSlider(
            value=duration_ms,
            base=10,
            min=0,
            max=math.log10(MAX_DURATION_MS),
            step=0.01,
            readout_format=",.1f",
            description="Avg duration (ms)",
            **slider,
        )
        self.memory_mb = w.IntSlider(
            value=memory_mb,
            min=MIN_MEMORY_MB,
            max=MAX_MEMORY_MB,
            step=1,
            description="Memory (MB)",
            **slider,
        )
        self.architecture = w.ToggleButtons(
            options=[("x86_64", "x86_64"), ("arm64 (Graviton)", "arm64")],
            value=architecture,
            description="Architecture",
            style=style,
        )
        self.free_tier = w.Checkbox(
            value=free_tier,
            description="Apply the free tier (1M requests, 400,000 GB-s a month)",
            indent=False,
        )
        self.summary = w.HTML()
        self.table = w.HTML()
        for control in self.controls:
            control.observe(self._update, names="value")
        self.children = [*self.controls, self.summary, self.table]
        self._update()

    @property
    def controls(self) -> tuple:
        """The inputs, in the order they are shown."""
        return (self.requests, self.duration_ms, self.memory_mb, self.architecture, self.free_tier)

    def _cost(self, architecture: str) -> CostBreakdown:
        return monthly_cost(
            requests=round(self.requests.value),
            duration_ms=self.duration_ms.value,
            memory_mb=self.memory_mb.value,
            architecture=architecture,
            free_tier=self.free_tier.value,
        )

    @property
    def bill(self) -> CostBreakdown:
        """The bill for the current settings."""
        return self._cost(self.architecture.value)

    def _update(self, change: object = None) -> None:
        bill = self.bill
        other = "arm64" if bill.architecture == "x86_64" else "x86_64"
        other_bill = self._cost(other)
        requests = round(self.requests.value)
        per_million = bill.total / requests * 1e6 if requests else 0.0
        billed_ms = math.ceil(self.duration_ms.value)
        compare = ""
        if bill.total > 0:
            change_pct = (other_bill.total - bill.total) / bill.total * 100
            compare = f" · on {other}: {_fmt_dollars(other_bill.total)} ({change_pct:+.0f}%)"
        elif other_bill.total > 0:
            compare = f" · on {other}: {_fmt_dollars(other_bill.total)}"
        self.summary.value = (
            f"<div style='font-size:1.1em;margin:0.4em 0'><b>{_fmt_dollars(bill.total)} a "
            f"month</b> for {requests:,} requests of {billed_ms:,} ms (billed) at "
            f"{self.memory_mb.value:,} MB ({vcpus(self.memory_mb.value):.2f} vCPU)"
            f"{html.escape(compare)}<br><small>{_fmt_dollars(per_million)} per million "
            f"requests · {bill.compute_gb_seconds:,.0f} GB-s of compute</small></div>"
        )
        self.table.value = bill._repr_html_()


def calculator(
    requests: float = 1_000_000,
    duration_ms: float = 200,
    memory_mb: int = 512,
    architecture: str = "x86_64",
    free_tier: bool = True,
) -> CostCalculator:
    """An interactive Lambda cost calculator (sliders and a live bill).

    Parameters
    ----------
    requests, duration_ms, memory_mb, architecture, free_tier
        Where the sliders start; as in :func:`lambdalab.pricing.monthly_cost`.

    Returns
    -------
    CostCalculator
        An ipywidgets box; display it in Jupyter. ``.bill`` is the current bill.

    Example
    -------
    >>> calc = calculator(requests=3_000_000, duration_ms=120, memory_mb=1536)
    >>> calc.bill.cents           # the pricing page's mobile-backend example
    273
    >>> calc.architecture.value = "arm64"
    >>> calc.bill.architecture
    'arm64'
    """
    return CostCalculator(requests, duration_ms, memory_mb, architecture, free_tier)


# --------------------------------------------------------------------------------------
# Lambda against always-on servers
# --------------------------------------------------------------------------------------


def crossovers(
    duration_ms: float,
    memory_mb: int,
    server_prices: Mapping[str, float | ServerPrice] | None = None,
    architecture: str = "x86_64",
    free_tier: bool = True,
) -> dict[str, float]:
    """Requests per month at which Lambda costs as much as each server.

    Parameters
    ----------
    duration_ms, memory_mb, architecture, free_tier
        The function, as in :func:`lambdalab.pricing.monthly_cost`.
    server_prices : mapping, optional
        Name to hourly price (a number or a :class:`ServerPrice`); defaults to
        :data:`SERVER_PRICES`.

    Example
    -------
    >>> n = crossovers(120, 512, {"t3.small": 0.0208})["t3.small"]
    >>> round(n / 1e6, 1)
    18.4
    """
    prices = SERVER_PRICES if server_prices is None else server_prices
    return {
        name: crossover_requests(
            duration_ms,
            memory_mb,
            server_monthly_cost(_hourly(price)),
            architecture=architecture,
            free_tier=free_tier,
        )
        for name, price in prices.items()
    }


@functools.cache
def _notebook_figure_class():
    """A matplotlib Figure that Jupyter shows as a PNG (imported on first use)."""
    from matplotlib.figure import Figure

    class NotebookFigure(Figure):
        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return NotebookFigure


def _figure(width: float, height: float, rows: int = 1, sharex: bool = False):
    """A figure and its axes, made without pyplot: no global state, no display needed."""
    fig = _notebook_figure_class()(figsize=(width, height), layout="constrained")
    axes = fig.subplots(rows, 1, sharex=sharex)
    return fig, axes


#: Colours for the plots (colour-blind safe: Okabe and Ito's palette).
_LAMBDA_COLOUR = "#0072B2"
_SERVER_COLOURS = ("#D55E00", "#009E73", "#CC79A7", "#E69F00")
_MARK_COLOUR = "#D55E00"


def plot_cost_vs_traffic(
    duration_ms: float,
    memory_mb: int,
    server_prices: Mapping[str, float | ServerPrice] | None = None,
    architecture: str = "x86_64",
    free_tier: bool = True,
    requests_range: tuple[float, float] = (1e5, 1e10),
):
    """Plot Lambda's monthly cost against traffic, with always-on servers for scale.

    Both axes are logarithmic: traffic spans five orders of magnitude and so does the
    bill. The servers are flat lines (they cost the same whether busy or idle); each
    crossover, where Lambda starts to cost more than that server, is marked. The top
    axis gives the same traffic as an average rate in requests per second.

    Parameters
    ----------
    duration_ms, memory_mb, architecture, free_tier
        The function, as in :func:`lambdalab.pricing.monthly_cost`.
    server_prices : mapping, optional
        Name to hourly price (a number or a :class:`ServerPrice`), e.g.
        ``{"t4g.small": 0.0168}``; defaults to :data:`SERVER_PRICES`.
    requests_range : (float, float)
        Requests per month on the x axis, from and to.

    Returns
    -------
    matplotlib.figure.Figure
        Jupyter shows it when it is the cell's last value. ``fig.crossovers`` holds the
        crossover points, in requests per month, by server name.

    Example
    -------
    >>> fig = plot_cost_vs_traffic(120, 512, {"t3.small": 0.0208})
    >>> round(fig.crossovers["t3.small"] / 1e6, 1)
    18.4
    """
    import numpy as np
    from matplotlib.ticker import NullLocator

    prices = SERVER_PRICES if server_prices is None else server_prices
    low, high = requests_range
    if not 0 < low < high:
        raise PricingError(
            f"requests_range must be (low, high) with 0 < low < high, got {low, high}"
        )
    points = crossovers(duration_ms, memory_mb, prices, architecture, free_tier)

    xs = np.geomspace(low, high, 240)
    costs = np.array(
        [
            monthly_cost(
                x, duration_ms, memory_mb, architecture=architecture, free_tier=free_tier
            ).total
            for x in xs
        ]
    )
    server_costs = {name: server_monthly_cost(_hourly(p)) for name, p in prices.items()}
    paid = costs > 0
    top = max([*costs, *server_costs.values()]) * 3
    bottom = min([c for c in costs[paid]] + list(server_costs.values()) or [0.01]) / 3
    bottom = max(bottom, 0.01)

    fig, ax = _figure(9, 5.2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.plot(xs[paid], costs[paid], color=_LAMBDA_COLOUR, lw=2.5, label=f"Lambda ({architecture})")

    if free_tier and not paid.all():
        free_until = xs[~paid].max()
        ax.axvspan(low, free_until, color="#999999", alpha=0.15, lw=0)
        ax.text(
            math.sqrt(low * free_until),
            bottom * 1.6,
            "free tier:\n$0.00",
            ha="center",
            va="bottom",
            fontsize=9,
            color="#555555",
        )

    per_request = monthly_cost(1, duration_ms, memory_mb, free_tier=False).compute_gb_seconds
    free_gb_s_end = FREE_TIER.gb_seconds / per_request if per_request else math.inf
    if free_tier and low < free_gb_s_end < high:
        kink_cost = monthly_cost(
            free_gb_s_end, duration_ms, memory_mb, architecture=architecture
        ).total
        ax.annotate(
            "free GB-s\nused up",
            xy=(free_gb_s_end, kink_cost),
            xytext=(8, -34),
            textcoords="offset points",
            fontsize=9,
            color="#555555",
            arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 1},
        )

    for (name, price), colour in zip(prices.items(), _SERVER_COLOURS * 4, strict=False):
        monthly = server_costs[name]
        n = points[name]
        label = f"{_server_label(name, price)}, always on: {_fmt_dollars(monthly)}/month"
        if low <= n <= high:
            label += (
                f"\n    crossover: {_fmt_count(n)} requests/month "
                f"(≈ {n / SECONDS_PER_MONTH:,.1f} per second)"
            )
            ax.plot([n, n], [bottom, monthly], color=colour, lw=1, ls=":")
            ax.plot([n], [monthly], "o", ms=9, mfc="white", mec=colour, mew=2.2, zorder=5)
        ax.axhline(monthly, color=colour, lw=1.6, ls="--", label=label)

    ax.set_xlim(low, high)
    ax.set_ylim(bottom, top)
    ax.set_xlabel("Requests per month (log scale)")
    ax.set_ylabel("Cost per month, US$ (log scale)")
    free = "free tier applied" if free_tier else "no free tier"
    ax.set_title(
        f"Lambda against an always-on server: {duration_ms:,g} ms, {memory_mb:,} MB, "
        f"{architecture}, {free}\n"
        "Circles mark the crossovers: to their right, the server costs less",
        fontsize=11,
    )
    ax.yaxis.set_major_formatter(_dollar_formatter())
    ax.xaxis.set_major_formatter(_count_formatter())
    ax.grid(True, which="major", alpha=0.35)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_minor_locator(NullLocator())
    secondary = ax.secondary_xaxis(
        "top",
        functions=(lambda n: n / SECONDS_PER_MONTH, lambda r: r * SECONDS_PER_MONTH),
    )
    secondary.set_xlabel("Average requests per second (a month is 730 hours)")
    secondary.xaxis.set_major_formatter(_rate_formatter())
    ax.legend(loc="lower right", fontsize=9, framealpha=0.95)
    fig.crossovers = points
    return fig


def _dollar_formatter():
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: int) -> str:
        if value >= 1:
            return f"${value:,.0f}"
        return f"${value:.2f}".rstrip("0").rstrip(".")

    return FuncFormatter(fmt)


def _count_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: _fmt_count(value))


def _rate_formatter():
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: int) -> str:
        return f"{value:g}" if value < 1 else f"{value:,.0f}"

    return FuncFormatter(fmt)


# --------------------------------------------------------------------------------------
# Memory and duration: power tuning
# --------------------------------------------------------------------------------------


def modelled_durations(
    cpu_ms_at_one_vcpu: float,
    other_ms: float = 0.0,
    memories: Iterable[int] = DEFAULT_MEMORIES,
    threads: int = 1,
) -> dict[int, float]:
    """A model of duration against memory, for CPU-bound work.

    Lambda gives CPU in proportion to memory: one vCPU at 1,769 MB
    (:func:`lambdalab.pricing.vcpus`). Work that needs ``cpu_ms_at_one_vcpu`` of one
    full vCPU takes ``cpu_ms / vcpus(memory)`` below 1,769 MB. Above it, extra vCPUs
    help only code that runs ``threads`` at once: plain Python runs one thread of work
    at a time, so its speed stops improving at one vCPU. ``other_ms`` is time that more
    CPU does not shorten (waiting for a database or an HTTP call).

    This is a model, not a measurement: measure your own function (AWS Lambda Power
    Tuning does it by running it at several memory sizes).

    Parameters
    ----------
    cpu_ms_at_one_vcpu : float
        CPU work per invocation, in ms at one full vCPU.
    other_ms : float
        Waiting time per invocation, in ms, the same at every memory size.
    memories : iterable of int
        Memory sizes to model, in MB.
    threads : int
        How many vCPUs the code can keep busy at once (1 for plain Python).

    Returns
    -------
    dict of int to float
        Duration in ms by memory size.

    Example
    -------
    >>> d = modelled_durations(800, other_ms=20, memories=(128, 1769, 3538))
    >>> {m: round(ms) for m, ms in d.items()}
    {128: 11076, 1769: 820, 3538: 820}
    """
    if not (isinstance(threads, int) and threads >= 1):
        raise PricingError(f"threads must be a whole number >= 1, got {threads!r}")
    if cpu_ms_at_one_vcpu < 0 or other_ms < 0:
        raise PricingError("cpu_ms_at_one_vcpu and other_ms must be >= 0 (milliseconds)")
    return {
        memory: other_ms + cpu_ms_at_one_vcpu / min(vcpus(memory), threads) for memory in memories
    }


def power_tuning_table(
    durations_by_memory: Mapping[int, float], architecture: str = "x86_64"
) -> list[dict[str, float]]:
    """Cost per million invocations at each memory size, cheapest first.

    Each invocation is billed ``ceil(duration)`` ms at its memory size, plus the request
    charge; no free tier (it would hide the difference between settings).

    Returns
    -------
    list of dict
        Rows with ``memory_mb``, ``duration_ms``, ``vcpus`` and ``cost_per_million``
        (dollars), sorted by cost, then by memory.

    Example
    -------
    >>> rows = power_tuning_table({128: 1000, 256: 400, 512: 210})
    >>> [(r["memory_mb"], round(r["cost_per_million"], 2)) for r in rows]
    [(256, 1.87), (512, 1.95), (128, 2.28)]
    """
    if not durations_by_memory:
        raise PricingError("durations_by_memory is empty: give {memory_mb: duration_ms, ...}")
    rows = []
    for memory, duration in durations_by_memory.items():
        bill = monthly_cost(1_000_000, duration, memory, architecture=architecture, free_tier=False)
        rows.append(
            {
                "memory_mb": memory,
                "duration_ms": duration,
                "vcpus": vcpus(memory),
                "cost_per_million": bill.total,
            }
        )
    return sorted(rows, key=lambda row: (row["cost_per_million"], row["memory_mb"]))


#: How much above the cheapest cost a "balanced" setting may be (5 %).
BALANCED_MARGIN = 0.05


def _balanced(rows: list[dict[str, float]]) -> dict[str, float]:
    """The fastest row whose cost is within BALANCED_MARGIN of the cheapest."""
    limit = rows[0]["cost_per_million"] * (1 + BALANCED_MARGIN)
    near = [row for row in rows if row["cost_per_million"] <= limit]
    return min(near, key=lambda row: (row["duration_ms"], row["cost_per_million"]))


def plot_power_tuning(
    durations_by_memory: Mapping[int, float],
    architecture: str = "x86_64",
    title: str = "Duration and cost against memory",
):
    """Plot duration and cost per million invocations against memory, cheapest marked.

    Two panels share the memory axis (log scale, base 2): duration on top (log scale),
    cost per million invocations below. A dotted line marks 1,769 MB, one vCPU. A star
    marks the cheapest setting; a diamond the fastest one that costs at most 5 % more
    than the cheapest (often the better choice: much faster for nearly the same money).

    Parameters
    ----------
    durations_by_memory : mapping of int to float
        Average duration in ms by memory size in MB (measured, or from
        :func:`modelled_durations`).
    architecture : {"x86_64", "arm64"}
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.cheapest`` is the cheapest row of :func:`power_tuning_table`;
        ``fig.balanced`` the fastest row within 5 % of its cost.

    Example
    -------
    >>> fig = plot_power_tuning({128: 1000, 256: 400, 512: 210})
    >>> fig.cheapest["memory_mb"]
    256
    """
    if architecture not in ARCHITECTURES:
        raise PricingError(f"architecture must be 'x86_64' or 'arm64', got {architecture!r}")
    rows = power_tuning_table(durations_by_memory, architecture)
    cheapest = rows[0]
    by_memory = sorted(rows, key=lambda row: row["memory_mb"])
    memories = [row["memory_mb"] for row in by_memory]
    durations = [row["duration_ms"] for row in by_memory]
    costs = [row["cost_per_million"] for row in by_memory]

    fig, (top, bottom) = _figure(9, 6.4, rows=2, sharex=True)
    top.plot(memories, durations, "o-", color=_LAMBDA_COLOUR, lw=2)
    top.set_yscale("log")
    top.set_ylabel("Duration per invocation,\nms (log scale)")
    top.yaxis.set_major_formatter(_ms_formatter())
    bottom.plot(memories, costs, "o-", color="#009E73", lw=2)
    bottom.set_ylabel("Cost per million\ninvocations, US$")
    bottom.set_ylim(0, max(costs) * 1.2)
    bottom.yaxis.set_major_formatter(_dollar_formatter())
    bottom.set_xlabel("Configured memory, MB (log scale; CPU grows with memory)")
    bottom.set_xscale("log", base=2)
    bottom.set_xticks(memories)
    bottom.set_xticklabels([f"{m:,}" for m in memories], rotation=45, ha="right")
    bottom.minorticks_off()

    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
        if min(memories) <= MB_PER_VCPU <= max(memories):
            ax.axvline(MB_PER_VCPU, color="#777777", ls=":", lw=1.2)
    if min(memories) <= MB_PER_VCPU <= max(memories):
        top.text(
            MB_PER_VCPU * 1.05,
            0.93,
            "1,769 MB = 1 vCPU",
            transform=top.get_xaxis_transform(),
            va="top",
            fontsize=9,
            color="#555555",
        )

    m, c = cheapest["memory_mb"], cheapest["cost_per_million"]
    bottom.plot([m], [c], "*", ms=18, color=_MARK_COLOUR, zorder=5, label="cheapest")
    top.plot([m], [cheapest["duration_ms"]], "*", ms=18, color=_MARK_COLOUR, zorder=5)
    right = m > memories[len(memories) // 2]
    bottom.annotate(
        f"cheapest: {m:,} MB\n{_fmt_dollars(c)} per million, {cheapest['duration_ms']:,.0f} ms",
        xy=(m, c),
        xytext=(-18 if right else 18, 26),
        textcoords="offset points",
        ha="right" if right else "left",
        fontsize=9,
        color=_MARK_COLOUR,
        arrowprops={"arrowstyle": "-", "color": _MARK_COLOUR, "lw": 1},
    )
    balanced = _balanced(rows)
    if balanced is not cheapest:
        bm, bc, bd = balanced["memory_mb"], balanced["cost_per_million"], balanced["duration_ms"]
        for ax, y in ((top, bd), (bottom, bc)):
            ax.plot([bm], [y], "D", ms=9, mfc="white", mec="#CC79A7", mew=2.2, zorder=5)
        bottom.annotate(
            f"fastest within {BALANCED_MARGIN:.0%} of the cheapest:\n"
            f"{bm:,} MB, {_fmt_dollars(bc)} per million, {bd:,.0f} ms",
            xy=(bm, bc),
            xytext=(0, 46),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color="#A0527F",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
            arrowprops={"arrowstyle": "-", "color": "#CC79A7", "lw": 1},
        )
    fig.balanced = balanced
    fig.suptitle(f"{title} ({architecture}, no free tier)", fontsize=11)
    fig.cheapest = cheapest
    return fig


def _ms_formatter():
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: int) -> str:
        return f"{value:,.0f}" if value >= 1 else f"{value:g}"

    return FuncFormatter(fmt)
