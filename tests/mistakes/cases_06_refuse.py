"""Lesson 06: wrong answers that AWS refuses, refused by the sandbox in AWS's words.

Before, a reservation of the whole account was accepted, leaving functions without a
reservation no concurrency at all, a state AWS never allows (it keeps 100 unreserved).
"""

from mistakes_runner import Mistake
from snippets_06 import reserve

MISTAKES = {
    "06.4": [
        Mistake(
            "reserves the whole account for noisy",
            solution=reserve(1000),
            expect=[
                "InvalidParameterValueException",
                "below its minimum value of [100]",
                "Lambda keeps 100 executions",
            ],
        ),
        Mistake(
            "reserves more than the account's limit",
            solution=reserve(5000),
            expect=["below its minimum value of [100]"],
        ),
    ],
}
