"""How hidden grading tests are written: one function per exercise, parts with points.

Hidden tests live in ``tests/grading/lessonNN.py`` (never in the student bundle). Each
exercise has one function, marked with ``@hidden_test``, that receives the student's
answer (see ``lambdalab.grading.answers``: data, or a function that runs in the student's
kernel) and a ``Rubric`` on which it scores parts::

    from lambdalab.course.checks import NotYet, call_answer, fake_context
    from lambdalab.grading import hidden_test

    @hidden_test("04.2", points=3)
    def decode_key(answer, rubric):
        rubric.public_check(answer, points=1)          # the check the learner ran
        with rubric.part("keys with spaces and plus signs", points=1):
            if call_answer(answer, "a+b%2Bc.jpg") != "a b+c.jpg":
                raise NotYet("'a+b%2Bc.jpg' should decode to 'a b+c.jpg'")
        with rubric.part("keys with non-ASCII characters", points=1):
            ...

A part that raises ``NotYet`` or ``AssertionError`` (or whose call into the student's
code raises) earns nothing and its message goes to the student's feedback; the test's
code does not. An exercise with no hidden test is graded by its public check alone, for
one point.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambdalab.course.checks import Exercise, NotYet
from lambdalab.grading.answers import StudentError

HiddenTest = Callable[[Any, "Rubric"], None]


def hidden_test(exercise_id: str, *, points: int) -> Callable[[HiddenTest], HiddenTest]:
    """Mark ``function(answer, rubric)`` as the hidden test of ``exercise_id``.

    Parameters
    ----------
    exercise_id : str
        "NN.k", as in ``check("NN.k", ...)``.
    points : int
        The exercise's worth; the parts' points should add up to it.
    """

    def mark(function: HiddenTest) -> HiddenTest:
        function.__lambdalab_hidden__ = (exercise_id, int(points))  # type: ignore[attr-defined]
        return function

    return mark


@dataclass
class Part:
    """One scored part: its name, points earned of points possible, the message if failed."""

    name: str
    earned: float
    possible: float
    message: str = ""


@dataclass
class Rubric:
    """Collects the parts of one exercise's grade (see the module's docstring).

    ``check_message`` and ``hint`` hold what the public check said, for the feedback.
    """

    exercise: Exercise | None
    points: int
    parts: list[Part] = field(default_factory=list)
    check_message: str = ""
    check_passed: bool | None = None

    @property
    def hint(self) -> str:
        return self.exercise.hint if self.exercise else ""

    @property
    def earned(self) -> float:
        return min(float(self.points), sum(part.earned for part in self.parts))

    @contextmanager
    def part(self, name: str, *, points: float) -> Iterator[None]:
        """Score the code in the ``with`` block: all ``points`` unless it raises."""
        try:
            yield
        except (NotYet, AssertionError) as failure:
            self.parts.append(Part(name, 0, points, str(failure) or "not right yet"))
        except StudentError as error:
            self.parts.append(
                Part(name, 0, points, f"calling your answer raised {type(error).__name__}: {error}")
            )
        except Exception as error:  # a wrong answer of a shape the test did not expect
            self.parts.append(Part(name, 0, points, f"{type(error).__name__}: {error}"))
        else:
            self.parts.append(Part(name, points, points))

    def public_check(self, answer: Any, *, points: float) -> bool:
        """Run the exercise's public check (the learner's own) as one part."""
        from lambdalab.course.checks import _run  # the exact message and hint the learner sees

        if self.exercise is None:
            self.parts.append(Part("the exercise's check", 0, points, "no public check found"))
            return False
        result = _run(self.exercise, answer)
        self.check_passed, self.check_message = result.passed, result.message
        message = "" if result.passed else result.message
        self.parts.append(
            Part("the exercise's check", points if result.passed else 0, points, message)
        )
        return result.passed


def public_check_only(answer: Any, rubric: Rubric) -> None:
    """The grade of an exercise without a hidden test: its public check, all or nothing."""
    rubric.public_check(answer, points=rubric.points)


def hidden_source(folders: list[Path], lesson: str) -> tuple[str, str] | None:
    """``(path, text)`` of ``lessonNN.py`` in the first folder having it, or None.

    The batch reads it once, before any student code runs, and hands the text to each
    grading process (``load_hidden_source``): a file changed on disk during a batch
    changes nothing.
    """
    for folder in folders:
        path = Path(folder) / f"lesson{lesson}.py"
        if path.is_file():
            return str(path.resolve()), path.read_text(encoding="utf-8")
    return None


def load_hidden_source(path: str, text: str) -> dict[str, tuple[HiddenTest, int]]:
    """The hidden tests defined by the module text ``text`` (read from ``path``)."""
    import types

    name = f"lambdalab_hidden_{Path(path).stem}_{abs(hash(text))}"
    module = sys.modules.get(name)
    if module is None:
        module = types.ModuleType(name)
        module.__file__ = path
        sys.modules[name] = module
        exec(compile(text, path, "exec"), module.__dict__)  # the instructor's own tests
    return _marked_tests(module)


def load_hidden_tests(folders: list[Path], lesson: str) -> dict[str, tuple[HiddenTest, int]]:
    """The hidden tests of lesson ``NN`` from ``lessonNN.py`` in the first folder having it.

    Returns ``{exercise id: (function, points)}``; empty when the lesson has none. Importing
    the module also registers any public checks it defines (tests' own sample lessons).
    """
    for folder in folders:
        path = Path(folder) / f"lesson{lesson}.py"
        if path.is_file():
            name = f"lambdalab_hidden_lesson{lesson}_{abs(hash(str(path.resolve())))}"
            module = sys.modules.get(name)
            if module is None:
                spec = importlib.util.spec_from_file_location(name, path)
                assert spec and spec.loader
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
            return _marked_tests(module)
    return {}


def _marked_tests(module: Any) -> dict[str, tuple[HiddenTest, int]]:
    """``{exercise id: (function, points)}`` for the functions marked ``@hidden_test``."""
    found = {}
    for value in vars(module).values():
        mark = getattr(value, "__lambdalab_hidden__", None)
        if mark:
            found[mark[0]] = (value, mark[1])
    return found
