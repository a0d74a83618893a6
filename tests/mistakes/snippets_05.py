"""Lesson 05's answers, once: the wrong answers of cases_05*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_05_*.py``): the theme files import
from here, never from cases_05.py (which imports them).
"""

#: 05.1's answer: a month's bill, free tier and all.
COST = """\
billed_seconds = math.ceil(duration_ms) / 1000
gb_seconds = requests * billed_seconds * memory_mb / 1024
billable_requests = max(0, requests - 1_000_000)
billable_gb_seconds = max(0, gb_seconds - 400_000)
return billable_requests * 0.20 / 1_000_000 + billable_gb_seconds * 0.0000166667
"""

#: 05.3's answer: the GB-seconds of every REPORT line, added up.
GB_SECONDS = """\
total = 0.0
for line in log_lines:
    if line.startswith("REPORT"):
        fields = dict(part.split(": ", 1) for part in line.split("\\t") if ": " in part)
        billed_ms = int(fields["Billed Duration"].split()[0])
        memory_mb = int(fields["Memory Size"].split()[0])
        total += billed_ms / 1000 * memory_mb / 1024
return total
"""

#: 05.4's answer: Arm's saving on x86's bill, in percent, without the free tier.
ARM_SAVING = """\
x86 = monthly_cost(10_000_000, 120, 1024, free_tier=False).total
arm = monthly_cost(10_000_000, 120, 1024, architecture="arm64", free_tier=False).total
arm_saving_percent = (x86 - arm) / x86 * 100
"""

#: 05.6's answer: the requests a month at which Lambda costs what the server does.
BREAK_EVEN = """\
gb_seconds = math.ceil(duration_ms) / 1000 * memory_mb / 1024
return server_monthly / (0.20 / 1_000_000 + gb_seconds * 0.0000166667)
"""
