"""Grade many submissions at once, keep every result, pick up where a killed run stopped.

Before any student code runs, the batch reads each lesson's reference notebook and hidden
tests once (``prepare``) and checksums them (the summary prints the checksums). Each
submission is then graded by its own process (``python -m lambdalab.grading.grader``),
``jobs`` at a time, normally in a network namespace of its own with the student's kernel
in a bubblewrap sandbox (``lambdalab.grading.isolation``). The job (the notebook's bytes,
the reference, the hidden tests' text) goes to that process on a pipe, and its result
comes back on another: no file a kernel could read or write. Of the result, only the
grade's own fields are kept (``RESULT_FIELDS``): whose submission it is, which file and
which key are the batch's, never the result's.

As each one finishes, its result is appended to a journal next to the CSV
(``grades.jsonl`` for ``grades.csv``), then ``grades.csv`` and the student's feedback
file (``grades-feedback/<student>.md``) are rewritten from the journal. A run that is
killed half way and started again grades only what the journal lacks (a submission is
known by its path and the hash of its content, so an edited file is graded again);
``force`` grades everything again. The journal also records when each grading starts: a
file that was being graded when the batch died is graded again alone, first; one that
was being graded when the batch died twice is recorded as ``grader-killed`` with 0 points
and not run again.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from lambdalab.grading.grader import STATUSES, Limits, worst
from lambdalab.grading.isolation import private_paths, submission_uid
from lambdalab.grading.reference import NotebookError, check_size
from lambdalab.grading.submissions import Submission, path_text, printable

#: Seconds a grading process may run beyond the submission's time limit before it is
#: killed (it stops its kernel and reports first; the limit itself bounds everything else).
WORKER_SLACK = 15.0
#: Scratch folders of grading processes: ``lambdalab-grade-<batch pid>-...`` in the
#: temporary folder, made and removed by the batch (a batch killed outright leaves its
#: own, which the next batch removes).
SCRATCH_PREFIX = "lambdalab-grade-"
#: The fields of a grading process's result that are kept (everything else is dropped).
RESULT_FIELDS = ("status", "details", "exercises", "points", "out_of", "seconds", "unrun")
EXERCISE_FIELDS = (
    "id", "title", "points", "out_of", "passed", "check_message", "hint", "parts", "notes",
)  # fmt: skip
#: Times a file may be in progress when the batch dies before it is not graded again.
MAX_STARTS = 2


@dataclass
class Course:
    """Where lessons and hidden tests are: ``solutions`` and ``hidden`` folders, in order."""

    root: Path
    solutions: list[Path] = field(default_factory=list)
    hidden: list[Path] = field(default_factory=list)

    def lessons(self) -> dict[str, Path]:
        """``{"04": Path(".../04-image-resizer.ipynb")}``: the first folder's lesson wins."""
        from lambdalab.course.release import LESSON_FILE

        found: dict[str, Path] = {}
        for folder in self.solutions:
            for path in sorted(Path(folder).glob("*.ipynb")):
                if LESSON_FILE.match(path.name):
                    found.setdefault(path.name[:2], path)
        return found


@dataclass
class Lesson:
    """What grading one lesson needs, read once per batch before any student code runs."""

    stem: str
    reference: dict[str, Any]
    hidden: tuple[str, str] | None  # (path, text) of tests/grading/lessonNN.py
    checksums: dict[str, str]  # file name -> sha256


@dataclass
class Isolation:
    """Settings of the kernels' sandbox (see ``lambdalab.grading.isolation``)."""

    scratch_mb: int = 1024
    processes: int = 512
    file_mb: int = 512
    private: tuple[str, ...] = ()  # folders no kernel may see (isolation.private_paths)


def prepare(course: Course, lessons: set[str]) -> dict[str, Lesson]:
    """Read and checksum the reference and hidden tests of ``lessons`` (``{"04", ...}``)."""
    from lambdalab.grading.reference import Reference
    from lambdalab.grading.rubric import hidden_source

    available, prepared = course.lessons(), {}
    for lesson in sorted(lessons):
        solution = available.get(lesson)
        if solution is None:
            continue
        reference = asdict(Reference.load(solution))
        hidden = hidden_source(course.hidden, lesson)
        checksums = {solution.name: hashlib.sha256(solution.read_bytes()).hexdigest()}
        if hidden:
            checksums[Path(hidden[0]).name] = hashlib.sha256(hidden[1].encode()).hexdigest()
        prepared[lesson] = Lesson(solution.stem, reference, hidden, checksums)
    return prepared


def submission_key(submission: Submission) -> str:
    """The journal's key of a submission: its path (any bytes) and its content's hash."""
    try:
        with open(submission.path, "rb") as handle:  # read in blocks, whatever its size
            digest = hashlib.file_digest(handle, "sha256").hexdigest()[:16]
    except OSError:
        digest = "unreadable"
    raw = os.fsencode(submission.path.resolve())
    try:
        where = raw.decode("utf-8")
    except UnicodeDecodeError:
        where = f"bytes:{raw.hex()}"  # any bytes, and never the same as a text path
    return f"{where}#{digest}"


def paths_for(out: Path) -> tuple[Path, Path]:
    """The journal and the feedback folder that go with the CSV ``out``."""
    return out.with_suffix(".jsonl"), out.parent / f"{out.stem}-feedback"


def load_journal(journal: Path) -> dict[str, dict[str, Any]]:
    """Results already recorded, by key; a line cut short by a kill is skipped."""
    return read_journal(journal)[0]


def read_journal(journal: Path) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """``(results by key, starts by key)``: how often each file without a result began."""
    results: dict[str, dict[str, Any]] = {}
    starts: dict[str, int] = {}
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
                if "started" in record:
                    starts[record["started"]] = starts.get(record["started"], 0) + 1
                else:
                    results[record["key"]] = record
                    starts.pop(record["key"], None)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
    return results, starts


def relative_name(path: Path, roots: list[Path]) -> str:
    """The file as the instructor named it: relative to the folder it was found in."""
    resolved = path.resolve()
    for root in roots:
        try:
            return path_text(resolved.relative_to(Path(root).resolve()).as_posix())
        except ValueError:
            continue
    return path_text(path.name)


# --------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------


def _skeleton(
    submission: Submission, key: str, stem: str | None, name: str, isolated: bool
) -> dict[str, Any]:
    return {
        "key": key,
        "file": name,
        "student": submission.student,
        "lesson": stem or (submission.lesson or "?"),
        "isolated": isolated,
    }


def _failed(record: dict[str, Any], status: str, details: str) -> dict[str, Any]:
    record.update(status=status, details=details, exercises=[], points=0, out_of=0)
    return record


def trusted_fields(result: Any) -> dict[str, Any]:
    """The grade's fields of a grading process's result, checked; nothing else."""
    if not isinstance(result, dict) or result.get("status") not in STATUSES:
        raise ValueError("not a result")
    kept = {k: result[k] for k in RESULT_FIELDS if k in result}
    kept["exercises"] = [
        {k: e[k] for k in EXERCISE_FIELDS if k in e}
        for e in result.get("exercises", [])
        if isinstance(e, dict)
    ]
    kept["points"] = float(kept.get("points", 0))
    kept["out_of"] = float(kept.get("out_of", sum(e.get("out_of", 0) for e in kept["exercises"])))
    kept["details"] = str(kept.get("details", ""))
    kept["unrun"] = [int(n) for n in kept.get("unrun", [])]
    return kept


def grade_one(
    submission: Submission,
    lesson: Lesson | None,
    limits: Limits,
    key: str,
    stop: threading.Event,
    *,
    name: str,
    isolation: Isolation | None,
    assets: Path | None,
    cache: Path | None = None,
    uid: int = 200_000,
    known: str = "none",
) -> dict[str, Any]:
    """Grade one submission in its own process; always returns a result record."""
    record = _skeleton(
        submission, key, lesson.stem if lesson else None, name, isolation is not None
    )
    if lesson is None:
        what = (
            f"lesson {submission.lesson}" if submission.lesson else "no lesson number in its name"
        )
        return _failed(
            record,
            "unknown-lesson",
            f"{what}: the course has {known} (name files like "
            "alice_04-image-resizer.ipynb, or use --pattern)",
        )
    try:
        check_size(submission.path.stat().st_size, limits.max_notebook_mb * 2**20)
        notebook = submission.path.read_bytes()
    except OSError as error:
        return _failed(record, "unreadable", f"cannot read the file ({error.strerror})")
    except NotebookError as error:  # too large: not read, not sent
        return _failed(record, error.status, str(error))
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    os.chmod(scratch, 0o755)
    job = {
        "notebook": base64.b64encode(notebook).decode(),
        "lesson": submission.lesson,
        "reference": lesson.reference,
        "hidden": lesson.hidden,
        "assets": str(assets) if assets else None,
        "cache": str(cache) if cache and isolation is None else None,
        "scratch": str(scratch),
        "limits": asdict(limits),
        "isolation": dict(asdict(isolation), uid=uid) if isolation else None,
    }
    command = [sys.executable, "-m", "lambdalab.grading.grader"]
    if isolation is not None:
        from lambdalab.grading import isolation as sandboxes

        command = [*sandboxes.grader_wrapper(), *command]
    killed = False
    results = Results()
    try:
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,  # its kernel and workers share its process group
            )
            deadline = time.monotonic() + limits.time_limit + WORKER_SLACK
            threads = [
                threading.Thread(
                    target=_feed, args=(process, json.dumps(job).encode()), daemon=True
                ),
                threading.Thread(target=results.read, args=(process.stdout,), daemon=True),
            ]
            for thread in threads:
                thread.start()
            while process.poll() is None:
                if time.monotonic() > deadline or stop.is_set():
                    killed = not stop.is_set()
                    break
                time.sleep(0.1)
            _kill_group(process)  # at its deadline, or what it started and left behind
            for thread in threads:
                thread.join(timeout=10)
            process.stdout.close()
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 4096))
            tail = log.read().decode(errors="replace").strip().splitlines()[-1:]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    final, partial = results.final, results.partial
    if final is not None:
        record.update(final)
        return record
    if stop.is_set():
        return _failed(record, "grader-error", "interrupted")
    if killed:
        why = (
            f"the grading ran past the time limit ({limits.time_limit:g} s) and was stopped; "
            "the points earned before are kept"
        )
        status = "time-limit"
    else:
        why = f"the grading process ended ({printable(' '.join(tail), 300)})"
        status = "grader-error"
    if partial is None:
        return _failed(record, status, why)
    record.update(partial, status=status, details=why)
    return record


class Results:
    """What a grading process sends on its result channel: results so far, then the last.

    Each line is a result; one with ``partial`` is the result so far (sent after each
    graded exercise), so that a process stopped at its deadline still has its points.
    Only the grade's fields of a result are kept (``trusted_fields``).
    """

    MAX_LINE = 16 * 2**20

    def __init__(self) -> None:
        self.final: dict[str, Any] | None = None
        self.partial: dict[str, Any] | None = None

    def read(self, stream: Any) -> None:
        while True:
            line = stream.readline(self.MAX_LINE)
            if not line:
                return
            try:
                decoded = json.loads(line)
                result = trusted_fields(decoded)
            except (ValueError, TypeError, RecursionError):
                continue
            if decoded.get("partial"):
                self.partial = result
            else:
                self.final = result


def _feed(process: subprocess.Popen, data: bytes) -> None:
    """Write the job to the grading process's standard input, then close it."""
    try:
        process.stdin.write(data)
        process.stdin.close()
    except OSError:  # it ended before reading it all: its result (none) says so
        pass


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    if process.poll() is None:
        process.kill()
    process.wait()


def sweep_scratch() -> None:
    """Remove the scratch folders of batches that are no longer running."""
    import psutil

    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        owner = folder.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not psutil.pid_exists(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def grade_all(
    submissions: list[Submission],
    out: Path,
    course: Course,
    *,
    limits: Limits,
    jobs: int,
    force: bool = False,
    report: Callable[[dict[str, Any], int, int, bool], None] | None = None,
    isolation: Isolation | None = None,
    roots: list[Path] | None = None,
    prepared: dict[str, Lesson] | None = None,
) -> list[dict[str, Any]]:
    """Grade every submission (``jobs`` at once); write the CSV, journal and feedback.

    ``isolation`` None grades without the sandbox (``--no-isolation``). Returns the
    records of ``submissions`` (recorded ones included). ``report(record, done, total,
    was_recorded)`` is called as each one is finished.
    """
    journal, feedback = paths_for(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_scratch()
    if force and journal.exists():
        journal.unlink()
    recorded, starts = read_journal(journal)
    if prepared is None:
        prepared = prepare(course, {s.lesson for s in submissions if s.lesson})
    known = ", ".join(p.stem for p in course.lessons().values()) or "none"
    cache = Path(tempfile.gettempdir()) / f"lambdalab-grading-cache-{os.getuid()}"
    assets = course.root / "assets"
    keys = [submission_key(s) for s in submissions]
    names = [relative_name(s.path, roots or []) for s in submissions]
    lock, stop = threading.Lock(), threading.Event()
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(max(1, jobs)):
        slots.put(slot)
    if isolation is not None:  # the course, the grades and the submissions stay unseen
        hidden = [course.root, *course.solutions, *course.hidden, out.parent, *(roots or [])]
        hidden += [s.path for s in submissions]
        isolation = replace(isolation, private=private_paths(hidden))
    done = 0
    for key in keys:
        if key in recorded:
            done += 1
            if report:
                report(recorded[key], done, len(keys), True)
    write_outputs(out, feedback, [recorded[k] for k in keys if k in recorded])

    def append(line: dict[str, Any]) -> None:
        with open(journal, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def finish(record: dict[str, Any]) -> None:
        nonlocal done
        with lock:
            append(record)
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

    todo, suspects = [], []
    for submission, key, name in zip(submissions, keys, names, strict=True):
        if key in recorded:
            continue
        lesson = prepared.get(submission.lesson or "")
        if starts.get(key, 0) >= MAX_STARTS:
            record = _skeleton(
                submission, key, lesson.stem if lesson else None, name, isolation is not None
            )
            finish(
                _failed(
                    record,
                    "grader-killed",
                    f"the grader stopped {starts[key]} times while grading this file; "
                    "it was not graded again",
                )
            )
        elif starts.get(key, 0):
            suspects.append((submission, key, name))
        else:
            todo.append((submission, key, name))

    def safely(submission: Submission, key: str, name: str) -> dict[str, Any]:
        lesson = prepared.get(submission.lesson or "")
        slot = slots.get()
        try:
            with lock:
                append({"started": key})
            return grade_one(
                submission,
                lesson,
                limits,
                key,
                stop,
                name=name,
                isolation=isolation,
                assets=assets,
                cache=cache,
                uid=submission_uid(),
                known=known,
            )
        except Exception as error:  # the grader's own bug: this row says so, the batch goes on
            record = _skeleton(submission, key, None, name, isolation is not None)
            return _failed(record, "grader-error", f"{type(error).__name__}: {error}")
        finally:
            slots.put(slot)

    # Files in progress when an earlier run died: one at a time, first, so that a file that
    # kills the grader again is the only one in progress when it does.
    for group, workers in ((suspects, 1), (todo, max(1, jobs))):
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            futures = [pool.submit(safely, *item) for item in group]
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


#: The ``student`` of grades.csv's first row, which holds each exercise's maximum.
MAXIMUM_ROW = "(maximum)"


def csv_text(records: list[dict[str, Any]]) -> str:
    """grades.csv: student, lesson, file, one column per exercise, total, out_of, status,
    details, isolation. The first row, ``(maximum)``, gives each exercise's maximum."""
    columns = exercise_columns(records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["student", "lesson", "file", *columns, "total", "out_of", "status", "details", "isolation"]
    )
    maximum: dict[str, float] = {}
    for record in records:
        for e in record.get("exercises", []):
            maximum[e["id"]] = max(maximum.get(e["id"], 0), e.get("out_of", 0))
    writer.writerow(
        [MAXIMUM_ROW, "", "", *[_number(maximum[c]) for c in columns], "", "", "", "", ""]
    )
    twins = duplicates(records)
    for record in sorted(records, key=lambda r: (r["student"], r["lesson"], r["file"])):
        points = {e["id"]: _number(e["points"]) for e in record.get("exercises", [])}
        writer.writerow(
            [
                printable(record["student"]),
                record["lesson"],
                printable(record["file"]),
                *[points.get(c, "") for c in columns],
                _number(record.get("points", 0)),
                _number(record.get("out_of", 0)),
                record["status"],
                printable(_details(record, twins)),
                "isolated" if record.get("isolated") else "UNISOLATED",
            ]
        )
    return buffer.getvalue()


def _details(record: dict[str, Any], twins: dict[str, list[str]]) -> str:
    """The record's details, and the other files of the same student and lesson."""
    details = record.get("details", "")
    others = twins.get(record["file"])
    if others:
        also = (
            f"DUPLICATE: {len(others) + 1} files of {record['student']} for lesson "
            f"{record['lesson']}, each graded on its own (also: {', '.join(others)})"
        )
        details = f"{details}; {also}" if details else also
    return details


def feedback_text(student: str, records: list[dict[str, Any]]) -> str:
    """A student's feedback, in Markdown: each exercise, pass or not, message and hint."""
    lines = [f"# Lambda Lab feedback for {printable(student)}", ""]
    twins = duplicates(records)
    for record in sorted(records, key=lambda r: (r["lesson"], r["file"])):
        lines += [
            f"## Lesson {record['lesson']}: {_number(record.get('points', 0))} of "
            f"{_number(record.get('out_of', 0))} points",
            "",
            f"File: `{printable(Path(record['file']).name).replace('`', chr(39))}`",
            "",
        ]
        if record["file"] in twins:
            lines += [
                f"**Note:** you handed in {len(twins[record['file']]) + 1} files for this "
                "lesson; each was graded on its own.",
                "",
            ]
        if record["status"] != "ok":
            lines += [
                f"**{STATUSES.get(record['status'], record['status'])}.** "
                f"{printable(record.get('details', ''))}",
                "",
            ]
        for number in record.get("unrun", []):
            lines.append(
                f"- Your cell {number} was not graded: move your code into the exercise cell."
            )
        if record.get("unrun"):
            lines.append("")
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
                    lines.append(f"- What is not right yet: {_shown(ex['check_message'])}")
                for name, earned, possible, message in ex.get("parts", []):
                    if earned < possible and message != ex.get("check_message"):
                        lines.append(f"- {name[:1].upper() + name[1:]}: {_shown(message)}")
                if ex.get("hint"):
                    lines.append(f"- Hint: {ex['hint']}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


#: Names that are files of their own on Windows, whatever follows them.
WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{device}{n}" for device in ("com", "lpt") for n in range(10)
}


def _shown(message: str) -> str:
    """A message for the feedback: line breaks kept (indented), other controls escaped."""
    return "\n  ".join(printable(line) for line in str(message).splitlines())


def feedback_name(student: str) -> str:
    """The student's feedback file name: theirs when it is a plain lower-case file name
    (``alice.md``), else the safe form with a hash of the exact name
    (``Bob Smith`` -> ``Bob_Smith-<16 hex>.md``). No two names get the same file, on any
    file system: plain names differ even ignoring case, a hashed name ends in ``-`` and
    16 hex digits and a plain one never does, and two hashed names share a file only if
    SHA-256 collides on 64 bits."""
    plain = re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,79}", student) is not None
    if (
        plain
        and not re.search(r"-[0-9a-f]{16}$", student)
        and student.split(".")[0] not in WINDOWS_DEVICES
        and not student.endswith(".")
    ):
        return f"{student}.md"
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in student)
    cleaned = cleaned.strip("_")[:60] or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{cleaned}-{digest}.md"


def duplicates(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """``{file: [other files]}`` for files of the same student and lesson (each graded,
    none merged)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in records:
        groups.setdefault((r["student"], r["lesson"]), []).append(r["file"])
    return {
        f: [other for other in files if other != f]
        for files in groups.values()
        if len(files) > 1
        for f in files
    }


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
        _write(feedback / feedback_name(student), feedback_text(student, mine))


def summary(records: list[dict[str, Any]], checksums: dict[str, str] | None = None) -> str:
    """The table printed at the end: one row per submission, then one per lesson, the
    isolation, and the checksums of the references and hidden tests used."""
    rows = [("student", "lesson", "points", "status")]
    for r in sorted(records, key=lambda r: (r["lesson"], r["student"], r["file"])):
        rows.append(
            (
                printable(r["student"]),
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
    twins = duplicates(records)
    if twins:
        lines.append("")
        lines.append(
            f"DUPLICATES: {len(twins)} files share a student and a lesson with another; each "
            "was graded on its own (grades.csv's details name them):"
        )
        lines += [f"  {printable(f)}" for f in sorted(twins)]
    unisolated = [r for r in records if not r.get("isolated")]
    lines.append("")
    if unisolated:
        lines.append(
            f"UNISOLATED: {len(unisolated)} of {len(records)} submission(s) were graded "
            "without the sandbox (--no-isolation): their code ran as you, and could read "
            "the answers and change these grades."
        )
    else:
        lines.append("Isolation: every submission ran in its own bubblewrap sandbox.")
    if checksums:
        lines.append("Reference and hidden tests (sha256):")
        lines += [f"  {digest}  {name}" for name, digest in sorted(checksums.items())]
    return "\n".join(lines)
