"""Lesson 05, wrong answers a new learner writes that the catalogue (cases_05.py) does
not hold: old billing rules (100 ms steps), the other architecture's price, units (cents,
seconds, GB of 1,000 MB), partial parsing of REPORT lines, hard-coded examples. Each must
be named by what the answer gave for which input, and what was expected."""

from mistakes_runner import Mistake

MISTAKES = {
    "05.1": [
        Mistake(
            "bills in 100 ms steps (AWS's rule before December 2020)",
            solution="""\
billed_seconds = math.ceil(duration_ms / 100) * 100 / 1000
gb_seconds = requests * billed_seconds * memory_mb / 1024
billable_requests = max(0, requests - 1_000_000)
billable_gb_seconds = max(0, gb_seconds - 400_000)
return billable_requests * 0.20 / 1_000_000 + billable_gb_seconds * 0.0000166667
""",
            expect=["100 ms", "returned", "expected"],
        ),
        Mistake(
            "Arm's price per GB-s",
            solution="""\
billed_seconds = math.ceil(duration_ms) / 1000
gb_seconds = requests * billed_seconds * memory_mb / 1024
billable_requests = max(0, requests - 1_000_000)
billable_gb_seconds = max(0, gb_seconds - 400_000)
return billable_requests * 0.20 / 1_000_000 + billable_gb_seconds * 0.0000133334
""",
            expect=["arm64", "x86"],
        ),
        Mistake(
            "hard-codes the pricing page's example",
            solution="return 2.73",
            expect=["my_cost(1,000,000, 200, 512) returned 2.73"],
        ),
        Mistake(
            "returns the bill as text",
            solution="""\
billed_seconds = math.ceil(duration_ms) / 1000
gb_seconds = requests * billed_seconds * memory_mb / 1024
billable_requests = max(0, requests - 1_000_000)
billable_gb_seconds = max(0, gb_seconds - 400_000)
return f"${billable_requests * 0.20 / 1_000_000 + billable_gb_seconds * 0.0000166667:.2f}"
""",
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
            solution="""\
for line in log_lines:
    if line.startswith("REPORT"):
        fields = dict(part.split(": ", 1) for part in line.split("\\t") if ": " in part)
        billed_ms = int(fields["Billed Duration"].split()[0])
        memory_mb = int(fields["Memory Size"].split()[0])
        return billed_ms / 1000 * memory_mb / 1024
return 0.0
""",
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
            solution="""\
total = 0.0
for line in log_lines:
    if line.startswith("REPORT"):
        fields = dict(part.split(": ", 1) for part in line.split("\\t") if ": " in part)
        billed_ms = int(fields["Billed Duration"].split()[0])
        memory_mb = int(fields["Memory Size"].split()[0])
        total += billed_ms / 1000 * memory_mb / 1000
return total
""",
            expect=["1,024 MB"],
        ),
    ],
    "05.4": [
        Mistake(
            "the Arm bill as a percent of the x86 bill",
            solution="""\
x86 = monthly_cost(10_000_000, 120, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 120, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = arm / x86 * 100
""",
            expect=["the Arm bill as a percent"],
        ),
        Mistake(
            "x86 minus Arm the wrong way round: negative",
            solution="""\
x86 = monthly_cost(10_000_000, 120, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 120, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = (arm - x86) / x86 * 100
""",
            expect=["negative"],
        ),
        Mistake(
            "the saving in dollars",
            solution="""\
x86 = monthly_cost(10_000_000, 120, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 120, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = x86 - arm
""",
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
            solution="""\
gb_seconds = math.ceil(duration_ms) / 1000 * memory_mb / 1024
return server_monthly / (gb_seconds * 0.0000166667)
""",
            expect=["request", "$0.20"],
        ),
        Mistake(
            "a GB of 1,000 MB",
            solution="""\
gb_seconds = math.ceil(duration_ms) / 1000 * memory_mb / 1000
return server_monthly / (0.20 / 1_000_000 + gb_seconds * 0.0000166667)
""",
            expect=["1,024 MB"],
        ),
        Mistake(
            "answers in millions of requests",
            solution="""\
gb_seconds = math.ceil(duration_ms) / 1000 * memory_mb / 1024
return round(server_monthly / (0.20 / 1_000_000 + gb_seconds * 0.0000166667) / 1e6)
""",
            expect=["returned", "expected"],
        ),
        Mistake(
            "the duration in seconds taken as ms",
            solution="""\
gb_seconds = math.ceil(duration_ms) * memory_mb / 1024
return server_monthly / (0.20 / 1_000_000 + gb_seconds * 0.0000166667)
""",
            expect=["1,000"],
        ),
    ],
}
