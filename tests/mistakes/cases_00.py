"""Typical wrong answers to lesson 00's exercise, and what the check must say about each."""

from mistakes_runner import Mistake, with_themes

NOTEBOOK = "00-start-here.ipynb"

MISTAKES = {
    "00.1": [
        Mistake(
            "no return statement",
            solution='greeting = {"greeting": f"Hello, {event[\'name\']}!"}',
            expect=["returned None", "return statement"],
        ),
        Mistake(
            "returns the string, not a dict",
            solution="return f\"Hello, {event['name']}!\"",
            expect=["returned a str", "return a dict"],
        ),
        Mistake(
            "crashes: the wrong key",
            solution='return {"greeting": f"Hello, {event[\'Name\']}!"}',
            expect=["raised KeyError: 'Name'"],
        ),
        Mistake(
            "hard-coded name",
            solution='return {"greeting": "Hello, Ada!"}',
            expect=["Grace Hopper", "expected {'greeting': 'Hello, Grace Hopper!'}"],
        ),
        Mistake(
            "one argument",
            replace=(("def handler(event, context):", "def handler(event):"),),
            expect=["must accept 2 arguments"],
        ),
    ],
}
MISTAKES = with_themes("00", MISTAKES)

#: Cells whose output may differ between two runs of the lesson in one kernel, and why.
VARYING = {
    'sb.logs("whoami", last=4)': "run again in the same kernel, whoami's environment may "
    "still be warm (no INIT_START) or already stopped, as on AWS",
}
