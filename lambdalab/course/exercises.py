"""The course's exercises: id, title, hints, and the check each lesson registers for it.

A check is a function that returns on success and raises ``NotYet`` otherwise,
registered with :func:`exercise`. Each lesson keeps its checks in
``lambdalab/course/checks/lessonNN.py``; ``lambdalab.course.checks.load_lesson`` imports
them the first time an exercise of that lesson is checked. The grader, progress and the
student kit's self-check read the same catalogue.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lambdalab.course.probe import Deployed, function_name

EXERCISE_ID = re.compile(r"^(\d\d)\.(\d+)$")


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
    deployed: str | None = None,
    deploy_cell: str = "the cell that deploys it",
):
    """Register the decorated function as the check of exercise ``exercise_id``.

    For an exercise whose answer is the name of the function it deploys, give that name as
    ``deployed``: the check then receives the function as a
    :class:`~lambdalab.course.probe.Deployed`, already found in the sandbox and started
    clean (a missing sandbox or function, or an answer that is not a name, is a "not yet"
    naming ``deploy_cell``), and says only what is particular to the exercise.

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
    deployed, deploy_cell : str
        The name of the function the exercise deploys, and the cell that deploys it.

    Example
    -------
    In ``lambdalab/course/checks/lesson99.py``::

        @exercise("99.1", title="Say yes", hint="Type the word.", expects="the string 'yes'")
        def say_yes(answer):
            if answer != "yes":
                raise NotYet(f"you wrote {answer!r}")

        @exercise("99.2", title="Greet", hint="Return a dict.", deployed="greeter")
        def greets(fn):
            if fn.call({"name": "Ada"}) != {"greeting": "Hello, Ada!"}:
                raise NotYet("...")

    and in the lesson, ``check("99.1", "yes")`` and ``check("99.2", "greeter")`` pass.
    """
    if not EXERCISE_ID.match(exercise_id):
        raise ValueError(f"exercise ids look like '04.2', not {exercise_id!r}")

    def register(function: Callable[[Any], None]) -> Callable[[Any], None]:
        check = function
        if deployed is not None:

            @functools.wraps(function)
            def check(answer: Any) -> None:
                return function(Deployed(function_name(answer, deployed), deploy_cell))

        wanted = f"the name of the deployed function, {deployed!r}" if deployed else expects
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, hint, wanted, check, more_hint)
        return check

    return register


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
