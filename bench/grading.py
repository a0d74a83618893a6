"""Benchmark the grader: time per submission against nbval, and a class-sized batch.

Two figures, measured in one run:

1. **Per submission, against nbval.** The lesson's solved notebook is run by nbval
   (``pytest --nbval-lax``, the way ``make test`` runs notebooks) and graded by
   ``python -m lambdalab.grading --jobs 1``, isolated (the default: bubblewrap sandbox) and
   with ``--no-isolation``, in turn, ``--repeat`` times each; all timings are wall-clock
   for the whole command, start-up included. Goal: isolated grading takes at most 1.3
   times as long as nbval (the grader also starts a fresh kernel in a fresh sandbox,
   transplants the cells and runs the hidden tests).
2. **A class.** ``--count`` copies of the lesson (solved and untouched, alternately, each
   with its own student name) graded with ``--jobs``, without isolation (before) and
   isolated (after); reports the totals and the time per submission. ``--count 0`` skips
   it.

Needs the instructors' repository (solutions/ and tests/grading/). Usage::

    python bench/grading.py                       # lesson 00, 3 repeats, 100 submissions
    python bench/grading.py --count 10 --repeat 1 # a quick look
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command[:4])} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", default="00-start-here", help="lesson stem (default 00)")
    parser.add_argument("--repeat", type=int, default=3, help="timings of each kind (default 3)")
    parser.add_argument("--count", type=int, default=100, help="class size (default 100; 0: skip)")
    parser.add_argument(
        "--jobs", type=int, default=2, help="grading jobs for the class (default 2)"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from lambdalab.course import release

    solution_path = ROOT / "solutions" / f"{args.lesson}.ipynb"
    if not solution_path.exists():
        sys.exit(f"bench: no {solution_path}: run it in the instructors' repository")
    solution, student = release.build_pair(solution_path, [args.lesson])
    work = Path(tempfile.mkdtemp(prefix="lambdalab-bench-"))
    try:
        one = work / "one" / "notebooks"
        one.mkdir(parents=True)
        submission = one / f"bench_{args.lesson}.ipynb"
        submission.write_text(release.to_text(solution))
        env = dict(
            os.environ, LAMBDALAB_CHECKS="must-pass", LAMBDALAB_PROGRESS=str(work / "p.json")
        )
        nbval_cmd = [sys.executable, "-m", "pytest", "-q", "--nbval-lax", "-p", "no:cacheprovider",
                     submission.name]  # fmt: skip
        grade_cmd = [sys.executable, "-m", "lambdalab.grading", str(submission), "--jobs", "1",
                     "--force", "--out", str(work / "one" / "grades.csv")]  # fmt: skip
        nbval_times, grade_times, open_times = [], [], []
        for _ in range(args.repeat):
            nbval_times.append(timed(nbval_cmd, one, env))
            grade_times.append(timed(grade_cmd, ROOT))
            open_times.append(timed([*grade_cmd, "--no-isolation"], ROOT))
        nbval, grade = statistics.median(nbval_times), statistics.median(grade_times)
        unisolated = statistics.median(open_times)

        def shown(times: list[float]) -> str:
            return ", ".join(f"{t:.2f}" for t in times)

        print(f"lesson {args.lesson}, median of {args.repeat}:")
        print(f"  nbval                {nbval:6.2f} s   ({shown(nbval_times)})")
        print(f"  grader, isolated     {grade:6.2f} s   ({shown(grade_times)})")
        print(f"  grader, unisolated   {unisolated:6.2f} s   ({shown(open_times)})")
        print(f"  ratio isolated/nbval {grade / nbval:6.2f}x  (goal <= 1.3x)")
        print(f"  isolation's cost     {grade / unisolated:6.2f}x  (isolated/unisolated)")
        if args.count > 0:
            folder = work / "class"
            folder.mkdir()
            texts = [release.to_text(solution), release.to_text(student)]
            for number in range(args.count):
                (folder / f"student{number:03d}_{args.lesson}.ipynb").write_text(texts[number % 2])
            command = [sys.executable, "-m", "lambdalab.grading", str(folder), "--force",
                       "--jobs", str(args.jobs), "--out", str(work / "class.csv")]  # fmt: skip
            before = timed([*command, "--no-isolation"], ROOT)
            after = timed(command, ROOT)
            print(f"class of {args.count}, --jobs {args.jobs} on {os.cpu_count()} cores:")
            for label, total in (("unisolated (before)", before), ("isolated (after)", after)):
                print(f"  {label:20} {total:6.1f} s   ({total / args.count:.2f} s per submission)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
