"""Checks for lesson 00, Start here: the warm-up exercise.

Exercise 0.1 asks for the shape every Lambda function in Python has: a function that
takes ``event`` (a dict made from the JSON that triggered it) and ``context`` (facts
about this invocation) and returns something JSON can encode. AWS's page on the Python
handler: https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
"""

from __future__ import annotations

from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import NotYet, call_answer, describe, expect_function, fake_context

#: Names the check greets: plain, with a space, non-ASCII, and one nobody would hard-code.
NAMES = ["Ada", "Grace Hopper", "Zoë", "λ"]


@exercise("00.1")
def first_handler(answer: Any) -> None:
    """The handler returns ``{"greeting": "Hello, <name>!"}`` for any ``event["name"]``."""
    expect_function(answer, "handler", ("event", "context"))
    for name in NAMES:
        event = {"name": name}
        result = call_answer(answer, event, fake_context("greeter"), name="your handler")
        wanted = {"greeting": f"Hello, {name}!"}
        if result == wanted:
            continue
        if result is None:
            raise NotYet(
                "your handler returned None: it needs a return statement "
                f"(for {event!r} it should return {wanted!r})"
            )
        if not isinstance(result, dict):
            raise NotYet(
                f"for the event {event!r} your handler returned {describe(result)}; "
                f"return a dict, {wanted!r}: Lambda turns it into the JSON the caller receives"
            )
        if "greeting" not in result:
            raise NotYet(f"your handler returned {result!r}: it has no 'greeting' key")
        raise NotYet(
            f"for the event {event!r} your handler returned {result!r}; expected {wanted!r}"
        )
