"""Lesson 01: deployed handlers that never return (issue 23): the check names the line."""

from mistakes_runner import Mistake, indented
from snippets_01 import TIME_CHECK

MISTAKES = {
    "01.1": [
        Mistake(
            "hangs: waits for a name that never comes",
            solution="""
            name = event.get("name")
            while name is None:
                name = event.get("name")
            return {"greeting": f"Hello, {name}!"}
            """,
            expect=["timed out", "app.py line", "a loop that never ends?"],
        ),
    ],
    "01.5": [
        Mistake(
            "hangs: skips the item instead of stopping, so the list never shrinks",
            solution=indented(TIME_CHECK.replace("break", "continue")),
            expect=["killed at its 1 s timeout", "app.py line"],
        ),
    ],
}
