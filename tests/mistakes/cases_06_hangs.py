"""Lesson 06: a payment retried until it works, which never does (issue 23)."""

import textwrap

from mistakes_runner import Mistake, indented
from snippets_06 import CONDITIONAL_PUT, DUPLICATE

MISTAKES = {
    "06.5": [
        Mistake(
            "hangs: retries the conditional write forever on a duplicate",
            solution=indented(
                "while True:\n"
                "    try:\n"
                + textwrap.indent(CONDITIONAL_PUT, " " * 8)
                + "        return True\n"
                + f"    except {DUPLICATE}:\n"
                + "        continue\n"
            ),
            expect=["timed out", "app.py line"],
        ),
    ],
}
