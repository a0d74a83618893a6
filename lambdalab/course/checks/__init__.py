"""Instant feedback on exercises: ``check("00.1", handler)``.

A check answers "passed" or "not yet: what is wrong" with a hint. It never crashes on a
wrong answer: whatever the answer is (None, a string, a function that raises), the learner
gets a sentence, not a traceback.

Each lesson's checks live in ``lessonNN.py`` here, loaded the first time an exercise of
the lesson is checked, and say only what is particular to their exercises. What they
share lives below them, in the course layer: ``lambdalab.course.exercises`` (the
catalogue they register in, with ``@exercise``) and ``lambdalab.course.probe`` (how a
check looks at an answer: the learner's code called in the kernel, or the deployed
function found, invoked, triggered and waited for, its failures said with its own
error and line). docs/writing-lessons.md shows how to write one.

The environment variable ``LAMBDALAB_CHECKS`` lets the notebook tests enforce both sides
of every check: ``must-pass`` (run on solutions/: a failing check raises AssertionError)
and ``must-fail`` (run on notebooks/: a check that passes on the unsolved stub raises).
"""

from __future__ import annotations

import html
import importlib
import os
import pkgutil
import re
import sys
from dataclasses import dataclass
from typing import Any

from lambdalab.course.exercises import _REGISTRY, EXERCISE_ID, Exercise, exercise, hint_for
from lambdalab.course.probe import (
    Invoked,
    NotYet,
    WrongKind,
    begin_check,
    call_answer,
    describe,
    expect_function,
    failure_feedback,
    failures_of,
    fake_context,
    invoke_function,
    running_sandbox,
    with_stale_state,
)

MODE_VARIABLE = "LAMBDALAB_CHECKS"
MODES = ("", "must-pass", "must-fail")


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

_BOX = (
    "<div style='border-left:5px solid {edge};background:{fill};color:#1b1b1b;"
    "padding:0.5em 0.8em;margin:0.3em 0;border-radius:3px'>{body}</div>"
)


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` returns: shown as a green or amber box in Jupyter, text elsewhere."""

    exercise: str
    passed: bool
    message: str = ""
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"✓ Exercise {self.exercise} passed{': ' + self.message if self.message else ''}"
        text = f"✗ Exercise {self.exercise}. Not yet: {self.message}"
        return text + (f"\n  Hint: {self.hint}" if self.hint else "")

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if self.passed:
            body = f"<b>✓ Exercise {html.escape(self.exercise)} passed</b>"
            if self.message:
                body += f": {html.escape(self.message)}"
            return _BOX.format(edge="#2e7d32", fill="#e8f5e9", body=body)
        body = f"<b>Exercise {html.escape(self.exercise)}. Not yet:</b> {html.escape(self.message)}"
        if self.hint:
            body += f"<br><b>Hint:</b> {html.escape(self.hint)}"
        return _BOX.format(edge="#ff8f00", fill="#fff8e1", body=body)


def _lesson_modules() -> list[str]:
    """Names of the lesson modules that exist: ["lesson00", "lesson01", ...]."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if re.fullmatch(r"lesson\d\d", info.name)
    )


def load_lesson(lesson: str) -> dict[str, Exercise]:
    """Import ``lessonNN`` (if it exists) and return its exercises by id."""
    if f"lesson{lesson}" in _lesson_modules():
        importlib.import_module(f"{__name__}.lesson{lesson}")
    return {key: ex for key, ex in sorted(_REGISTRY.items()) if ex.lesson == lesson}


def registry() -> dict[str, Exercise]:
    """Every exercise of every lesson, by id, in course order.

    Example
    -------
    >>> "00.1" in registry()
    True
    """
    for name in _lesson_modules():
        importlib.import_module(f"{__name__}.{name}")
    return dict(sorted(_REGISTRY.items(), key=lambda item: _sort_key(item[0])))


def _sort_key(exercise_id: str) -> tuple[int, int]:
    lesson, number = exercise_id.split(".")
    return int(lesson), int(number)


def _mode() -> str:
    mode = os.environ.get(MODE_VARIABLE, "").strip().lower()
    if mode not in MODES:
        raise ValueError(
            f"{MODE_VARIABLE}={mode!r} is not a mode; use 'must-pass', 'must-fail' or unset it"
        )
    return mode


def _unknown(exercise_id: str) -> CheckResult:
    match = EXERCISE_ID.match(exercise_id) if isinstance(exercise_id, str) else None
    if not match:
        return CheckResult(
            str(exercise_id),
            False,
            f"{exercise_id!r} is not an exercise id; ids look like '04.2' "
            "(two-digit lesson, a dot, the exercise number), as in the exercise's title",
        )
    known = list(load_lesson(match.group(1)))
    listing = ", ".join(known) if known else "none yet"
    return CheckResult(
        exercise_id,
        False,
        f"there is no exercise {exercise_id}; lesson {match.group(1)} has: {listing}",
    )


def _run(ex: Exercise, answer: Any) -> CheckResult:
    begin_check()
    if answer is _MISSING:
        return CheckResult(ex.id, False, _missing_answer(ex))
    try:
        ex.check(answer)
    except WrongKind as slip:  # a usage slip: what the exercise takes, not how to solve it
        return CheckResult(ex.id, False, _wrong_kind(ex, answer, slip))
    except (NotYet, AssertionError) as not_yet:
        message = _with_state(ex, str(not_yet) or "the answer is not right yet")
        return CheckResult(ex.id, False, message, hint_for(ex))
    except Exception as error:  # a check must never crash on a wrong answer
        message = _with_state(ex, _unexpected(error, answer))
        return CheckResult(ex.id, False, message, hint_for(ex))
    return CheckResult(ex.id, True, ex.title)


def _with_state(ex: Exercise, message: str) -> str:
    """A failed check's message, with the stale state that may explain it (probe.py), and
    cells the kernel has not run (a restart: lambdalab.course.cell_order)."""
    from lambdalab.course import cell_order

    message = with_stale_state(message)
    if "Run All Above" in message:
        return message  # the cells to run are said already
    try:
        skipped = cell_order.skipped_cells_note(ex.id)
    except Exception:  # noqa: BLE001 - only a better message is at stake
        skipped = ""
    return f"{message.rstrip('.')}. {skipped}" if skipped else message


def _unexpected(error: Exception, answer: Any) -> str:
    """The message for an exception the check did not expect: the cause, not a guess.

    A sandbox that could not settle names the failing function's error; anything else is
    said as it is, without claiming the answer has the wrong type (it may be right, and
    only the function behind it failing).
    """
    failures = getattr(error, "failures", None)
    if failures:
        return failure_feedback(list(failures))
    if isinstance(error, TimeoutError) and "AWS_ENDPOINT_URL" in os.environ:
        found = failures_of(running_sandbox())
        if found:
            return failure_feedback(found)
    return (
        f"the check could not finish with your answer ({describe(answer)}): it met "
        f"{type(error).__name__}: {error}"
    )


# --------------------------------------------------------------------------------------
# Usage slips: check() given the wrong kind of argument says what it wants and what it got
# --------------------------------------------------------------------------------------

#: Stands for an argument left out: ``check("00.1")``.
_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "nothing"})()


def _example(ex: Exercise, answer: Any = _MISSING) -> str:
    """The check call as it should read: ``check("01.1", "greeter")``."""
    if ex.deployed:
        shown = f'"{ex.deployed}"'
    elif callable(answer) and getattr(answer, "__name__", "<lambda>") != "<lambda>":
        shown = answer.__name__
    else:
        function = re.match(r"an? function (\w+)\(", ex.expects)
        shown = function.group(1) if function else "your_answer"
    return f'check("{ex.id}", {shown})'


def _missing_answer(ex: Exercise) -> str:
    return (
        f'check("{ex.id}") needs your answer too, after the id: {_example(ex)}, '
        f"where the answer is {ex.expects}"
    )


def _wrong_kind(ex: Exercise, answer: Any, slip: WrongKind) -> str:
    """ "your answer is X; check(...) expected <expects>. <the slip and its fix>"."""
    text = f'your answer is {describe(answer)}; check("{ex.id}", ...) expected {ex.expects}'
    said = slip.slip or _quoted_variable(answer, slip.wanted)
    return text + (f". {said}" if said else "")


def _quoted_variable(answer: Any, wanted: str) -> str:
    """The slip of passing a notebook variable's name in quotes, when that is what it is."""
    if not (isinstance(answer, str) and answer.isidentifier()):
        return ""
    names = _notebook_names()
    if answer in names:
        return (
            f"{answer!r} is the name of a variable of your notebook, in quotes: pass the "
            f"variable itself, {answer}, without quotes"
        )
    return ""


def _notebook_names() -> dict[str, Any]:
    """The notebook's variables (the ``__main__`` namespace check() was called from), or {}."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == "__main__":
            return frame.f_globals
        frame = frame.f_back
    return {}


def _as_exercise_id(value: Any) -> str | None:
    """An exercise id written another way ("0.1", 0.1, "00-1", "Exercise 0.1"), as "00.1"."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = repr(value) if isinstance(value, float) else str(value)
    text = re.sub(r"(?i)^\s*(exercise|ex)\s*", "", text).strip()
    match = re.fullmatch(r"(\d{1,2})\s*[.\-_,:/ ]\s*(\d{1,2})", text)
    return f"{int(match.group(1)):02d}.{int(match.group(2))}" if match else None


def _id_slip(exercise_id: Any, answer: Any) -> CheckResult:
    """What is wrong with the first argument of check(), when it is not an exercise's id."""
    given = "nothing" if exercise_id is _MISSING else describe(exercise_id)
    swapped = _as_exercise_id(answer) if isinstance(answer, str) else None
    if exercise_id is _MISSING:
        message = (
            'check() needs the exercise\'s id and your answer, as in check("04.2", answer): '
            "copy the check cell under the exercise"
        )
        return CheckResult("?", False, message)
    if swapped and not (isinstance(exercise_id, str) and EXERCISE_ID.match(exercise_id)):
        ex = load_lesson(swapped[:2]).get(swapped)
        example = _example(ex, exercise_id) if ex else f'check("{swapped}", your_answer)'
        return CheckResult(
            swapped,
            False,
            f"check() takes the exercise's id first, then your answer: {example}; this call "
            f"has them the other way round (its first argument is {given})",
        )
    candidate = _as_exercise_id(exercise_id)
    if candidate:
        ex = load_lesson(candidate[:2]).get(candidate)
        fix = f"write {_example(ex, answer)}" if ex else _unknown(candidate).message
        lesson, number = candidate.split(".")
        return CheckResult(
            candidate,
            False,
            f"check() takes the exercise's id as a str in quotes: the lesson in two digits, a "
            f'dot, the exercise\'s number ("{candidate}" for Exercise {int(lesson)}.{number}); '
            f"it got {given}: {fix}",
        )
    return _unknown(exercise_id)


def check(exercise_id: str = _MISSING, answer: Any = _MISSING) -> CheckResult:
    """Check ``answer`` for exercise ``exercise_id``; never raises for a wrong answer.

    Parameters
    ----------
    exercise_id : str
        The id in the exercise's title: "00.1" for Exercise 0.1 of lesson 00.
    answer : object
        Whatever the exercise asks for: a function, a value, a dict...

    Returns
    -------
    CheckResult
        ``passed`` and, when not passed, the ``message`` and ``hint``.

    Raises
    ------
    AssertionError
        Only when ``LAMBDALAB_CHECKS`` is ``must-pass`` and the check fails, or
        ``must-fail`` and it passes (the notebook tests use these modes).

    Example
    -------
    >>> check("00.1", None).passed
    False
    """
    mode = _mode()
    match = EXERCISE_ID.match(exercise_id) if isinstance(exercise_id, str) else None
    ex = load_lesson(match.group(1)).get(exercise_id) if match else None
    if ex:
        result = _run(ex, answer)
    elif match and not _as_exercise_id(answer):
        result = _unknown(exercise_id)
    else:
        result = _id_slip(exercise_id, answer)
    if mode == "must-pass" and not result.passed:
        raise AssertionError(f"{MODE_VARIABLE}=must-pass: {result}")
    if mode == "must-fail" and result.passed:
        raise AssertionError(
            f"{MODE_VARIABLE}=must-fail: exercise {result.exercise}: check passed on an "
            "unsolved stub: a check that cannot fail is a defect"
        )
    if ex and not mode:
        from lambdalab.course import progress

        progress.record(result.exercise, result.passed)
    return result


#: What hidden tests (tests/grading/) and the grader import from here.
__all__ = [
    "EXERCISE_ID",
    "CheckResult",
    "Exercise",
    "Invoked",
    "NotYet",
    "WrongKind",
    "call_answer",
    "check",
    "describe",
    "exercise",
    "expect_function",
    "fake_context",
    "invoke_function",
    "load_lesson",
    "registry",
]
