"""Checks for lesson 05, Pricing: what a Lambda function costs, and when it stops paying off.

The functions the learner writes (05.1 my_cost, 05.6 break_even_requests) are compared
with :mod:`lambdalab.pricing`, which reproduces the worked examples of AWS's pricing page
(https://aws.amazon.com/lambda/pricing/) to the cent: the lesson teaches that library
before these exercises and shows it gives the same figures, so it gives nothing away.
The checks try many inputs, so an answer that hard-codes one case does not pass.

Nothing here computes the other answers. 05.3 knows each log's GB-s from the durations
it wrote the log with, not by reading REPORT lines. The single values (05.2, 05.4) and
the cheapest memory sizes (05.5) are held as salted digests (:mod:`lambdalab.course.
digests`, made from the instructors' answer key), and so are the results of the typical
slips the checks name; where a message names the right value, it is recovered from the
case (a table's keys, the amounts around the learner's).

A wrong answer is explained by its parts, not only by its total (:mod:`lambdalab.course.
figures`): my_cost and break_even_requests are called on extra inputs that isolate each
line of the bill; 05.2 and 05.4's figure is traced back to one slipped input of the
exercise; a failing log is shrunk to one REPORT line, then two; a wrong choice of memory
is matched against simple rules over all tables (and probe tables with no answer).
"""

from __future__ import annotations

import math
import random
from numbers import Real
from typing import Any

from lambdalab.course.digests import near, recover, within
from lambdalab.course.exercises import exercise
from lambdalab.course.figures import (
    factor_between,
    line_through,
    one_slip,
    slipped_inputs,
    times,
)
from lambdalab.course.probe import (
    NotYet,
    call_answer,
    close_to,
    describe,
    expect_function,
    which_relation,
    which_slip,
)
from lambdalab.pricing import (
    FREE_TIER,
    PRICES,
    crossover_requests,
    monthly_cost,
)

X86_PER_GB_S = PRICES["x86_64"].duration_tiers[0][1]
ARM_PER_GB_S = PRICES["arm64"].duration_tiers[0][1]


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


#: The free tier's two allowances, in dollars: terms a wrong bill can be off by exactly.
FREE_TERMS = {
    "the free tier's 1,000,000 requests ($0.20)": FREE_TIER.requests * 0.2e-6,
    "the free tier's 400,000 GB-s ($6.67)": FREE_TIER.gb_seconds * X86_PER_GB_S,
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _amount(value: float) -> str:
    """A figure as it is: whole numbers with thousands separators, small ones unrounded
    (0.0000613 stays 0.0000613, not 0)."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.6g}"


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


REQUEST_PRICE = PRICES["x86_64"].request_per_million / 1e6


def _quiet(function: Any, *args: Any) -> float:
    """The learner's function called for a probe: a number, or an exception that
    :func:`line_through` takes as "this probe says nothing"."""
    result = call_answer(function, *args, returns=True)
    if isinstance(result, bool) or not isinstance(result, Real):
        raise TypeError("not a number")
    return float(result)


def _part(
    what: str, unit: str, slope: float, allowance: float, right_slope: float, right_allowance: float
) -> tuple[str | None, str]:
    """One bill line compared with the right one: (its slip in words if the probes prove
    one, the line in figures). ``allowance`` is the free amount taken off, in the right
    units; a unit slip changes the figure before the free allowance comes off, so its
    allowance is the right one divided by the same factor."""
    shown = (
        f"your {what} line charges ${slope:.6g} per {unit} beyond {allowance:,.0f}; expected "
        f"${right_slope:.6g} beyond {right_allowance:,.0f}"
    )
    same_allowance = math.isclose(allowance, right_allowance, rel_tol=1e-6, abs_tol=1e-3)
    free_amount = f"{right_allowance:,.0f} {unit if unit == 'GB-s' else unit + 's'}"
    if math.isclose(slope, right_slope, rel_tol=1e-6):
        if same_allowance:
            return None, ""
        if math.isclose(allowance, 0, abs_tol=1e-3):
            return f"your {what} line does not take off the free {free_amount}", shown
        if math.isclose(allowance, 2 * right_allowance, rel_tol=1e-6):
            return f"your {what} line takes the free {free_amount} off twice", shown
        return None, shown
    factor = factor_between(slope, right_slope)
    if factor and (
        same_allowance
        or math.isclose(allowance * factor[0], right_allowance, rel_tol=1e-6)
        or math.isclose(allowance, 0, abs_tol=1e-3)
    ):
        free = (
            ", and it does not take off the free allowance"
            if math.isclose(allowance, 0, abs_tol=1e-3) and right_allowance
            else ""
        )
        return f"your {what} line is {times(factor[0])} the right one: {factor[1]}{free}", shown
    return None, shown


def _probe_my_cost(answer: Any) -> tuple[str | None, str | None]:
    """my_cost's request line and duration line, each read from calls above the free tier
    and compared with the right line: (which line is wrong and how, if the probes prove
    it; the wrong lines in figures). (None, None) when both lines are right at whole
    milliseconds (the slip is then in the rounding or the max)."""

    def requests_only(requests: float) -> float:  # 0 ms: no GB-s at all
        return _quiet(answer, requests, 0, 128)

    def duration_only(requests: float) -> float:  # 1,000 ms at 1,024 MB: 1 GB-s a request
        return _quiet(answer, requests, 1000, 1024) - _quiet(answer, requests, 0, 1024)

    found, shown = [], []
    request_line = line_through(requests_only, 3e6, 5e6, 9e6)
    if request_line and request_line[0]:
        slope, offset = request_line
        slip, figures = _part(
            "request", "request", slope, offset / slope, REQUEST_PRICE, FREE_TIER.requests
        )
        found += [slip] if slip else []
        shown += [figures] if figures else []
    duration_line = line_through(duration_only, 1e9, 2e9, 4e9)
    if duration_line and duration_line[0]:
        slope, offset = duration_line
        allowance = offset / slope
        if math.isclose(allowance, FREE_TIER.gb_seconds + FREE_TIER.requests, rel_tol=1e-6):
            found.append(
                "your duration line takes the free tier off twice: its GB-s come from the "
                "billable requests (the free 1,000,000 already taken off), then the free "
                "400,000 GB-s come off too. The GB-s come from all the requests"
            )
        slip, figures = _part(
            "duration", "GB-s", slope, allowance, X86_PER_GB_S, FREE_TIER.gb_seconds
        )
        found += [slip] if slip else []
        shown += [figures] if figures and not found else []
    return (
        "; ".join(dict.fromkeys(found)) if found else None,
        "called above the free tier, " + "; ".join(shown) if shown else None,
    )


def _diagnose_05_1(
    requests: float, duration: float, memory: int, got: float, answer: Any = None
) -> str:
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
    if slip(billed_ms=lambda ms: math.ceil(ms / 100) * 100):
        return (
            f"{case} returned {got:.6f}; expected {right:.6f}: that is the bill with each "
            f"duration rounded up to 100 ms ({duration} ms billed as "
            f"{math.ceil(duration / 100) * 100} ms), AWS's rule until December 2020. Today "
            f"it is rounded up to 1 ms: {math.ceil(duration)} ms"
        )
    arm = monthly_cost(requests, duration, memory, architecture="arm64").total
    if _close(got, arm, 1e-9) and not _close(arm, right, 1e-9):
        return (
            f"{case} returned {got:.6f}; expected {right:.6f}: that is the bill at arm64's "
            "price per GB-s ($0.0000133334); my_cost prices x86 ($0.0000166667 per GB-s)"
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
    named, shown = _probe_my_cost(answer) if answer is not None else (None, None)
    if named:
        return f"{case} returned {_amount(got)}; expected ${right:.6f}. {_capital(named)}"
    relation = which_relation(got, close_to(right, rel_tol=1e-9, abs_tol=1e-9), FREE_TERMS)
    if relation:
        return f"{case} returned {_amount(got)}; expected {right:.6f}: {relation}"
    if shown:
        return f"{case} returned {_amount(got)}; expected ${right:.6f}. {_capital(shown)}"
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
            raise NotYet(_diagnose_05_1(requests, duration, memory, got, answer))


#: Unit slips of one input of a single-figure exercise: (factor, words), the words
#: formatted with the slipped value ``v`` and the lesson's value ``was``.
INPUT_SLIPS = {
    "requests": (
        (10, "{v:,.0f} requests ({was:,.0f} with one zero too many)"),
        (0.1, "{v:,.0f} requests ({was:,.0f} with one zero short)"),
        (1e-6, "{v:,g} requests ({was:,.0f} counted in millions)"),
    ),
    "duration_ms": (
        (
            1e-3,
            "{v:g} as duration_ms ({was:g} ms given in seconds where milliseconds are expected)",
        ),
        (1e3, "{v:,g} as duration_ms ({was:g} ms multiplied by 1,000)"),
        (10, "{v:,g} as duration_ms ({was:g} ms with one zero too many)"),
        (0.1, "{v:g} as duration_ms ({was:g} ms with one zero short)"),
    ),
    "memory_mb": (
        (1 / 1024, "{v:g} as memory_mb ({was:,} MB given in GB: the memory is in MB)"),
        (1 / 1000, "{v:g} as memory_mb ({was:,} MB divided by 1,000)"),
    ),
}


def _bill(
    requests: float, duration: float, memory: float, per_gb_s: float, free_tier: bool
) -> float:
    """A month's bill from its inputs as given, whatever they are (a slipped memory size
    of 0.5 included, which :func:`monthly_cost` refuses): each duration rounded up to 1 ms."""
    gb_s = requests * math.ceil(duration) / 1000 * memory / 1024
    if free_tier:
        return (
            max(0, requests - FREE_TIER.requests) * REQUEST_PRICE
            + max(0, gb_s - FREE_TIER.gb_seconds) * per_gb_s
        )
    return requests * REQUEST_PRICE + gb_s * per_gb_s


def _one_input_slipped(
    inputs: dict[str, float], figure: Any, got: float, tolerance: float, is_right: Any
) -> list[str]:
    """The slips of ONE input (:data:`INPUT_SLIPS`) whose figure is the learner's, in
    words: all of them when several give the same figure, for the check cannot tell
    which one the learner made."""
    found = []
    for words, changed in slipped_inputs(inputs, INPUT_SLIPS):
        value = figure(**changed)
        if abs(value - got) <= tolerance and not is_right(value):
            name = next(key for key in inputs if changed[key] != inputs[key])
            found.append(words.format(v=changed[name], was=inputs[name]))
    return found


#: 05.2: digests of the bill to the cent, and of what typical slips give (answer key).
_DIGESTS_05_2 = {
    "bill": "c70c9ab4d5b6b73741583a9b46eb4458723dbdc96654daec9f1b1151ad664d4e",
    "no free tier": "c4347abe556e891e6fcd47aed0b5e9b787991f252a6d3ff809acb4c1b33d8791",
    "request line": "a38f423e2555c0762f03e436e4e5ad0874dc19fcc7032dcaf4457f81ae5a6c13",
    "duration line": "67bb58e9405078b22bdba72777fa0f7b30cb46cfde852db48de0032f9ed0de42",
    "all requests": "d077e1c2d94d6de71d221c0ce47ed2cc18f0d6cd508b581e86148daf6fcd9983",
}


def _bill_is(label: str, got: float) -> bool:
    """Whether ``got`` is, to half a cent, the 05.2 amount ``label`` names."""
    return within(_DIGESTS_05_2[label], "05.2", label, got, tolerance=0.005)


@exercise("05.2")
def article_seven_million(answer: Any) -> None:
    """bill_7m is the article's 7-million-request bill, to the cent, in dollars."""
    got = _number(answer, "bill_7m")
    if _bill_is("bill", got):
        return
    if _close(got, 7 * 1.87) or _bill_is("no free tier", got):
        raise NotYet(
            f"${got:.2f} is the bill without the free tier; the free tier takes 1,000,000 "
            "requests and 400,000 GB-s off first"
        )
    slipped = _one_input_slipped(
        {"requests": 7_000_000, "duration_ms": 200, "memory_mb": 512},
        lambda requests, duration_ms, memory_mb: _bill(
            requests, duration_ms, memory_mb, X86_PER_GB_S, free_tier=True
        ),
        got,
        0.005,
        lambda value: _bill_is("bill", value),
    )
    if slipped:
        line_only = (
            " (the request line only: the duration line came to $0)"
            if _bill_is("request line", got)
            else ""
        )
        raise NotYet(
            f"${got:,.2f} is the bill{line_only} for " + ", or for ".join(slipped) + ": the "
            "exercise's function runs 7,000,000 times a month, 200 ms each, with 512 MB"
        )
    if _bill_is("request line", got):
        raise NotYet(
            f"${got:.2f} is the request line only: the duration (GB-s) line is missing or "
            "came to $0. A duration given in seconds where milliseconds are expected (0.2 "
            "for 200 ms) stays inside the free tier; otherwise add the duration line"
        )
    if _bill_is("duration line", got):
        raise NotYet(f"${got:.2f} is the duration line only: add the requests line")
    if _bill_is("all requests", got):
        raise NotYet(f"${got:.2f} charges all 7,000,000 requests; the first 1,000,000 are free")
    if _bill_is("bill", got / 100):
        raise NotYet(f"{got:,.2f} looks like the bill in cents; give it in dollars")
    if got == int(got) and any(
        near(_DIGESTS_05_2["bill"], "05.2", "bill", got + k / 10) is not None for k in range(-5, 6)
    ):
        raise NotYet(
            f"${got:.0f} is the bill rounded to whole dollars; give it to the cent (the "
            "unrounded amount is fine)"
        )
    relation = which_relation(got, lambda value: _bill_is("bill", value), FREE_TERMS)
    if relation:
        raise NotYet(f"your answer is ${got:,.2f}; {relation}")
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


#: (memory MB, [(duration ms, init ms or None), ...], seed) of each log the check writes.
_LOGS_05_3 = [
    (128, [(15.74, 130.49)], 1),  # the AWS docs example: 147 ms billed
    (512, [(8.83, 285.86), (3.28, None), (7.80, None), (7.98, None)], 2),
    (1024, [(120.0, None), (0.4, None), (99.01, None)], 3),
    (1769, [(250.5, 410.2), (80.25, None), (1.0, None), (33.3, None)], 4),
]


def _logs_05_3() -> list[list[str]]:
    return [_log(memory, runs, seed) for memory, runs, seed in _LOGS_05_3]


def _written_gb_s(
    memory: int, invocations: list[tuple[float, float | None]], ms: Any = None
) -> float:
    """The GB-s of a log :func:`_log` writes, from what it was written with (not from its
    lines): each invocation's ``ms(duration, init)``, by default the billed duration."""
    billed = ms or (lambda duration, init: math.ceil(duration + (init or 0)))
    return sum(billed(d, i) for d, i in invocations) / 1000 * memory / 1024


#: Slips in reading ONE REPORT line: each gives the GB-s a line of ``memory`` MB makes of
#: an invocation of ``d`` ms (and ``i`` ms of INIT on a cold start, else None).
LINE_SLIPS: dict[str, Any] = {
    "the GB-s from 'Duration'; AWS bills 'Billed Duration': it is rounded up to 1 ms and, "
    "on a cold start, includes the INIT time (billed since 1 August 2025)": lambda m, d, i: (
        d / 1000 * m / 1024
    ),
    "the GB-s from 'Duration' rounded up; AWS bills 'Billed Duration', which on a cold "
    "start includes the INIT time (billed since 1 August 2025)": lambda m, d, i: (
        math.ceil(d) / 1000 * m / 1024
    ),
    "the GB-s with the milliseconds divided by 1,000 with // (floor division): under "
    "1,000 ms it gives 0 s. Divide with /": lambda m, d, i: (
        math.ceil(d + (i or 0)) // 1000 * m / 1024
    ),
    "the GB-s with the Init Duration added to the Billed Duration; Billed Duration "
    "already includes the INIT time": lambda m, d, i: (
        (math.ceil(d + (i or 0)) + (i or 0)) / 1000 * m / 1024
    ),
    "the GB-s as if every line were 128 MB; read each line's Memory Size": lambda m, d, i: (
        math.ceil(d + (i or 0)) / 1000 * 128 / 1024
    ),
    "the GB-s with a GB of 1,000 MB; a GB here is 1,024 MB": lambda m, d, i: (
        math.ceil(d + (i or 0)) / 1000 * m / 1000
    ),
    "0 for a cold start's line (one with an Init Duration): it is billed too, and its Billed "
    "Duration includes the INIT time (since 1 August 2025)": lambda m, d, i: (
        0.0 if i is not None else math.ceil(d) / 1000 * m / 1024
    ),
}


def _shrink_05_3(answer: Any) -> tuple[str | None, bool]:
    """billed_gb_seconds called on the smallest logs that still fail: each REPORT line of
    the check's logs alone, then the first two lines of a log. The slip that explains
    every single line is named (none if two do); else the smallest failing input is
    shown. Returns (the message, whether it names the cause); (None, False) when every
    line alone and every pair are right."""

    def called(memory: int, runs: list[tuple[float, float | None]], seed: int) -> float | None:
        try:
            result = call_answer(answer, _log(memory, runs, seed), returns=True)
        except NotYet:
            return None
        return None if isinstance(result, bool) or not isinstance(result, Real) else result

    singles = []
    for memory, runs, seed in _LOGS_05_3:
        for run in runs:
            got = called(memory, [run], seed)
            if got is None:
                return None, False
            singles.append(((memory, *run), float(got), seed))
    wrong = [
        (given, got, seed)
        for given, got, seed in singles
        if not math.isclose(got, _written_gb_s(given[0], [given[1:]]), rel_tol=1e-9)
    ]
    if wrong:
        (memory, duration, init), got, seed = wrong[0]
        right = _written_gb_s(memory, [(duration, init)])
        line = _log(memory, [(duration, init)], seed)[-1]
        slip = one_slip(
            [(given, got) for given, got, _ in singles],
            {words: (lambda given, f=f: f(*given)) for words, f in LINE_SLIPS.items()},
        )
        said = f"that is {slip}" if slip else _read_instead(line, memory, duration, init, got)
        return (
            f"for this one REPORT line you returned {_amount(got)}, expected {right:.6f} GB-s"
            + (f": {said}" if said else "")
            + f".\n{line}"
        ), bool(said)
    for memory, runs, seed in _LOGS_05_3:
        if len(runs) < 2:
            continue
        got = called(memory, runs[:2], seed)
        parts = [_written_gb_s(memory, [run]) for run in runs[:2]]
        if got is None or math.isclose(got, sum(parts), rel_tol=1e-9):
            continue
        lines = "\n".join(line for line in _log(memory, runs[:2], seed) if line[:6] == "REPORT")
        billed = [math.ceil(d + (i or 0)) for d, i in runs[:2]]
        how = "add up each line's GB-s (billed s × GB of the line)"
        if math.isclose(got, sum(billed) / 1000 * 2 * memory / 1024, rel_tol=1e-9):
            how = (
                "you added up the durations and the memory sizes, then multiplied the sums: "
                "multiply each line's billed seconds by its own GB, then add"
            )
        elif (swapped := called(memory, runs[1::-1], seed)) is not None and math.isclose(
            got, swapped, rel_tol=1e-9
        ):
            if math.isclose(got, max(parts), rel_tol=1e-9):
                how = "that is the larger line's GB-s only: add up every REPORT line's GB-s"
        elif math.isclose(got, parts[-1], rel_tol=1e-9):
            how = (
                "that is the last REPORT line only: the total is set back to 0 inside the "
                "loop, or returned after one line; start it at 0 once, before the loop"
            )
        elif math.isclose(got, parts[0], rel_tol=1e-9):
            how = "that is the first REPORT line only: add up every REPORT line of the log"
        return (
            f"each REPORT line alone is right, two lines together are not: for these two you "
            f"returned {_amount(got)}, expected {sum(parts):.6f} GB-s ({parts[0]:.6f} + "
            f"{parts[1]:.6f}): {how}.\n{lines}"
        ), True
    return None, False


def _read_instead(line: str, memory: int, duration: float, init: float | None, got: float) -> str:
    """Which figure of the line the learner's GB-s imply they read in place of Billed
    Duration or Memory Size, if one does exactly: "" otherwise."""
    billed = math.ceil(duration + (init or 0))
    fields = {
        name.strip(): float(value.split()[0])
        for name, value in (part.split(": ", 1) for part in line.split("\t")[1:])
    }
    implied_ms = got * 1000 * 1024 / memory
    implied_mb = got * 1000 * 1024 / billed
    for name, value in fields.items():
        if name != "Billed Duration" and math.isclose(implied_ms, value, rel_tol=1e-9):
            return (
                f"what '{name}: {value:g}' gives as the milliseconds; AWS bills 'Billed "
                f"Duration: {billed} ms'"
            )
        if name != "Memory Size" and math.isclose(implied_mb, value, rel_tol=1e-9):
            return f"what '{name}: {value:g}' gives as the memory; AWS bills 'Memory Size'"
    digits = str(memory)
    for k in range(1, len(digits)):
        if math.isclose(implied_mb, int(digits[:k]), rel_tol=1e-9):
            return (
                f"what a Memory Size of {digits[:k]} MB gives, the first {k} digits of "
                f"{memory}: read the whole number before ' MB' (split()[0]), not a fixed "
                "number of characters"
            )
    return ""


@exercise("05.3")
def gb_seconds_from_reports(answer: Any) -> None:
    """billed_gb_seconds adds up Billed Duration × Memory Size of every REPORT line of
    four logs (cold and warm starts, several memory sizes)."""
    expect_function(answer, "billed_gb_seconds", ("log_lines",))
    for (memory, runs, _), lines in zip(_LOGS_05_3, _logs_05_3(), strict=True):
        result = call_answer(answer, list(lines), name="billed_gb_seconds", returns=True)
        got = _number(result, "billed_gb_seconds(...)")
        right = _written_gb_s(memory, runs)
        if math.isclose(got, right, rel_tol=1e-9, abs_tol=1e-12):
            continue
        shown = "\n".join(line for line in lines if line.startswith("REPORT"))
        smallest, named = _shrink_05_3(answer)
        if smallest:
            smallest = (
                f"for these lines you returned {_amount(got)}, expected {right:.6f} GB-s. The "
                f"smallest input that fails: {smallest}"
            )
        if smallest and named:
            raise NotYet(smallest)
        from_duration = _written_gb_s(memory, runs, lambda d, i: d)
        from_duration_ceil = _written_gb_s(memory, runs, lambda d, i: math.ceil(d))
        if math.isclose(got, from_duration, rel_tol=1e-9) or math.isclose(
            got, from_duration_ceil, rel_tol=1e-9
        ):
            raise NotYet(
                f"for these REPORT lines you returned {got:.6f} GB-s, from 'Duration'; AWS bills "
                f"'Billed Duration' ({right:.6f} GB-s): it is rounded up to 1 ms and, on a cold "
                f"start, includes the INIT time (billed since 1 August 2025).\n{shown}"
            )
        slips = {
            "the GB-s of the first REPORT line only; add up every REPORT line of the log": (
                _written_gb_s(memory, runs[:1])
            ),
            "the GB-s of the last REPORT line only: the total is set back to 0 inside the "
            "loop, or returned after one line; start it at 0 once, before the loop": (
                _written_gb_s(memory, runs[-1:])
            ),
            "the GB-s with the milliseconds divided by 1,000 with // (floor division): "
            "under 1,000 ms it gives 0 s. Divide with /": _written_gb_s(
                memory, runs, lambda d, i: math.ceil(d + (i or 0)) // 1000 * 1000
            ),
            "the GB-s with each cold start's Init Duration added to its Billed Duration; "
            "Billed Duration already includes the INIT time": _written_gb_s(
                memory, runs, lambda d, i: math.ceil(d + (i or 0)) + (i or 0)
            ),
            "the GB-s as if every line were 128 MB; read each line's Memory Size": _written_gb_s(
                128, runs
            ),
            "the GB-s with a GB of 1,000 MB; a GB here is 1,024 MB": _written_gb_s(memory, runs)
            * 1024
            / 1000,
        }
        giving = [words for words, value in slips.items() if math.isclose(got, value, rel_tol=1e-9)]
        slip = which_slip(got, right, slips) if len(giving) == 1 else None
        if slip:
            raise NotYet(
                f"for these REPORT lines you returned {got:.6f}, expected {right:.6f} GB-s: "
                f"that is {slip}.\n{shown}"
            )
        relation = which_relation(got, close_to(right))
        if relation:
            raise NotYet(
                f"for these REPORT lines you returned {_amount(got)}, expected {right:.6f} "
                f"GB-s: {relation}.\n{shown}"
            )
        raise NotYet(
            smallest
            or f"for these lines you returned {got:.6f}, expected {right:.6f} GB-s:\n{shown}"
        )


#: 05.4: digests of the saving in percent to 2 decimals, and of what typical slips give:
#: the saving with the free tier taken off both bills, the saving over the Arm bill, and
#: the saving in dollars (x86 bill minus Arm bill).
_DIGESTS_05_4 = {
    "saving": "a75e364c1c1c068ee6fa4342bb0be2ca54aea078933999b87e1797ccae34aee0",
    "free tier": "f1eeb638d2a7310856dcdeb11e174314212a10363eeec76ff719c2054fef5eb7",
    "per arm bill": "99599e3a0959f93ecf2e66fe548fc90908ba64525359e806e1fff4a6ec3a4fd8",
    "dollars": "de5e27f8899d817724216c752dc9e4a756349a9ba27f11c6932fae94523f7d0e",
}


def _percent_is(label: str, got: float) -> bool:
    """Whether ``got`` is, to 0.05, the 05.4 percentage ``label`` names."""
    return within(_DIGESTS_05_4[label], "05.4", label, got, tolerance=0.05)


@exercise("05.4")
def arm_saving(answer: Any) -> None:
    """arm_saving_percent is the saving on the whole bill, in percent of the x86 bill."""
    got = _number(answer, "arm_saving_percent")
    # The exercise's workload: 10 million requests of 120 ms at 1024 MB, priced from the
    # public price list on both architectures, without the free tier.
    if _percent_is("saving", got):
        return
    if _percent_is("saving", got * 100):
        raise NotYet(f"{got:.4f} looks like a fraction; give the percent ({got * 100:.1f})")
    if abs(got - 20) <= 0.05:
        raise NotYet(
            "20 % is the saving on the duration price alone; the whole bill includes requests, "
            "which cost the same on both architectures"
        )
    if _percent_is("free tier", got):
        raise NotYet(
            f"{got:.2f} % is the saving with the free tier taken off both bills; this account's "
            "free tier is used up by other functions, so price both without it "
            "(free_tier=False): the saving is then a little higher"
        )
    if got < 0 and _percent_is("saving", -got):
        raise NotYet(
            f"{got:.2f} % is negative: Arm is the cheaper one, so (x86 - arm) / x86 is positive"
        )
    if _percent_is("saving", 100 - got):
        raise NotYet(
            f"{got:.2f} % is the Arm bill as a percent of the x86 bill; the saving is what is "
            "left of 100 %: (x86 - arm) / x86 × 100"
        )
    if _percent_is("dollars", got):
        raise NotYet(
            f"{got:.2f} is the saving in dollars (the x86 bill minus the Arm bill); give it in "
            "percent of the x86 bill: divide by the x86 bill, times 100"
        )
    if _percent_is("per arm bill", got):
        raise NotYet(f"{got:.1f} % is the saving divided by the Arm bill; divide by the x86 bill")

    def saving(requests: float, duration_ms: float, memory_mb: float) -> float:
        x86 = _bill(requests, duration_ms, memory_mb, X86_PER_GB_S, free_tier=False)
        arm = _bill(requests, duration_ms, memory_mb, ARM_PER_GB_S, free_tier=False)
        return (x86 - arm) / x86 * 100

    slipped = _one_input_slipped(
        {"requests": 10_000_000, "duration_ms": 120, "memory_mb": 1024},
        saving,
        got,
        0.005,
        lambda value: _percent_is("saving", value),
    )
    if slipped:
        raise NotYet(
            f"{got:.2f} % is the saving for " + ", or for ".join(slipped) + ": the exercise's "
            "function runs 10,000,000 times a month, 120 ms each, with 1,024 MB"
        )
    relation = which_relation(got, lambda value: _percent_is("saving", value))
    if relation:
        raise NotYet(f"your answer is {got:.2f} %; {relation}")
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


#: For each table: digests of the cheapest size, and of the size a check that forgets to
#: round durations up would pick (the usual mistake). Recovered from the table's keys.
_DIGESTS_05_5 = [
    (
        "0f8a22739d075751cbe4e9d0a72472cc39099e44ec67225c1b3ae194232f60cb",
        "e168d35b58162ad9e0bb6913f90f3854abc1823565454a5421472e32d1e069a9",
    ),
    (
        "183fdcd8c31f6c3b872863297255f5f7fe953222da0e75609a4e277fdd7fcdd5",
        "8b1c2a6d16a1117df277a3e25acd0f48f5996e1b28adb23f74a703be81c24681",
    ),
    (
        "1446d7c6e0f9e372001be0779d000a4c4e861bd370f2259db4d2245a7a8272ee",
        "6dae81508fbecb8a9bce1cf1d7046ba72e251c4dd258c652844cf398b99a7be2",
    ),
    (
        "654d849984b2753bd74a984ed5095e540185c9e8502a61ab97b7b065270f0615",
        "ab3597f0a3765b41b11eaad05cc5b6f6f1e9c1bc9baaa4388a60bc1263d24d5d",
    ),
    (
        "fe85b232475358cc241b2072232f75e53db77a557ddcd91ef720b4f3816b9998",
        "6c066caa316bacf075944e31ea8f15170e76fdb7d3f33cc71797323bce4f55f9",
    ),
    (
        "9bb9b2d4d70e80311559ac781015e8d1f6d2867a091f366189bb635c1882ebc9",
        "b9ff39d11cd3b707f3b2b19f21a8ebe014c69eda26ee78163615646ace145269",
    ),
]


def _sizes_05_5(case: int) -> tuple[int, int]:
    """The (cheapest, unrounded mistake's) sizes of ``_TABLES_05_5[case]``, from its keys."""
    table = _TABLES_05_5[case]
    right, unrounded = _DIGESTS_05_5[case]
    return (
        recover(right, "05.5", f"{case}:right", table),
        recover(unrounded, "05.5", f"{case}:unrounded", table),
    )


def _cost_of(table: dict[int, float], result: Any) -> str | None:
    """What cost of which size ``result`` is, in words, if it is one (and not a key)."""
    if isinstance(result, bool) or not isinstance(result, Real) or result in table:
        return None
    for memory, duration in table.items():
        costs = {
            "memory × billed ms": math.ceil(duration) * memory,
            "memory × ms": duration * memory,
            "the GB-s of one invocation": math.ceil(duration) / 1000 * memory / 1024,
            "memory × billed s": math.ceil(duration / 1000) * memory,
        }
        for what, value in costs.items():
            if math.isclose(float(result), value, rel_tol=1e-9):
                return f"the cost of {memory:,} MB ({what})"
    return None


def _all_of(table: dict[int, float], value: Any) -> set[int]:
    """The keys of ``table`` whose ``value(key)`` is the lowest (ties are all kept)."""
    lowest = min(value(key) for key in table)
    return {key for key in table if value(key) == lowest}


def _billed(table: dict[int, float]) -> Any:
    return lambda key: math.ceil(table[key]) * key


#: Simple rules a wrong cheapest_memory may follow: (what the result is, in words; what
#: to do instead; the rule: a table and its cheapest size give the set of results the
#: rule allows, a tie allowing either).
RULES_05_5: list[tuple[str, str, Any]] = [
    (
        "the fastest setting",
        "Cost is memory × billed time, not time alone",
        lambda t, right: _all_of(t, t.get),
    ),
    (
        "the slowest setting",
        "Cost is memory × billed time: compare those products",
        lambda t, right: _all_of(t, lambda m: -t[m]),
    ),
    (
        "the smallest size",
        "Compare the cost of every size: memory × duration rounded up to a whole "
        "millisecond (rounded up to whole seconds instead, short durations all cost 1 s and "
        "the smallest size wins)",
        lambda t, right: {min(t)},
    ),
    (
        "the largest size",
        "Compare the cost of every size: memory × billed ms",
        lambda t, right: {max(t)},
    ),
    (
        "the lowest billed ms per MB (duration divided by memory)",
        "Cost is ceil(ms) × MB, a product: dividing by the memory favours the largest size",
        lambda t, right: _all_of(t, lambda m: math.ceil(t[m]) / m),
    ),
    (
        "the table's first size",
        "The sizes come in any order: compare the cost of every one",
        lambda t, right: {next(iter(t))},
    ),
    (
        "the table's last size",
        "The sizes come in any order: compare the cost of every one",
        lambda t, right: {list(t)[-1]},
    ),
    (
        "the most expensive size (the highest memory × billed ms)",
        "The cheapest is the lowest cost: min(), or the first of sorted() (it sorts "
        "ascending), not the last",
        lambda t, right: _all_of(t, lambda m: -_billed(t)(m)),
    ),
    (
        "the position of the cheapest size in the table, not the size",
        "Return the key itself: min(table, key=...) gives the key",
        lambda t, right: {n for n, key in enumerate(t) if _billed(t)(key) == _billed(t)(right)},
    ),
]


def _probe_tables() -> list[dict[int, float]]:
    """Tables on which the simple rules part ways (the same every run): sizes in any
    order, durations that do not fall with memory. No right answer is needed for them."""
    rng = random.Random(55)
    sizes = [128, 256, 512, 1024, 1536, 1769, 2048, 3008]
    tables = []
    for _ in range(8):
        keys = rng.sample(sizes, rng.randint(3, 5))
        tables.append({key: float(rng.randint(5, 900)) for key in keys})
    return tables


def _rules_followed(answer: Any, results: list[Any], rights: list[int]) -> list[tuple[str, str]]:
    """The rules of :data:`RULES_05_5` that give the learner's result for EVERY table of
    the check. When several do, the learner's function is called on :func:`_probe_tables`
    and only the rules it still follows are kept; several left are all returned (the
    check cannot tell which one the learner followed)."""

    def follows(rule: Any, tables: list[dict[int, float]], rights: list[Any], got: list[Any]):
        try:
            return all(
                type(g) is int and g in rule(t, r)
                for t, r, g in zip(tables, rights, got, strict=True)
            )
        except Exception:  # a rule that needs what a probe table lacks says nothing
            return False

    followed = [
        (words, fix, rule)
        for words, fix, rule in RULES_05_5
        if follows(rule, _TABLES_05_5, rights, results)
    ]
    if len(followed) > 1:
        probes = _probe_tables()
        try:
            got = [call_answer(answer, dict(table)) for table in probes]
        except NotYet:
            got = None
        if got is not None:
            kept = [
                rule for rule in followed if follows(rule[2], probes, [None] * len(probes), got)
            ]
            followed = kept or followed
    return [(words, fix) for words, fix, _ in followed]


@exercise("05.5")
def cheapest_memory(answer: Any) -> None:
    """cheapest_memory returns the key of lowest billed cost (ceil(ms) × MB) for six
    tables: in order or not, ties to the smaller size."""
    expect_function(answer, "cheapest_memory", ("durations_by_memory",))
    results = [call_answer(answer, dict(table), name="cheapest_memory") for table in _TABLES_05_5]
    rights = [_sizes_05_5(case)[0] for case in range(len(_TABLES_05_5))]
    if results[0] is None:
        raise NotYet("cheapest_memory returned None: it needs a return statement")
    if results != rights and len({repr(r) for r in results}) == 1:
        shown = next(n for n, right in enumerate(rights) if right != results[0])
        raise NotYet(
            f"cheapest_memory returned {describe(results[0])} for each of the check's "
            f"{len(results)} tables, whose cheapest sizes differ (for "
            f"{_TABLES_05_5[shown]} it is {rights[shown]:,}): the answer must come from the "
            "table it is given"
        )
    followed = _rules_followed(answer, results, rights)
    for case, (table, result) in enumerate(zip(_TABLES_05_5, results, strict=True)):
        right, unrounded = _sizes_05_5(case)
        if result == right:
            continue
        if result is None:
            raise NotYet("cheapest_memory returned None: it needs a return statement")
        shown = ", ".join(f"{m:,} MB: {d:g} ms" for m, d in table.items())
        cost = _cost_of(table, result)
        if cost:
            raise NotYet(
                f"for {{{shown}}} you returned {describe(result)}, not one of the table's "
                f"memory sizes: it is {cost}; expected {right:,} (MB), the memory size (the "
                "key) whose cost is lowest: min(table, key=...) gives the key"
            )
        if followed:
            what = " and also ".join(words for words, _ in followed)
            fixes = " ".join(dict.fromkeys(_capital(fix) + "." for _, fix in followed))
            raise NotYet(
                f"for {{{shown}}} you returned {result:,}, {what} (as for each of the "
                f"{len(results)} tables); the cheapest is {right:,} MB. {fixes}"
            )
        if isinstance(result, int) and result in table and result != right:
            billed = {m: math.ceil(d) * m for m, d in table.items()}
            if billed[result] == billed[right]:
                raise NotYet(
                    f"for {{{shown}}} you returned {result:,}; {right:,} MB and {result:,} MB "
                    f"cost the same ({math.ceil(table[right])} ms × {right:,} MB = "
                    f"{math.ceil(table[result])} ms × {result:,} MB). The exercise's tie rule: "
                    "if two sizes cost the same, return the smaller"
                )
        if result == unrounded:
            raise NotYet(
                f"for {{{shown}}} you returned {result:,}; the cheapest is {right:,} MB once each "
                "duration is rounded up to a whole millisecond (math.ceil), as AWS bills it"
            )
        if isinstance(result, float) and result in table.values():
            raise NotYet(f"you returned a duration ({result:g} ms); return the memory size (a key)")
        is_key = type(result) is int and result in table
        got = f"{result:,} (a key of the table)" if is_key else describe(result)
        raise NotYet(f"for {{{shown}}} you returned {got}; expected {right:,} (MB)")


_CASES_05_6 = [
    (120, 512, 12.264),  # t4g.small all month
    (100, 1024, 59.568),  # m7g.large all month
    (20, 128, 12.264),
    (1500, 2048, 100.0),
    (0.5, 256, 30.0),  # billed as 1 ms
]


def _probe_break_even(answer: Any) -> tuple[str | None, str | None]:
    """break_even_requests read as a cost per request: server_monthly / result is what the
    learner's answer takes one request to cost. Called at three durations (1,024 MB), it
    is a straight line: its slope is the duration part (the price per GB-s), its value at
    0 ms the request price. Each part compared with the right one: which is wrong, and how.
    Returns (the slip the probes prove, or None; the parts in figures, or None)."""
    server = 100.0
    try:
        if not math.isclose(
            _quiet(answer, 1000, 1024, 2 * server),
            2 * _quiet(answer, 1000, 1024, server),
            rel_tol=1e-9,
        ):
            return None, None  # not server_monthly divided by a cost per request
    except Exception:  # a probe the learner's code cannot answer says nothing
        return None, None
    line = line_through(lambda ms: server / _quiet(answer, ms, 1024, server), 1000, 2000, 4000)
    if not line:
        return None, None
    per_ms, offset = line
    per_gb_s, request_price = per_ms * 1000, -offset
    duration_factor = factor_between(per_gb_s, X86_PER_GB_S)
    request_factor = factor_between(request_price, REQUEST_PRICE)
    if duration_factor and request_factor and duration_factor[0] == request_factor[0]:
        factor = 1 / duration_factor[0]
        return (
            f"your result is {times(factor)} the right one (both parts of the cost per "
            f"request it implies are {times(duration_factor[0])} theirs): {duration_factor[1]}",
            None,
        )
    found = []
    right_request = math.isclose(request_price, REQUEST_PRICE, rel_tol=1e-6)
    if math.isclose(request_price, 0, abs_tol=1e-12):
        found.append(
            "the cost per request your result implies has no request price: each request "
            "also costs $0.20 per million"
        )
    elif request_factor:
        found.append(
            f"the request price in your cost per request is {times(request_factor[0])} the "
            f"right one ($0.20 per million): {request_factor[1]}"
        )
    if duration_factor:
        found.append(
            f"the duration part of your cost per request is {times(duration_factor[0])} the "
            f"right one: {duration_factor[1]}"
        )
    if found:
        return "; ".join(found), None
    if right_request and math.isclose(per_gb_s, X86_PER_GB_S, rel_tol=1e-6):
        return None, None
    return None, (
        f"server_monthly / your result is a cost per request of ${request_price:.6g} plus "
        f"${per_gb_s:.6g} per GB-s; expected $0.0000002 plus $0.0000166667 per GB-s"
    )


@exercise("05.6")
def break_even(answer: Any) -> None:
    """break_even_requests matches crossover_requests (no free tier) for five workloads."""
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
        named, shown = _probe_break_even(answer)
        if named:
            raise NotYet(f"{call} returned {_amount(got)}; expected {right:,.0f}: {named}")
        gb_s = math.ceil(duration) / 1000 * memory / 1024
        slip = which_slip(
            got,
            right,
            {
                "the break-even without the request price: each request also costs "
                "$0.20 per million": server / (gb_s * X86_PER_GB_S),
                "the break-even with a GB of 1,000 MB: a GB here is 1,024 MB": server
                / (0.2e-6 + gb_s * 1024 / 1000 * X86_PER_GB_S),
                "the break-even with the duration taken as seconds: duration_ms is in "
                "milliseconds, divide by 1,000": server / (0.2e-6 + gb_s * 1000 * X86_PER_GB_S),
                "the break-even in millions of requests: return the number of requests": right
                / 1e6,
                "the break-even with the request price taken as $0.20 per request: it is "
                "$0.20 per million requests (0.20 / 1,000,000)": server
                / (0.2 + gb_s * X86_PER_GB_S),
                "the break-even with the request price multiplied by 1,000,000: it is $0.20 "
                "per million requests, 0.20 / 1,000,000 per request": server
                / (0.2e6 + gb_s * X86_PER_GB_S),
            },
            rel_tol=1e-3,
        )
        if slip:
            raise NotYet(f"{call} returned {_amount(got)}; expected {right:,.0f}: {slip}")
        per_request_no_ceil = 0.2e-6 + duration / 1000 * memory / 1024 * X86_PER_GB_S
        if math.isclose(got, server / per_request_no_ceil, rel_tol=1e-6):
            raise NotYet(
                f"{call} returned {got:,.0f}; expected {right:,.0f}. Round the duration up to "
                "a whole millisecond (math.ceil), as AWS bills it"
            )
        relation = which_relation(
            got, close_to(right, rel_tol=1e-6), {"the free tier's 1,000,000 requests": 1e6}
        )
        if relation:
            raise NotYet(f"{call} returned {_amount(got)}; expected {right:,.0f}: {relation}")
        raise NotYet(
            f"{call} returned {_amount(got)}; expected about {right:,.0f} requests a month"
            + (f": {shown}" if shown else "")
        )
