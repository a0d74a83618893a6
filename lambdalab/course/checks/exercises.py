"""The course's exercises: each lesson registers its checks here, by exercise id.

A check is a function that returns on success and raises ``NotYet`` otherwise,
registered with :func:`exercise`. Each lesson keeps its checks in
``lambdalab/course/checks/lessonNN.py``, imported the first time an exercise of that
lesson is checked (:func:`load_lesson`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXERCISE_ID = re.compile(r"^(\d\d)\.(\d+)$")
_PACKAGE = __name__.rpartition(".")[0]  # lambdalab.course.checks, where the lessons are


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: its id ("04.2"), title, hint and the check itself."""

    id: str
    title: str
    hint: str
    expects: str
    check: Callable[[Any], None]
    more_hint: str = ""

    @property
    def lesson(self) -> str:
        return self.id.split(".")[0]


_REGISTRY: dict[str, Exercise] = {}


def exercise(
    exercise_id: str,
    *,
    title: str,
    hint: str,
    expects: str = "the answer asked for",
    more_hint: str = "",
):
    """Register the decorated function as the check of exercise ``exercise_id``.

    Parameters
    ----------
    exercise_id : str
        "NN.k": lesson number (two digits) and exercise number.
    title : str
        The exercise's title, as in the notebook.
    hint : str
        Shown with every "not yet": it guides, it does not give the answer.
    expects : str
        What a right answer is, for the message when the answer has the wrong shape.
    more_hint : str
        A fuller hint, added after ``MORE_HINT_AFTER`` failed attempts at this exercise in
        the same kernel. It may name the functions to call, never the answer's own lines
        (tests/unit/course/test_no_answers.py searches the student kit for them).

    Example
    -------
    In ``lambdalab/course/checks/lesson99.py``::

        @exercise("99.1", title="Say yes", hint="Type the word.", expects="the string 'yes'")
        def say_yes(answer):
            if answer != "yes":
                raise NotYet(f"you wrote {answer!r}")

    and in the lesson, ``check("99.1", "yes")`` passes.
    """
    if not EXERCISE_ID.match(exercise_id):
        raise ValueError(f"exercise ids look like '04.2', not {exercise_id!r}")

    def register(function: Callable[[Any], None]) -> Callable[[Any], None]:
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, hint, expects, function, more_hint)
        return function

    return register


def _lesson_modules() -> list[str]:
    """Names of the lesson modules that exist: ["lesson00", "lesson01", ...]."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if re.fullmatch(r"lesson\d\d", info.name)
    )


def load_lesson(lesson: str) -> dict[str, Exercise]:
    """Import ``lessonNN`` (if it exists) and return its exercises by id."""
    if f"lesson{lesson}" in _lesson_modules():
        importlib.import_module(f"{_PACKAGE}.lesson{lesson}")
    return {key: ex for key, ex in sorted(_REGISTRY.items()) if ex.lesson == lesson}


def registry() -> dict[str, Exercise]:
    """Every exercise of every lesson, by id, in course order.

    Example
    -------
    >>> "00.1" in registry()
    True
    """
    for name in _lesson_modules():
        importlib.import_module(f"{_PACKAGE}.{name}")
    return dict(sorted(_REGISTRY.items(), key=lambda item: _sort_key(item[0])))


def _sort_key(exercise_id: str) -> tuple[int, int]:
    lesson, number = exercise_id.split(".")
    return int(lesson), int(number)


#: Failed attempts per exercise in this kernel; the fuller hint comes after this many.
MORE_HINT_AFTER = 2
_ATTEMPTS: dict[str, int] = {}


def hint_for(ex: Exercise) -> str:
    """Count one more failed attempt at ``ex``; return the hint to show with it.

    The first "not yet"s carry the guiding hint; from attempt ``MORE_HINT_AFTER`` on, the
    fuller one is added (a restarted kernel starts counting again).
    """
    _ATTEMPTS[ex.id] = _ATTEMPTS.get(ex.id, 0) + 1
    if ex.more_hint and _ATTEMPTS[ex.id] >= MORE_HINT_AFTER:
        return f"{ex.hint} {ex.more_hint}"
    return ex.hint
