"""Typical wrong answers to lesson 05's exercises (pricing), and what each check must say:
the case that gives them away, and the rule of AWS's bill they missed."""

from mistakes_runner import Mistake, with_themes
from snippets_05 import ARM_SAVING, COST

NOTEBOOK = "05-pricing.ipynb"

MISTAKES = {
    "05.1": [
        Mistake(
            "no free tier",
            solution=COST.replace("max(0, requests - 1_000_000)", "requests").replace(
                "max(0, gb_seconds - 400_000)", "gb_seconds"
            ),
            expect=["the bill without the free tier"],
        ),
        Mistake(
            "round() instead of math.ceil",
            solution=COST.replace("math.ceil(duration_ms)", "round(duration_ms)"),
            expect=["10.2 ms bills 11 ms", "round() gives 10 ms", "math.ceil"],
        ),
        Mistake(
            "1,000 MB to the GB",
            solution=COST.replace("memory_mb / 1024", "memory_mb / 1000"),
            expect=["1,024 MB, not 1,000"],
        ),
        Mistake(
            "no max(0, ...): a negative bill",
            solution=COST.replace("max(0, requests - 1_000_000)", "requests - 1_000_000").replace(
                "max(0, gb_seconds - 400_000)", "gb_seconds - 400_000"
            ),
            expect=["returned -5.000010", "below zero", "max(0, ...)"],
        ),
        Mistake(
            "no max(0, ...) on the requests only",
            solution=COST.replace("max(0, requests - 1_000_000)", "requests - 1_000_000"),
            expect=["billable requests (800,000 - 1,000,000) went below zero", "max(0, ...)"],
        ),
        Mistake(
            "no return statement",
            solution=COST.replace("return ", "total = "),
            expect=["returned None", "return statement"],
        ),
        Mistake(
            "crash: a typo in a name",
            solution=COST.replace("billable_requests * 0.20", "billable_request * 0.20"),
            expect=["raised NameError", "billable_request"],
        ),
    ],
    "05.2": [
        Mistake(
            "the bill without the free tier",
            solution="bill_7m = 7_000_000 * 0.20 / 1_000_000 + 7_000_000 * 0.1 * 0.0000166667",
            expect=["without the free tier"],
        ),
        Mistake(
            "a string, not a number",
            solution='bill_7m = "$6.20"',
            expect=["should be a number", "a str ('$6.20')"],
        ),
        Mistake(
            "the request line only",
            solution="bill_7m = 6_000_000 * 0.20 / 1_000_000",
            expect=["the request line only"],
        ),
    ],
    "05.3": [
        Mistake(
            "Duration instead of Billed Duration",
            replace=(
                (
                    'int(fields["Billed Duration"].split()[0])',
                    'float(fields["Duration"].split()[0])',
                ),
            ),
            expect=["from 'Duration'", "Billed Duration"],
        ),
        Mistake(
            "milliseconds, not seconds",
            replace=(("billed_ms / 1000 * memory_mb", "billed_ms * memory_mb"),),
            expect=["off by 1,000"],
        ),
        Mistake(
            "Max Memory Used instead of Memory Size",
            replace=(('fields["Memory Size"]', 'fields["Max Memory Used"]'),),
            expect=["for these lines you returned", "GB-s"],
        ),
    ],
    "05.4": [
        Mistake(
            "a fraction, not a percent",
            replace=(("(x86 - arm) / x86 * 100", "(x86 - arm) / x86"),),
            expect=["looks like a fraction"],
        ),
        Mistake(
            "divided by the Arm bill",
            replace=(("(x86 - arm) / x86 * 100", "(x86 - arm) / arm * 100"),),
            expect=["divide by the x86 bill"],
        ),
        Mistake(
            "with the free tier",
            solution=ARM_SAVING.replace(", free_tier=False", ""),
            expect=["17.62 %", "with the free tier", "free_tier=False"],
        ),
        Mistake(
            "the duration price's saving only",
            solution="arm_saving_percent = 20",
            expect=["the duration price alone"],
        ),
    ],
    "05.5": [
        Mistake(
            "the fastest, not the cheapest",
            solution="return min(durations_by_memory, key=durations_by_memory.get)",
            expect=["the fastest setting"],
        ),
        Mistake(
            "no rounding up to a whole millisecond",
            replace=(
                ("math.ceil(durations_by_memory[memory_mb])", "durations_by_memory[memory_mb]"),
            ),
            expect=["math.ceil"],
        ),
        Mistake(
            "a tie keeps the larger size (<= in a loop)",
            solution="""\
best = None
for memory_mb, duration_ms in durations_by_memory.items():
    cost = math.ceil(duration_ms) * memory_mb
    if best is None or cost <= best_cost:
        best, best_cost = memory_mb, cost
return best
""",
            expect=["you returned 256", "cost the same", "return the smaller"],
        ),
        Mistake(
            "a tie keeps the first one seen (min without the size)",
            solution="return min(durations_by_memory, "
            "key=lambda m: math.ceil(durations_by_memory[m]) * m)",
            expect=["128 MB and 256 MB cost the same", "return the smaller"],
        ),
        Mistake(
            "returns a list, not one size",
            solution="return [min(durations_by_memory)]",
            expect=["you returned a list", "expected"],
        ),
        Mistake(
            "returns the duration, not the memory size",
            solution="""\
def cost(memory_mb):
    return math.ceil(durations_by_memory[memory_mb]) * memory_mb

best = min(durations_by_memory, key=lambda memory_mb: (cost(memory_mb), memory_mb))
return durations_by_memory[best]
""",
            expect=["return the memory size"],
        ),
    ],
    "05.6": [
        Mistake(
            "with the free tier",
            solution="return crossover_requests(duration_ms, memory_mb, server_monthly)",
            expect=["the break-even with the free tier"],
        ),
        Mistake(
            "no rounding up",
            replace=(("math.ceil(duration_ms) / 1000", "duration_ms / 1000"),),
            expect=["Round the duration up"],
        ),
        Mistake(
            "the cost of the break-even, not the number of requests",
            solution="""\
gb_seconds = math.ceil(duration_ms) / 1000 * memory_mb / 1024
per_request = 0.20 / 1_000_000 + gb_seconds * 0.0000166667
return per_request * server_monthly
""",
            expect=["requests a month"],
        ),
    ],
}
MISTAKES = with_themes("05", MISTAKES)
