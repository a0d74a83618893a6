"""Stale state in lesson 00: a restarted kernel runs the check before the answer's cell."""

from mistakes_runner import Mistake

MISTAKES = {
    "00.1": [
        Mistake(
            "kernel restarted: the check runs before the cell that defines handler",
            restart=True,
            order=(1,),
            expect=["NameError", "handler is defined by", "Run > Run All Above"],
        ),
    ],
}
