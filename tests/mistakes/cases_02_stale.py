"""Stale state in lesson 02: the deploy cell skipped, a restarted kernel."""

from mistakes_runner import Mistake

MISTAKES = {
    "02.5": [
        Mistake(
            "the fixed handler written, the deploy cell skipped: the check tests the old code",
            order=(0, 2),
            expect=[
                "functions/order-worker/app.py changed since the last deploy of order-worker",
                "then the check",
            ],
        ),
        Mistake(
            "kernel restarted: only the check cell runs",
            restart=True,
            order=(2,),
            expect=["the sandbox holds no function at all", "the kernel restarted"],
        ),
    ],
}
