"""The reference notebook and the transplant of a student's exercise cells into it.

The notebook the grader runs is built from ``solutions/NN-name.ipynb`` (through
``lambdalab.course.release``, so cell ids are the ``cell-NN`` the student's copy was given):

- every cell that is not an exercise cell is the reference's own: a student who edits
  the setup cell, deletes an assert or rewrites a check cell changes nothing;
- every exercise cell (a cell with a ``### BEGIN SOLUTION`` block) is the student's
  corresponding cell: found by its cell id, or, when ids are missing or changed, as the
  code cell most like the stub between the exercise's neighbouring check cells. A cell the
  student did not find or did not change runs as the stub;
- every check cell ``check("04.2", answer)`` becomes a *capture*: the kernel keeps the
  answer object, and the grader grades it right there, before the next cell runs.

Cells the student added are not run: only the exercise cells count. The feedback names
them (``unrun_cells``), so a student who wrote the answer in a new cell knows why it
earned nothing. An exercise cell merged with its check cell (Jupyter's "Merge cells") is
still the exercise cell: the check cell's lines at its end are cut off before the
transplant.
"""

from __future__ import annotations

import ast
import difflib
import functools
import gc
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambdalab.course import release
from lambdalab.course.checks import EXERCISE_ID


class NotebookError(Exception):
    """A submission that is not a readable notebook; the message says what is wrong."""

    status = "unreadable"


class NotebookTooLarge(NotebookError):
    """A notebook over one of the submission's limits; the message names it and the fix."""

    status = "too-large"


# Limits on the submission itself (docs/grading.md, "Statuses"). The lessons' notebooks,
# executed, outputs and images included, are at most 0.8 MB, 92 cells, 4,313 characters
# in a cell, 56,135 characters of source in all, 9 levels of JSON nesting and 564 arrays
# and objects: each limit is 10 to 1,000 times that, and keeps decoding and planning to
# a few seconds at most.
#: Megabytes of the notebook file (the default of the command line's ``--max-notebook``).
MAX_NOTEBOOK_MB = 50.0
#: Cells in the notebook.
MAX_CELLS = 5_000
#: Characters of one cell's source.
MAX_SOURCE = 1_000_000
#: Characters of all the cells' sources together.
MAX_SOURCES = 2_000_000
#: Levels of JSON nesting (arrays and objects; a notebook saved by Jupyter has 6 to 10).
MAX_DEPTH = 100
#: JSON arrays and objects in the notebook (a lesson's, executed, has at most 564): what
#: decoding costs in time and memory, whatever the bytes (``[[],[],...]`` is 3 bytes each).
MAX_CONTAINERS = 1_000_000
#: Characters compared by difflib (stub length x cell length, summed) in finding the
#: exercise cells of one notebook; past it, a cell's similarity is its upper bound.
SIMILARITY_WORK = 100_000_000


@dataclass
class Step:
    """One cell of the graded run.

    ``kind`` is "code" (a reference cell), "exercise" (the student's cell) or "capture"
    (a check cell, turned into answer captures for ``exercises``). ``replay`` is what runs
    instead when the kernel is restarted and the cells before a failure are run again:
    the stub for exercise cells, nothing for captures.
    """

    index: int
    kind: str
    source: str
    replay: str | None
    exercises: list[tuple[str, str]] = field(default_factory=list)  # (id, answer expression)
    note: str = ""


@dataclass
class Reference:
    """A lesson's solution notebook, read for grading."""

    stem: str
    solution: list[dict[str, Any]]  # cells: id, cell_type, source
    student: list[dict[str, Any]]  # the released student version, same ids

    @classmethod
    def load(cls, path: Path) -> Reference:
        solution, student = release.build_pair(Path(path), [Path(path).stem])
        return cls(Path(path).stem, _cells(solution), _cells(student))

    def exercise_ids(self) -> list[str]:
        """Exercise ids checked in this notebook, in order."""
        return [ex for cell in self.solution for ex, _ in check_calls(cell)]


def _cells(notebook: Any) -> list[dict[str, Any]]:
    return [
        {"id": cell.get("id"), "cell_type": cell.cell_type, "source": cell.source}
        for cell in notebook.cells
    ]


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def has_solution(cell: dict[str, Any]) -> bool:
    return cell["cell_type"] == "code" and any(
        line.strip() == release.BEGIN for line in _source(cell).split("\n")
    )


def _code_lines(source: str) -> list[str] | None:
    """The cell as Python, line for line (line magics as ``pass``); None for ``%%`` cells."""
    lines = source.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("%%"):
        return None
    return [
        line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip()[:1] in ("%", "!") else line
        for line in lines
    ]


#: What any ``check("NN.k", ...)`` call starts with: ``check(``, then blanks, brackets,
#: comments or line continuations, then a string literal. A cell without it is not parsed.
_CHECK_CALL = re.compile(r"""check\((?:[\s(]|\\\n|#[^\n]*)*[rRuUbBfF]{0,2}['"]""")


def _check_nodes(source: str) -> list[tuple[str, str, ast.Call]]:
    """``(exercise id, answer expression, call node)`` for each ``check("NN.k", expr)``."""
    if "check(" not in source or not _CHECK_CALL.search(source):
        return []
    lines = _code_lines(source)
    code = "\n".join(lines) if lines is not None else ""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "check"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and EXERCISE_ID.match(node.args[0].value)
        ):
            expression = ast.get_source_segment(code, node.args[1]) if len(node.args) > 1 else None
            found.append((node.args[0].value, expression or "None", node))
    return sorted(found, key=lambda item: (item[2].lineno, item[2].col_offset))


def check_calls(cell: dict[str, Any]) -> list[tuple[str, str]]:
    """``[(exercise id, answer expression)]`` for each ``check("NN.k", expr)`` in a cell."""
    source = _source(cell)
    if cell["cell_type"] != "code" or "check(" not in source:
        return []
    return list(_source_check_calls(source))


@functools.lru_cache(maxsize=MAX_CELLS)
def _source_check_calls(source: str) -> tuple[tuple[str, str], ...]:
    """``check_calls`` of a code cell's source, parsed once (``plan`` and ``unrun_cells``
    both look at every cell of a notebook, several times)."""
    return tuple((ex, expr) for ex, expr, _ in _check_nodes(source))


def _offset(lines: list[str], line: int, column: int) -> int:
    """Character offset in the joined ``lines`` of ast's (1-based line, UTF-8 column)."""
    before = sum(len(text) + 1 for text in lines[: line - 1])
    return before + len(lines[line - 1].encode()[:column].decode(errors="ignore"))


def replace_checks(source: str, replacement: Callable[[str, str], str]) -> str:
    """``source`` with each ``check(id, expr)`` call replaced by ``replacement(id, expr)``."""
    lines = source.split("\n")
    for exercise, expression, node in reversed(_check_nodes(source)):
        start = _offset(lines, node.lineno, node.col_offset)
        end = _offset(lines, node.end_lineno or node.lineno, node.end_col_offset or 0)
        source = source[:start] + replacement(exercise, expression) + source[end:]
        lines = source.split("\n")
    return source


def with_captures(source: str, helper: str, expected: list[tuple[str, str]]) -> str:
    """Check calls turned into captures; captures the cell lacks are added at its end."""
    capture = f"{helper}.capture({{!r}}, lambda: ({{}}))"
    present = {ex for ex, _, _ in _check_nodes(source)}
    source = replace_checks(source, lambda ex, expr: capture.format(ex, expr))
    missing = [capture.format(ex, expr) for ex, expr in expected if ex not in present]
    return "\n".join([source, *missing]) if missing else source


def without_checks(source: str) -> str:
    """The cell with its check calls replaced by ``None`` (for replays)."""
    return replace_checks(source, lambda ex, expr: "None")


# --------------------------------------------------------------------------------------
# Reading a submission
# --------------------------------------------------------------------------------------


def read_submission(path: Path) -> list[dict[str, Any]]:
    """The cells of a student's notebook (id, cell_type, source), or NotebookError."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise NotebookError(f"cannot read the file ({error.strerror or error})") from None
    return read_submission_bytes(raw)


def read_submission_bytes(
    raw: bytes, max_bytes: float = MAX_NOTEBOOK_MB * 2**20
) -> list[dict[str, Any]]:
    """The cells of a notebook's bytes; NotebookError for anything damaged.

    A notebook with any damaged cell (not an object, an unknown type, a source that is
    not text or a list of text) is refused as a whole: grading only part of it would be
    unfair in a way no one would notice. So is a notebook over the submission's limits
    (``NotebookTooLarge``: ``max_bytes``, ``MAX_CELLS``, ``MAX_SOURCE``, ``MAX_SOURCES``,
    ``MAX_DEPTH``), before anything costs more than reading it once.
    """
    check_size(len(raw), max_bytes)
    brackets = _brackets(raw)
    if len(brackets) > 2 * MAX_CONTAINERS:
        raise NotebookTooLarge(
            f"the notebook's JSON holds about {len(brackets) // 2:,} arrays and objects (a "
            f"lesson's holds about 500); at most {MAX_CONTAINERS:,} are read: clear its "
            "outputs (Edit → Clear Outputs of All Cells), save it and hand it in again"
        )
    if _deeper(brackets, MAX_DEPTH):
        raise _too_deep()
    try:
        data = _loads(raw.decode("utf-8-sig"))
    except RecursionError:  # not with the checks above; kept, as it must never escape
        raise _too_deep() from None
    except (UnicodeDecodeError, ValueError):
        raise NotebookError(
            "not a notebook: the file is not JSON (damaged or another format)"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("nbformat"), int):
        raise NotebookError("not a notebook: JSON without an 'nbformat' field")
    if data["nbformat"] < 4:
        import nbformat

        try:
            data = json.loads(nbformat.writes(nbformat.reads(raw.decode(), as_version=4)))
        except Exception as error:  # nbformat's conversion errors have no common base
            raise NotebookError(
                f"an nbformat {data['nbformat']} notebook that cannot be read: {error}"
            ) from None
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: it has no list of cells")
    if len(cells) > MAX_CELLS:
        raise NotebookTooLarge(
            f"the notebook has {len(cells):,} cells; at most {MAX_CELLS:,} are graded: "
            "delete the cells you added that hold no answer (or copy your answers into a "
            "fresh copy of the lesson) and hand it in again"
        )
    out = []
    total = 0
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise NotebookError(f"cell {number} is damaged: it is not a notebook cell")
        source = cell.get("source")
        if not (
            isinstance(source, str)
            or (isinstance(source, list) and all(isinstance(x, str) for x in source))
        ):
            raise NotebookError(
                f"cell {number} is damaged: its source is {_describe(source)}, not text"
            )
        text = _source(cell)
        total += len(text)
        if len(text) > MAX_SOURCE:
            raise NotebookTooLarge(
                f"cell {number} holds {len(text):,} characters; a cell may hold at most "
                f"{MAX_SOURCE:,}: remove what was pasted into it and hand it in again"
            )
        if total > MAX_SOURCES:
            raise NotebookTooLarge(
                f"the notebook's cells hold more than {MAX_SOURCES:,} characters (cell "
                f"{number} passes it); at most {MAX_SOURCES:,} are graded: remove what was "
                "pasted into them and hand it in again"
            )
        identifier = cell.get("id")
        out.append(
            {
                "id": identifier if isinstance(identifier, str) else None,
                "cell_type": cell["cell_type"],
                "source": text,
            }
        )
    return out


def check_size(size: int, max_bytes: float) -> None:
    """NotebookTooLarge for a notebook file of ``size`` bytes over ``max_bytes``."""
    if size > max_bytes:
        raise NotebookTooLarge(
            f"the notebook is {_megabytes(size)}; at most {_megabytes(max_bytes)} is graded "
            "(--max-notebook): clear its outputs (Edit → Clear Outputs of All Cells), save it "
            "and hand it in again"
        )


def _loads(text: str) -> Any:
    """``json.loads`` without the cycle collector, which makes decoding many arrays and
    objects twice as slow (JSON makes no cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if enabled:
            gc.enable()


def _megabytes(size: float) -> str:
    return f"{size / 2**20:,.1f} MB".replace(".0 MB", " MB")


def _too_deep() -> NotebookTooLarge:
    return NotebookTooLarge(
        f"the notebook's JSON is nested more than {MAX_DEPTH} levels deep (a notebook saved "
        f"by Jupyter has about 10); at most {MAX_DEPTH} are read: clear its outputs (Edit → "
        "Clear Outputs of All Cells), or copy your answers into a fresh copy of the lesson, "
        "and hand it in again"
    )


def _describe(value: Any) -> str:
    """A short description of a JSON value, whatever its size."""
    if isinstance(value, list | dict):
        return f"a {'list' if isinstance(value, list) else 'object'} of {len(value):,} items"
    return json.dumps(value)[:40]


#: Every byte but JSON's brackets and quotes; the brackets as +1 / -1 (signed bytes).
_NOT_SYNTAX = bytes(b for b in range(256) if b not in b'[]{}"')
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def _brackets(raw: bytes) -> bytes:
    """The brackets of a JSON text (``[]{}``, those in strings left out), in order.

    In a string, a backslash escapes the next character: without the escaped backslashes,
    then the escaped quotes, every other piece between quotes is outside the strings.
    """
    plain = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(plain.translate(None, _NOT_SYNTAX).split(b'"')[::2])


def _deeper(brackets: bytes, limit: int) -> bool:
    """Whether ``brackets`` (of a JSON text) nest more than ``limit`` deep.

    Without recursion, however deep, and in C but for a generator of integers (about
    0.2 s per million brackets): their running sum, the depth, made into bytes, which
    stops at the first depth over 255.
    """
    if len(brackets) <= limit:
        return False
    steps = memoryview(brackets.translate(_STEPS)).cast("b")
    try:
        return max(bytes(itertools.accumulate(steps))) > limit
    except ValueError:  # a depth over 255, or below 0 (not JSON: json.loads says so)
        return min(itertools.accumulate(steps)) >= 0


def nesting_over(raw: bytes, limit: int) -> bool:
    """Whether the JSON text ``raw`` nests arrays and objects more than ``limit`` deep."""
    return _deeper(_brackets(raw), limit)


def unrun_cells(reference: Reference, submitted: list[dict[str, Any]]) -> list[int]:
    """Numbers (1-based) of the student's code cells holding code that is not run.

    That is every code cell that is not an exercise cell the transplant takes and is not
    one of the lesson's own cells (as released or as solved): code the student added.
    """
    matched = set(match_exercise_cells(reference, submitted).values())
    known = {_normal(c["source"]) for c in reference.student + reference.solution}
    found = []
    for number, cell in enumerate(submitted, start=1):
        text = _normal(cell["source"])
        if not [x for x in _lines(text) if not x.startswith("#")]:
            continue  # blank, or comments only
        if cell["cell_type"] != "code" or not text or number - 1 in matched or text in known:
            continue
        found.append(number)
    return found


# --------------------------------------------------------------------------------------
# The transplant
# --------------------------------------------------------------------------------------


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _normal(a), _normal(b), autojunk=False).ratio()


def _student_check_positions(cells: list[dict[str, Any]]) -> dict[str, int]:
    positions = {}
    for index, cell in enumerate(cells):
        for exercise, _ in check_calls(cell):
            positions.setdefault(exercise, index)
    return positions


def match_exercise_cells(reference: Reference, submitted: list[dict[str, Any]]) -> dict[int, int]:
    """``{reference cell index: submitted cell index}`` for every exercise cell found.

    Each exercise cell has a window in the student's notebook: between the student's
    check cells of the exercises around it (the whole notebook when those are gone). The
    cell with the same id is taken when it lies in the window; otherwise the code cell in
    the window most like the reference (same lines around the answer, similar to the stub).
    """
    by_id = {c["id"]: i for i, c in enumerate(submitted) if c["id"] and c["cell_type"] == "code"}
    student_checks = _student_check_positions(submitted)
    # each cell's check calls, found once: None for cells that are not code
    cell_calls: list[set[str] | None] = [
        {ex for ex, _ in check_calls(c)} if c["cell_type"] == "code" else None for c in submitted
    ]
    own = {
        index: {ex for ex, _ in check_calls(cell)} for index, cell in enumerate(reference.solution)
    }
    windows: dict[int, range] = {}
    merged: dict[int, set[str]] = {}  # exercise cell -> the check calls it may hold, merged
    previous_check: str | None = None
    pending: list[int] = []
    for index, cell in enumerate(reference.solution):
        if has_solution(cell):
            pending.append(index)
        calls = check_calls(cell)
        if calls:
            low = student_checks.get(previous_check, -1) if previous_check else -1
            high = student_checks.get(calls[0][0], len(submitted))
            merge = high < len(submitted) and _holds_more(submitted[high], cell)
            for waiting in pending:
                # the exercise cell holds the check, or was merged with its check cell
                inclusive = 1 if waiting == index or merge else 0
                if merge and waiting != index:
                    merged[waiting] = {ex for ex, _ in calls}
                window = range(low + 1, min(high + inclusive, len(submitted)))
                windows[waiting] = window if len(window) else range(len(submitted))
            pending, previous_check = [], calls[-1][0]
    for waiting in pending:
        low = student_checks.get(previous_check, -1) if previous_check else -1
        windows[waiting] = range(low + 1, len(submitted))
    matched: dict[int, int] = {}
    for index, window in windows.items():
        found = by_id.get(reference.solution[index]["id"])
        extra = merged.get(index, set())
        if found in window and _holds_only(own[index] | extra, cell_calls[found]):
            matched[index] = found
    used = set(matched.values())
    texts = _Texts(submitted)
    for index, window in windows.items():
        if index in matched:
            continue
        stub, solution = reference.student[index]["source"], reference.solution[index]["source"]
        fixed = any(line.strip() for segment in fixed_segments(solution) for line in segment)
        allowed = own[index] | extra
        candidates = [i for i in window if i not in used and _holds_only(allowed, cell_calls[i])]
        if candidates:
            score, best = texts.most_like(stub, solution, fixed, candidates)
            if score >= 0.3 or len(candidates) == 1:
                matched[index] = best
                used.add(best)
    return matched


class _Texts:
    """The student's cells as the search for exercise cells compares them: each cell's
    normalised text and character counts made once, and difflib's exact (and costly:
    up to stub length x cell length) similarity only where it can change the choice."""

    def __init__(self, cells: list[dict[str, Any]]):
        self.cells = cells
        self.normal: dict[int, str] = {}
        self.counts: dict[int, Counter[str]] = {}
        self.work = SIMILARITY_WORK  # stub length x cell length difflib may still compare

    def _normal(self, i: int) -> str:
        if i not in self.normal:
            self.normal[i] = _normal(self.cells[i]["source"])
        return self.normal[i]

    def most_like(
        self, stub: str, solution: str, fixed: bool, candidates: list[int]
    ) -> tuple[float, int]:
        """``max((score, i))`` over ``candidates``, the score being::

            difflib ratio of the stub and the cell (normalised)
            + 0.2 if their first lines are equal
            + 0.5 if the reference's lines around its solution blocks are in the cell

        Branch and bound: each cell's score has upper bounds, cheap to dearer (difflib's
        ``real_quick_ratio`` from the lengths, its ``quick_ratio`` from character counts,
        computed the way ``ratio`` is, so never below it); cells are taken by their
        cheapest bound, and a cell's exact ratio is computed only while its bounds may
        still beat the best score found. Same result as scoring every cell; linear in the
        window for any notebook but those built so that every cell is as like the stub
        as the best, where ``SIMILARITY_WORK`` ends the exact comparisons.
        """
        a = _normal(stub)
        bounds = []
        for i in candidates:
            first = 0.2 if _first_line_equal(stub, self.cells[i]["source"]) else 0
            bound = _ratio(min(len(a), len(self._normal(i))), len(a) + len(self._normal(i)))
            bounds.append(((bound + first) + (0.5 if fixed else 0), i, first))
        bounds.sort(reverse=True)
        # Of several cells, the best is taken only if it scores 0.3 or more: below, none is.
        best: tuple[float, int] = (-1.0, -1) if len(candidates) == 1 else (0.3, -1)
        found: tuple[float, int] = (-1.0, -1)
        stub_counts: Counter[str] | None = None
        for bound, i, first in bounds:
            if (bound, i) < best:
                break  # sorted: no later cell can score more
            text = self.cells[i]["source"]
            placed = 0.5 if fixed and transplant(solution, text) is not None else 0
            b = self._normal(i)
            quick = _ratio(min(len(a), len(b)), len(a) + len(b))
            if ((quick + first) + placed, i) < best:
                continue
            if stub_counts is None:
                stub_counts = Counter(a)
            if i not in self.counts:
                self.counts[i] = Counter(b)
            quick = _ratio(sum((stub_counts & self.counts[i]).values()), len(a) + len(b))
            if ((quick + first) + placed, i) < best:
                continue
            if (a, b) in _RATIOS or len(a) * len(b) <= self.work:
                self.work -= 0 if (a, b) in _RATIOS else len(a) * len(b)
                ratio = _exact_ratio(a, b)
            else:  # past the work allowed for one notebook: the bound stands for it
                ratio = quick
            best = max(best, ((ratio + first) + placed, i))
            found = max(found, ((ratio + first) + placed, i))
        return found


_RATIOS: dict[tuple[str, str], float] = {}


def _exact_ratio(a: str, b: str) -> float:
    """difflib's ratio of two texts, remembered (``plan`` and ``unrun_cells`` both look
    for the exercise cells; the grading process sees one notebook)."""
    if (a, b) not in _RATIOS:
        if len(_RATIOS) >= 4096:
            _RATIOS.clear()
        _RATIOS[(a, b)] = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    return _RATIOS[(a, b)]


def _ratio(matches: int, length: int) -> float:
    """difflib's ratio of ``matches`` characters in two texts of ``length`` in all."""
    return 2.0 * matches / length if length else 1.0


def _holds_only(allowed: set[str], calls: set[str] | None) -> bool:
    """A code cell (``calls`` None: not code) whose check calls are all ``allowed``."""
    return calls is not None and calls <= allowed


def _lines(source: str) -> list[str]:
    return [line.strip() for line in source.split("\n") if line.strip()]


def _holds_more(student: dict[str, Any], check_cell: dict[str, Any]) -> bool:
    """The student's check cell holds more lines than the lesson's: merged with code."""
    return student["cell_type"] == "code" and len(_lines(student["source"])) > len(
        _lines(check_cell["source"])
    )


def cut_check_cell(source: str, check_source: str) -> str:
    """``source`` without the check cell's lines at its end (a merged exercise cell)."""
    want = _lines(check_source)
    lines = source.split("\n")
    keyed = [i for i, line in enumerate(lines) if line.strip()]
    if want and len(keyed) >= len(want):
        tail = keyed[-len(want) :]
        if [lines[i].strip() for i in tail] == want:
            return "\n".join(lines[: tail[0]])
    return source


def _first_line_equal(a: str, b: str) -> bool:
    first = [next((x.strip() for x in s.split("\n") if x.strip()), "") for s in (a, b)]
    return bool(first[0]) and first[0] == first[1]


_SENTINEL = "\x00solution block\x00"


def fixed_segments(solution_source: str) -> list[list[str]]:
    """The lines around the solution blocks: one segment more than there are blocks."""
    return [list(segment) for segment in _fixed_segments(solution_source)]


@functools.lru_cache(maxsize=256)
def _fixed_segments(solution_source: str) -> tuple[tuple[str, ...], ...]:
    """``fixed_segments``, worked out once per reference cell (``transplant`` asks for
    them at every cell it tries)."""
    text = release._replace_blocks(solution_source, lambda indent, stubs, line: [_SENTINEL])
    segments: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line == _SENTINEL:
            segments.append([])
        else:
            segments[-1].append(line)
    return tuple(tuple(segment) for segment in segments)


def transplant(solution_source: str, student_source: str) -> str | None:
    """The reference cell with each solution block replaced by the student's code for it.

    The student's code for a block is what lies, in their cell, between the lines the
    reference has around the block (compared without blank lines and indentation). None
    when those lines were changed and the blocks cannot be told apart.
    """
    segments = _fixed_segments(solution_source)
    lines = student_source.split("\n")
    keyed = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    cuts: list[tuple[int, int]] = []  # (first line, line after) of each segment's match
    at = 0  # position in keyed
    for number, segment in enumerate(segments):
        want = [line.strip() for line in segment if line.strip()]
        last = number == len(segments) - 1
        if not want:
            line = len(lines) if last else (keyed[at][0] if at < len(keyed) else len(lines))
            cuts.append((line, line) if number else (0, 0))
            continue
        if number == 0:
            places = [0]
        elif last:
            places = [len(keyed) - len(want)]
        else:
            places = range(at, len(keyed) - len(want) + 1)
        place = next(
            (p for p in places if p >= at and [k for _, k in keyed[p : p + len(want)]] == want),
            None,
        )
        if place is None:
            return None
        first, after = keyed[place][0], keyed[place + len(want) - 1][0] + 1
        cuts.append((0 if number == 0 else first, len(lines) if last else after))
        at = place + len(want)
    out: list[str] = []
    for number, segment in enumerate(segments):
        out.extend(segment)
        if number + 1 < len(segments):
            out.extend(lines[cuts[number][1] : cuts[number + 1][0]])
    return "\n".join(out)


def plan(reference: Reference, submitted: list[dict[str, Any]], helper: str) -> list[Step]:
    """The cells to run for one submission, in order (see the module's docstring).

    ``helper`` is the name of the grader's object in the kernel, which captures answers.
    """
    matched = match_exercise_cells(reference, submitted)
    steps = []
    for index, cell in enumerate(reference.solution):
        if cell["cell_type"] != "code":
            continue
        stub = reference.student[index]["source"]
        calls = check_calls(cell)
        if has_solution(cell):
            note = ""
            if index not in matched:
                note = "your notebook has no cell for this exercise: it ran as the stub"
                source = stub
            else:
                source = submitted[matched[index]]["source"]
                foreign = {ex for ex, _ in check_calls(submitted[matched[index]])} - {
                    ex for ex, _ in calls
                }
                if foreign:  # merged with the next check cell: that cell runs after it
                    following = next(
                        (c for c in reference.solution[index + 1 :] if check_calls(c)), None
                    )
                    if following is not None:
                        source = cut_check_cell(source, following["source"])
                if _normal(source) == _normal(stub):
                    note = "you did not change this cell"
                transplanted = transplant(cell["source"], source)
                if transplanted is None:
                    note = "you changed lines outside the answer: the whole cell was run"
                else:
                    source = transplanted
            steps.append(
                Step(
                    index,
                    "exercise",
                    with_captures(source, helper, calls),
                    without_checks(stub),
                    exercises=calls,
                    note=note,
                )
            )
        elif calls:
            steps.append(
                Step(
                    index,
                    "capture",
                    with_captures(cell["source"], helper, calls),
                    without_checks(cell["source"]),
                    exercises=calls,
                )
            )
        else:
            steps.append(Step(index, "code", cell["source"], cell["source"]))
    return steps
