"""Grade students' notebooks: ``python -m lambdalab.grading SUBMISSIONS... --out grades.csv``.

Also installed as the ``lambdalab-grade`` command. SUBMISSIONS are notebooks, or folders
holding them, as students download them from Binder or JupyterHub
(``alice_04-image-resizer.ipynb``, ``alice/04-image-resizer.ipynb``). Each one is graded
in a fresh kernel of its own against the hidden tests in ``tests/grading/``; see
``lambdalab.grading`` for how, and ``docs/grading.md`` for the instructor's guide.

Student code runs in a bubblewrap sandbox (``lambdalab.grading.isolation``); where that
is not available the grader refuses, naming the fix, unless ``--no-isolation`` is given.

Writes ``grades.csv`` (a row per submission: points per exercise, total, status),
``grades.jsonl`` (the journal that lets a killed run continue) and
``grades-feedback/<student>.md``; prints a summary table at the end.

Example
-------
::

    python -m lambdalab.grading hand-ins/ --out grades.csv --jobs 2
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from lambdalab.grading.batch import Course, Isolation, grade_all, paths_for, prepare, summary
from lambdalab.grading.grader import Limits
from lambdalab.grading.submissions import (
    LAYOUTS,
    SubmissionError,
    compile_pattern,
    find_notebooks,
    identify,
    layout_of,
    path_text,
    printable,
    under,
)


def _parser() -> argparse.ArgumentParser:
    defaults = Limits()
    parser = argparse.ArgumentParser(
        prog="python -m lambdalab.grading",
        description="Grade Lambda Lab notebooks against the hidden grading tests.",
    )
    parser.add_argument(
        "submissions",
        nargs="+",
        metavar="SUBMISSION",
        help="notebooks, or folders holding them (searched deeply)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("grades.csv"),
        help="the CSV to write (default grades.csv); the journal and the "
        "feedback folder go next to it",
    )
    parser.add_argument(
        "--pattern",
        help="regular expression with named groups 'student' and "
        "'lesson', searched in each path, when file names follow another rule",
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="auto",
        help="where the student's name is: 'folders', the first folder under a folder "
        "you name (a folder per student: hub home folders, LMS downloads by student); "
        "'flat', the file name (alice_04-image-resizer.ipynb); 'auto' (default): "
        "'folders' for a folder whose notebooks are all inside folders of it, else 'flat'",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="submissions graded at once (default: the number of cores)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=defaults.timeout,
        help=f"seconds a cell may run (default {defaults.timeout:g})",
    )
    parser.add_argument(
        "--call-timeout",
        type=float,
        default=defaults.call_timeout,
        help="seconds one call of a student's function by a hidden test may "
        f"run (default {defaults.call_timeout:g})",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=defaults.time_limit,
        help=f"seconds for a whole submission (default {defaults.time_limit:g})",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=defaults.memory_mb,
        metavar="MB",
        help="address-space limit of each kernel and of each process it starts, "
        f"in MB (default {defaults.memory_mb}; 0: none)",
    )
    parser.add_argument(
        "--max-output",
        type=int,
        default=defaults.output_limit,
        metavar="CHARS",
        help="output one cell may print before it is interrupted (default "
        f"{defaults.output_limit:,})",
    )
    parser.add_argument(
        "--max-notebook",
        type=float,
        default=defaults.max_notebook_mb,
        metavar="MB",
        help="largest notebook file graded, in MB; a larger one is 'too-large', not read "
        f"(default {defaults.max_notebook_mb:g})",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=Isolation.processes,
        help="processes and threads each sandboxed kernel may run at once "
        f"(default {Isolation.processes})",
    )
    parser.add_argument(
        "--scratch",
        type=int,
        default=Isolation.scratch_mb,
        metavar="MB",
        help="size of each sandbox's HOME, in memory (default "
        f"{Isolation.scratch_mb}); its /tmp and /dev/shm get a quarter of it each; also the "
        f"largest file it may write, up to {Isolation.file_mb} MB",
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="grade without the bubblewrap sandbox, where it is not available: student "
        "code then runs as you and can read the answers (every row is marked UNISOLATED)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="grade everything again, even what the journal already holds",
    )
    parser.add_argument("--root", type=Path, help="the course repository (default: this one)")
    parser.add_argument(
        "--solutions",
        type=Path,
        action="append",
        metavar="DIR",
        help="folder of reference notebooks (default ROOT/solutions; repeatable)",
    )
    parser.add_argument(
        "--hidden",
        type=Path,
        action="append",
        metavar="DIR",
        help="folder of hidden tests lessonNN.py (default ROOT/tests/grading; repeatable)",
    )
    return parser


class Progress:
    """A progress bar on a terminal; one plain line per submission otherwise."""

    def __init__(self, stream: Any = sys.stderr):
        self.stream, self.tty = stream, stream.isatty()

    def __call__(self, record: dict[str, Any], done: int, total: int, recorded: bool) -> None:
        score = f"{record.get('points', 0):g}/{record.get('out_of', 0):g}"
        what = printable(f"{record['student']} {record['lesson']} {score} {record['status']}")
        what += " (already graded)" if recorded else ""
        if self.tty:
            filled = int(30 * done / max(total, 1))
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r[{bar}] {done}/{total} {what[:60]:<60}")
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{total}] {what}\n")
        self.stream.flush()


def collect(arguments: list[str], pattern: Any, layout: str) -> list[Any]:
    """The submissions named on the command line, each with its student and lesson; says
    on standard error which layout each folder was read in."""
    found = find_notebooks(arguments)
    if pattern is not None and layout == "auto":
        layout = "flat"  # the pattern says where the names are
    roots = [Path(a) for a in arguments if Path(a).is_dir()]
    layouts = {root: layout if layout != "auto" else layout_of(root, found) for root in roots}
    for root, chosen in layouts.items():
        if chosen == "folders" and pattern is None:
            print(
                f"{printable(path_text(root))}: a folder per student (each student is a folder "
                "of it; --layout flat reads names from the file names instead)",
                file=sys.stderr,
            )
    submissions = []
    for path in found:
        root = next((r for r in roots if under(path, r)), None)
        submissions.append(identify(path, pattern, root, layouts.get(root, "flat")))
    return submissions


def main(argv: list[str] | None = None) -> int:
    """Run the grader; return the exit code (0 graded, 2 nothing to grade or bad options)."""
    args = _parser().parse_args(argv)
    from lambdalab.course.release import default_root

    root = (args.root or default_root()).resolve()
    course = Course(
        root,
        args.solutions or [root / "solutions"],
        args.hidden or [root / "tests" / "grading"],
    )
    try:
        if not course.lessons():
            raise SubmissionError(
                f"no reference notebooks in {', '.join(map(str, course.solutions))}: the grader "
                "needs the course's solutions/ (run it from the instructors' repository, or "
                "pass --solutions DIR)"
            )
        if args.jobs < 1 or args.timeout <= 0 or args.time_limit <= 0:
            raise SubmissionError("--jobs, --timeout and --time-limit must be positive")
        pattern = compile_pattern(args.pattern)
        submissions = collect(args.submissions, pattern, args.layout)
        isolation = None
        if not args.no_isolation:
            from lambdalab.grading import isolation as sandboxes

            why = sandboxes.problem()
            if why:
                raise SubmissionError(f"student code cannot be isolated: {why}")
            isolation = Isolation(
                scratch_mb=args.scratch,
                processes=args.processes,
                file_mb=min(Isolation.file_mb, args.scratch),
            )
    except SubmissionError as error:
        print(f"lambdalab-grade: error: {printable(str(error))}", file=sys.stderr)
        return 2
    limits = Limits(
        timeout=args.timeout,
        call_timeout=args.call_timeout,
        time_limit=args.time_limit,
        memory_mb=args.memory,
        output_limit=args.max_output,
        max_notebook_mb=args.max_notebook,
    )
    prepared = prepare(course, {s.lesson for s in submissions if s.lesson})
    checksums = {name: digest for p in prepared.values() for name, digest in p.checksums.items()}
    print(f"Grading {len(submissions)} submission(s), {args.jobs} at a time.", file=sys.stderr)
    if isolation is None:
        print(
            "WARNING: --no-isolation: student code runs as you, unsandboxed; every row is "
            "marked UNISOLATED.",
            file=sys.stderr,
        )
    roots = [Path(p) if Path(p).is_dir() else Path(p).parent for p in args.submissions]
    try:
        records = grade_all(
            submissions,
            args.out,
            course,
            limits=limits,
            jobs=args.jobs,
            force=args.force,
            report=Progress(),
            isolation=isolation,
            roots=roots,
            prepared=prepared,
        )
    except KeyboardInterrupt:
        print(
            "\nStopped. Run the same command again to continue where it stopped.", file=sys.stderr
        )
        return 130
    journal, feedback = paths_for(args.out)
    print(summary(records, checksums))
    print(f"\nWrote {args.out}, {feedback}/ and {journal}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
