"""Stale state in lesson 04: the deploy cell skipped, a restarted kernel."""

from mistakes_runner import Mistake

MISTAKES = {
    "04.5": [
        Mistake(
            "the fixed resizer written, the deploy cell skipped: the check tests the old code",
            order=(0, 2),
            expect=["functions/resizer/app.py changed since the last deploy of resizer"],
        ),
        Mistake(
            "kernel restarted: only the check cell runs",
            restart=True,
            order=(2,),
            expect=["the sandbox holds no function at all", "Run > Run All Above"],
        ),
    ],
}
