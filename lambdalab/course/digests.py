"""Expected answers as salted digests: a check can tell a right answer without holding it.

The student kit must not hold the answers (tests/unit/course/test_no_answers.py searches
it for them). Where a check has to know an exercise's expected value, it holds the
SHA-256 of the value instead, salted with the exercise and the case, and compares the
digest of the learner's value; where a message must name the right value, the check
recovers it by digesting the candidates the case itself offers (a table's keys, the
amounts around the learner's). The digests are computed from the answer key, which only
the instructors' copy holds (tests/grading/answer_key.py).

A digest hides an answer from a reader of the kit, not from someone who tries every
candidate: that is all it is for. An exercise with few possible answers stays as easy to
guess as it was.

Example
-------
>>> stored = digest("05.9", "demo", "4.20")
>>> is_answer(stored, "05.9", "demo", "4.20"), is_answer(stored, "05.9", "demo", "4.21")
(True, False)
>>> within(stored, "05.9", "demo", 4.2031, tolerance=0.005)
True
>>> recover(stored, "05.9", "demo", ["1.00", "4.20"])
'4.20'
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable
from numbers import Real
from typing import Any

#: Mixed into every digest, so that a table of digests of common values is no help.
SALT = "lambdalab:answers:v1"


def canonical(value: Any) -> str:
    """The text a value is digested as: a whole number as an int ("256" for 256.0)."""
    if isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return str(int(number))
        return repr(number)
    return str(value)


def digest(exercise: str, case: str, value: Any) -> str:
    """The salted SHA-256 of ``value`` as the answer of ``case`` of ``exercise``."""
    text = f"{SALT}|{exercise}|{case}|{canonical(value)}"
    return hashlib.sha256(text.encode()).hexdigest()


def is_answer(stored: str, exercise: str, case: str, value: Any) -> bool:
    """Whether ``value`` is the one ``stored`` was made from."""
    try:
        mine = digest(exercise, case, value)
    except Exception:  # noqa: BLE001 - a value without a text: not the answer
        return False
    return hmac.compare_digest(mine, stored)


def recover(stored: str, exercise: str, case: str, candidates: Iterable[Any]) -> Any:
    """The first of ``candidates`` that ``stored`` was made from, or None."""
    return next((c for c in candidates if is_answer(stored, exercise, case, c)), None)


def near(stored: str, exercise: str, case: str, value: float, decimals: int = 2) -> float | None:
    """The amount ``stored`` was made from (written with ``decimals``), if it is within
    0.05 of ``value``: found by digesting the amounts around ``value``."""
    step = 10.0**-decimals
    start = round(value, decimals)
    steps = math.ceil(0.05 / step) + 1
    candidates = (start + k * step for k in sorted(range(-steps, steps + 1), key=abs))
    found = recover(
        stored, exercise, case, (f"{c:.{decimals}f}" for c in candidates if math.isfinite(c))
    )
    return None if found is None else float(found)


def within(
    stored: str, exercise: str, case: str, value: float, tolerance: float, decimals: int = 2
) -> bool:
    """Whether ``value`` is within ``tolerance`` (at most 0.05) of the amount ``stored``
    was made from, that amount written with ``decimals``."""
    if not math.isfinite(value):
        return False
    found = near(stored, exercise, case, value, decimals)
    return found is not None and abs(value - found) <= tolerance + 1e-12
