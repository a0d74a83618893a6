"""Lesson 00 as a new learner gets it wrong (issue 23, deliverable 4): what the check must
say. Each check names the input, what the function did and what was expected."""

from mistakes_runner import Mistake

MISTAKES = {
    "00.1": [
        Mistake(
            "no exclamation mark",
            solution='return {"greeting": f"Hello, {event[\'name\']}"}',
            expect=["{'name': 'Ada'}", "'Hello, Ada'", "'!' missing at the end"],
        ),
        Mistake(
            "title-cases the name",
            solution='return {"greeting": f"Hello, {event[\'name\'].title()}!"}',
            expect=["{'name': 'λ'}", "'Hello, Λ!'", "expected {'greeting': 'Hello, λ!'}"],
        ),
        Mistake(
            "answers Ada only: the lesson's example hard-coded",
            solution="""
            if event["name"] == "Ada":
                return {"greeting": "Hello, Ada!"}
            """,
            expect=[
                "{'name': 'Grace Hopper'}",
                "returned None",
                "passed for the event {'name': 'Ada'}",
            ],
        ),
        Mistake(
            "an extra key",
            solution='return {"greeting": f"Hello, {event[\'name\']}!", "name": event[\'name\']}',
            expect=["extra key 'name'", "expected {'greeting': 'Hello, Ada!'}"],
        ),
        Mistake(
            "a plain string with braces: the f is missing",
            solution='return {"greeting": "Hello, {event[\'name\']}!"}',
            expect=["\"Hello, {event['name']}!\"", "'Hello, Ada!'"],
        ),
        Mistake(
            "event.name: the event is a dict",
            solution='return {"greeting": f"Hello, {event.name}!"}',
            expect=[
                "AttributeError",
                "'dict' object has no attribute 'name'",
                "line 2 of your cell",
            ],
        ),
    ],
}
