"""Lesson 05, round 3 of the independent evaluation (eval-d): a slip in one line of the
bill, found by probing the learner's function line by line (lambdalab.course.figures), a
slip hidden behind the free tier, a single figure traced to one slipped input, the
smallest failing input of a log, and the one rule a choice of memory follows."""

from mistakes_runner import Mistake

_GB_S = "requests * math.ceil(duration_ms) / 1000 * memory_mb / 1024"


def _cost(
    gb_seconds: str = _GB_S,
    requests: str = "max(0, requests - 1_000_000)",
    free_gb_s: str = "max(0, gb_seconds - 400_000)",
    per_gb_s: str = "0.0000166667",
    per_request: str = "0.20 / 1_000_000",
) -> str:
    return f"""\
gb_seconds = {gb_seconds}
billable_requests = {requests}
billable_gb_seconds = {free_gb_s}
return billable_requests * {per_request} + billable_gb_seconds * {per_gb_s}
"""


def _break_even(gb_seconds: str, per_request: str) -> str:
    return f"""\
gb_seconds = {gb_seconds}
per_request = {per_request}
return server_monthly / per_request
"""


_GB_S_ONE = "math.ceil(duration_ms) / 1000 * memory_mb / 1024"

MISTAKES = {
    "05.1": [
        # eval-d's cases
        Mistake(
            "duration in ms taken as seconds: 1,660 against $0 inside the free tier",
            solution=_cost(gb_seconds="requests * math.ceil(duration_ms) * memory_mb / 1024"),
            expect=["duration line is 1,000 times the right one", "milliseconds"],
        ),
        Mistake(
            "GB-s from the billable requests, then the free GB-s off too",
            solution=_cost(
                gb_seconds="max(0, requests - 1_000_000) * math.ceil(duration_ms) / 1000 "
                "* memory_mb / 1024"
            ),
            expect=["takes the free tier off twice", "from all the requests"],
        ),
        Mistake(
            "a zero too many in the price per GB-s",
            solution=_cost(per_gb_s="0.00000166667"),
            expect=["duration line is 1/10 of the right one", "one zero too many"],
        ),
        # our own
        Mistake(
            "memory in MB taken as GB (no / 1024)",
            solution=_cost(gb_seconds="requests * math.ceil(duration_ms) / 1000 * memory_mb"),
            expect=["duration line is 1,024 times", "memory_mb"],
        ),
        Mistake(
            "the free million requests taken off twice",
            solution=_cost(requests="max(0, requests - 2_000_000)"),
            expect=["request line takes the free 1,000,000 requests off twice"],
        ),
        Mistake(
            "the request price per million used per request",
            solution=_cost(per_request="0.20"),
            expect=["request line is 1,000,000 times", "0.20 / 1,000,000"],
        ),
        Mistake(
            "the free GB-s not taken off (requests are)",
            solution=_cost(free_gb_s="gb_seconds"),
            expect=["duration line does not take off the free 400,000 GB-s"],
        ),
        Mistake(
            "duration divided by 1,000 twice",
            solution=_cost(gb_seconds=_GB_S + " / 1000"),
            expect=["duration line is 1/1,000 of the right one"],
        ),
    ],
    "05.6": [
        # eval-d's cases
        Mistake(
            "Arm's price per GB-s",
            solution=_break_even(_GB_S_ONE, "0.20 / 1_000_000 + gb_seconds * 0.0000133334"),
            expect=["0.8 times the right one", "arm64's price per GB-s"],
        ),
        Mistake(
            "server_monthly multiplied by 730",
            solution=_break_even(_GB_S_ONE, "0.20 / 1_000_000 + gb_seconds * 0.0000166667").replace(
                "server_monthly /", "server_monthly * 730 /"
            ),
            expect=["your result is 730 times the right one", "already a month's price"],
        ),
        Mistake(
            "memory in MB taken as GB",
            solution=_break_even(
                "math.ceil(duration_ms) / 1000 * memory_mb",
                "0.20 / 1_000_000 + gb_seconds * 0.0000166667",
            ),
            expect=["duration part of your cost per request is 1,024 times", "memory_mb"],
        ),
        # our own
        Mistake(
            "the price per GB-s with a zero too few",
            solution=_break_even(_GB_S_ONE, "0.20 / 1_000_000 + gb_seconds * 0.000166667"),
            expect=["duration part of your cost per request is 10 times", "one zero too few"],
        ),
        Mistake(
            "the request price taken per request",
            solution=_break_even(_GB_S_ONE, "0.20 + gb_seconds * 0.0000166667"),
            expect=["request price in your cost per request is 1,000,000 times"],
        ),
        Mistake(
            "server_monthly divided by 730",
            solution=_break_even(_GB_S_ONE, "0.20 / 1_000_000 + gb_seconds * 0.0000166667").replace(
                "server_monthly /", "server_monthly / 730 /"
            ),
            expect=["your result is 1/730 of the right one"],
        ),
    ],
}

MISTAKES["05.2"] = [
    # eval-d's cases
    Mistake(
        "700,000 requests: one zero short",
        solution="bill_7m = my_cost(700_000, 200, 512)",
        expect=["$0.00 is the bill", "700,000 requests", "one zero short"],
    ),
    Mistake(
        "memory given in GB",
        solution="bill_7m = my_cost(7_000_000, 200, 0.5)",
        expect=["request line only", "0.5 as memory_mb", "given in GB"],
    ),
    # our own
    Mistake(
        "70,000,000 requests: one zero too many",
        solution="bill_7m = my_cost(70_000_000, 200, 512)",
        expect=["70,000,000 requests", "one zero too many"],
    ),
    Mistake(
        "the duration with one zero short",
        solution="bill_7m = my_cost(7_000_000, 20, 512)",
        expect=["20 as duration_ms", "one zero short"],
    ),
    Mistake(
        "the duration multiplied by 1,000",
        solution="bill_7m = my_cost(7_000_000, 200_000, 512)",
        expect=["200,000 as duration_ms"],
    ),
]

MISTAKES["05.4"] = [
    # eval-d's case
    Mistake(
        "the duration given in seconds",
        solution="""\
x86 = monthly_cost(10_000_000, 0.12, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 0.12, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = (x86 - arm) / x86 * 100
""",
        expect=["1.54 % is the saving for 0.12 as duration_ms", "given in seconds"],
    ),
    # our own
    Mistake(
        "the duration with one zero short",
        solution="""\
x86 = monthly_cost(10_000_000, 12, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 12, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = (x86 - arm) / x86 * 100
""",
        expect=["12 as duration_ms", "one zero short"],
    ),
    Mistake(
        "the duration with one zero too many",
        solution="""\
x86 = monthly_cost(10_000_000, 1200, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 1200, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = (x86 - arm) / x86 * 100
""",
        expect=["1,200 as duration_ms", "one zero too many"],
    ),
]


def _report_loop(body: str, keep: str = "line.startswith('REPORT')") -> str:
    return f"""\
total = 0.0
for line in log_lines:
    if {keep}:
        fields = dict(p.split(': ', 1) for p in line.split('\\t') if ': ' in p)
{body}
return total
"""


_BILLED = "        billed_ms = int(fields['Billed Duration'].split()[0])\n"
_MEMORY = "        memory_mb = int(fields['Memory Size'].split()[0])\n"
_ADD = "        total += billed_ms / 1000 * memory_mb / 1024"

MISTAKES["05.3"] = [
    # eval-d's cases
    Mistake(
        "leaves out the cold starts' lines",
        solution=_report_loop(
            _BILLED + _MEMORY + _ADD,
            keep="line.startswith('REPORT') and 'Init Duration' not in line",
        ),
        expect=["for this one REPORT line you returned 0", "0 for a cold start's line"],
    ),
    Mistake(
        "reads the memory size's first 3 characters",
        solution=_report_loop(
            _BILLED + "        memory_mb = int(fields['Memory Size'][:3])\n" + _ADD
        ),
        expect=["for this one REPORT line", "Memory Size of 102 MB", "split()[0]"],
    ),
    Mistake(
        "multiplies the sum of the durations by the sum of the memory sizes",
        solution="""\
billed, memory = 0, 0
for line in log_lines:
    if line.startswith('REPORT'):
        fields = dict(p.split(': ', 1) for p in line.split('\\t') if ': ' in p)
        billed += int(fields['Billed Duration'].split()[0])
        memory += int(fields['Memory Size'].split()[0])
return billed / 1000 * memory / 1024
""",
        expect=["each REPORT line alone is right, two lines together are not", "its own GB"],
    ),
    # our own
    Mistake(
        "reads Max Memory Used as the memory",
        solution=_report_loop(
            _BILLED + "        memory_mb = int(fields['Max Memory Used'].split()[0])\n" + _ADD
        ),
        expect=["for this one REPORT line", "what 'Max Memory Used:", "'Memory Size'"],
    ),
    Mistake(
        "reads Init Duration where there is one, else Billed Duration",
        solution=_report_loop(
            "        key = 'Init Duration' if 'Init Duration' in fields else 'Billed Duration'\n"
            "        billed_ms = float(fields[key].split()[0])\n" + _MEMORY + _ADD
        ),
        expect=["for this one REPORT line", "what 'Init Duration:", "Billed Duration"],
    ),
    Mistake(
        "averages the lines' GB-s instead of adding them",
        solution=_report_loop(_BILLED + _MEMORY + _ADD).replace(
            "return total", "return total / sum(1 for l in log_lines if l.startswith('REPORT'))"
        ),
        expect=["each REPORT line alone is right, two lines together are not", "add up"],
    ),
    Mistake(
        "keeps the largest line's GB-s",
        solution=_report_loop(
            _BILLED + _MEMORY + "        total = max(total, billed_ms / 1000 * memory_mb / 1024)"
        ),
        expect=["two lines together are not", "the larger line's GB-s only"],
    ),
]

MISTAKES["05.5"] = [
    # eval-d's cases
    Mistake(
        "the last of the sizes sorted by cost",
        solution="return sorted(durations_by_memory, key=lambda m: "
        "(math.ceil(durations_by_memory[m]) * m, m))[-1]",
        expect=["you returned 3,008, the most expensive size", "as for each of the 6 tables"],
    ),
    Mistake(
        "divides the duration by the memory",
        solution="return min(durations_by_memory, key=lambda m: "
        "(math.ceil(durations_by_memory[m]) / m, m))",
        expect=["you returned 3,008, the lowest billed ms per MB", "a product"],
    ),
    # our own
    Mistake(
        "returns the position of the cheapest size",
        solution="""\
costs = [math.ceil(ms) * mb for mb, ms in durations_by_memory.items()]
return costs.index(min(costs))
""",
        expect=["the position of the cheapest size in the table", "Return the key itself"],
    ),
    Mistake(
        "the slowest setting",
        solution="return max(durations_by_memory, key=durations_by_memory.get)",
        expect=["the slowest setting (as for each of the 6 tables)"],
    ),
    Mistake(
        "the table's last size",
        solution="return list(durations_by_memory)[-1]",
        expect=["the table's last size", "any order"],
    ),
    Mistake(
        "a key that follows no simple rule is not called a type error",
        solution="""\
ordered = sorted(durations_by_memory)
return ordered[len(ordered) // 2]
""",
        expect=["(a key of the table); expected"],
    ),
]
