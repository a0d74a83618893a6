"""No answers in the student kit: the bundle holds no line of any solution block.

Builds the student bundle the way an instructor does (``python -m lambdalab.course.release
--bundle``), takes the distinctive lines of every ``### BEGIN SOLUTION`` ...
``### END SOLUTION`` block in solutions/*.ipynb (not blank, not a comment, not short, not
already in the student notebook), and fails naming each bundled file and line that holds one.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[3]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
#: Shorter lines ("return None", "import json") say nothing about the answer.
MIN_LENGTH = 24
#: A solution line that pairs a key with its answer: ``'standup': 'cron(...)',``.
PAIR = re.compile(r"'([^']+)': '([^']+)',?")
#: A quoted string in a solution line (no quote inside, so f-strings do not confuse it).
LITERAL = re.compile(r"""(['"])([^'"]+)\1""")
#: Plain Python that any module may hold: not an answer.
GENERIC = {"except ValueError as error:"}


def _normalise(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip().replace('"', "'"))


def _solution_lines(source: str) -> list[str]:
    lines, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def distinctive_lines() -> dict[str, str]:
    """``{normalised line: "solutions/NN.ipynb"}`` for every solution line worth hiding."""
    found: dict[str, str] = {}
    for solution in sorted((ROOT / "solutions").glob("*.ipynb")):
        student = ROOT / "notebooks" / solution.name
        stub_text = ""
        if student.exists():
            stub = nbformat.read(student, as_version=4)
            stub_text = "\n".join(
                _normalise(line) for cell in stub.cells for line in cell.source.splitlines()
            )
        notebook = nbformat.read(solution, as_version=4)
        for cell in notebook.cells:
            for line in _solution_lines(cell.source):
                text = _normalise(line)
                if len(text) < MIN_LENGTH or text.startswith("#") or text in GENERIC:
                    continue
                if text in stub_text:
                    continue
                found.setdefault(text, f"solutions/{solution.name}")
    return found


def answer_literals() -> dict[str, str]:
    """``{pattern: origin}`` for the long quoted strings of solution blocks (a cron
    expression, a format) that the student notebook does not show."""
    found: dict[str, str] = {}
    for solution in sorted((ROOT / "solutions").glob("*.ipynb")):
        student = ROOT / "notebooks" / solution.name
        shown = student.read_text() if student.exists() else ""
        for cell in nbformat.read(solution, as_version=4).cells:
            for line in _solution_lines(cell.source):
                for _, literal in LITERAL.findall(line):
                    if len(literal) >= MIN_LENGTH - 8 and literal not in shown:
                        found[rf"['\"]{re.escape(literal)}['\"]"] = solution.name
    return found


def answer_pairs() -> dict[str, str]:
    """``{pattern: origin}`` for solution lines ``"key": "value"`` (a key of answers).

    The pattern finds the key followed by its value anywhere, across lines and with a
    tuple opened between them, as a dict of ``key: (value, reason)`` would hold it.
    """
    found: dict[str, str] = {}
    for solution in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(solution, as_version=4).cells:
            for line in _solution_lines(cell.source):
                pair = PAIR.fullmatch(_normalise(line))
                if pair:
                    key, value = map(re.escape, pair.groups())
                    found[rf"['\"]{key}['\"]\s*:\s*\(?\s*['\"]{value}['\"]"] = solution.name
    return found


def leaks(bundle: Path) -> list[str]:
    """Every ``file:line`` of the bundle that holds a distinctive solution line or pair."""
    wanted = distinctive_lines()
    patterns = answer_pairs() | answer_literals()
    pairs = {re.compile(pattern): origin for pattern, origin in patterns.items()}
    hits = []
    with zipfile.ZipFile(bundle) as archive:
        for name in archive.namelist():
            try:
                text = archive.read(name).decode()
            except UnicodeDecodeError:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                normal = _normalise(line)
                for answer, origin in wanted.items():
                    if answer in normal:
                        hits.append(f"{name}:{number}: {answer!r} (from {origin})")
            for pattern, origin in pairs.items():
                for match in pattern.finditer(text):
                    number = text.count("\n", 0, match.start()) + 1
                    hits.append(f"{name}:{number}: {match.group()!r} (an answer of {origin})")
    return hits


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("kit") / "kit.zip"
    subprocess.run(
        [sys.executable, "-m", "lambdalab.course.release", "--bundle", str(target)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return target


def test_there_are_solution_lines_to_look_for() -> None:
    assert len(distinctive_lines()) > 50


def test_answer_keys_are_looked_for() -> None:
    key = next(p for p in answer_pairs() if "standup" in p)
    assert re.search(key, '    "standup": (\n        "cron(30 9 ? * MON-FRI *)",')


def test_answer_literals_are_looked_for() -> None:
    cron = next(p for p in answer_literals() if "MON" in p)
    assert re.search(cron, '("9:30 AM UTC, Monday to Friday", "cron(30 9 ? * MON-FRI *)")')


def test_the_student_bundle_holds_no_solution_line(bundle: Path) -> None:
    hits = leaks(bundle)
    assert not hits, "solution lines in the student kit:\n" + "\n".join(hits)
