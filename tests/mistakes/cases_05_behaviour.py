"""Lesson 05, wrong answers a new learner writes that the catalogue (cases_05.py) does
not hold: old billing rules (100 ms steps), the other architecture's price, units (cents,
seconds, GB of 1,000 MB), partial parsing of REPORT lines, hard-coded examples. Each must
be named by what the answer gave for which input, and what was expected."""

from mistakes_runner import Mistake
from snippets_05 import ARM_SAVING, BREAK_EVEN, COST, GB_SECONDS

MISTAKES = {
    "05.1": [
        Mistake(
            "bills in 100 ms steps (AWS's rule before December 2020)",
            solution=COST.replace("math.ceil(duration_ms)", "math.ceil(duration_ms / 100) * 100"),
            expect=["100 ms", "returned", "expected"],
        ),
        Mistake(
            "Arm's price per GB-s",
            solution=COST.replace("0.0000166667", "0.0000133334"),
            expect=["arm64", "x86"],
        ),
        Mistake(
            "hard-codes the pricing page's example",
            solution="return 2.73",
            expect=["my_cost(1,000,000, 200, 512) returned 2.73"],
        ),
        Mistake(
            "returns the bill as text",
            solution=COST.replace(
                "return billable_requests", 'return f"${billable_requests'
            ).replace("0.0000166667\n", '0.0000166667:.2f}"\n'),
            expect=["should be a number", "str"],
        ),
    ],
    "05.2": [
        Mistake(
            "the bill in cents",
            solution="bill_7m = my_cost(7_000_000, 200, 512) * 100",
            expect=["cents"],
        ),
        Mistake(
            "a whole number of dollars",
            solution="bill_7m = round(my_cost(7_000_000, 200, 512))",
            expect=["whole dollars", "to the cent"],
        ),
        Mistake(
            "the duration in seconds taken as ms",
            solution="bill_7m = my_cost(7_000_000, 0.2, 512)",
            expect=["duration"],
        ),
        Mistake(
            "a str",
            solution="bill_7m = f'{my_cost(7_000_000, 200, 512):.2f}'",
            expect=["should be a number", "str"],
        ),
    ],
    "05.3": [
        Mistake(
            "returns after the first REPORT line",
            solution=(
                GB_SECONDS.replace("total = 0.0\n", "")
                .replace("total += ", "return ")
                .replace("return total", "return 0.0")
            ),
            expect=["first REPORT line only"],
        ),
        Mistake(
            "adds Init Duration on top of Billed Duration",
            solution="""\
total = 0.0
for line in log_lines:
    if not line.startswith("REPORT"):
        continue
    fields = dict(part.split(": ", 1) for part in line.split("\\t") if ": " in part)
    billed_ms = int(fields["Billed Duration"].split()[0])
    init_ms = float(fields.get("Init Duration", "0 ms").split()[0])
    memory_mb = int(fields["Memory Size"].split()[0])
    total += (billed_ms + init_ms) / 1000 * memory_mb / 1024
return total
""",
            expect=["Init Duration", "already"],
        ),
        Mistake(
            "128 MB for every line",
            solution="""\
total = 0.0
for line in log_lines:
    if line.startswith("REPORT"):
        fields = dict(part.split(": ", 1) for part in line.split("\\t") if ": " in part)
        total += int(fields["Billed Duration"].split()[0]) / 1000 * 128 / 1024
return total
""",
            expect=["Memory Size"],
        ),
        Mistake(
            "a GB of 1,000 MB",
            solution=GB_SECONDS.replace("memory_mb / 1024", "memory_mb / 1000"),
            expect=["1,024 MB"],
        ),
    ],
    "05.4": [
        Mistake(
            "the Arm bill as a percent of the x86 bill",
            solution=ARM_SAVING.replace("(x86 - arm) / x86 * 100", "arm / x86 * 100"),
            expect=["the Arm bill as a percent"],
        ),
        Mistake(
            "x86 minus Arm the wrong way round: negative",
            solution=ARM_SAVING.replace("(x86 - arm) / x86 * 100", "(arm - x86) / x86 * 100"),
            expect=["negative"],
        ),
        Mistake(
            "the saving in dollars",
            solution=ARM_SAVING.replace("(x86 - arm) / x86 * 100", "x86 - arm"),
            expect=["in dollars"],
        ),
        Mistake(
            "a str with a percent sign",
            solution="arm_saving_percent = '19%'",
            expect=["should be a number", "str"],
        ),
    ],
    "05.5": [
        Mistake(
            "returns the cost, not the memory size",
            solution="""\
return min(math.ceil(d) * m for m, d in durations_by_memory.items())
""",
            expect=["returned", "expected"],
        ),
        Mistake(
            "returns the key as a str",
            solution="""\
best = min(durations_by_memory, key=lambda m: (math.ceil(durations_by_memory[m]) * m, m))
return str(best)
""",
            expect=["a str ('"],
        ),
        Mistake(
            "assumes the sizes come in order: stops at the first that is not cheaper",
            solution="""\
sizes = list(durations_by_memory)
best = sizes[0]
for size in sizes[1:]:
    if math.ceil(durations_by_memory[size]) * size >= math.ceil(durations_by_memory[best]) * best:
        break
    best = size
return best
""",
            expect=["you returned", "expected"],
        ),
        Mistake(
            "hard-codes the lesson's example",
            solution="return 1024",
            expect=["returned an int (1024) for each", "must come from the table"],
        ),
    ],
    "05.6": [
        Mistake(
            "forgets the request price",
            solution=BREAK_EVEN.replace("0.20 / 1_000_000 + ", ""),
            expect=["request", "$0.20"],
        ),
        Mistake(
            "a GB of 1,000 MB",
            solution=BREAK_EVEN.replace("memory_mb / 1024", "memory_mb / 1000"),
            expect=["1,024 MB"],
        ),
        Mistake(
            "answers in millions of requests",
            solution=BREAK_EVEN.replace(
                "return server_monthly", "return round(server_monthly"
            ).replace("0.0000166667)\n", "0.0000166667) / 1e6)\n"),
            expect=["returned", "expected"],
        ),
        Mistake(
            "the duration in seconds taken as ms",
            solution=BREAK_EVEN.replace(" / 1000 * memory_mb", " * memory_mb"),
            expect=["1,000"],
        ),
    ],
}
