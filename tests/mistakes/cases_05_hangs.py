"""Lesson 05: cost functions that never return, called by the check in the kernel."""

from mistakes_runner import Mistake

MISTAKES = {
    "05.3": [
        Mistake(
            "hangs: continue skips the index increment",
            solution="""
            total = 0.0
            i = 0
            while i < len(log_lines):
                line = log_lines[i]
                if not line.startswith("REPORT"):
                    continue
                fields = dict(part.split(": ", 1) for part in line.split("\\t") if ": " in part)
                billed_ms = int(fields["Billed Duration"].split()[0])
                memory_mb = int(fields["Memory Size"].split()[0])
                total += billed_ms / 1000 * memory_mb / 1024
                i += 1
            return total
            """,
            expect=["billed_gb_seconds is still running after 2 s", "a loop that never ends?"],
        ),
    ],
}
