"""Finding submissions and reading the student and the lesson from their paths.

Students hand in notebooks as Binder or JupyterHub download them, and instructors
collect them as they come. The defaults understand:

=====================================  =============  ===========
path                                   student        lesson
=====================================  =============  ===========
``alice_04-image-resizer.ipynb``       alice          04
``alice/04-image-resizer.ipynb``       alice          04
``alice/04-image-resizer (1).ipynb``   alice          04
``Bob Smith - 04-image-resizer.ipynb`` Bob Smith      04
=====================================  =============  ===========

The lesson is the first ``NN-name`` in the file name (``NN`` alone is enough to find it);
the student is what comes before it in the file name, or else the folder holding the
file. That is the *flat* layout. In the *folders* layout (a folder per student, as a hub's
home folders or an LMS download by student give), the student is the first folder under
the folder named on the command line, whatever the file is called (``layout``). Anything
else: ``--pattern`` with a regular expression, searched in the path, with the named groups
``student`` and ``lesson``, e.g. ``--pattern '(?P<student>[^/]+)/lesson(?P<lesson>\\d\\d)'``.

Names are data. A path may hold any bytes (unzip turns a Windows zip's names into Latin-1
bytes): ``path_text`` makes every name a valid string, the same one each time, and
``printable`` escapes what a terminal, a CSV row or a Markdown file would otherwise obey
(newlines, escape codes).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


class SubmissionError(Exception):
    """Something on the command line that names no submission; the message says why."""


LESSON_IN_NAME = re.compile(r"(?<![0-9])(?P<lesson>\d\d)-[A-Za-z][A-Za-z0-9-]*")
COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")
SEPARATORS = " _-.,;:"
NOT_NAMES = {"lesson", "notebook", "lab", "exercise", "exercises"}
LAYOUTS = ("auto", "flat", "folders")


def path_text(path: Path | str) -> str:
    """A path as text, whatever its bytes: undecodable bytes become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def printable(text: str, limit: int | None = None) -> str:
    """``text`` with control and format characters escaped (``\\n``, ``\\x1b``), cut at
    ``limit``: what a terminal shows, a CSV cell or a Markdown line holds."""
    out = "".join(
        c if unicodedata.category(c)[0] != "C" else c.encode("unicode_escape").decode("ascii")
        for c in str(text)
    )
    return out if limit is None or len(out) <= limit else out[: limit - 3] + "..."


@dataclass(frozen=True)
class Submission:
    """One notebook to grade: where it is, whose it is, which lesson (``"04"``) it is."""

    path: Path
    student: str
    lesson: str | None

    @property
    def name(self) -> str:
        return self.path.name


def find_notebooks(arguments: list[str]) -> list[Path]:
    """The notebooks named on the command line: files as given, folders searched deeply.

    Raises
    ------
    SubmissionError
        A path that does not exist, or no notebook at all.
    """
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*.ipynb")
                if ".ipynb_checkpoints" not in p.parts and p.is_file()
            )
            if not inside:
                raise SubmissionError(
                    f"no notebooks found in {argument}: pass .ipynb files or folders holding them"
                )
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise SubmissionError(f"{argument} does not exist: pass .ipynb files or folders")
    if not found:
        raise SubmissionError("no submissions given: pass .ipynb files or folders holding them")
    unique = dict.fromkeys(p.resolve() for p in found)
    return list(unique)


def layout_of(root: Path, notebooks: list[Path]) -> str:
    """``"folders"`` when every notebook under ``root`` is inside a folder of it (a
    folder per student), else ``"flat"``."""
    inside = [p for p in notebooks if under(p, root)]
    if inside and all(len(p.resolve().relative_to(root.resolve()).parts) > 1 for p in inside):
        return "folders"
    return "flat"


def under(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or inside it (both resolved)."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def identify(
    path: Path,
    pattern: re.Pattern[str] | None = None,
    root: Path | None = None,
    layout: str = "flat",
) -> Submission:
    """The student and lesson of one notebook (see the module's docstring).

    With ``layout="folders"`` the student is the first folder of ``path`` under ``root``.

    Example
    -------
    >>> found = identify(Path("hand-ins/alice_04-image-resizer (1).ipynb"))
    >>> found.student, found.lesson
    ('alice', '04')
    >>> identify(Path("alice/04-image-resizer.ipynb")).student
    'alice'
    """
    found = _identify(path, pattern)
    student = found.student
    if layout == "folders" and root is not None and under(path, root):
        parts = path.resolve().relative_to(root.resolve()).parts
        student = parts[0] if len(parts) > 1 else student
    return Submission(path, path_text(student), found.lesson)


def _identify(path: Path, pattern: re.Pattern[str] | None) -> Submission:
    if pattern is not None:
        match = pattern.search(path_text(path.as_posix()))
        if match:
            groups = match.groupdict()
            student = (groups.get("student") or "").strip() or _folder_student(path)
            lesson = groups.get("lesson")
            number = re.match(r"\d\d", lesson or "")
            return Submission(path, student, number.group(0) if number else None)
        return Submission(path, _folder_student(path), None)
    stem = COPY_SUFFIX.sub("", path_text(path.stem))
    match = LESSON_IN_NAME.search(stem)
    if not match:
        bare = re.search(r"(?<![0-9])(\d\d)(?![0-9])", stem)
        student = stem[: bare.start()].strip(SEPARATORS) if bare else ""
        student = "" if student.lower() in NOT_NAMES else student
        return Submission(path, student or _folder_student(path), bare.group(1) if bare else None)
    student = stem[: match.start()].strip(SEPARATORS)
    return Submission(path, student or _folder_student(path), match.group("lesson"))


def _folder_student(path: Path) -> str:
    parent = path_text(path.parent.name)
    return parent if parent not in ("", ".", "/") else "unknown"


def compile_pattern(text: str | None) -> re.Pattern[str] | None:
    """``--pattern``, checked: a valid regular expression with a ``lesson`` group."""
    if not text:
        return None
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise SubmissionError(f"--pattern is not a valid regular expression: {error}") from None
    if "lesson" not in pattern.groupindex:
        raise SubmissionError(
            "--pattern needs a named group for the lesson, e.g. "
            "'(?P<student>[^/_]+)_(?P<lesson>\\d\\d)'"
        )
    return pattern
