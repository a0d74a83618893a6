"""Checks for lesson 05, Pricing: what a Lambda function costs, and when it stops paying off.

Every expected figure comes from :mod:`lambdalab.pricing`, which reproduces the worked
examples of AWS's pricing page (https://aws.amazon.com/lambda/pricing/) to the cent. The
checks try many inputs, so an answer that hard-codes one case does not pass.
"""

from __future__ import annotations

import math
import random
from numbers import Real
from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import NotYet, call_answer, describe, expect_function
from lambdalab.pricing import (
    FREE_TIER,
    PRICES,
    crossover_requests,
    monthly_cost,
    parse_report,
)

X86_PER_GB_S = PRICES["x86_64"].duration_tiers[0][1]


def _number(answer: Any, what: str) -> float:
    """The answer as a float, or a NotYet that says what was expected."""
    if isinstance(answer, bool) or not isinstance(answer, Real):
        raise NotYet(f"{what} should be a number; it is {describe(answer)}")
    value = float(answer)
    if math.isnan(value):
        raise NotYet(f"{what} is NaN (not a number): check the arithmetic")
    return value


def _close(got: float, wanted: float, cents: float = 0.005) -> bool:
    return abs(got - wanted) <= cents


def _cases_05_1() -> list[tuple[float, float, int]]:
    """Fixed cases that each catch one mistake, then random ones (the same every run)."""
    cases = [
        (1_000_000, 200, 512),  # the article's example: all inside the free tier
        (3_000_000, 120, 1536),  # the pricing page's example: $2.73
        (5_000_000, 200, 512),  # both allowances used up
        (2_000_000, 10, 128),  # requests beyond the free tier, GB-s inside it
        (800_000, 1000, 1024),  # requests inside, GB-s beyond
        (4_000_000, 0.4, 128),  # 0.4 ms bills 1 ms
        (50_000_000, 10.2, 1024),  # 10.2 ms bills 11 ms
        (0, 100, 128),  # no traffic, no bill
    ]
    rng = random.Random(5)
    while len(cases) < 60:
        requests = rng.choice([rng.randint(0, 2_000_000), int(10 ** rng.uniform(3, 8.5))])
        duration = round(10 ** rng.uniform(0, 4), rng.choice([0, 1, 2]))
        memory = rng.choice([128, 256, 512, 1024, 1536, 1769, 3008, rng.randint(128, 10_240)])
        # Stay inside the first price tier (6 billion GB-s a month): one price per GB-s.
        if requests * math.ceil(duration) / 1000 * memory / 1024 < 5e9:
            cases.append((requests, duration, memory))
    return cases


def _formula(
    requests: float,
    duration: float,
    memory: int,
    billed_ms: Any = math.ceil,
    mb_per_gb: int = 1024,
    floor_requests: bool = True,
    floor_gb_s: bool = True,
) -> float:
    """The 05.1 bill (x86, free tier), with one step changed the way a typical slip does."""
    requests_left = requests - FREE_TIER.requests
    gb_s_left = requests * billed_ms(duration) / 1000 * memory / mb_per_gb - FREE_TIER.gb_seconds
    if floor_requests:
        requests_left = max(0, requests_left)
    if floor_gb_s:
        gb_s_left = max(0, gb_s_left)
    return requests_left * 0.2e-6 + gb_s_left * X86_PER_GB_S


def _diagnose_05_1(requests: float, duration: float, memory: int, got: float) -> str:
    """Name the likely mistake behind a wrong my_cost result."""
    right = monthly_cost(requests, duration, memory).total
    no_free = monthly_cost(requests, duration, memory, free_tier=False).total
    case = f"my_cost({requests:,}, {duration}, {memory})"
    gb_s = requests * math.ceil(duration) / 1000 * memory / 1024

    def slip(**changed: Any) -> bool:
        wrong = _formula(requests, duration, memory, **changed)
        return _close(got, wrong, 1e-9) and not _close(wrong, right, 1e-9)

    if _close(got, no_free, 1e-6) and not _close(no_free, right, 1e-6):
        return (
            f"{case} returned {got:.6f}, the bill without the free tier; with it the bill is "
            f"${right:,.2f}. Take off 1,000,000 free requests and 400,000 free GB-s first "
            "(neither can go below zero)"
        )
    unfloored = (
        slip(floor_requests=False, floor_gb_s=False)
        or slip(floor_requests=False)
        or slip(floor_gb_s=False)
    )
    if unfloored or got < 0:
        below = []
        if requests < FREE_TIER.requests:
            below.append(f"requests ({requests:,} - 1,000,000)")
        if gb_s < FREE_TIER.gb_seconds:
            below.append(f"GB-s ({gb_s:,.0f} - 400,000)")
        return (
            f"{case} returned {got:.6f}; expected {right:.6f}. After taking off the free tier, "
            f"the billable {' and '.join(below) or 'amount'} went below zero, and a negative "
            "line lowers the bill: keep each line at zero or more with max(0, ...)"
        )
    if slip(billed_ms=lambda ms: ms):
        return (
            f"{case} returned {got:.6f}; expected {right:.6f}. Round each invocation's "
            f"duration up to a whole millisecond first: {duration} ms bills "
            f"{math.ceil(duration)} ms (math.ceil)"
        )
    for rounding, how in ((round, "round()"), (math.floor, "rounding down")):
        if slip(billed_ms=rounding):
            return (
                f"{case} returned {got:.6f}; expected {right:.6f}. {duration} ms bills "
                f"{math.ceil(duration)} ms: AWS rounds each duration up to the next whole "
                f"millisecond, while {how} gives {rounding(duration)} ms. Use math.ceil"
            )
    if slip(mb_per_gb=1000):
        return (
            f"{case} returned {got:.6f}; expected {right:.6f}. A GB here is 1,024 MB, not "
            f"1,000: {memory:,} MB is {memory / 1024:g} GB"
        )
    if got == round(right, 2) and got != right:
        return (
            f"{case} returned {got}, rounded to the cent; expected {right!r}. Return the "
            "unrounded amount (round only to display it)"
        )
    if _close(got * 1000, right, 1e-6) or _close(got, right * 1000, 1e-3):
        return (
            f"{case} returned {got:.6f}; expected {right:.6f}: off by a factor of 1,000. "
            "Duration is in ms: divide by 1,000 for seconds"
        )
    return (
        f"{case} returned {got:.6f}; expected ${right:.6f} ({gb_s:,.0f} GB-s before the free "
        "tier). Build it line by line: billable requests × $0.20 per million, plus "
        "billable GB-s × $0.0000166667"
    )


@exercise("05.1")
def cost_formula(answer: Any) -> None:
    """my_cost matches monthly_cost (x86, free tier) to a millionth of a dollar."""
    expect_function(answer, "my_cost", ("requests", "duration_ms", "memory_mb"))
    for requests, duration, memory in _cases_05_1():
        result = call_answer(answer, requests, duration, memory, name="my_cost", returns=True)
        got = _number(result, f"my_cost({requests:,}, {duration}, {memory})")
        right = monthly_cost(requests, duration, memory).total
        if not math.isclose(got, right, rel_tol=1e-9, abs_tol=1e-6):
            raise NotYet(_diagnose_05_1(requests, duration, memory, got))


@exercise("05.2")
def article_seven_million(answer: Any) -> None:
    got = _number(answer, "bill_7m")
    right = monthly_cost(7_000_000, 200, 512).total  # $1.20 + $5.00 = $6.20
    if _close(got, right):
        return
    if _close(got, 7 * 1.87) or _close(got, monthly_cost(7e6, 200, 512, free_tier=False).total):
        raise NotYet(
            f"${got:.2f} is the bill without the free tier; the free tier takes 1,000,000 "
            "requests and 400,000 GB-s off first"
        )
    if _close(got, 1.20):
        raise NotYet("$1.20 is the request line only: add the duration (GB-s) line")
    if _close(got, 300_000 * X86_PER_GB_S):
        raise NotYet(f"${got:.2f} is the duration line only: add the requests line")
    if _close(got, 1.40 + 300_000 * X86_PER_GB_S):
        raise NotYet(f"${got:.2f} charges all 7,000,000 requests; the first 1,000,000 are free")
    raise NotYet(f"your answer is ${got:.2f}; the bill is different. Price each line separately")


_REPORT = (
    "REPORT RequestId: {rid}\tDuration: {duration:.2f} ms\tBilled Duration: {billed} ms\t"
    "Memory Size: {memory} MB\tMax Memory Used: {used} MB"
)


def _log(memory: int, invocations: list[tuple[float, float | None]], seed: int) -> list[str]:
    """A function's log: START, a print, END and REPORT for each (duration, init) pair."""
    rng = random.Random(seed)
    lines = []
    for n, (duration, init) in enumerate(invocations):
        rid = f"{seed:04x}{n:04x}-7b61-11e6-9a41-93e8123456{n:02d}"
        if init is not None:
            lines.append("INIT_START Runtime Version: python:3.13.v1")
        lines += [f"START RequestId: {rid} Version: $LATEST", f"resized photo {n}.jpg"]
        lines.append(f"END RequestId: {rid}")
        billed = math.ceil(duration + (init or 0))
        line = _REPORT.format(
            rid=rid, duration=duration, billed=billed, memory=memory, used=rng.randint(40, 90)
        )
        if init is not None:
            line += f"\tInit Duration: {init:.2f} ms"
        lines.append(line)
    return lines


def _logs_05_3() -> list[list[str]]:
    return [
        _log(128, [(15.74, 130.49)], seed=1),  # the AWS docs example: 147 ms billed
        _log(512, [(8.83, 285.86), (3.28, None), (7.80, None), (7.98, None)], seed=2),
        _log(1024, [(120.0, None), (0.4, None), (99.01, None)], seed=3),
        _log(1769, [(250.5, 410.2), (80.25, None), (1.0, None), (33.3, None)], seed=4),
    ]


def _gb_s(lines: list[str], field: str = "billed") -> float:
    total = 0.0
    for report in (parse_report(line) for line in lines if line.split(" ")[0] == "REPORT"):
        ms = {
            "billed": report.billed_duration_ms,
            "duration": report.duration_ms,
            "ceil_duration": math.ceil(report.duration_ms),
        }[field]
        total += ms / 1000 * report.memory_size_mb / 1024
    return total


@exercise("05.3")
def gb_seconds_from_reports(answer: Any) -> None:
    expect_function(answer, "billed_gb_seconds", ("log_lines",))
    for lines in _logs_05_3():
        result = call_answer(answer, list(lines), name="billed_gb_seconds", returns=True)
        got = _number(result, "billed_gb_seconds(...)")
        right = _gb_s(lines)
        if math.isclose(got, right, rel_tol=1e-9, abs_tol=1e-12):
            continue
        shown = "\n".join(line for line in lines if line.startswith("REPORT"))
        if math.isclose(got, _gb_s(lines, "duration"), rel_tol=1e-9) or math.isclose(
            got, _gb_s(lines, "ceil_duration"), rel_tol=1e-9
        ):
            raise NotYet(
                f"for these REPORT lines you returned {got:.6f} GB-s, from 'Duration'; AWS bills "
                f"'Billed Duration' ({right:.6f} GB-s): it is rounded up to 1 ms and, on a cold "
                f"start, includes the INIT time (billed since 1 August 2025).\n{shown}"
            )
        if math.isclose(got, right * 1000, rel_tol=1e-9) or math.isclose(
            got * 1000, right, rel_tol=1e-9
        ):
            raise NotYet(
                f"you returned {got:.6f}, expected {right:.6f} GB-s: off by 1,000. Billed "
                "Duration is in ms; GB-s needs seconds"
            )
        raise NotYet(f"for these lines you returned {got:.6f}, expected {right:.6f} GB-s:\n{shown}")


@exercise("05.4")
def arm_saving(answer: Any) -> None:
    got = _number(answer, "arm_saving_percent")
    # The exercise's workload, priced from the public price list: 10 million requests of
    # 120 ms at 1024 MB are 1.2 million GB-s, inside the first duration tier on both.
    requests, gb_seconds = 10_000_000, 10_000_000 * 0.120 * 1024 / 1024
    bills = {
        arch: requests / 1e6 * PRICES[arch].request_per_million
        + gb_seconds * PRICES[arch].duration_tiers[0][1]
        for arch in ("x86_64", "arm64")
    }
    x86, arm = bills["x86_64"], bills["arm64"]
    right = 100 * (1 - arm / x86)  # 18.18 %
    # The same bills with the free tier (1M requests, 400,000 GB-s) taken off: 17.62 %.
    free = {
        arch: (requests - FREE_TIER.requests) / 1e6 * PRICES[arch].request_per_million
        + (gb_seconds - FREE_TIER.gb_seconds) * PRICES[arch].duration_tiers[0][1]
        for arch in ("x86_64", "arm64")
    }
    with_free_tier = 100 * (1 - free["arm64"] / free["x86_64"])
    if abs(got - right) <= 0.05:
        return
    if abs(got - right / 100) <= 0.0005:
        raise NotYet(f"{got:.4f} looks like a fraction; give the percent ({got * 100:.1f})")
    if abs(got - 20) <= 0.05:
        raise NotYet(
            "20 % is the saving on the duration price alone; the whole bill includes requests, "
            "which cost the same on both architectures"
        )
    if abs(got - with_free_tier) <= 0.05:
        raise NotYet(
            f"{got:.2f} % is the saving with the free tier taken off both bills; this account's "
            "free tier is used up by other functions, so price both without it "
            "(free_tier=False): the saving is then a little higher"
        )
    if abs(got - (x86 - arm) / arm * 100) <= 0.05:
        raise NotYet(f"{got:.1f} % is the saving divided by the Arm bill; divide by the x86 bill")
    raise NotYet(f"your answer is {got:.2f} %; it is not the saving on the whole bill yet")


_TABLES_05_5 = [
    # Fast at first, then flat: the cheapest is in the middle.
    {128: 2400.0, 256: 1150.0, 512: 520.0, 1024: 248.0, 1769: 190.0, 3008: 185.0},
    # Waiting on the network: more memory only costs more.
    {128: 310.2, 256: 305.9, 512: 301.4, 1024: 300.6},
    # Rounding decides: 7.3 ms bills 8 ms, 3.2 ms bills 4 ms.
    {128: 21.0, 192: 10.0, 256: 7.3, 512: 3.2},
    # Multi-threaded work that keeps speeding up past one vCPU; keys not in order.
    {10_240: 52.0, 3008: 180.0, 1769: 330.0, 5120: 101.0},
    # Ties for the cheapest (128 × 10 = 256 × 5 MB-ms): the smaller size wins, whether it
    # comes first (a loop keeping the last of equals fails) or last (one keeping the first).
    {128: 10.0, 256: 5.0, 512: 3.0},
    {1024: 2.6, 512: 5.2, 256: 10.4, 128: 22.0},
]


def _cheapest(table: dict[int, float], rounded: bool = True) -> int:
    """The cheapest memory size (the smaller one on a tie); unrounded: the usual mistake."""

    def cost(memory: int) -> float:
        ms = math.ceil(table[memory]) if rounded else table[memory]
        return ms * memory

    return min(table, key=lambda m: (cost(m), m))


@exercise("05.5")
def cheapest_memory(answer: Any) -> None:
    expect_function(answer, "cheapest_memory", ("durations_by_memory",))
    for table in _TABLES_05_5:
        result = call_answer(answer, dict(table), name="cheapest_memory")
        right = _cheapest(table)
        if result == right:
            continue
        if result is None:
            raise NotYet("cheapest_memory returned None: it needs a return statement")
        shown = ", ".join(f"{m:,} MB: {d:g} ms" for m, d in table.items())
        if isinstance(result, int) and result in table and result != right:
            billed = {m: math.ceil(d) * m for m, d in table.items()}
            if billed[result] == billed[right]:
                raise NotYet(
                    f"for {{{shown}}} you returned {result:,}; {right:,} MB and {result:,} MB "
                    f"cost the same ({math.ceil(table[right])} ms × {right:,} MB = "
                    f"{math.ceil(table[result])} ms × {result:,} MB). The exercise's tie rule: "
                    "if two sizes cost the same, return the smaller"
                )
        if result == _cheapest(table, rounded=False):
            raise NotYet(
                f"for {{{shown}}} you returned {result:,}; the cheapest is {right:,} MB once each "
                "duration is rounded up to a whole millisecond (math.ceil), as AWS bills it"
            )
        if result == min(table, key=table.get):
            raise NotYet(
                f"for {{{shown}}} you returned {result:,}, the fastest setting; the cheapest is "
                f"{right:,} MB. Cost is memory × billed time, not time alone"
            )
        if isinstance(result, float) and result in table.values():
            raise NotYet(f"you returned a duration ({result:g} ms); return the memory size (a key)")
        raise NotYet(f"for {{{shown}}} you returned {describe(result)}; expected {right:,} (MB)")


_CASES_05_6 = [
    (120, 512, 12.264),  # t4g.small all month
    (100, 1024, 59.568),  # m7g.large all month
    (20, 128, 12.264),
    (1500, 2048, 100.0),
    (0.5, 256, 30.0),  # billed as 1 ms
]


@exercise("05.6")
def break_even(answer: Any) -> None:
    expect_function(answer, "break_even_requests", ("duration_ms", "memory_mb", "server_monthly"))
    for duration, memory, server in _CASES_05_6:
        result = call_answer(
            answer, duration, memory, server, name="break_even_requests", returns=True
        )
        call = f"break_even_requests({duration}, {memory}, {server})"
        got = _number(result, call)
        right = crossover_requests(duration, memory, server, free_tier=False)
        if math.isclose(got, right, rel_tol=1e-6):
            continue
        with_free = crossover_requests(duration, memory, server)
        if math.isclose(got, with_free, rel_tol=1e-6):
            raise NotYet(
                f"{call} returned {got:,.0f}, the break-even with the free tier; this exercise "
                f"leaves it out (an account's free tier is often used up): expected {right:,.0f}"
            )
        per_request_no_ceil = 0.2e-6 + duration / 1000 * memory / 1024 * X86_PER_GB_S
        if math.isclose(got, server / per_request_no_ceil, rel_tol=1e-6):
            raise NotYet(
                f"{call} returned {got:,.0f}; expected {right:,.0f}. Round the duration up to "
                "a whole millisecond (math.ceil), as AWS bills it"
            )
        raise NotYet(f"{call} returned {got:,.0f}; expected about {right:,.0f} requests a month")
