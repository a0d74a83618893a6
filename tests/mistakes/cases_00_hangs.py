"""Lesson 00: a handler that never returns, called by the check in the kernel (issue 23)."""

from mistakes_runner import Mistake

MISTAKES = {
    "00.1": [
        Mistake(
            "hangs: a loop whose condition never changes",
            solution="""
            name = event["name"]
            while name:
                greeting = f"Hello, {name}!"
            return {"greeting": greeting}
            """,
            expect=["still running after 2 s", "line", "a loop that never ends?"],
        ),
    ],
}
