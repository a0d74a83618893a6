"""Lesson 02: decoders and stream handlers that never end (issue 23)."""

from mistakes_runner import Mistake, indented
from snippets_02 import RESTOCKS

MISTAKES = {
    "02.2": [
        Mistake(
            "hangs: decodes until no '%' is left ('100% done.txt' keeps one)",
            solution="""
            key = key.replace("+", " ")
            while "%" in key:
                key = unquote(key)
            return key
            """,
            expect=[
                "decode_key is still running after 2 s",
                "notebook cell line",
                "a loop that never ends?",
            ],
        ),
        Mistake(
            "hangs: str.replace's result thrown away",
            solution="""
            while "+" in key:
                key.replace("+", " ")
            return unquote_plus(key)
            """,
            expect=["still running after 2 s", "notebook cell line", "a loop that never ends?"],
        ),
    ],
    "02.3": [
        Mistake(
            "hangs: while where an if was meant, counting restocks forever",
            solution=indented(RESTOCKS.replace("if new > old", "while new > old")),
            expect=["stream-counter timed out", "app.py line", "retry the batch"],
        ),
    ],
}
