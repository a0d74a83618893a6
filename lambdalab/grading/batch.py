"""Grade many submissions at once, keep every result, pick up where a killed run stopped.

Each submission is graded by its own process (``python -m lambdalab.grading.grader``),
``jobs`` at a time. As each one finishes, its result is appended to a journal next to the
CSV (``grades.jsonl`` for ``grades.csv``), then ``grades.csv`` and the student's feedback
file (``grades-feedback/<student>.md``) are rewritten from the journal. A run that is
killed half way and started again grades only what the journal lacks (a submission is
known by its path and the hash of its content, so an edited file is graded again);
``force`` grades everything again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lambdalab.grading.grader import STATUSES, Limits, worst
from lambdalab.grading.submissions import Submission

#: Seconds a grading process may run beyond the submission's time limit before it is killed.
WORKER_SLACK = 120.0


@dataclass
class Course:
    """Where lessons and hidden tests are: ``solutions`` and ``hidden`` folders, in order."""

    root: Path
    solutions: list[Path] = field(default_factory=list)
    hidden: list[Path] = field(default_factory=list)

    def lessons(self) -> dict[str, Path]:
        """``{"04": Path(".../04-image-resizer.ipynb")}``: the first folder's lesson wins."""
        from lambdalab.release import LESSON_FILE

        found: dict[str, Path] = {}
        for folder in self.solutions:
            for path in sorted(Path(folder).glob("*.ipynb")):
                if LESSON_FILE.match(path.name):
                    found.setdefault(path.name[:2], path)
        return found


def submission_key(submission: Submission) -> str:
    try:
        digest = hashlib.sha256(submission.path.read_bytes()).hexdigest()[:16]
    except OSError:
        digest = "unreadable"
    return f"{submission.path.resolve()}#{digest}"


def paths_for(out: Path) -> tuple[Path, Path]:
    """The journal and the feedback folder that go with the CSV ``out``."""
    return out.with_suffix(".jsonl"), out.parent / f"{out.stem}-feedback"


def load_journal(journal: Path) -> dict[str, dict[str, Any]]:
    """Results already recorded, by key; a line cut short by a kill is skipped."""
    results: dict[str, dict[str, Any]] = {}
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
                results[record["key"]] = record
            except (ValueError, KeyError, TypeError):
                continue
    return results


# --------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------


def _skeleton(submission: Submission, key: str, stem: str | None) -> dict[str, Any]:
    return {
        "key": key,
        "file": str(submission.path),
        "student": submission.student,
        "lesson": stem or (submission.lesson or "?"),
    }


def grade_one(
    submission: Submission,
    course: Course,
    limits: Limits,
    cache: Path,
    key: str,
    stop: threading.Event,
) -> dict[str, Any]:
    """Grade one submission in its own process; always returns a result record."""
    lessons = course.lessons()
    solution = lessons.get(submission.lesson or "")
    record = _skeleton(submission, key, solution.stem if solution else None)
    if solution is None:
        known = ", ".join(p.stem for p in lessons.values()) or "none"
        what = (
            f"lesson {submission.lesson}" if submission.lesson else "no lesson number in its name"
        )
        record.update(
            status="unknown-lesson",
            details=f"{what}: the course has {known} (name files like "
            "alice_04-image-resizer.ipynb, or use --pattern)",
            exercises=[],
            points=0,
            out_of=0,
        )
        return record
    with tempfile.TemporaryDirectory(prefix="lambdalab-job-") as folder:
        job = {
            "path": str(submission.path.resolve()),
            "student": submission.student,
            "lesson": submission.lesson,
            "solution": str(solution.resolve()),
            "hidden": [str(Path(p).resolve()) for p in course.hidden],
            "root": str(course.root.resolve()),
            "cache": str(cache),
            "limits": asdict(limits),
            "reference": _reference(solution),
        }
        job_file, result_file = Path(folder) / "job.json", Path(folder) / "result.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        log = Path(folder) / "grader.log"
        with open(log, "wb") as log_handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "lambdalab.grading.grader", str(job_file), str(result_file)],
                stdin=subprocess.DEVNULL,
                stdout=log_handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its kernel and workers share its process group
            )
            deadline = time.monotonic() + limits.time_limit + WORKER_SLACK
            while process.poll() is None and time.monotonic() < deadline and not stop.is_set():
                time.sleep(0.1)
            if process.poll() is None:
                _kill_group(process)
        try:
            result = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            why = "interrupted" if stop.is_set() else f"the grading process ended ({tail})"
            result = {"status": "grader-error", "details": why, "exercises": [], "points": 0}
        record.update(result)
        record.setdefault("out_of", sum(e.get("out_of", 0) for e in record["exercises"]))
        return record


_references: dict[Path, dict[str, Any]] = {}
_references_lock = threading.Lock()


def _reference(solution: Path) -> dict[str, Any]:
    """The lesson's reference cells, read once per batch (workers skip nbformat's import)."""
    from lambdalab.grading.reference import Reference

    with _references_lock:
        if solution not in _references:
            _references[solution] = asdict(Reference.load(solution))
        return _references[solution]


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()


def grade_all(
    submissions: list[Submission],
    out: Path,
    course: Course,
    *,
    limits: Limits,
    jobs: int,
    force: bool = False,
    report: Callable[[dict[str, Any], int, int, bool], None] | None = None,
) -> list[dict[str, Any]]:
    """Grade every submission (``jobs`` at once); write the CSV, journal and feedback.

    Returns the records of ``submissions`` (recorded ones included). ``report(record,
    done, total, was_recorded)`` is called as each one is finished.
    """
    journal, feedback = paths_for(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if force and journal.exists():
        journal.unlink()
    recorded = load_journal(journal)
    cache = Path(tempfile.gettempdir()) / f"lambdalab-grading-cache-{os.getuid()}"
    keys = [submission_key(s) for s in submissions]
    lock, stop = threading.Lock(), threading.Event()
    done = 0
    for key in keys:
        if key in recorded:
            done += 1
            if report:
                report(recorded[key], done, len(keys), True)
    todo = [(s, k) for s, k in zip(submissions, keys, strict=True) if k not in recorded]
    write_outputs(out, feedback, [recorded[k] for k in keys if k in recorded])

    def finish(record: dict[str, Any]) -> None:
        nonlocal done
        with lock:
            with open(journal, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            recorded[record["key"]] = record
            done += 1
            write_outputs(
                out,
                feedback,
                [recorded[k] for k in keys if k in recorded],
                only_student=record["student"],
            )
            if report:
                report(record, done, len(keys), False)

    def safely(submission: Submission, key: str) -> dict[str, Any]:
        try:
            return grade_one(submission, course, limits, cache, key, stop)
        except Exception as error:  # e.g. a reference notebook with broken markers
            record = _skeleton(submission, key, None)
            record.update(
                status="grader-error",
                details=f"{type(error).__name__}: {error}",
                exercises=[],
                points=0,
                out_of=0,
            )
            return record

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = [pool.submit(safely, s, k) for s, k in todo]
        for future in as_completed(futures):
            if not stop.is_set():
                finish(future.result())
    except BaseException:
        stop.set()  # Ctrl-C: end every grading process; what is in the journal stays
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    write_outputs(out, feedback, [recorded[k] for k in keys if k in recorded])
    return [recorded[k] for k in keys if k in recorded]


# --------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------


def exercise_columns(records: list[dict[str, Any]]) -> list[str]:
    ids = {e["id"] for r in records for e in r.get("exercises", [])}
    return sorted(ids, key=lambda i: tuple(int(x) for x in i.split(".")))


def _number(value: float) -> str:
    return f"{value:g}"


def csv_text(records: list[dict[str, Any]]) -> str:
    """grades.csv: student, lesson, file, one column per exercise, total, out_of, status."""
    columns = exercise_columns(records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "lesson", "file", *columns, "total", "out_of", "status", "details"])
    for record in sorted(records, key=lambda r: (r["student"], r["lesson"], r["file"])):
        points = {e["id"]: _number(e["points"]) for e in record.get("exercises", [])}
        writer.writerow(
            [
                record["student"],
                record["lesson"],
                record["file"],
                *[points.get(c, "") for c in columns],
                _number(record.get("points", 0)),
                _number(record.get("out_of", 0)),
                record["status"],
                record.get("details", ""),
            ]
        )
    return buffer.getvalue()


def feedback_text(student: str, records: list[dict[str, Any]]) -> str:
    """A student's feedback, in Markdown: each exercise, pass or not, message and hint."""
    lines = [f"# Lambda Lab feedback for {student}", ""]
    for record in sorted(records, key=lambda r: (r["lesson"], r["file"])):
        lines += [
            f"## Lesson {record['lesson']}: {_number(record.get('points', 0))} of "
            f"{_number(record.get('out_of', 0))} points",
            "",
            f"File: `{Path(record['file']).name}`",
            "",
        ]
        if record["status"] != "ok":
            lines += [
                f"**{STATUSES.get(record['status'], record['status'])}.** "
                f"{record.get('details', '')}",
                "",
            ]
        for ex in record.get("exercises", []):
            mark = "✓ passed" if ex["passed"] else "✗ not yet"
            lines.append(
                f"### Exercise {ex['id']}{' — ' + ex['title'] if ex.get('title') else ''}: "
                f"{mark} ({_number(ex['points'])} of {_number(ex['out_of'])} points)"
            )
            lines.append("")
            for note in ex.get("notes", []):
                lines.append(f"- Note: {note}.")
            if not ex["passed"]:
                if ex.get("check_message"):
                    lines.append(f"- What is not right yet: {ex['check_message']}")
                for name, earned, possible, message in ex.get("parts", []):
                    if earned < possible and message != ex.get("check_message"):
                        lines.append(f"- {name[:1].upper() + name[1:]}: {message}")
                if ex.get("hint"):
                    lines.append(f"- Hint: {ex['hint']}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _safe_name(student: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in student).strip("._")
    return cleaned or "unknown"


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_outputs(
    out: Path, feedback: Path, records: list[dict[str, Any]], only_student: str | None = None
) -> None:
    """Rewrite grades.csv, and the feedback files (one student's, or everyone's)."""
    _write(out, csv_text(records))
    feedback.mkdir(parents=True, exist_ok=True)
    students = {r["student"] for r in records} if only_student is None else {only_student}
    for student in students:
        mine = [r for r in records if r["student"] == student]
        _write(feedback / f"{_safe_name(student)}.md", feedback_text(student, mine))


def summary(records: list[dict[str, Any]]) -> str:
    """The table printed at the end: one row per submission, then one per lesson."""
    rows = [("student", "lesson", "points", "status")]
    for r in sorted(records, key=lambda r: (r["lesson"], r["student"], r["file"])):
        rows.append(
            (
                r["student"],
                r["lesson"],
                f"{_number(r.get('points', 0))}/{_number(r.get('out_of', 0))}",
                r["status"],
            )
        )
    widths = [min(40, max(len(str(row[i])) for row in rows)) for i in range(4)]
    lines = [
        "  ".join(str(v)[:40].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    by_lesson: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_lesson.setdefault(r["lesson"], []).append(r)
    lines.append("")
    for lesson, group in sorted(by_lesson.items()):
        scored = [r["points"] / r["out_of"] for r in group if r.get("out_of")]
        mean = f"{100 * sum(scored) / len(scored):.0f}%" if scored else "-"
        statuses = {}
        for r in group:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        shown = ", ".join(
            f"{n} {s}" for s, n in sorted(statuses.items(), key=lambda x: worst([x[0]]))
        )
        lines.append(f"{lesson}: {len(group)} submissions, mean {mean}; {shown}")
    return "\n".join(lines)
