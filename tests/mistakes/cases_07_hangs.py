"""Lesson 07: a CSV import that retries a bad price forever, triggered by S3 (issue 23)."""

from mistakes_runner import Mistake, indented
from snippets_07 import VALIDATE, VALIDATE_TRY

MISTAKES = {
    "07.2": [
        Mistake(
            "hangs: parses the price again and again until it is a number",
            solution=indented(
                VALIDATE.replace(
                    VALIDATE_TRY,
                    "while True:\n"
                    "    try:\n"
                    "        price = Decimal(text)\n"
                    "        break\n"
                    "    except InvalidOperation:\n"
                    "        continue\n",
                ).replace("must be a number, 0 or more", "is not a valid price")
            ),
            expect=["csv-import timed out", "rows.py line", "Its timeout is 60 s", "retried twice"],
        ),
    ],
}
