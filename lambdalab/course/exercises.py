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
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambdalab.course.probe import (
    Deployed,
    WrongKind,
    client,
    function_name,
    function_names,
    listed,
)

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
    #: the name of the function the exercise deploys, when its answer is that name
    deployed: str | None = None

    @property
    def lesson(self) -> str:
        return self.id.split(".")[0]


_REGISTRY: dict[str, Exercise] = {}


def exercise(
    exercise_id: str, *, deployed: str | None = None, deploy_cell: str = "the cell that deploys it"
):
    """Register the decorated function as the check of exercise ``exercise_id``.

    What the learner reads with the result, the exercise's ``title``, ``hint``,
    ``more_hint`` and ``expects``, is course text: it lives beside the check's module, in
    ``lessonNN.toml`` for ``lessonNN.py`` (:func:`lesson_texts`).

    For an exercise whose answer is the name of the function it deploys, give that name as
    ``deployed``: the check then receives the function as a
    :class:`~lambdalab.course.probe.Deployed`, already found in the sandbox and started
    clean (a missing sandbox or function, or an answer that is not a name, is a "not yet"
    naming ``deploy_cell``), and says only what is particular to the exercise.

    Example
    -------
    In ``lambdalab/course/checks/lesson99.py``, with ``["99.1"]`` and ``["99.2"]`` in
    ``lesson99.toml``::

        @exercise("99.1")
        def say_yes(answer):
            if answer != "yes":
                raise NotYet(f"you wrote {answer!r}")

        @exercise("99.2", deployed="greeter")
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
                return function(Deployed(deployed_name(answer, deployed), deploy_cell))

        texts = lesson_texts(sys.modules[function.__module__].__file__, exercise_id)
        if deployed is not None:
            texts.setdefault("expects", f"the name of the deployed function, {deployed!r}")
        texts.setdefault("expects", "the answer asked for")
        _REGISTRY[exercise_id] = Exercise(exercise_id, check=check, deployed=deployed, **texts)
        return check

    return register


def deployed_name(answer: Any, deployed: str) -> str:
    """``answer`` when it is the name of the function the exercise deploys; else a WrongKind.

    A name that differs (a typo, another function of the lesson) is said with the
    functions the sandbox has, the closest first: a check never probes another function
    than the exercise's.
    """
    name = function_name(answer, deployed)
    if name != deployed:
        try:
            names = function_names(client("lambda"))
        except Exception:  # noqa: BLE001 - no sandbox: the name alone is the slip
            names = []
        where = (
            f"{name!r} is another function of the sandbox"
            if name in names
            else f"there is no function {name!r} in the sandbox"
        )
        found = f"{where} ({listed(names, near=name)})" if names else ""
        raise WrongKind(
            f"{name!r} is not the function this exercise deploys: pass its name, {deployed!r}"
            + (f"; {found}" if found else ""),
            answer,
            repr(deployed),
            slip=f"This exercise deploys {deployed!r}" + (f"; {found}" if found else ""),
        )
    return name


def lesson_texts(module_file: str, exercise_id: str) -> dict[str, str]:
    """The title, hints and expects of one exercise, from the TOML file beside its checks.

    Example
    -------
    >>> from lambdalab.course.checks import lesson00
    >>> lesson_texts(lesson00.__file__, "00.1")["title"]
    'Your first handler-shaped function'
    """
    path = Path(module_file).with_suffix(".toml")
    try:
        texts = dict(_texts_of(path)[exercise_id])
    except (OSError, KeyError):
        raise LookupError(
            f'{path} has no ["{exercise_id}"] table: write the exercise\'s title and hint '
            "there (docs/writing-lessons.md)"
        ) from None
    unknown = set(texts) - {"title", "hint", "more_hint", "expects"}
    if unknown or not {"title", "hint"} <= set(texts):
        raise ValueError(
            f'{path} ["{exercise_id}"] needs a title and a hint, and may have more_hint and '
            f"expects; not {', '.join(sorted(unknown)) or 'without them'}"
        )
    return texts


@functools.cache
def _texts_of(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


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
