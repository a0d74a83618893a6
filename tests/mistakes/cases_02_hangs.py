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
            # The watch names it as stuck ("stream-counter timed out ... retry the batch")
            # unless the 3 s timeout comes first on a busy machine: then the failure says
            # "it timed out ... at app.py line 13". Both name the cause and the line.
            expect=["timed out", "app.py line"],
        ),
    ],
}
