"""Your progress through the course: which exercises passed, which are not there yet.

Every ``check(...)`` is recorded (exercise id, passed, time) in a small JSON file:
``~/.lambdalab/progress.json``, or the path in the environment variable
``LAMBDALAB_PROGRESS``. ``lambdalab.progress()`` shows it as a table, lesson by lesson.

The file belongs to the learner, not to the course: deleting it starts afresh, and a home
folder that cannot be written (some JupyterHubs) only costs the record, never a check.
Test runs (``LAMBDALAB_CHECKS`` set) record nothing.

Several kernels (one per open lesson) share the file: each write holds a lock on
``progress.json.lock`` while it reads, appends and renames a new file over the old one,
so no kernel's attempt is lost and no reader ever sees half a file.

Example
-------
>>> import lambdalab
>>> lambdalab.progress()  # doctest: +SKIP
Lesson 00 Start here: 1 of 1 done
  ✓ 00.1  Your first handler-shaped function   done
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PATH_VARIABLE = "LAMBDALAB_PROGRESS"
DEFAULT_PATH = Path("~") / ".lambdalab" / "progress.json"
FILE_VERSION = 1
DONE, NOT_YET, NOT_TRIED = "done", "not yet", "not tried"
_SYMBOLS = {DONE: "✓", NOT_YET: "…", NOT_TRIED: "·"}
_COLOURS = {DONE: "#2e7d32", NOT_YET: "#e65100", NOT_TRIED: "#757575"}
_warned = False


def path() -> Path:
    """Where progress is kept: ``$LAMBDALAB_PROGRESS`` or ``~/.lambdalab/progress.json``."""
    return Path(os.environ.get(PATH_VARIABLE) or DEFAULT_PATH).expanduser()


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"Lambda Lab: {message}", RuntimeWarning, stacklevel=3)


def load() -> list[dict[str, Any]]:
    """Every recorded attempt, oldest first: ``{"exercise", "passed", "time"}`` dicts."""
    file = path()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        attempts = data["attempts"]
        if not isinstance(attempts, list):
            raise TypeError("'attempts' is not a list")
    except (FileNotFoundError, NotADirectoryError):  # nothing recorded yet
        return []
    except OSError as error:
        _warn_once(f"could not read your progress file {file} ({error}); showing none.")
        return []
    except (ValueError, TypeError, KeyError) as error:
        kept = file.with_name(file.name + ".unreadable")
        _warn_once(f"your progress file {file} is damaged ({error}); moved it to {kept}.")
        try:
            file.replace(kept)
        except OSError:
            pass
        return []
    return [a for a in attempts if isinstance(a, dict) and "exercise" in a]


def _write_atomically(file: Path, text: str) -> None:
    """Write to a temporary file next to ``file`` and rename it over: never half a file."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".progress-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _locked(file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<file>.lock`` (flock: released if the kernel dies)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows without WSL: no flock; the rename still keeps it whole
        yield
        return
    with open(file.with_name(file.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(exercise: str, passed: bool, *, now: Callable[[], datetime] | None = None) -> bool:
    """Append one check result to the progress file; return False if it could not be saved.

    Parameters
    ----------
    exercise : str
        The exercise id, e.g. "00.1".
    passed : bool
        Whether the check passed.
    now : callable, optional
        The clock (tests pass a fixed one); default: the current UTC time.

    Example
    -------
    >>> record("00.1", True)  # doctest: +SKIP
    True
    """
    moment = (now or (lambda: datetime.now(UTC)))()
    attempt = {
        "exercise": exercise,
        "passed": bool(passed),
        "time": moment.isoformat(timespec="seconds"),
    }
    try:
        with _locked(path()):  # read, append and replace as one step among kernels
            attempts = load()
            attempts.append(attempt)
            text = json.dumps({"version": FILE_VERSION, "attempts": attempts}, indent=1)
            _write_atomically(path(), text + "\n")
    except OSError as error:
        _warn_once(
            f"cannot save your progress to {path()} ({error.strerror or error}). Checks still "
            f"work; set {PATH_VARIABLE} to a writable file to keep a record."
        )
        return False
    return True


def status(attempts: list[dict[str, Any]]) -> dict[str, str]:
    """Each tried exercise's status: "done" once a check passed, else "not yet".

    Example
    -------
    >>> status([{"exercise": "00.1", "passed": False}, {"exercise": "00.1", "passed": True}])
    {'00.1': 'done'}
    """
    result: dict[str, str] = {}
    for attempt in attempts:
        if attempt.get("passed"):
            result[attempt["exercise"]] = DONE
        else:
            result.setdefault(attempt["exercise"], NOT_YET)
    return result


@dataclass(frozen=True)
class LessonProgress:
    """One lesson's rows: ``(exercise id, title, status)``."""

    stem: str
    title: str
    rows: list[tuple[str, str, str]]

    @property
    def done(self) -> int:
        return sum(1 for _, _, state in self.rows if state == DONE)


@dataclass(frozen=True)
class ProgressReport:
    """What ``lambdalab.progress()`` returns: a table in Jupyter, text elsewhere."""

    lessons: list[LessonProgress]
    file: Path

    @property
    def done(self) -> int:
        return sum(lesson.done for lesson in self.lessons)

    @property
    def total(self) -> int:
        return sum(len(lesson.rows) for lesson in self.lessons)

    def __str__(self) -> str:
        lines = [f"Lambda Lab progress: {self.done} of {self.total} exercises done"]
        for lesson in self.lessons:
            lines.append(f"{lesson.title}: {lesson.done} of {len(lesson.rows)} done")
            for exercise, title, state in lesson.rows:
                lines.append(f"  {_SYMBOLS[state]} {exercise}  {title:<44} {state}")
        lines.append(f"(saved in {self.file})")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = []
        for lesson in self.lessons:
            rows.append(
                f"<tr><th colspan='3' style='text-align:left;padding-top:0.6em'>"
                f"{html.escape(lesson.title)}: {lesson.done} of {len(lesson.rows)} done</th></tr>"
            )
            for exercise, title, state in lesson.rows:
                rows.append(
                    f"<tr><td>{html.escape(exercise)}</td><td style='text-align:left'>"
                    f"{html.escape(title)}</td><td style='color:{_COLOURS[state]}'>"
                    f"{_SYMBOLS[state]} {state}</td></tr>"
                )
        return (
            f"<div><b>Lambda Lab progress: {self.done} of {self.total} exercises done</b>"
            f"<table>{''.join(rows)}</table>"
            f"<small>Saved in <code>{html.escape(str(self.file))}</code></small></div>"
        )


def show(exercises: Iterable[Any]) -> ProgressReport:
    """Every lesson's exercises with done / not yet / not tried, and a count per lesson.

    ``exercises`` are the course's (``lambdalab.course.checks.registry().values()``);
    ``lambdalab.progress()`` shows them.

    Example
    -------
    >>> from lambdalab.course.checks import registry
    >>> report = show(registry().values())
    >>> report.lessons[0].title
    '00 Start here'
    """
    from lambdalab.course.release import lesson_title

    states = status(load())
    by_lesson: dict[str, list[tuple[str, str, str]]] = {}
    for exercise in exercises:
        row = (exercise.id, exercise.title, states.get(exercise.id, NOT_TRIED))
        by_lesson.setdefault(exercise.lesson, []).append(row)
    stems = _lesson_stems()
    lessons = [
        LessonProgress(
            stems.get(number, number),
            lesson_title(stems[number]) if number in stems else f"Lesson {number}",
            rows,
        )
        for number, rows in sorted(by_lesson.items())
    ]
    return ProgressReport(lessons, path())


def _lesson_stems() -> dict[str, str]:
    from lambdalab.course.release import LESSONS

    return {stem[:2]: stem for stem, _, _ in LESSONS}
