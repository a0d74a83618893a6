"""Walk a solved lesson in one kernel, trying typical wrong answers at every exercise.

The mistakes suite (tests/mistakes/test_*.py), the twice-run test and bench/mistakes.py
share this module. A lesson is walked as a learner would: its code cells in order, in
one Jupyter kernel, in a scratch copy of the course folder with the lesson's notebook
beside it (as in the course folder). At each exercise:

1. every :class:`Mistake` listed for it in ``cases_NN.py``: the answer cell with the
   wrong answer, the cells up to the check, then the check cell. The output must name
   the cause (``expect``: phrases, case-insensitive) and never say the check passed;
2. the lesson's own answer and the same cells: the check must pass at once;
3. then the walk goes on: every later cell must run without an error.

An exercise is found by its check cell (``check("NN.k", ...)``); its cells run from the
first cell holding ``### BEGIN SOLUTION`` after the previous check to the check cell, and
its answer cell is the last of them holding a solution. A mistake changes them in one of
three ways: ``solution`` replaces the answer cell's block between the markers (written at
the block's indentation), ``replace`` swaps text in the first cell that holds it,
``cell`` replaces the whole answer cell, and ``stub=True`` puts the student notebook's stub
in it. Three more express stale state (all optional, combinable):

- ``restart=True``: the kernel restarted just before the exercise. The attempt runs in a
  new kernel (a new, empty sandbox) in a copy of the course folder as it is (a restart
  keeps the files), with the lesson's notebook beside it; it runs the lesson's Setup
  cell (its first code cell), then the exercise's cells. The walk goes on in the
  original kernel.
- ``order=(2,)``: which of the exercise's cells run, by position, in that order (cells
  run out of order, or skipped: ``(2,)`` runs only the third).
- ``edit=(("functions/x/app.py", old, new),)``: after the cells ran, the files are
  edited on disk (as re-running a fixed ``%%writefile`` cell would), and the check alone
  (the check cell's ``check(...)`` lines) runs again: code changed after its deploy.

Wrong answers are test data: they live here, in tests/, never in the kit.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
CHECK_CALL = re.compile(r"""check\(\s*["'](\d\d\.\d+)["']""")
#: What no feedback may ever say: a timeout with nothing pending, a kit traceback, a
#: message that contradicts itself.
NEVER = [
    "0 asynchronous event(s) still pending",
    "still pending after",
    "(checking it raised",
    "Traceback (most recent call last)",
]
#: "your answer is a str ('x'); expected ... 'x'": a right answer called wrong.
CONTRADICTION = re.compile(r"your answer is an? \w+ \('([^']+)'\); expected [^\n]*'\1'")
#: Seconds any one cell may take before the walk gives up on it (not a speed test: a
#: hang guard; bench/mistakes.py measures speed).
CELL_TIMEOUT = 600


@dataclass(frozen=True)
class Mistake:
    """One typical wrong answer to an exercise, and what its feedback must say."""

    name: str
    expect: list[str]
    solution: str | None = None
    replace: tuple[tuple[str, str], ...] = ()
    cell: str | None = None
    stub: bool = False  # the answer cell as the student notebook has it (the stub)
    restart: bool = False  # a new kernel: the Setup cell, then the exercise's cells
    order: tuple[int, ...] | None = None  # the exercise's cells to run, by position
    edit: tuple[tuple[str, str, str], ...] = ()  # (file, old, new) after the cells, then check

    def cells(self, sources: list[str], answer: int) -> list[str]:
        """The cells this attempt runs, in order: :meth:`apply`, then ``order``."""
        changed = self.apply(sources, answer)
        return changed if self.order is None else [changed[n] for n in self.order]

    def edit_files(self, folder: Path) -> None:
        """Apply ``edit`` to the files under ``folder`` (the kernel's course folder)."""
        for name, old, new in self.edit:
            path = folder / name
            text = path.read_text()
            if old not in text:
                raise ValueError(f"mistake {self.name!r}: {name} does not hold {old!r}")
            path.write_text(text.replace(old, new))

    def apply(self, sources: list[str], answer: int) -> list[str]:
        """The exercise's cells with this wrong answer in them.

        ``sources`` are the cells from the exercise's first answer cell to its check
        cell; ``answer`` is the position of the answer cell among them (the last one
        holding a solution). ``solution`` and ``cell`` change the answer cell; each
        ``replace`` pair changes the first cell that holds its old text.
        """
        sources = list(sources)
        if self.stub:
            from lambdalab.course.release import strip_solutions

            sources[answer] = strip_solutions(sources[answer])
        if self.cell is not None:
            sources[answer] = self.cell
        elif self.solution is not None:
            sources[answer] = replace_solution(sources[answer], self.solution)
        for old, new in self.replace:
            where = next((n for n, source in enumerate(sources) if old in source), None)
            if where is None:
                raise ValueError(f"mistake {self.name!r}: no cell of the exercise holds {old!r}")
            sources[where] = sources[where].replace(old, new)
        return sources


def with_themes(lesson: str, mistakes: dict[str, list[Mistake]]) -> dict[str, list[Mistake]]:
    """``mistakes`` and the cases of every ``cases_NN_<theme>.py`` beside it, merged.

    A class of wrong answers (hangs, loops, stale state...) can keep its cases for a
    lesson in a file of its own; they join the lesson's walk at their exercise.
    """
    import importlib

    merged = {exercise: list(cases) for exercise, cases in mistakes.items()}
    for path in sorted(Path(__file__).parent.glob(f"cases_{lesson}_*.py")):
        theme = importlib.import_module(path.stem)
        for exercise, cases in theme.MISTAKES.items():
            merged.setdefault(exercise, []).extend(cases)
    return merged


def replace_solution(source: str, answer: str) -> str:
    """Replace the ``### BEGIN SOLUTION`` block (and its ``### STUB`` line) by ``answer``."""
    lines = source.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip() == "### BEGIN SOLUTION")
    end = next(i for i, line in enumerate(lines) if line.strip() == "### END SOLUTION")
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    start = begin - 1 if begin and lines[begin - 1].strip().startswith("### STUB") else begin
    body = textwrap.indent(textwrap.dedent(answer).strip("\n"), indent).splitlines()
    return "\n".join(lines[:start] + body + lines[end + 1 :]) + "\n"


def indented(code: str, spaces: int = 12) -> str:
    """``code`` as a case writes a ``solution`` in a triple-quoted string indented by
    ``spaces`` (:func:`replace_solution` dedents it): a shared snippet, or a variant of
    one, in that form."""
    return "\n" + textwrap.indent(code, " " * spaces) + " " * spaces


def strip_markers(source: str) -> str:
    """The solved cell as a learner's would read: marker lines removed."""
    return "\n".join(
        line
        for line in source.splitlines()
        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
        and not line.strip().startswith("### STUB")
    )


# --------------------------------------------------------------------------------------
# A kernel that runs cells and keeps their outputs
# --------------------------------------------------------------------------------------


@dataclass
class CellRun:
    """What one cell did: its outputs as text, its error, how long it took."""

    source: str
    text: str = ""
    error: str | None = None
    seconds: float = 0.0
    outputs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


class Kernel:
    """A Jupyter kernel of this Python in folder ``cwd``; ``run(code)`` gives a CellRun."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None):
        from jupyter_client.manager import start_new_kernel

        self.cwd, self.env = cwd, env
        full_env = {**os.environ, **(env or {})}
        self.manager, self.client = start_new_kernel(
            startup_timeout=120, kernel_name="python3", cwd=str(cwd), env=full_env
        )

    def run(self, code: str, timeout: float = CELL_TIMEOUT) -> CellRun:
        result = CellRun(code)
        texts: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                texts.append(content["text"])
            elif kind in ("display_data", "execute_result"):
                texts.append(str(content["data"].get("text/plain", "")))
            elif kind == "error":
                result.error = f"{content['ename']}: {content['evalue']}"
                texts.append(_strip_ansi("\n".join(content["traceback"])))
            else:
                return
            result.outputs.append({"type": kind, **content})

        start = time.perf_counter()
        try:
            reply = self.client.execute_interactive(
                code, timeout=timeout, output_hook=hook, allow_stdin=False
            )
        except TimeoutError:
            self.manager.interrupt_kernel()
            try:  # collect the interrupted reply, so the next cell starts clean
                self.client.get_shell_msg(timeout=30)
            except queue.Empty:
                pass
            result.error = result.error or f"TimeoutError: the cell ran over {timeout} s"
            reply = None
        result.seconds = time.perf_counter() - start
        if reply is not None and reply["content"]["status"] == "error" and not result.error:
            content = reply["content"]
            result.error = f"{content.get('ename')}: {content.get('evalue')}"
        result.text = "".join(texts)
        return result

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def course_copy(base: Path) -> Path:
    """A scratch course folder: ``lesson/`` to run in, beside the real ``assets``."""
    (base / "assets").unlink(missing_ok=True)
    (base / "assets").symlink_to(ROOT / "assets")
    lesson = base / "lesson"
    lesson.mkdir(exist_ok=True)
    return lesson


def start_kernel(base: Path, mode: str = "") -> Kernel:
    """A kernel in a scratch copy of the course folder under ``base``."""
    env = {
        "LAMBDALAB_CHECKS": mode,
        "LAMBDALAB_PROGRESS": str(base / "progress.json"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "agg",
    }
    return Kernel(course_copy(base), env)


@contextmanager
def scratch_kernel(prefix: str, mode: str = "", notebook: str = "") -> Iterator[Kernel]:
    """A kernel in a scratch course folder, stopped and removed afterwards.

    With ``notebook``, the solved lesson sits beside the kernel, as a learner's lesson
    does in the course folder (the hints that name a cell read it).
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as base:
        kernel = start_kernel(Path(base), mode)
        if notebook:
            shutil.copy(SOLUTIONS / notebook, kernel.cwd / notebook)
        try:
            yield kernel
        finally:
            kernel.stop()
            shutil.rmtree(base, ignore_errors=True)


@contextmanager
def restarted(kernel: Kernel, notebook: str) -> Iterator[Kernel]:
    """A new kernel in a copy of ``kernel``'s course folder: what a restart leaves.

    The files stay as they are (a restart keeps them); the sandbox, every name and every
    import are new. The lesson's notebook sits beside it, as in the course folder.
    """
    with tempfile.TemporaryDirectory(prefix="lambdalab-restart-") as base:
        lesson = course_copy(Path(base))
        shutil.copytree(kernel.cwd, lesson, symlinks=True, dirs_exist_ok=True)
        shutil.copy(SOLUTIONS / notebook, lesson / notebook)
        fresh = Kernel(lesson, kernel.env)
        try:
            yield fresh
        finally:
            fresh.stop()


def check_lines(source: str) -> str:
    """The ``check(...)`` statement(s) of a check cell: running the check alone."""
    return "\n".join(line for line in source.splitlines() if CHECK_CALL.search(line))


def attempt_runs(
    kernel: Kernel, notebook: str, mistake: Mistake, sources: list[str], answer: int
) -> list[CellRun]:
    """Run one mistake's cells (see :class:`Mistake`) and return their runs."""
    cells = mistake.cells(sources, answer)

    def run_all(target: Kernel) -> list[CellRun]:
        runs = [target.run(strip_markers(source)) for source in cells]
        if mistake.edit:
            mistake.edit_files(target.cwd)
            runs.append(target.run(check_lines(sources[-1])))
        return runs

    if not mistake.restart:
        return run_all(kernel)
    with restarted(kernel, notebook) as fresh:
        setup = code_cells(notebook)[0][1]
        return [fresh.run(strip_markers(setup)), *run_all(fresh)]


def run_through(kernel: Kernel, sources: dict[int, str], through: int) -> None:
    """Run the code cells up to ``through`` in order; any that fails stops the test."""
    for index in sorted(i for i in sources if i <= through):
        run = kernel.run(strip_markers(sources[index]))
        if not run.ok:
            raise AssertionError(f"cell {index} failed on the way: {run.error}\n{run.text}")


# --------------------------------------------------------------------------------------
# The lesson's structure
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    """Cells of one exercise: its first answer cell, its (last) answer cell, its check."""

    id: str
    first: int  # index of the first cell holding a solution after the previous check
    answer: int  # index of the last cell holding a solution, at or before the check
    check: int  # index of the check cell (may equal answer)


def code_cells(notebook: str) -> list[tuple[int, str, list[str]]]:
    """(index, source, tags) of every code cell of ``solutions/<notebook>``."""
    import nbformat

    nb = nbformat.read(SOLUTIONS / notebook, as_version=4)
    return [
        (index, cell.source, list(cell.get("metadata", {}).get("tags", [])))
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
    ]


def exercises(notebook: str) -> dict[int, Exercise]:
    """The lesson's exercises, by the index of their check cell."""
    found: dict[int, Exercise] = {}
    first = last = None
    for index, source, _ in code_cells(notebook):
        if "### BEGIN SOLUTION" in source:
            first = index if first is None else first
            last = index
        match = CHECK_CALL.search(source)
        if match and last is not None:
            found[index] = Exercise(match.group(1), first, last, index)
            first = last = None
    return found


# --------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One run of an exercise's cells with one answer (a mistake, or the right one)."""

    exercise: str
    mistake: str | None  # None: the lesson's own answer
    runs: list[CellRun]
    expect: list[str] = field(default_factory=list)

    @property
    def feedback(self) -> str:
        return "\n".join(run.text for run in self.runs)

    @property
    def check_seconds(self) -> float:
        """Seconds the last cell (the one with the check) took to give its feedback."""
        return self.runs[-1].seconds

    @property
    def cells_seconds(self) -> float:
        """Seconds all the exercise's cells took (answer, deploy, wait, check)."""
        return sum(run.seconds for run in self.runs)

    def problems(self) -> list[str]:
        """Why this attempt is wrong: empty when the feedback is what it should be."""
        text = self.feedback
        found = []
        if self.mistake is None:
            failed = [run for run in self.runs if not run.ok]
            if failed:
                found.append(f"the right answer's cells failed: {failed[0].error}\n{text}")
            elif f"Exercise {self.exercise} passed" not in text:
                found.append(f"the right answer did not pass its first check:\n{text}")
            return found
        if f"Exercise {self.exercise} passed" in text:
            found.append(f"the check passed a wrong answer ({self.mistake})")
        for phrase in self.expect:
            if phrase.lower() not in text.lower():
                found.append(f"the feedback does not say {phrase!r}")
        for phrase in NEVER:
            if phrase.lower() in text.lower():
                found.append(f"the feedback says {phrase!r}")
        if CONTRADICTION.search(text):
            found.append("the feedback contradicts itself: " + CONTRADICTION.search(text)[0])
        if found:
            found.append(f"feedback was:\n{text}")
        return found


@dataclass
class Step:
    """One ordinary cell of the walk (not an exercise attempt)."""

    index: int
    run: CellRun


def walk(
    notebook: str,
    mistakes: dict[str, list[Mistake]],
    kernel: Kernel,
) -> Iterator[Attempt | Step]:
    """Run the lesson's cells in order, trying ``mistakes`` at each exercise.

    Yields each ordinary cell as a :class:`Step` and each exercise attempt as an
    :class:`Attempt`: first the mistakes, then the right answer.
    """
    cells = {index: (source, tags) for index, source, tags in code_cells(notebook)}
    by_check = exercises(notebook)
    spans = {ex.first: ex for ex in by_check.values()}
    order = sorted(cells)
    position = 0
    while position < len(order):
        index = order[position]
        exercise = spans.get(index)
        if exercise is None:
            yield Step(index, kernel.run(strip_markers(cells[index][0])))
            position += 1
            continue
        span = [i for i in order if exercise.first <= i <= exercise.check]
        right = [cells[i][0] for i in span]
        for mistake in mistakes.get(exercise.id, []):
            runs = attempt_runs(kernel, notebook, mistake, right, span.index(exercise.answer))
            yield Attempt(exercise.id, mistake.name, runs, list(mistake.expect))
        runs = [kernel.run(strip_markers(cells[i][0])) for i in span]
        yield Attempt(exercise.id, None, runs)
        position = order.index(exercise.check) + 1


def missing_cases(notebook: str, mistakes: dict[str, list[Mistake]], least: int = 2) -> list[str]:
    """Exercises of the lesson with fewer than ``least`` mistakes, and unknown ids."""
    ids = {ex.id for ex in exercises(notebook).values()}
    problems = [
        f"exercise {ex} has {len(mistakes.get(ex, []))} mistake(s); at least {least} wanted"
        for ex in sorted(ids)
        if len(mistakes.get(ex, [])) < least
    ]
    problems += [f"{ex} is not an exercise of {notebook}" for ex in sorted(set(mistakes) - ids)]
    return problems


def run_lesson(notebook: str, mistakes: dict[str, list[Mistake]]) -> list[Attempt | Step]:
    """Walk one lesson with its mistakes in a fresh kernel; every step, in order."""
    with scratch_kernel("lambdalab-mistakes-", notebook=notebook) as kernel:
        return list(walk(notebook, mistakes, kernel))


def lesson_problems(steps: list[Attempt | Step]) -> list[str]:
    """Everything wrong in a walk: bad feedback, failing later cells."""
    problems = []
    for step in steps:
        if isinstance(step, Attempt):
            label = f"{step.exercise} " + (
                f"mistake {step.mistake!r}" if step.mistake else "right answer"
            )
            problems += [f"{label}: {problem}" for problem in step.problems()]
        elif not step.run.ok:
            problems.append(f"cell {step.index} failed: {step.run.error}\n{step.run.text[-2000:]}")
    return problems


# --------------------------------------------------------------------------------------
# Run All, twice, in one kernel
# --------------------------------------------------------------------------------------

#: What changes from run to run in any lesson and is not teaching: ids, times, sizes.
_VARYING = [
    (re.compile(r"^Overwriting ", re.M), "Writing "),  # %%writefile, the second time
    (re.compile(r"Signature=[^&\s]+"), "Signature=<signature>"),  # presigned URLs
    (
        # From the start of the run: a token may begin with '/' or '+' (a base64 signature)
        re.compile(
            r"(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])"
            r"[A-Za-z0-9+/_-]{12,}"
        ),
        "<t>",
    ),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    # A hex id and a number read the same: a random id may be all digits ('65165716').
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b"), "<n>"),
    (re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"), "<n>"),  # 1,038 and 1038
    (re.compile(r"(?<=<n>)\s*(ms|s|KB|MB|kB|bytes|B)\b"), " <unit>"),
    (re.compile(r"<matplotlib[^>]*>|<Figure size[^>]*>"), "<figure>"),
    (re.compile(r"[ \t]+"), " "),
]


def normalized(text: str) -> str:
    """A cell's text output without what varies between two runs (ids, times, numbers).

    A sign stays: "-0.0 minutes" after "0.4 minutes" is a difference worth seeing.
    """
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    return text.strip()


@dataclass
class TwiceRun:
    """Both runs of a lesson in one kernel: each cell's run, in order."""

    notebook: str
    first: list[tuple[int, CellRun]]
    second: list[tuple[int, CellRun]]
    #: then each exercise's cells once more, last exercise first (re-run in any order)
    backwards: list[tuple[int, CellRun]] = field(default_factory=list)

    def problems(self, varying: dict[str, str] | None = None) -> list[str]:
        """Cells that failed, and cells whose teaching output changed in the second run.

        ``varying`` maps a piece of a cell's source to the reason its output may differ
        between runs (a measurement, a cold start), for the cells that legitimately do.
        """
        found = []
        for label, runs in (
            ("first", self.first),
            ("second", self.second),
            ("exercises-backwards", self.backwards),
        ):
            for index, run in runs:
                if not run.ok:
                    found.append(
                        f"{self.notebook} cell {index} failed in the {label} run: {run.error}\n"
                        f"{run.text[-1500:]}"
                    )
        for (index, one), (_, two) in zip(self.first, self.second, strict=True):
            if any(piece in one.source for piece in (varying or {})):
                continue
            if one.ok and two.ok and normalized(one.text) != normalized(two.text):
                found.append(
                    f"{self.notebook} cell {index} says something else the second time:\n"
                    f"--- first run\n{one.text[-800:]}\n--- second run\n{two.text[-800:]}"
                )
        return found


def run_twice(notebook: str, mode: str = "must-pass") -> TwiceRun:
    """Run every code cell of the solved lesson, twice, in one kernel (Run All twice).

    Then the exercises once more, last first: each must pass when re-run out of order.
    With ``mode`` "must-pass" (the default) a failing check raises in the kernel, so the
    cell fails: this run is also the solutions' must-pass test.
    """
    cells = code_cells(notebook)
    runs: list[list[tuple[int, CellRun]]] = [[], []]
    backwards: list[tuple[int, CellRun]] = []
    with scratch_kernel("lambdalab-twice-", mode, notebook) as kernel:
        for number in range(2):
            for index, source, tags in cells:
                run = kernel.run(strip_markers(source))
                if "raises-exception" in tags and run.error:
                    run.error = None  # nbval's tag: this cell fails on purpose
                runs[number].append((index, run))
        sources = {index: source for index, source, _ in cells}
        for exercise in sorted(exercises(notebook).values(), key=lambda e: -e.check):
            for index in sorted(i for i in sources if exercise.first <= i <= exercise.check):
                run = kernel.run(strip_markers(sources[index]))
                if index == exercise.check and f"Exercise {exercise.id} passed" not in run.text:
                    run.error = run.error or f"exercise {exercise.id} did not pass re-run"
                backwards.append((index, run))
    return TwiceRun(notebook, runs[0], runs[1], backwards)


def rerun(notebook: str, through: int, again: list[int]) -> list[tuple[int, CellRun]]:
    """Run the solved lesson's cells up to ``through``, then the cells ``again``, in order.

    For demos a learner re-runs alone: each must build the state it relies on. Returns
    the runs of the cells run again.
    """
    cells = {index: source for index, source, _ in code_cells(notebook)}
    with scratch_kernel("lambdalab-rerun-", "must-pass", notebook) as kernel:
        run_through(kernel, cells, through)
        return [(index, kernel.run(strip_markers(cells[index]))) for index in again]


def cell_holding(notebook: str, text: str) -> int:
    """The index of the one code cell whose source holds ``text``."""
    found = [index for index, source, _ in code_cells(notebook) if text in source]
    if len(found) != 1:
        raise LookupError(f"{len(found)} code cells of {notebook} hold {text!r}")
    return found[0]


def demo_after_wrong_answer(cases: Any, exercise: str, mistake_name: str, demo: str) -> CellRun:
    """Run a lesson up to ``exercise``'s check with one wrong answer left in, then a demo.

    For the demos a learner runs before fixing an answer: the demo cell (the one code
    cell holding ``demo``) must end and name the mistake, not hang.
    """
    mistake = next(m for m in cases.MISTAKES[exercise] if m.name == mistake_name)
    cells = {index: source for index, source, _ in code_cells(cases.NOTEBOOK)}
    found = next(e for e in exercises(cases.NOTEBOOK).values() if e.id == exercise)
    span = [i for i in sorted(cells) if found.first <= i <= found.check]
    wrong = dict(
        zip(span, mistake.apply([cells[i] for i in span], span.index(found.answer)), strict=True)
    )
    with scratch_kernel("lambdalab-demo-", notebook=cases.NOTEBOOK) as kernel:
        run_through(kernel, {**cells, **wrong}, found.check)
        return kernel.run(strip_markers(cells[cell_holding(cases.NOTEBOOK, demo)]))


class LessonTests:
    """The tests every lesson's test_lessonNN.py runs: ``class TestLessonNN(LessonTests)``.

    ``cases`` is the lesson's cases_NN module. One file per lesson is how
    ``--dist loadfile`` spreads the lessons over the workers.
    """

    cases: Any = None

    def test_every_exercise_has_mistakes(self) -> None:
        assert missing_cases(self.cases.NOTEBOOK, self.cases.MISTAKES) == []

    def test_wrong_answers_are_named_and_the_lesson_recovers(self) -> None:
        problems = lesson_problems(run_lesson(self.cases.NOTEBOOK, self.cases.MISTAKES))
        assert not problems, "\n\n".join(problems)

    def test_run_all_twice_in_one_kernel_gives_the_same_lesson(self) -> None:
        twice = run_twice(self.cases.NOTEBOOK)
        problems = twice.problems(getattr(self.cases, "VARYING", {}))
        assert not problems, "\n\n".join(problems)
