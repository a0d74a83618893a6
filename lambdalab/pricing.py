"""What a Lambda function costs per month, line by line, the way AWS bills it.

AWS Lambda (on-demand, "Lambda Event Functions") bills a month of use in a few lines.
This module computes each of them with AWS's published prices and rules:

Requests
    $0.20 per million invocations, for both architectures.

Duration (on-demand compute)
    Memory in GB times billed seconds, in **GB-seconds**. Each invocation's duration
    is rounded **up to the next whole millisecond** (0.4 ms bills 1 ms). The price per
    GB-second depends on the architecture (``"x86_64"`` or ``"arm64"``) and falls in
    monthly volume tiers: x86 pays $0.0000166667 for the first 6 billion GB-s,
    $0.0000150000 for the next 9 billion and $0.0000133334 above 15 billion; Arm pays
    $0.0000133334 for the first 7.5 billion, $0.0000120001 for the next 11.25 billion
    and $0.0000106667 beyond 18.75 billion.

INIT (cold starts)
    Since 1 August 2025 the INIT phase of a cold start is billed like duration for
    ZIP functions on managed runtimes (such as ``python3.13``). A cold invocation
    bills ``ceil(duration + init duration)`` ms; its REPORT line shows it as
    ``Billed Duration``. The INIT line below is what cold starts add to the bill.

Ephemeral storage
    512 MB of ``/tmp`` is included. Storage configured above that (up to 10,240 MB)
    costs $0.0000000309 per GB-second of billed duration.

Provisioned Concurrency
    Environments kept initialised cost $0.0000041667 per GB-s of the configured
    concurrency (environments x memory) while enabled (x86; Arm $0.0000033334), from
    the moment it is enabled until it is removed, rounded up to the next 5 minutes
    (so 5 minutes at least; not billed by the hour). Requests they
    serve pay the request price plus a lower duration price, $0.0000097222 per GB-s
    (Arm $0.0000077778).

Free tier
    Every month, for ever: 1 million requests and 400,000 GB-seconds, shared by x86
    and Arm functions (the account gets one allowance, not one per architecture).

How this module applies the free tier when charges mix (our decision, matching all
AWS worked examples we could check):

* the 400,000 free GB-s go against **on-demand duration only**, starting at the bottom
  of the first price tier ("in tier order"), so volume tiers count the free GB-s too;
* invocation time is covered before INIT time, so the INIT line is exactly what
  cold starts add;
* the 1 million free requests go against on-demand requests only; requests served by
  Provisioned Concurrency are always billed (this reproduces both Provisioned
  Concurrency examples on the pricing page);
* nothing is free for ephemeral storage or Provisioned Concurrency.

Charges keep full precision; round only for display (AWS's own examples round each
line to the cent). Prices are us-east-1 and live in one place, :data:`PRICES`, with
their :data:`SOURCE` and :data:`EFFECTIVE` date: a new price list is a one-line change.

Sources
-------
* Pricing page and worked examples: https://aws.amazon.com/lambda/pricing/
* Volume tiers: https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/
* INIT billing: https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase
* Memory and CPU (one vCPU at 1,769 MB):
  https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
* REPORT line format: https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html

Example
-------
>>> from lambdalab.pricing import monthly_cost
>>> bill = monthly_cost(requests=3_000_000, duration_ms=120, memory_mb=1536)
>>> round(bill.compute_charge, 2), round(bill.request_charge, 2), bill.cents
(2.33, 0.4, 273)
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "ARCHITECTURES",
    "EFFECTIVE",
    "FREE_TIER",
    "HOURS_PER_MONTH",
    "PRICES",
    "SOURCE",
    "ArchitecturePrices",
    "CostBreakdown",
    "FreeTier",
    "PricingError",
    "Report",
    "cost_from_reports",
    "crossover_requests",
    "monthly_cost",
    "parse_report",
    "server_monthly_cost",
    "vcpus",
]


# --------------------------------------------------------------------------------------
# Price list: the only place with numbers from AWS. Update these lines, nothing else.
# --------------------------------------------------------------------------------------


class PricingError(ValueError):
    """An input the price calculation cannot take (a negative count, a memory size Lambda
    does not offer...); the message says which and why."""


@dataclass(frozen=True)
class ArchitecturePrices:
    """Lambda prices for one architecture, in US dollars.

    Attributes
    ----------
    request_per_million : float
        Price of one million requests.
    duration_tiers : tuple of (float, float)
        ``(tier size in GB-s, price per GB-s)`` in order; the last size is ``math.inf``.
    ephemeral_storage_per_gb_second : float
        Price per GB-s of ephemeral storage configured above 512 MB.
    provisioned_concurrency_per_gb_second : float
        Price per GB-s of Provisioned Concurrency while it is enabled.
    provisioned_duration_per_gb_second : float
        Duration price for requests served by Provisioned Concurrency.

    Example
    -------
    >>> PRICES["arm64"].duration_tiers[0]
    (7500000000.0, 1.33334e-05)
    """

    request_per_million: float
    duration_tiers: tuple[tuple[float, float], ...]
    ephemeral_storage_per_gb_second: float
    provisioned_concurrency_per_gb_second: float
    provisioned_duration_per_gb_second: float


@dataclass(frozen=True)
class FreeTier:
    """The always-free monthly allowance (per account, shared by both architectures).

    Example
    -------
    >>> FREE_TIER.requests, FREE_TIER.gb_seconds
    (1000000, 400000.0)
    """

    requests: int
    gb_seconds: float


#: Where the prices below were read.
SOURCE = (
    "AWS Price List API, us-east-1 (as published in a public repository), checked against "
    "https://aws.amazon.com/lambda/pricing/ and "
    "https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/"
)
#: The date the price list below took effect (ISO 8601).
EFFECTIVE = "2025-10-01"

#: Lambda prices in us-east-1, keyed by architecture as AWS names it.
PRICES: dict[str, ArchitecturePrices] = {
    "x86_64": ArchitecturePrices(
        request_per_million=0.20,
        duration_tiers=((6e9, 0.0000166667), (9e9, 0.0000150000), (math.inf, 0.0000133334)),
        ephemeral_storage_per_gb_second=0.0000000309,
        provisioned_concurrency_per_gb_second=0.0000041667,
        provisioned_duration_per_gb_second=0.0000097222,
    ),
    "arm64": ArchitecturePrices(
        request_per_million=0.20,
        duration_tiers=((7.5e9, 0.0000133334), (11.25e9, 0.0000120001), (math.inf, 0.0000106667)),
        ephemeral_storage_per_gb_second=0.0000000309,
        provisioned_concurrency_per_gb_second=0.0000033334,
        provisioned_duration_per_gb_second=0.0000077778,
    ),
}

#: Always-free allowance per month; does not apply to Provisioned Concurrency.
FREE_TIER = FreeTier(requests=1_000_000, gb_seconds=400_000.0)

# --------------------------------------------------------------------------------------
# Limits and conventions (AWS documentation, not prices).
# --------------------------------------------------------------------------------------

#: Architectures Lambda accepts, in AWS's spelling.
ARCHITECTURES = ("x86_64", "arm64")
MIN_MEMORY_MB = 128
MAX_MEMORY_MB = 10_240
MIN_EPHEMERAL_STORAGE_MB = 512
MAX_EPHEMERAL_STORAGE_MB = 10_240
#: Memory at which a function gets the equivalent of one vCPU.
MB_PER_VCPU = 1769
#: Hours in a month as AWS's calculator counts them (365 * 24 / 12).
HOURS_PER_MONTH = 730
#: Provisioned Concurrency time is rounded up to this many seconds (5 minutes).
PROVISIONED_ROUNDING_S = 300
MB_PER_GB = 1024


# --------------------------------------------------------------------------------------
# The breakdown
# --------------------------------------------------------------------------------------


def _to_cents(dollars: float) -> Decimal:
    """Round dollars to the cent, halves up (as a bill does)."""
    return Decimal(repr(dollars)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _fmt_quantity(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.2f}"


def _fmt_unit_price(price: float) -> str:
    return f"${price:.10f}".rstrip("0")


@dataclass(frozen=True)
class CostBreakdown:
    """One month of Lambda charges, line by line, in US dollars (full precision).

    Create one with :func:`monthly_cost` or :func:`cost_from_reports`. ``str(bill)``
    is a plain-text table; in Jupyter the bill displays as an HTML table.

    Attributes
    ----------
    architecture : str
        ``"x86_64"`` or ``"arm64"``.
    requests : float
        All requests in the month (on-demand and Provisioned Concurrency).
    billable_requests : float
        Requests left after the free tier.
    request_charge : float
    compute_gb_seconds : float
        On-demand duration in GB-s, INIT time included.
    init_gb_seconds : float
        The part of ``compute_gb_seconds`` spent in INIT (cold starts).
    free_gb_seconds : float
        Free-tier GB-s used by this bill.
    billable_gb_seconds : float
        ``compute_gb_seconds - free_gb_seconds``.
    compute_charge : float
        Duration charge for invocation time (INIT excluded).
    init_charge : float
        Duration charge for INIT time.
    ephemeral_storage_gb_seconds, ephemeral_storage_charge : float
        Storage above 512 MB times billed duration, and its charge.
    provisioned_concurrency_gb_seconds, provisioned_concurrency_charge : float
        Configured concurrency times memory times enabled time, and its charge.
    provisioned_duration_gb_seconds, provisioned_duration_charge : float
        Duration of requests served by Provisioned Concurrency, and its charge.

    Example
    -------
    >>> bill = monthly_cost(requests=1_000_000, duration_ms=200, memory_mb=512, free_tier=False)
    >>> bill.total, bill.rounded()["total"]
    (1.86667, 1.87)
    """

    architecture: str
    requests: float
    billable_requests: float
    request_charge: float
    compute_gb_seconds: float
    init_gb_seconds: float
    free_gb_seconds: float
    billable_gb_seconds: float
    compute_charge: float
    init_charge: float
    ephemeral_storage_gb_seconds: float = 0.0
    ephemeral_storage_charge: float = 0.0
    provisioned_concurrency_gb_seconds: float = 0.0
    provisioned_concurrency_charge: float = 0.0
    provisioned_duration_gb_seconds: float = 0.0
    provisioned_duration_charge: float = 0.0
    prices: ArchitecturePrices | None = field(default=None, repr=False, compare=False)

    #: The charge lines, in bill order, with their labels.
    LINES = (
        ("request_charge", "Requests"),
        ("compute_charge", "Duration (on-demand)"),
        ("init_charge", "INIT (cold starts)"),
        ("ephemeral_storage_charge", "Ephemeral storage above 512 MB"),
        ("provisioned_concurrency_charge", "Provisioned Concurrency"),
        ("provisioned_duration_charge", "Duration (Provisioned Concurrency)"),
    )

    @property
    def total(self) -> float:
        """Sum of all charge lines, in dollars, unrounded."""
        return sum(getattr(self, name) for name, _ in self.LINES)

    @property
    def cents(self) -> int:
        """The total in whole cents (halves rounded up).

        Example
        -------
        >>> monthly_cost(3_000_000, 120, 1536).cents
        273
        """
        return int(_to_cents(self.total) * 100)

    def rounded(self) -> dict[str, float]:
        """Every charge line and the total, rounded to the cent.

        The total is rounded from the full-precision sum, so on rare bills the
        rounded lines add up to a cent more or less than the rounded total.

        Example
        -------
        >>> monthly_cost(3_000_000, 120, 1536).rounded()["compute_charge"]
        2.33
        """
        lines = {name: float(_to_cents(getattr(self, name))) for name, _ in self.LINES}
        lines["total"] = float(_to_cents(self.total))
        return lines

    # ---- display -------------------------------------------------------------------

    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(line item, quantity, unit price, cost) rows for the tables."""
        p = self.prices
        rows = []
        show_provisioned = self.provisioned_concurrency_gb_seconds > 0 or (
            self.provisioned_duration_gb_seconds > 0
        )
        for name, label in self.LINES:
            if name.startswith("provisioned") and not show_provisioned:
                continue
            if name == "ephemeral_storage_charge" and self.ephemeral_storage_gb_seconds == 0:
                continue
            cost = f"${_to_cents(getattr(self, name)):,}"
            if name == "request_charge":
                qty = f"{_fmt_quantity(self.billable_requests)} requests"
                unit = f"${p.request_per_million:.2f} per 1M" if p else ""
            elif name in ("compute_charge", "init_charge"):
                if name == "compute_charge":
                    gbs = self.billable_gb_seconds - self._billable_init_gb_seconds()
                else:
                    gbs = self._billable_init_gb_seconds()
                qty = f"{_fmt_quantity(gbs)} GB-s"
                unit = self._duration_unit_price()
            else:
                gbs, price = {
                    "ephemeral_storage_charge": (
                        self.ephemeral_storage_gb_seconds,
                        p and p.ephemeral_storage_per_gb_second,
                    ),
                    "provisioned_concurrency_charge": (
                        self.provisioned_concurrency_gb_seconds,
                        p and p.provisioned_concurrency_per_gb_second,
                    ),
                    "provisioned_duration_charge": (
                        self.provisioned_duration_gb_seconds,
                        p and p.provisioned_duration_per_gb_second,
                    ),
                }[name]
                qty = f"{_fmt_quantity(gbs)} GB-s"
                unit = _fmt_unit_price(price) + "/GB-s" if price else ""
            rows.append((label, qty, unit, cost))
        return rows

    def _billable_init_gb_seconds(self) -> float:
        # Invocation time is covered by the free tier first, so INIT is billed in full
        # unless the free allowance is larger than all invocation time.
        invoke = self.compute_gb_seconds - self.init_gb_seconds
        free_left = max(0.0, self.free_gb_seconds - invoke)
        return max(0.0, self.init_gb_seconds - free_left)

    def _duration_unit_price(self) -> str:
        if self.prices is None:
            return ""
        first_size, first_price = self.prices.duration_tiers[0]
        if self.compute_gb_seconds <= first_size:
            return _fmt_unit_price(first_price) + "/GB-s"
        return "tiered (see PRICES)"

    def _title(self) -> str:
        free = "free tier applied" if self.free_gb_seconds or self._free_requests() else ""
        extra = f", {free}" if free else ""
        if self.prices is not None and self.prices in PRICES.values():
            source = f"us-east-1 prices effective {EFFECTIVE}"
        else:
            source = "custom price list"
        return f"AWS Lambda monthly cost: {self.architecture}, {source}{extra}"

    def _free_tier_note(self) -> str:
        if not (self.free_gb_seconds or self._free_requests()):
            return ""
        return (
            f"Free tier used: {_fmt_quantity(self._free_requests())} requests and "
            f"{_fmt_quantity(self.free_gb_seconds)} GB-s "
            f"(of {_fmt_quantity(self.compute_gb_seconds)} GB-s on-demand duration)"
        )

    def _free_requests(self) -> float:
        return self.requests - self.billable_requests

    def __str__(self) -> str:
        header = ("Line item", "Quantity", "Unit price", "Cost")
        rows = self._rows()
        total = ("Total", "", "", f"${_to_cents(self.total):,}")
        widths = [max(len(r[i]) for r in [header, *rows, total]) for i in range(4)]

        def fmt(row: tuple[str, str, str, str]) -> str:
            return (
                f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  "
                f"{row[2]:<{widths[2]}}  {row[3]:>{widths[3]}}"
            ).rstrip()

        rule = "-" * len(fmt(("", "", "", "x" * widths[3])))
        lines = [self._title(), fmt(header), rule, *(fmt(r) for r in rows), rule, fmt(total)]
        if self._free_tier_note():
            lines.append(self._free_tier_note())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        cells = "".join(
            "<tr>"
            f"<td style='text-align:left'>{esc(label)}</td>"
            f"<td style='text-align:right'>{esc(qty)}</td>"
            f"<td style='text-align:left'>{esc(unit)}</td>"
            f"<td style='text-align:right'>{esc(cost)}</td>"
            "</tr>"
            for label, qty, unit, cost in self._rows()
        )
        return (
            "<table>"
            f"<caption>{esc(self._title())}</caption>"
            "<thead><tr><th style='text-align:left'>Line item</th><th>Quantity</th>"
            "<th style='text-align:left'>Unit price</th><th>Cost</th></tr></thead>"
            f"<tbody>{cells}</tbody>"
            "<tfoot><tr><th style='text-align:left'>Total</th><th></th><th></th>"
            f"<th style='text-align:right'>{esc(f'${_to_cents(self.total):,}')}</th></tr>"
            "</tfoot></table>"
            + (
                f"<p><small>{esc(self._free_tier_note())}</small></p>"
                if self._free_tier_note()
                else ""
            )
        )


# --------------------------------------------------------------------------------------
# Validation (messages say what AWS allows)
# --------------------------------------------------------------------------------------


def _check_architecture(architecture: str, prices: Mapping[str, ArchitecturePrices]) -> None:
    if architecture not in ARCHITECTURES:
        raise PricingError(
            f"architecture must be 'x86_64' or 'arm64' (AWS's names), got {architecture!r}"
        )
    if architecture not in prices:
        raise PricingError(f"the price list has no prices for {architecture!r}")


def _check_whole_mb(name: str, value: float, low: int, high: int, note: str) -> None:
    """A whole number of MB within Lambda's range, or a ValueError saying what is allowed."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value != int(value)
        or not low <= value <= high
    ):
        raise PricingError(
            f"{name} must be a whole number of MB from {low} to {high:,} ({note}), got {value!r}"
        )


def _check_memory(memory_mb: float) -> None:
    _check_whole_mb(
        "memory_mb", memory_mb, MIN_MEMORY_MB, MAX_MEMORY_MB, "any 1 MB step is allowed"
    )


def _check_ephemeral(ephemeral_storage_mb: float) -> None:
    _check_whole_mb(
        "ephemeral_storage_mb",
        ephemeral_storage_mb,
        MIN_EPHEMERAL_STORAGE_MB,
        MAX_EPHEMERAL_STORAGE_MB,
        "512 MB is included at no cost",
    )


def _check_non_negative(name: str, value: float, unit: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise PricingError(f"{name} must be a number >= 0{unit}, got {value!r}")
    if math.isinf(value):
        raise PricingError(f"{name} must be finite, got {value!r}")


# --------------------------------------------------------------------------------------
# The arithmetic
# --------------------------------------------------------------------------------------


def _tiered_charge(start: float, end: float, tiers: Iterable[tuple[float, float]]) -> float:
    """Charge for the GB-s between ``start`` and ``end`` of the month's running total."""
    charge = 0.0
    lower = 0.0
    for size, price in tiers:
        upper = lower + size
        overlap = min(end, upper) - max(start, lower)
        if overlap > 0:
            charge += overlap * price
        lower = upper
        if lower >= end:
            break
    return charge


def _breakdown(
    *,
    architecture: str,
    memory_mb: float,
    on_demand_requests: float,
    invoke_ms: float,
    init_ms: float,
    free_tier: bool,
    ephemeral_storage_mb: float,
    provisioned_concurrency: int,
    provisioned_hours: float,
    provisioned_requests: float,
    provisioned_ms: float,
    prices: Mapping[str, ArchitecturePrices],
) -> CostBreakdown:
    """Price already-billed quantities (ms are totals over the month, already rounded)."""
    p = prices[architecture]
    gb = memory_mb / MB_PER_GB

    # Requests: the free requests go against on-demand requests only.
    free_requests = min(on_demand_requests, FREE_TIER.requests) if free_tier else 0.0
    billable_requests = on_demand_requests - free_requests + provisioned_requests
    request_charge = billable_requests * p.request_per_million / 1_000_000

    # On-demand duration: invocation time first, then INIT time, priced along the tiers.
    invoke_gbs = invoke_ms / 1000 * gb
    init_gbs = init_ms / 1000 * gb
    compute_gbs = invoke_gbs + init_gbs
    free_gbs = min(compute_gbs, FREE_TIER.gb_seconds) if free_tier else 0.0
    compute_charge = _tiered_charge(free_gbs, invoke_gbs, p.duration_tiers)
    init_charge = _tiered_charge(max(free_gbs, invoke_gbs), compute_gbs, p.duration_tiers)

    # Ephemeral storage above 512 MB, for all billed duration.
    extra_storage_gb = (ephemeral_storage_mb - MIN_EPHEMERAL_STORAGE_MB) / MB_PER_GB
    storage_gbs = extra_storage_gb * (invoke_ms + init_ms + provisioned_ms) / 1000
    storage_charge = storage_gbs * p.ephemeral_storage_per_gb_second

    # Provisioned Concurrency: enabled time rounded up to 5 minutes; no free tier.
    enabled_s = math.ceil(round(provisioned_hours * 3600, 6) / PROVISIONED_ROUNDING_S)
    enabled_s *= PROVISIONED_ROUNDING_S
    pc_gbs = provisioned_concurrency * gb * enabled_s
    pc_duration_gbs = provisioned_ms / 1000 * gb

    return CostBreakdown(
        architecture=architecture,
        requests=on_demand_requests + provisioned_requests,
        billable_requests=billable_requests,
        request_charge=request_charge,
        compute_gb_seconds=compute_gbs,
        init_gb_seconds=init_gbs,
        free_gb_seconds=free_gbs,
        billable_gb_seconds=compute_gbs - free_gbs,
        compute_charge=compute_charge,
        init_charge=init_charge,
        ephemeral_storage_gb_seconds=storage_gbs,
        ephemeral_storage_charge=storage_charge,
        provisioned_concurrency_gb_seconds=pc_gbs,
        provisioned_concurrency_charge=pc_gbs * p.provisioned_concurrency_per_gb_second,
        provisioned_duration_gb_seconds=pc_duration_gbs,
        provisioned_duration_charge=pc_duration_gbs * p.provisioned_duration_per_gb_second,
        prices=p,
    )


def monthly_cost(
    requests: float,
    duration_ms: float,
    memory_mb: int,
    architecture: str = "x86_64",
    free_tier: bool = True,
    ephemeral_storage_mb: int = 512,
    cold_start_rate: float = 0.0,
    init_duration_ms: float = 0.0,
    provisioned_concurrency: int = 0,
    provisioned_hours: float = 0.0,
    provisioned_requests: float = 0,
    provisioned_duration_ms: float | None = None,
    prices: Mapping[str, ArchitecturePrices] = PRICES,
) -> CostBreakdown:
    """Price one function for one month, the way AWS bills it.

    Parameters
    ----------
    requests : float
        Invocations in the month, all of them (including any served by Provisioned
        Concurrency).
    duration_ms : float
        Duration of each on-demand invocation (the REPORT line's ``Duration``); it is
        rounded up to a whole millisecond per invocation.
    memory_mb : int
        Configured memory, 128 to 10,240 MB in 1 MB steps.
    architecture : {"x86_64", "arm64"}
        Instruction set architecture; Arm (Graviton) is cheaper per GB-s.
    free_tier : bool
        Apply the always-free allowance (1M requests, 400,000 GB-s a month). Pass
        ``False`` when other functions in the account already use it up: it is one
        allowance per account, shared by x86 and Arm.
    ephemeral_storage_mb : int
        ``/tmp`` size, 512 to 10,240 MB; storage above 512 MB is billed.
    cold_start_rate : float
        Share of on-demand invocations that are cold starts, 0 to 1.
    init_duration_ms : float
        INIT duration of a cold start (the REPORT line's ``Init Duration``). A cold
        invocation bills ``ceil(duration_ms + init_duration_ms)`` ms (since 1 Aug 2025).
    provisioned_concurrency : int
        Provisioned Concurrency configured (number of execution environments).
    provisioned_hours : float
        Hours in the month with Provisioned Concurrency enabled (rounded up to 5 min).
    provisioned_requests : float
        How many of ``requests`` were served by Provisioned Concurrency. The rest run
        on demand.
    provisioned_duration_ms : float, optional
        Duration of the requests served by Provisioned Concurrency; defaults to
        ``duration_ms``.
    prices : mapping, optional
        A price list keyed by architecture; defaults to :data:`PRICES`.

    Returns
    -------
    CostBreakdown
        Every charge line and ``.total``; print it or show it in Jupyter for a table.

    Raises
    ------
    ValueError
        When an input is outside what Lambda allows; the message says what is allowed.

    Example
    -------
    The pricing page's mobile backend: 3M requests, 120 ms, 1,536 MB, x86.

    >>> bill = monthly_cost(requests=3_000_000, duration_ms=120, memory_mb=1536)
    >>> bill.billable_gb_seconds, bill.rounded()["total"]
    (140000.0, 2.73)
    >>> monthly_cost(1_000_000, 200, 512, architecture="arm64", free_tier=False).cents
    153
    """
    _check_architecture(architecture, prices)
    _check_non_negative("requests", requests)
    _check_non_negative("duration_ms", duration_ms, " (milliseconds)")
    _check_memory(memory_mb)
    _check_ephemeral(ephemeral_storage_mb)
    _check_non_negative("init_duration_ms", init_duration_ms, " (milliseconds)")
    if isinstance(cold_start_rate, bool) or not (
        isinstance(cold_start_rate, int | float) and 0 <= cold_start_rate <= 1
    ):
        raise PricingError(
            f"cold_start_rate must be a share from 0 to 1 (0.01 = 1% of invocations are "
            f"cold starts), got {cold_start_rate!r}"
        )
    if (
        isinstance(provisioned_concurrency, bool)
        or not isinstance(provisioned_concurrency, int)
        or provisioned_concurrency < 0
    ):
        raise PricingError(
            "provisioned_concurrency must be a whole number of execution environments >= 0, "
            f"got {provisioned_concurrency!r}"
        )
    _check_non_negative("provisioned_hours", provisioned_hours, " (hours)")
    _check_non_negative("provisioned_requests", provisioned_requests)
    if provisioned_requests > requests:
        raise PricingError(
            f"provisioned_requests ({provisioned_requests:,}) cannot exceed requests "
            f"({requests:,}): requests counts every invocation in the month"
        )
    if provisioned_requests and not (provisioned_concurrency and provisioned_hours):
        raise PricingError(
            "provisioned_requests needs Provisioned Concurrency: set provisioned_concurrency "
            "and provisioned_hours too"
        )
    if provisioned_duration_ms is None:
        provisioned_duration_ms = duration_ms
    _check_non_negative("provisioned_duration_ms", provisioned_duration_ms, " (milliseconds)")

    on_demand = requests - provisioned_requests
    cold = on_demand * cold_start_rate
    warm_billed = math.ceil(duration_ms)
    cold_billed = math.ceil(duration_ms + init_duration_ms) if cold else warm_billed
    return _breakdown(
        architecture=architecture,
        memory_mb=memory_mb,
        on_demand_requests=on_demand,
        invoke_ms=on_demand * warm_billed,
        init_ms=cold * (cold_billed - warm_billed),
        free_tier=free_tier,
        ephemeral_storage_mb=ephemeral_storage_mb,
        provisioned_concurrency=provisioned_concurrency,
        provisioned_hours=provisioned_hours,
        provisioned_requests=provisioned_requests,
        provisioned_ms=provisioned_requests * math.ceil(provisioned_duration_ms),
        prices=prices,
    )


# --------------------------------------------------------------------------------------
# REPORT lines
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The numbers in one ``REPORT`` log line.

    Attributes
    ----------
    request_id : str
    duration_ms : float
        Time in the handler.
    billed_duration_ms : int
        What AWS billed: duration rounded up to 1 ms, plus INIT on a cold start.
    memory_size_mb : int
        Configured memory.
    max_memory_used_mb : int
        Peak memory the execution environment used.
    init_duration_ms : float or None
        INIT time; only cold starts have it.

    Example
    -------
    >>> parse_report(
    ...     "REPORT RequestId: 1\\tDuration: 1.5 ms\\tBilled Duration: 2 ms\\t"
    ...     "Memory Size: 128 MB\\tMax Memory Used: 40 MB"
    ... ).cold_start
    False
    """

    request_id: str
    duration_ms: float
    billed_duration_ms: int
    memory_size_mb: int
    max_memory_used_mb: int
    init_duration_ms: float | None = None

    @property
    def cold_start(self) -> bool:
        """True when the line reports an INIT phase (a new execution environment)."""
        return self.init_duration_ms is not None


_REPORT_RE = re.compile(
    r"REPORT\s+RequestId:\s*(?P<request_id>\S+)"
    r"\s+Duration:\s*(?P<duration>\d+(?:\.\d+)?)\s*ms"
    r"\s+Billed Duration:\s*(?P<billed>\d+)\s*ms"
    r"\s+Memory Size:\s*(?P<memory>\d+)\s*MB"
    r"\s+Max Memory Used:\s*(?P<used>\d+)\s*MB"
    r"(?:\s+Init Duration:\s*(?P<init>\d+(?:\.\d+)?)\s*ms)?"
)
_EXAMPLE_REPORT = (
    "REPORT RequestId: <uuid>\tDuration: 15.74 ms\tBilled Duration: 147 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms"
)


def parse_report(line: str) -> Report:
    """Read one ``REPORT`` line from a function's CloudWatch log.

    Fields are tab-separated in CloudWatch; spaces work too, and text before
    ``REPORT`` (such as a timestamp) is ignored.

    Parameters
    ----------
    line : str
        A line such as ``REPORT RequestId: ...\\tDuration: 15.74 ms\\t...``.

    Returns
    -------
    Report

    Raises
    ------
    ValueError
        When the line is not a REPORT line.

    Example
    -------
    >>> r = parse_report(
    ...     "REPORT RequestId: 3f2a\\tDuration: 15.74 ms\\tBilled Duration: 147 ms\\t"
    ...     "Memory Size: 128 MB\\tMax Memory Used: 56 MB\\tInit Duration: 130.49 ms"
    ... )
    >>> r.billed_duration_ms, r.init_duration_ms, r.cold_start
    (147, 130.49, True)
    """
    match = _REPORT_RE.search(line)
    if match is None:
        raise PricingError(
            f"not a Lambda REPORT line: {line.strip()[:120]!r}. Expected a line like "
            f"{_EXAMPLE_REPORT!r}"
        )
    init = match["init"]
    return Report(
        request_id=match["request_id"],
        duration_ms=float(match["duration"]),
        billed_duration_ms=int(match["billed"]),
        memory_size_mb=int(match["memory"]),
        max_memory_used_mb=int(match["used"]),
        init_duration_ms=float(init) if init is not None else None,
    )


def cost_from_reports(
    report_lines: str | Iterable[str],
    requests_per_month: float | None = None,
    architecture: str = "x86_64",
    free_tier: bool = True,
    ephemeral_storage_mb: int = 512,
) -> CostBreakdown:
    """Price a month from a sample of real REPORT lines.

    The sample gives the average billed duration of warm and of cold invocations and
    the cold-start share; these are scaled to ``requests_per_month``. ``Billed
    Duration`` is taken as AWS reported it (it already includes INIT on a cold start);
    the INIT line is the billed time above ``ceil(Duration)`` on cold lines.

    Parameters
    ----------
    report_lines : str or iterable of str
        Log lines, as a list or one multi-line string. Lines other than REPORT lines
        (START, END, your own prints) are ignored.
    requests_per_month : float, optional
        Requests to price; by default the sample is the whole month.
    architecture : {"x86_64", "arm64"}
    free_tier : bool
    ephemeral_storage_mb : int

    Returns
    -------
    CostBreakdown

    Raises
    ------
    ValueError
        When no REPORT line is found, or the lines mix memory sizes.

    Example
    -------
    >>> logs = '''START RequestId: a Version: $LATEST
    ... REPORT RequestId: a\\tDuration: 15.74 ms\\tBilled Duration: 147 ms\\tMemory Size: 128 MB\\tMax Memory Used: 56 MB\\tInit Duration: 130.49 ms
    ... REPORT RequestId: b\\tDuration: 2.10 ms\\tBilled Duration: 3 ms\\tMemory Size: 128 MB\\tMax Memory Used: 56 MB'''
    >>> bill = cost_from_reports(logs, requests_per_month=10_000_000, free_tier=False)
    >>> bill.cents  # 10M requests $2.00 + 93,750 GB-s $1.56 (one sample in two is cold)
    356
    """  # noqa: E501
    lines = report_lines.splitlines() if isinstance(report_lines, str) else list(report_lines)
    reports = [parse_report(line) for line in lines if "REPORT RequestId:" in line]
    if not reports:
        raise PricingError(
            "no REPORT line found: pass the function's log lines (a list of strings or one "
            f"multi-line string) including lines like {_EXAMPLE_REPORT!r}"
        )
    memory_sizes = sorted({r.memory_size_mb for r in reports})
    if len(memory_sizes) > 1:
        raise PricingError(
            f"the REPORT lines mix memory sizes {memory_sizes} MB: price one function "
            "configuration at a time"
        )
    if requests_per_month is None:
        requests_per_month = len(reports)
    _check_non_negative("requests_per_month", requests_per_month)
    _check_architecture(architecture, PRICES)
    _check_ephemeral(ephemeral_storage_mb)
    memory_mb = memory_sizes[0]
    _check_memory(memory_mb)

    scale = requests_per_month / len(reports)
    invoke_ms = 0.0
    init_ms = 0.0
    for r in reports:
        handler_ms = min(math.ceil(r.duration_ms), r.billed_duration_ms)
        if r.cold_start:
            invoke_ms += handler_ms
            init_ms += r.billed_duration_ms - handler_ms
        else:
            invoke_ms += r.billed_duration_ms
    return _breakdown(
        architecture=architecture,
        memory_mb=memory_mb,
        on_demand_requests=requests_per_month,
        invoke_ms=invoke_ms * scale,
        init_ms=init_ms * scale,
        free_tier=free_tier,
        ephemeral_storage_mb=ephemeral_storage_mb,
        provisioned_concurrency=0,
        provisioned_hours=0.0,
        provisioned_requests=0,
        provisioned_ms=0.0,
        prices=PRICES,
    )


# --------------------------------------------------------------------------------------
# Lesson 05 helpers: Lambda or a server?
# --------------------------------------------------------------------------------------


def server_monthly_cost(hourly_price: float) -> float:
    """Monthly cost of a server running all month (730 hours, as AWS's calculator).

    Example
    -------
    >>> round(server_monthly_cost(0.0208), 2)
    15.18
    """
    _check_non_negative("hourly_price", hourly_price, " (dollars per hour)")
    return hourly_price * HOURS_PER_MONTH


def vcpus(memory_mb: int) -> float:
    """vCPU equivalent of a memory setting: one vCPU at 1,769 MB, in proportion.

    Example
    -------
    >>> vcpus(1769), round(vcpus(10_240), 2)
    (1.0, 5.79)
    """
    _check_memory(memory_mb)
    return memory_mb / MB_PER_VCPU


def _solve_increasing(
    cost: Callable[[float], float], breakpoints: Iterable[float], target: float
) -> float:
    """Smallest x >= 0 with cost(x) == target, for a continuous, non-decreasing cost that
    is linear between the breakpoints (and beyond the last one)."""
    points = sorted({0.0, *(b for b in breakpoints if b > 0 and math.isfinite(b))})
    previous, previous_cost = points[0], cost(points[0])
    if previous_cost >= target:
        return previous
    for point in points[1:]:
        point_cost = cost(point)
        if point_cost >= target:
            break
        previous, previous_cost = point, point_cost
    else:
        # Past the last breakpoint the cost is a straight line: extrapolate.
        point = previous * 2 if previous else 1.0
        point_cost = cost(point)
        if point_cost <= previous_cost:
            raise PricingError("Lambda's cost does not grow with requests; no crossover")
    slope = (point_cost - previous_cost) / (point - previous)
    return previous + (target - previous_cost) / slope


def crossover_requests(
    duration_ms: float,
    memory_mb: int,
    server_monthly: float,
    architecture: str = "x86_64",
    free_tier: bool = True,
    cold_start_rate: float = 0.0,
    init_duration_ms: float = 0.0,
) -> float:
    """Requests per month at which Lambda costs as much as a server.

    Below this volume Lambda is cheaper; above it, the server. The free tier, the
    1 ms rounding, INIT billing and the volume tiers are all taken into account. The
    cost is linear between a few known points (free requests used up, free GB-s used
    up, tier boundaries), so the answer is exact, not an approximation.

    Parameters
    ----------
    duration_ms : float
        Duration of each invocation.
    memory_mb : int
        Configured memory, 128 to 10,240 MB.
    server_monthly : float
        The server's monthly cost, e.g. from :func:`server_monthly_cost`.
    architecture : {"x86_64", "arm64"}
    free_tier : bool
    cold_start_rate, init_duration_ms : float
        As in :func:`monthly_cost`.

    Returns
    -------
    float
        Requests per month (0 when the server costs nothing).

    Example
    -------
    A t3.small at $0.0208 an hour against a 120 ms, 512 MB function:

    >>> server = server_monthly_cost(0.0208)
    >>> n = crossover_requests(duration_ms=120, memory_mb=512, server_monthly=server)
    >>> round(n / 1e6, 1), round(monthly_cost(n, 120, 512).total, 2)
    (18.4, 15.18)
    """
    _check_non_negative("server_monthly", server_monthly, " (dollars per month)")

    def bill(requests: float, free_tier: bool = free_tier) -> CostBreakdown:
        return monthly_cost(
            requests,
            duration_ms,
            memory_mb,
            architecture=architecture,
            free_tier=free_tier,
            cold_start_rate=cold_start_rate,
            init_duration_ms=init_duration_ms,
        )

    # Validate the other inputs once, with monthly_cost's messages.
    gb_seconds_per_request = bill(1, free_tier=False).compute_gb_seconds
    breakpoints = [float(FREE_TIER.requests)]
    if gb_seconds_per_request > 0:
        boundaries = [FREE_TIER.gb_seconds]
        edge = 0.0
        for size, _ in PRICES[architecture].duration_tiers:
            edge += size
            boundaries.append(edge)
        breakpoints += [b / gb_seconds_per_request for b in boundaries]
    return _solve_increasing(lambda requests: bill(requests).total, breakpoints, server_monthly)
