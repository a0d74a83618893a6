"""Benchmark time-to-feedback: a check cell with a wrong answer, against the right answer.

Run: ``make bench-mistakes`` or ``.venv/bin/python bench/mistakes.py [--lessons 02 04]``.

Every case of the mistakes suite (tests/mistakes/cases_NN.py) is walked through its
lesson in one kernel, as the suite does: at each exercise the wrong answers, each with its
check, then the right answer and its check. For each case the figure is the seconds the
check cell took, from running it to its feedback (for exercises whose check shares a cell
with the deploy, that cell); beside it, all the exercise's cells (answer, deploy, waits,
check), since a slow deploy or wait cell delays the feedback too. The baseline is the
same check with the right answer, measured in the same walk, so the ratio holds on any
machine.

Each case has a kind: the theme of the file it comes from (``cases_NN_hangs.py``:
"hangs", a function that never ends; ``cases_NN_loops.py``: "loops"...), or "foreseen"
for the lesson's own ``cases_NN.py``. Hangs are timed like the rest: from running the
check cell to its feedback, which must come within seconds, not at the function's
timeout.

Printed: one line per case, then per lesson and overall the median and the worst
time-to-feedback of wrong answers against the median of right answers, overall and for
each kind, and the slowest ordinary cell after the exercises (a wrong answer must not
slow the rest of a lesson).
The issue's targets (quiet 2-core machine): worst feedback at most 5 s; no later cell
over 15 s. No threshold is enforced here: timing is noisy while others use the machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "mistakes"))

import mistakes_runner as runner  # noqa: E402  (tests/mistakes, put on the path above)


def lessons_with_cases() -> list[str]:
    """Lesson numbers that have a cases_NN.py in tests/mistakes/."""
    return sorted(
        path.stem.split("_")[1] for path in runner.ROOT.glob("tests/mistakes/cases_??.py")
    )


def kinds(lesson: str) -> dict[tuple[str, str], str]:
    """(exercise, mistake name) -> the theme of the cases_NN_<theme>.py it comes from."""
    found = {}
    for path in sorted(runner.ROOT.glob(f"tests/mistakes/cases_{lesson}_*.py")):
        theme = importlib.import_module(path.stem)
        for exercise, cases in theme.MISTAKES.items():
            for case in cases:
                found[(exercise, case.name)] = path.stem.split("_", 2)[2]
    return found


def measure(lesson: str) -> dict:
    """Walk one lesson with its mistakes; the timings of every case and later cell."""
    cases = importlib.import_module(f"cases_{lesson}")
    started = time.perf_counter()
    themes = kinds(lesson)
    steps = runner.run_lesson(cases.NOTEBOOK, cases.MISTAKES)
    right = {
        step.exercise: step
        for step in steps
        if isinstance(step, runner.Attempt) and step.mistake is None
    }
    rows = [
        {
            "exercise": step.exercise,
            "mistake": step.mistake,
            "kind": themes.get((step.exercise, step.mistake), "foreseen"),
            "seconds": step.check_seconds,
            "right_seconds": right[step.exercise].check_seconds if step.exercise in right else None,
            "cells_seconds": step.cells_seconds,
            "right_cells_seconds": (
                right[step.exercise].cells_seconds if step.exercise in right else None
            ),
            "named": not step.problems(),
        }
        for step in steps
        if isinstance(step, runner.Attempt) and step.mistake is not None
    ]
    first_exercise = next(
        (n for n, step in enumerate(steps) if isinstance(step, runner.Attempt)), len(steps)
    )
    later = [
        (step.index, step.run.seconds)
        for step in steps[first_exercise:]
        if isinstance(step, runner.Step)
    ]
    slowest = max(later, key=lambda item: item[1], default=(None, 0.0))
    return {
        "lesson": lesson,
        "notebook": cases.NOTEBOOK,
        "walk_seconds": time.perf_counter() - started,
        "cases": rows,
        "slowest_later_cell": {"cell": slowest[0], "seconds": slowest[1]},
        "failed_cells": [
            step.index for step in steps if isinstance(step, runner.Step) and not step.run.ok
        ],
    }


def summary(rows: list[dict]) -> str:
    wrong = [row["seconds"] for row in rows]
    right = [row["right_seconds"] for row in rows if row["right_seconds"] is not None]
    if not wrong:
        return "no cases"
    worst = max(rows, key=lambda row: row["seconds"])
    base = statistics.median(right) if right else float("nan")
    return (
        f"wrong answers: median {statistics.median(wrong):.2f} s, worst {worst['seconds']:.2f} s "
        f"({worst['exercise']} {worst['mistake']!r}); right answers: median {base:.2f} s; "
        f"median ratio {statistics.median(wrong) / base:.1f}x, worst ratio "
        f"{worst['seconds'] / (worst['right_seconds'] or base):.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="*", help="lesson numbers, e.g. 02 04 (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()
    lessons = options.lessons or lessons_with_cases()
    results = []
    for lesson in lessons:
        result = measure(lesson)
        results.append(result)
        print(f"lesson {lesson} ({result['notebook']}), walked in {result['walk_seconds']:.0f} s")
        for row in result["cases"]:
            right = row["right_seconds"]
            ratio = f"{row['seconds'] / right:5.1f}x" if right else "     -"
            named = "" if row["named"] else "   (feedback does not name the cause)"
            print(
                f"  {row['exercise']}  {row['seconds']:6.2f} s  right {right or 0:6.2f} s  "
                f"{ratio}  (all its cells {row['cells_seconds']:5.1f} s, right "
                f"{row['right_cells_seconds'] or 0:5.1f} s)  [{row['kind']}] "
                f"{row['mistake']}{named}"
            )
        slow = result["slowest_later_cell"]
        print(
            f"  slowest cell after the first exercise: cell {slow['cell']}, {slow['seconds']:.1f} s"
        )
        if result["failed_cells"]:
            print(f"  cells that failed after the fixes: {result['failed_cells']}")
        print(f"  {summary(result['cases'])}\n")
    everything = [row for result in results for row in result["cases"]]
    print(f"all lessons: {summary(everything)}")
    for kind in sorted({row["kind"] for row in everything}):
        print(f"  {kind}: {summary([row for row in everything if row['kind'] == kind])}")
    slowest = max(results, key=lambda r: r["slowest_later_cell"]["seconds"], default=None)
    if slowest:
        cell = slowest["slowest_later_cell"]
        print(
            f"slowest later cell: lesson {slowest['lesson']} cell {cell['cell']}, "
            f"{cell['seconds']:.1f} s"
        )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    broken = [r["lesson"] for r in results if r["failed_cells"]]
    unnamed = [row for row in everything if not row["named"]]
    if broken or unnamed:
        # A walk whose cells fail (a stale environment, a broken lesson) times error
        # messages, not feedback: its figures would look good and mean nothing.
        print(
            f"\nNOT VALID: cells failed in lesson(s) {', '.join(broken) or 'none'}; "
            f"{len(unnamed)} case(s) whose feedback does not name the cause. "
            "Fix these (run `make setup`, then `make mistakes`) before reading the figures."
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
