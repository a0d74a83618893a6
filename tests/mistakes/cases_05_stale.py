"""Stale state in lesson 05: a restarted kernel runs a check before the answer's cell."""

from mistakes_runner import Mistake

MISTAKES = {
    "05.1": [
        Mistake(
            "kernel restarted: the check runs before the cell that defines my_cost",
            restart=True,
            order=(1,),
            expect=["my_cost is defined by a cell above", "Run > Run All Above"],
        ),
    ],
}
