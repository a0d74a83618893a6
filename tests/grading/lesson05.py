"""Hidden grading tests for lesson 05, Pricing (never in the student bundle).

The public checks use fixed inputs and one random sequence; these tests use other random
inputs, the free tier's boundaries, more REPORT logs, ties and more break-even cases. The
expected bills come from ``lambdalab.pricing``, as in the checks; the expected GB-s of a
log and the cheapest memory size from the reference functions below (:func:`gb_seconds`,
:func:`cheapest`), which the student kit does not hold (the answer key uses them too).
"""

from __future__ import annotations

import math
import random

from lambdalab.course.checks import NotYet, call_answer
from lambdalab.grading import hidden_test
from lambdalab.pricing import crossover_requests, monthly_cost, parse_report


def gb_seconds(lines: list[str]) -> float:
    """05.3: the billed GB-s of a log: Billed Duration × Memory Size of its REPORT lines."""
    total = 0.0
    for report in (parse_report(line) for line in lines if line.split(" ")[0] == "REPORT"):
        total += report.billed_duration_ms / 1000 * report.memory_size_mb / 1024
    return total


def cheapest(table: dict[int, float], rounded: bool = True) -> int:
    """05.5: the cheapest memory size (the smaller one on a tie); ``rounded=False``: the
    usual mistake (durations not rounded up to a whole millisecond)."""

    def cost(memory: int) -> float:
        ms = math.ceil(table[memory]) if rounded else table[memory]
        return ms * memory

    return min(table, key=lambda m: (cost(m), m))


def _number(result, call):
    if isinstance(result, bool) or not isinstance(result, int | float) or math.isnan(result):
        raise NotYet(f"{call} returned {result!r}; expected a number")
    return float(result)


def _my_cost_matches(answer, cases):
    for requests, duration, memory in cases:
        call = f"my_cost({requests}, {duration}, {memory})"
        got = _number(call_answer(answer, requests, duration, memory, name="my_cost"), call)
        right = monthly_cost(requests, duration, memory).total
        if not math.isclose(got, right, rel_tol=1e-9, abs_tol=1e-6):
            raise NotYet(f"{call} returned {got:.6f}, which is not the bill")


#: 05.1: exactly at, just below and just above the free tier.
EDGES_05_1 = [
    (1_000_000, 1, 128),  # requests exactly at the allowance
    (1_000_001, 1, 128),
    (400_000, 1000, 1024),  # exactly 400,000 GB-s
    (400_001, 1000, 1024),
    (399_999, 1000.0001, 1024),  # rounds up to 1001 ms: just beyond
    (10, 0.001, 10_240),
]


@hidden_test("05.1", points=5)
def cost_formula(answer, rubric):
    """5 points: the public check (2), the free tier's edges (1), more random inputs (2)."""
    rubric.public_check(answer, points=2)
    with rubric.part("exactly at, just below and just above the free tier", points=1):
        _my_cost_matches(answer, EDGES_05_1)
    with rubric.part("more random inputs", points=2):
        rng = random.Random(20260501)
        cases = []
        while len(cases) < 80:
            requests = rng.choice([rng.randint(0, 5_000_000), int(10 ** rng.uniform(2, 9))])
            duration = round(10 ** rng.uniform(-1, 4.5), rng.choice([0, 1, 3]))
            memory = rng.choice([128, 640, 2048, 4096, 10_240, rng.randint(128, 10_240)])
            if requests * math.ceil(duration) / 1000 * memory / 1024 < 5e9:
                cases.append((requests, duration, memory))
        _my_cost_matches(answer, cases)


@hidden_test("05.2", points=2)
def article_seven_million(answer, rubric):
    rubric.public_check(answer, points=2)


def _report_log(memory, runs, seed):
    from lambdalab.course.checks.lesson05 import _log

    return _log(memory, runs, seed)


def _gb_s_matches(answer, lines):
    got = _number(call_answer(answer, list(lines), name="billed_gb_seconds"), "billed_gb_seconds")
    right = gb_seconds(lines)
    if not math.isclose(got, right, rel_tol=1e-9, abs_tol=1e-12):
        raise NotYet(f"for a log of {len(lines)} lines you returned {got:.6f} GB-s; not the total")


#: 05.3: (memory, [(duration, init or None), ...], seed) of more logs.
LOGS_05_3 = [
    (10_240, [(14_999.99, 1200.5), (0.01, None)], 21),
    (128, [(1.0, None)] * 5 + [(899_999.5, None)], 22),
    (3008, [(120.4, 95.2), (77.7, None), (65.1, 310.0)], 23),
]


@hidden_test("05.3", points=5)
def gb_seconds_from_reports(answer, rubric):
    """5 points: the public check (2), an empty log (1), other lines (1), more logs (1)."""
    rubric.public_check(answer, points=2)
    with rubric.part("a log without REPORT lines", points=1):
        for lines in ([], ["START RequestId: x Version: $LATEST", "hello", "END RequestId: x"]):
            got = call_answer(answer, lines, name="billed_gb_seconds")
            if _number(got, "billed_gb_seconds") != 0:
                raise NotYet(f"for a log without REPORT lines you returned {got!r}; expected 0")
    with rubric.part("logs whose printed lines mention REPORT or durations", points=1):
        lines = _report_log(256, [(42.5, 210.7), (3.01, None)], seed=11)
        noisy = []
        for line in lines:
            noisy.append(line)
            if line.startswith("START"):
                noisy.append("daily REPORT ready\tDuration: 999 ms\tMemory Size: 4096 MB")
        _gb_s_matches(answer, noisy)
    with rubric.part("more memory sizes, cold starts and long runs", points=1):
        for memory, runs, seed in LOGS_05_3:
            _gb_s_matches(answer, _report_log(memory, runs, seed))


@hidden_test("05.4", points=2)
def arm_saving(answer, rubric):
    rubric.public_check(answer, points=2)


def _cheapest_matches(answer, tables):
    for table in tables:
        got = call_answer(answer, dict(table), name="cheapest_memory")
        if got != cheapest(table):
            shown = ", ".join(f"{m}: {d:g}" for m, d in table.items())
            raise NotYet(f"for {{{shown}}} you returned {got!r}; that is not the cheapest")


#: 05.5: two sizes that cost the same (the smaller wins).
TIES_05_5 = [{256: 10.0, 128: 20.0}, {1024: 4.2, 512: 9.5, 2048: 2.5}, {512: 0.2, 1024: 0.9}]
ONE_SIZE_05_5 = [{3008: 33.3}]


def _random_tables_05_5():
    rng = random.Random(55)
    tables = []
    for _ in range(25):
        sizes = rng.sample([128, 192, 256, 512, 768, 1024, 1536, 2048, 3008, 10_240], 5)
        tables.append({m: round(rng.uniform(1, 3000) * 1024 / m, 2) for m in sizes})
    return tables


RANDOM_05_5 = _random_tables_05_5()
TABLES_05_5 = TIES_05_5 + ONE_SIZE_05_5 + RANDOM_05_5


@hidden_test("05.5", points=5)
def cheapest_memory(answer, rubric):
    """5 points: the public check (2), ties (1), one size (1), random tables (1)."""
    rubric.public_check(answer, points=2)
    with rubric.part("two sizes that cost the same: the smaller", points=1):
        _cheapest_matches(answer, TIES_05_5)
    with rubric.part("a table with one size", points=1):
        _cheapest_matches(answer, ONE_SIZE_05_5)
    with rubric.part("more random tables", points=1):
        _cheapest_matches(answer, RANDOM_05_5)


#: 05.6: the smallest, a tiny and a very long duration.
EDGES_05_6 = [(1, 128, 5.0), (0.01, 10_240, 1000.0), (899_999.1, 1024, 250.0)]


@hidden_test("05.6", points=4)
def break_even(answer, rubric):
    """4 points: the public check (2), more random cases (2)."""
    rubric.public_check(answer, points=2)
    with rubric.part("more durations, memory sizes and server prices", points=2):
        rng = random.Random(606)
        cases = list(EDGES_05_6)
        while len(cases) < 30:
            cases.append(
                (
                    round(10 ** rng.uniform(-1, 4), rng.choice([0, 2])),
                    rng.choice([128, 512, 1792, 4096, rng.randint(128, 10_240)]),
                    round(rng.uniform(3, 800), 3),
                )
            )
        for duration, memory, server in cases:
            call = f"break_even_requests({duration}, {memory}, {server})"
            result = call_answer(answer, duration, memory, server, name="break_even_requests")
            got = _number(result, call)
            right = crossover_requests(duration, memory, server, free_tier=False)
            if not math.isclose(got, right, rel_tol=1e-6):
                raise NotYet(f"{call} returned {got:,.0f}; that is not the break-even")
