"""Checks for lesson 00, Start here: the warm-up exercise.

Exercise 0.1 asks for the shape every Lambda function in Python has: a function that
takes ``event`` (a dict made from the JSON that triggered it) and ``context`` (facts
about this invocation) and returns something JSON can encode. AWS's page on the Python
handler: https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
"""

from __future__ import annotations

from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    call_answer,
    describe,
    expect_each,
    expect_function,
    fake_context,
)

#: Names the check greets: the lesson's, one with a space, non-ASCII ones (one that upper
#: or title case changes), and an empty name (a boundary: still a greeting).
NAMES = ["Ada", "Grace Hopper", "Zoë", "λ", ""]
EVENTS = [{"name": name} for name in NAMES]


@exercise("00.1")
def first_handler(answer: Any) -> None:
    """The handler returns ``{"greeting": "Hello, <name>!"}`` for any ``event["name"]``."""
    expect_function(answer, "handler", ("event", "context"))
    expect_each(
        "your handler",
        (
            (
                f"the event {event!r}",
                lambda event=event: call_answer(
                    answer, event, fake_context("greeter"), name="your handler"
                ),
                {"greeting": f"Hello, {name}!"},
            )
            for event, name in zip(EVENTS, NAMES, strict=True)
        ),
        show=describe,
    )
