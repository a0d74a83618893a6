"""Hidden grading tests for lesson 00, Start here (never in the student bundle).

Exercise 0.1's public check tries five names (an empty one among them); these tests try
others (a name of spaces among them), so a handler that only knows the check's names, or
that tidies the name up, loses points. Their feedback is the check's: the event, what the
handler returned, what was expected and what differs (``probe.expect_each``).
"""

from __future__ import annotations

from lambdalab.course.checks import call_answer, fake_context
from lambdalab.course.probe import expect_each
from lambdalab.grading import hidden_test


def _greets(answer, event, context, name):
    expect_each(
        "your handler",
        [
            (
                f"the event {event!r}",
                lambda: call_answer(answer, event, context, name="your handler"),
                {"greeting": f"Hello, {name}!"},
            )
        ],
    )


@hidden_test("00.1", points=5)
def first_handler(answer, rubric):
    """5 points: the public check (2), then one point per kind of event it does not try."""
    if not rubric.public_check(answer, points=2) and not callable(answer):
        return
    with rubric.part("names the check does not try", points=1):
        for name in ["dana scully", "O'Brien", "Nkechi Adébáyọ̀", "x" * 300]:
            _greets(answer, {"name": name}, fake_context("greeter"), name)
    with rubric.part("a name of spaces, kept as it is", points=1):
        _greets(answer, {"name": "  "}, fake_context("greeter"), "  ")
    with rubric.part("an event with other keys, and no context", points=1):
        _greets(answer, {"name": "Lin", "id": 7, "tags": ["a"]}, None, "Lin")
