"""Lesson 04: a resizer that never ends, triggered by S3 (issue 23)."""

from mistakes_runner import Mistake

MISTAKES = {
    "04.1": [
        Mistake(
            "hangs: str.replace's result thrown away in a loop over '+'",
            solution="""
            while "+" in key:
                key.replace("+", " ")
            key = unquote_plus(key)
            """,
            expect=[
                "article-resizer timed out",
                "lambda_function.py line",
                "a loop that never ends?",
                "retried twice",
            ],
        ),
    ],
}
