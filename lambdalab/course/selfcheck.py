"""`make check` in the student kit: run your lessons from the top and list what passes.

Each notebook in ``notebooks/`` runs in a fresh kernel, top to bottom, exactly as
*Kernel → Restart Kernel and Run All Cells* would (your file is not changed: outputs are
not saved). Every ``check(...)`` it reaches is collected, and the report says, lesson by
lesson, which exercises pass, which are not there yet, and which were never reached
because a cell stopped with an error.

Unsolved exercises are normal: they never make ``make check`` fail. It fails (exit 1)
only when a cell raises or hangs, and then names the lesson, the cell and the error.

Usage::

    python -m lambdalab.course.selfcheck              # every lesson in notebooks/
    python -m lambdalab.course.selfcheck 00 01        # lessons 00 and 01 only
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lambdalab.course import progress
from lambdalab.course.release import LESSON_FILE, lesson_title

#: A cell that runs longer than this is stopped and reported (a loop that never ends).
CELL_TIMEOUT_S = 300


@dataclass
class LessonRun:
    """What running one notebook gave: its error (if a cell stopped it) and check results."""

    path: Path
    error: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)


def lesson_files(folder: Path, wanted: list[str]) -> list[Path]:
    """The lessons in ``folder`` (``NN-name.ipynb``), only those whose number is wanted."""
    found = sorted(p for p in folder.glob("*.ipynb") if LESSON_FILE.match(p.name))
    return [p for p in found if not wanted or p.name[:2] in wanted]


ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def _first_error_line(error: Exception) -> str:
    text = ANSI_COLOUR.sub("", str(error)).strip().splitlines()
    # nbclient's message ends with the exception's own line ("ValueError: ...").
    last = next((line for line in reversed(text) if line.strip()), type(error).__name__)
    return last.strip()


def run_lesson(path: Path, kernel_name: str = "python3") -> LessonRun:
    """Execute one notebook in a fresh kernel in its own folder; collect its checks."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    notebook = nbformat.read(path, as_version=4)
    run = LessonRun(path)
    with tempfile.TemporaryDirectory(prefix="lambdalab-check-") as scratch:
        record = Path(scratch) / "progress.json"
        names = ("LAMBDALAB_PROGRESS", "LAMBDALAB_CHECKS")
        previous = {name: os.environ.get(name) for name in names}
        os.environ["LAMBDALAB_PROGRESS"] = str(record)  # the kernel inherits it
        os.environ.pop("LAMBDALAB_CHECKS", None)  # checks report, they never raise
        client = NotebookClient(
            notebook,
            kernel_name=kernel_name,
            timeout=CELL_TIMEOUT_S,
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up noise
        except CellTimeoutError:
            run.error = f"a cell ran for more than {CELL_TIMEOUT_S} s and was stopped"
        except CellExecutionError as error:
            run.error = _first_error_line(error)
        except Exception as error:  # the kernel died or could not start
            run.error = f"{type(error).__name__}: {error}"
        finally:
            run.statuses = progress.status(progress.load())
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        if run.error:
            cell = _failing_cell(notebook)
            if cell is not None:
                run.error = f"cell {cell}: {run.error}"
    return run


def _failing_cell(notebook) -> int | None:
    """The number (counted from 1) of the code cell whose output holds the error."""
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code" and any(
            output.get("output_type") == "error" for output in cell.get("outputs", [])
        ):
            return number
    return None


def report(runs: list[LessonRun]) -> str:
    """The progress lines: per lesson, each exercise passes, not yet, or not reached."""
    from lambdalab.course.checks import load_lesson

    lines, passed, total = [], 0, 0
    for run in runs:
        number = run.path.name[:2]
        exercises = load_lesson(number)
        rows = []
        for exercise_id, exercise in sorted(exercises.items(), key=lambda i: _order(i[0])):
            state = run.statuses.get(exercise_id)
            if state == progress.DONE:
                mark, word = "✓", "passes"
            elif state == progress.NOT_YET:
                mark, word = "…", "not yet"
            else:
                mark, word = "·", "not reached (a cell above stopped)" if run.error else "no check"
            rows.append(f"  {mark} {exercise_id:<5} {exercise.title:<48} {word}")
        done = sum(1 for e in exercises if run.statuses.get(e) == progress.DONE)
        passed, total = passed + done, total + len(exercises)
        head = f"{lesson_title(run.path.stem)}: {done} of {len(exercises)} exercises pass"
        lines.append(head + ("" if not run.error else "  -- STOPPED"))
        if run.error:
            lines.append(f"  ! {run.path.name}, {run.error}")
        lines.extend(rows)
    lines.insert(0, f"Lambda Lab check: {passed} of {total} exercises pass")
    return "\n".join(lines)


def _order(exercise_id: str) -> tuple[int, int]:
    lesson, number = exercise_id.split(".")
    return int(lesson), int(number)


def main(argv: list[str] | None = None) -> int:
    """Run the lessons, print the report; 0 when every cell ran, 1 when one stopped."""
    parser = argparse.ArgumentParser(
        prog="make check", description="Run your lessons from the top; list what passes."
    )
    parser.add_argument("lessons", nargs="*", help="lesson numbers, e.g. 00 03 (default: all)")
    parser.add_argument("--folder", type=Path, default=Path("notebooks"))
    args = parser.parse_args(argv)
    paths = lesson_files(args.folder, args.lessons)
    if not paths:
        print(f"make check: no lesson {' '.join(args.lessons)} in {args.folder}/", file=sys.stderr)
        return 2
    runs = []
    for path in paths:
        print(f"running {path.name} ...", flush=True)
        runs.append(run_lesson(path))
    print()
    print(report(runs))
    stopped = [run for run in runs if run.error]
    if stopped:
        print(
            f"\n{len(stopped)} lesson(s) stopped at an error (marked !). Open the lesson, fix "
            "the cell named, then Kernel → Restart Kernel and Run All Cells.",
            file=sys.stderr,
        )
        return 1
    print("\nEvery cell ran. Exercises not passing yet are yours to finish.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
