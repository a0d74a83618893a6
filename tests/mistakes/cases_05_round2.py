"""Lesson 05, round 2 of the independent evaluation (eval-b): wrong figures explained by
their relation to the right one on the check's own inputs (a unit factor, a free-tier
term, floor division, one REPORT line), a cost returned instead of a memory size, and the
smallest size instead of the cheapest."""

from mistakes_runner import Mistake
from snippets_05 import BREAK_EVEN

MISTAKES = {
    "05.2": [
        Mistake(
            "passes the duration in seconds to my_cost",
            solution="bill_7m = my_cost(7_000_000, 0.2, 512)",
            expect=["request line only", "seconds where milliseconds"],
        ),
    ],
    "05.3": [
        Mistake(
            "sets the total back to 0 inside the loop",
            solution="""\
for line in log_lines:
    total = 0.0
    if line.startswith('REPORT'):
        fields = dict(p.split(': ', 1) for p in line.split('\\t') if ': ' in p)
        billed = int(fields['Billed Duration'].split()[0])
        total += billed / 1000 * int(fields['Memory Size'].split()[0]) / 1024
return total
""",
            expect=["last REPORT line only", "before the loop"],
        ),
        Mistake(
            "divides the milliseconds with // (floor division)",
            solution="""\
total = 0.0
for line in log_lines:
    if line.startswith('REPORT'):
        fields = dict(p.split(': ', 1) for p in line.split('\\t') if ': ' in p)
        billed = int(fields['Billed Duration'].split()[0])
        total += billed // 1000 * int(fields['Memory Size'].split()[0]) / 1024
return total
""",
            expect=["floor division", "Divide with /"],
        ),
    ],
    "05.5": [
        Mistake(
            "returns the lowest cost, not its memory size",
            solution="return min(math.ceil(d) * m for m, d in durations_by_memory.items())",
            expect=["not one of the table's memory sizes", "the cost of 1,024 MB"],
        ),
        Mistake(
            "returns the smallest memory size",
            solution="return sorted(durations_by_memory)[0]",
            expect=["the smallest size", "the cheapest is 1,024 MB"],
        ),
        Mistake(
            "rounds durations up to whole seconds",
            solution=(
                "return min(durations_by_memory, key=lambda m: "
                "(math.ceil(durations_by_memory[m] / 1000) * m, m))"
            ),
            expect=["the smallest size", "whole seconds"],
        ),
    ],
    "05.6": [
        Mistake(
            "prices a request at $0.20 (times a million)",
            solution=BREAK_EVEN.replace("0.20 / 1_000_000", "0.20 * 1_000_000"),
            expect=["returned 6.132e-05", "$0.20 per million"],
        ),
        Mistake(
            "takes the free tier's million requests off the break-even",
            solution=BREAK_EVEN.replace("0.0000166667)\n", "0.0000166667) + 1_000_000\n"),
            expect=["plus the free tier's 1,000,000 requests"],
        ),
    ],
}
