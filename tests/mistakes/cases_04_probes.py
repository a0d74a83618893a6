"""Lesson 04, round 3 (eval-d): keys that differ only in case. S3 keys are case-sensitive;
the check uploads a key with capitals, so a handler that changes the key's case is told
apart from the right one and named."""

from mistakes_runner import Mistake

_CASE = ["differ only in upper and lower case", "case-sensitive"]

MISTAKES = {
    "04.1": [
        Mistake(  # eval-d r-lowercased
            "decodes, then lower-cases the key",
            solution="key = unquote_plus(key).lower()",
            expect=_CASE,
        ),
        Mistake(
            "decodes, then upper-cases the key",
            solution="key = unquote_plus(key).upper()",
            expect=_CASE,
        ),
        Mistake(
            "decodes, then title-cases the key",
            solution="key = unquote_plus(key).title()",
            expect=_CASE,
        ),
    ],
}
