"""The grader against its fixture set: exact points and statuses, feedback, resuming.

The whole set (tests/grading/fixture_set.py, with its attacks, plus the solution and stub
notebooks of the lessons in WHOLE) is graded once per session, two at a time, through the
command line, under isolation; after the batch, no other row, feedback file or journal
line changed, the kit and hidden tests are as they were and no process is left. Where
bubblewrap cannot run, these tests are skipped with the reason (in CI, where CI=true,
they fail instead). Every lesson's hidden tests are also checked against the registry.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import fixture_set
import psutil
import pytest

from lambdalab.course import release
from lambdalab.grading import isolation
from lambdalab.grading.batch import MAXIMUM_ROW, feedback_name
from lambdalab.grading.submissions import SubmissionError, compile_pattern, identify

REPO = fixture_set.REPO
HIDDEN = REPO / "tests" / "grading"
#: Lessons graded whole here (solution: full marks, stub: none). Every lesson has hidden
#: tests; grading all of them whole would make `make grading` too slow, so these are a
#: quick one (00), one with deployed functions (01), one with triggers (02) and one with
#: data and functions only (05). The others' hidden tests are checked against the registry
#: below, and their checks are run by `make notebooks`.
WHOLE = {"00", "01", "02", "05"}
LESSONS = sorted(
    p
    for p in (REPO / "solutions").glob("*.ipynb")
    if release.LESSON_FILE.match(p.name) and p.name[:2] in WHOLE
)
COURSE_OPTIONS = [
    "--solutions", str(REPO / "solutions"),
    "--solutions", str(fixture_set.COURSE / "solutions"),
    "--hidden", str(HIDDEN),
    "--hidden", str(fixture_set.COURSE / "grading"),
]  # fmt: skip
LIMITS = ["--timeout", "20", "--call-timeout", "2", "--jobs", "2", "--scratch", "128"]
#: Why isolation cannot run here (None: it can).
NO_ISOLATION = isolation.problem()
#: The grader's environment holds what a kernel must never see.
GRADER_ENV = dict(os.environ, SSH_AUTH_SOCK="/tmp/ssh-agent.sock")
GRADER_ENV[fixture_set.SECRET[0]] = fixture_set.SECRET[1]
#: The batch process of each grade() call, for the checks of what it leaves behind.
BATCH_PIDS: list[int] = []


def needs_isolation() -> None:
    """Skip loudly where bubblewrap cannot run; in CI (CI=true), fail instead."""
    if NO_ISOLATION:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must grade under isolation: {NO_ISOLATION}")
        warnings.warn(f"grading tests SKIPPED, no isolation: {NO_ISOLATION}", stacklevel=2)
        pytest.skip(f"no isolation here: {NO_ISOLATION}")


def grade(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "lambdalab.grading", *arguments, *COURSE_OPTIONS]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or GRADER_ENV,
    ) as process:
        BATCH_PIDS.append(process.pid)
        stdout, stderr = process.communicate(timeout=1800)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out, newline="", encoding="utf-8") as handle:
        return {r["file"]: r for r in csv.DictReader(handle) if r["student"] != MAXIMUM_ROW}


def fingerprint() -> dict[str, str]:
    """The hash of every file of the kit and of the hidden tests (what tampering targets)."""
    files = [*(REPO / "lambdalab").rglob("*"), *HIDDEN.rglob("*"), Path(sys.executable)]
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="session")
def before() -> dict[str, str]:
    return fingerprint()


@pytest.fixture(scope="session")
def graded(tmp_path_factory, before) -> Path:
    """The fixture set and every lesson's solution and stub notebooks, graded once."""
    needs_isolation()
    base = tmp_path_factory.mktemp("grading")
    folder = fixture_set.build(base / "in")
    for lesson in LESSONS:
        solution, student = release.build_pair(lesson, [lesson.stem])
        (folder / f"solved_{lesson.name}").write_text(release.to_text(solution))
        (folder / f"stub_{lesson.name}").write_text(release.to_text(student))
    out = base / "out" / "grades.csv"
    result = grade(str(folder), "--out", str(out), *LIMITS)
    assert result.returncode == 0, result.stderr
    (base / "stdout.txt").write_text(result.stdout)
    return out


@pytest.mark.parametrize("name", list(fixture_set.SUBMISSIONS))
def test_fixture_submission_gets_its_exact_points_and_status(graded: Path, name: str):
    points, status = fixture_set.SUBMISSIONS[name][2]
    row = rows(graded)[name]
    assert (row["status"], {k: float(row[k]) for k in points}) == (
        status,
        {k: float(v) for k, v in points.items()},
    ), row["details"]
    assert float(row["total"]) == sum(points.values())
    assert row["isolation"] == "isolated"


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_every_lesson_solution_gets_full_points_and_its_stub_none(graded: Path, lesson: str):
    table = rows(graded)
    solved, stub = table[f"solved_{lesson}"], table[f"stub_{lesson}"]
    assert solved["status"] == "ok", solved["details"]
    assert float(solved["total"]) == float(solved["out_of"]) > 0
    assert stub["status"] == "ok", stub["details"]
    assert float(stub["total"]) == 0


@pytest.mark.parametrize("lesson", sorted(p.stem[-2:] for p in HIDDEN.glob("lesson[0-9][0-9].py")))
def test_hidden_tests_cover_each_exercise_of_their_lesson(lesson: str):
    from lambdalab.course.checks import load_lesson
    from lambdalab.grading.rubric import load_hidden_tests

    tests = load_hidden_tests([HIDDEN], lesson)
    exercises = load_lesson(lesson)
    assert tests and set(tests) == set(exercises), "hidden tests and exercises differ"
    for exercise_id, (function, points) in tests.items():
        assert points > 0 and callable(function), exercise_id


def test_every_lesson_with_exercises_has_hidden_tests():
    from lambdalab.course.checks import registry

    lessons = {exercise_id[:2] for exercise_id in registry()}
    assert lessons == {p.stem[-2:] for p in HIDDEN.glob("lesson[0-9][0-9].py")}


def test_csv_has_a_column_per_exercise_and_the_summary_is_printed(graded: Path):
    lines = list(csv.reader(graded.read_text(encoding="utf-8").splitlines()))
    header, maximum = lines[0], dict(zip(lines[0], lines[1], strict=True))
    assert header[:3] == ["student", "lesson", "file"]
    assert {"00.1", "99.1", "99.2"} <= set(header)
    assert header[-5:] == ["total", "out_of", "status", "details", "isolation"]
    assert maximum["student"] == MAXIMUM_ROW
    assert (maximum["00.1"], maximum["99.1"], maximum["99.2"]) == ("5", "1", "3")
    assert rows(graded)["nina_00-start-here.ipynb"]["out_of"] == "5"  # unreadable, still of 5
    assert "oscar/00-start-here (1).ipynb" in rows(graded)  # relative to the folder graded
    printed = (graded.parent.parent / "stdout.txt").read_text()
    assert "mallory-eq" in printed and "99-sample: 5 submissions" in printed
    assert "Isolation: every submission ran in its own bubblewrap sandbox" in printed
    sources = [
        fixture_set.LESSON00,
        HIDDEN / "lesson00.py",
        fixture_set.LESSON99,
        fixture_set.COURSE / "grading" / "lesson99.py",
    ]
    for path in sources:  # read once, before any student code ran; the summary says so
        assert f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}" in printed


def test_feedback_gives_messages_and_hints_never_tests_or_solutions(graded: Path):
    folder = graded.parent / "grades-feedback"
    bob = (folder / feedback_name("bob")).read_text(encoding="utf-8")
    assert "Exercise 00.1" in bob and "✗ not yet (2 of 5 points)" in bob
    assert "Hint: Read the name from the event dict" in bob
    assert "Exercise 99.2" in bob and "calling parse_size with '10240 mb' raised" in bob
    secrets = [
        "### BEGIN SOLUTION",
        "rubric",
        "hidden_test",
        "def first_handler",
        'return {"greeting": f"Hello, {event[\'name\']}!"}',
        "1769",
    ]
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path.name


def test_a_second_run_grades_nothing_again(graded: Path):
    journal = graded.with_suffix(".jsonl")
    before = journal.read_text(encoding="utf-8")
    result = grade(str(graded.parent.parent / "in"), "--out", str(graded), *LIMITS)
    assert result.returncode == 0, result.stderr
    assert journal.read_text(encoding="utf-8") == before
    assert "already graded" in result.stderr


def test_a_killed_run_continues_where_it_stopped(graded: Path, tmp_path: Path):
    needs_isolation()
    names = ["alice_99-sample.ipynb", "bob_99-sample.ipynb"]
    folder = fixture_set.build(tmp_path / "in", names)
    out = tmp_path / "out" / "grades.csv"
    out.parent.mkdir()
    journal = [json.loads(line) for line in graded.with_suffix(".jsonl").read_text().splitlines()]
    alice = next(r for r in journal if r.get("file") == "alice_99-sample.ipynb")
    alice["key"] = alice["key"].replace(str(graded.parent.parent / "in"), str(folder))
    # alice was recorded, bob's line was cut short by the kill
    out.with_suffix(".jsonl").write_text(json.dumps(alice) + '\n{"key": "/tmp/bo')

    result = grade(str(folder), "--out", str(out), *LIMITS)

    assert result.returncode == 0, result.stderr
    assert "[1/2] alice 99-sample 4/4 ok (already graded)" in result.stderr
    assert "bob 99-sample 3/4 ok" in result.stderr and result.stderr.count("already") == 1
    table = {r["student"]: r["total"] for r in rows(out).values()}
    assert table == {"alice": "4", "bob": "3"}


def test_the_whole_submission_has_a_time_limit(tmp_path: Path):
    needs_isolation()
    folder = fixture_set.build(tmp_path / "in", ["carol_99-sample.ipynb"])
    out = tmp_path / "grades.csv"
    result = grade(str(folder), "--out", str(out), "--time-limit", "4", "--timeout", "20")
    assert result.returncode == 0, result.stderr
    row = rows(out)["carol_99-sample.ipynb"]
    assert (row["status"], row["total"]) == ("time-limit", "0")


def test_command_line_errors_name_the_fix(tmp_path: Path):
    missing = grade(str(tmp_path / "nope"), "--out", str(tmp_path / "g.csv"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    empty = grade(str(tmp_path), "--out", str(tmp_path / "g.csv"))
    assert empty.returncode == 2
    assert f"no notebooks found in {tmp_path}: pass .ipynb files or folders" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr


@pytest.mark.parametrize(
    ("path", "student", "lesson"),
    [
        ("hand-ins/alice_04-image-resizer.ipynb", "alice", "04"),
        ("hand-ins/alice/04-image-resizer.ipynb", "alice", "04"),
        ("hand-ins/alice/04-image-resizer (1).ipynb", "alice", "04"),
        ("Bob Smith - 02-triggers (3).ipynb", "Bob Smith", "02"),
        ("carol/lesson 05.ipynb", "carol", "05"),
        ("dave/notes.ipynb", "dave", None),
    ],
)
def test_student_and_lesson_come_from_the_path(path: str, student: str, lesson: str | None):
    found = identify(Path(path))
    assert (found.student, found.lesson) == (student, lesson)


def test_a_pattern_reads_other_layouts():
    pattern = compile_pattern(r"(?P<student>[^/]+)/submitted/lesson(?P<lesson>\d\d)")
    found = identify(Path("class/erin/submitted/lesson04.ipynb"), pattern)
    assert (found.student, found.lesson) == ("erin", "04")
    nbgrader = compile_pattern(r"(?P<student>[^/]+)/(?P<lesson>\d\d)-[^/]+/")
    found = identify(Path("nbgrader/submitted/alice/00-start-here/00-start-here.ipynb"), nbgrader)
    assert (found.student, found.lesson) == ("alice", "00")
    with pytest.raises(SubmissionError, match="named group for the lesson"):
        compile_pattern(r"(?P<student>\w+)")


# --------------------------------------------------------------------------------------
# After the batch: every attack gained nothing, and nothing else changed
# --------------------------------------------------------------------------------------


def test_journal_holds_one_line_per_submission_each_its_own(graded: Path):
    lines = [json.loads(x) for x in graded.with_suffix(".jsonl").read_text().splitlines()]
    results = [x for x in lines if "started" not in x]
    started = [x["started"] for x in lines if "started" in x]
    folder = graded.parent.parent / "in"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.ipynb"))
    assert sorted(r["file"] for r in results) == names  # one each, none forged or repeated
    for record in results:
        path = folder / record["file"]
        assert record["key"].startswith(f"{path.resolve()}#")
        assert record["student"] == identify(path).student
        assert set(record) <= {
            "key", "file", "student", "lesson", "isolated", "status", "details",
            "exercises", "points", "out_of", "seconds", "unrun",
        }  # fmt: skip
    assert sorted(started) == sorted(r["key"] for r in results)  # each began once, ended once


def test_each_student_has_one_feedback_file_with_only_their_own_work(graded: Path):
    folder = graded.parent / "grades-feedback"
    table = rows(graded)
    students = {r["student"] for r in table.values()}
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(map(feedback_name, students))
    for student in students:
        text = (folder / feedback_name(student)).read_text(encoding="utf-8")
        assert text.startswith(f"# Lambda Lab feedback for {student}\n")
        shown = {
            line[len("File: `") : -1] for line in text.splitlines() if line.startswith("File:")
        }
        assert shown == {Path(f).name for f, r in table.items() if r["student"] == student}
    smith = (folder / feedback_name("Bob Smith")).read_text(encoding="utf-8")
    assert "✓ passed (5 of 5 points)" in smith
    assert feedback_name("Bob Smith") != feedback_name("Bob_Smith")


def test_code_in_an_added_cell_is_named_in_the_feedback(graded: Path):
    cells = fixture_set.student_cells(fixture_set.LESSON00)
    fixture_set.insert_after("def handler", fixture_set.HANDLER_OK)(cells)
    number = 1 + next(i for i, c in enumerate(cells) if c.get("id") == "added-by-student")
    paul = (graded.parent / "grades-feedback" / feedback_name("paul")).read_text(encoding="utf-8")
    assert f"Your cell {number} was not graded: move your code into the exercise cell." in paul
    olivia = (graded.parent / "grades-feedback" / feedback_name("olivia")).read_text()
    assert "was not graded" not in olivia  # the merged cell was the exercise cell


def test_attacks_changed_no_file_of_the_kit_or_the_hidden_tests(graded: Path, before):
    after = fingerprint()
    assert {k for k in before if before[k] != after.get(k)} == set()
    assert not [p for p in REPO.rglob("planted.py")]


def test_no_process_of_a_submission_is_left(graded: Path):
    left = []
    for process in psutil.process_iter(["cmdline", "uids"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if fixture_set.MARKER in cmdline:
            left.append(cmdline)
        uid = process.info["uids"].real if process.info["uids"] else 0
        low, high = isolation.UID_RANGE  # the user ids the batch gives its kernels (as root)
        if low <= uid < high:
            left.append(f"{uid}: {cmdline}")
    assert left == []


def test_a_file_that_stopped_the_grader_twice_is_not_graded_again(tmp_path: Path):
    needs_isolation()
    names = ["alice_99-sample.ipynb", "bob_99-sample.ipynb", "carol_99-sample.ipynb"]
    folder = fixture_set.build(tmp_path / "in", names)
    out = tmp_path / "out" / "grades.csv"
    out.parent.mkdir()
    from lambdalab.grading.batch import submission_key

    key = {n: submission_key(identify(folder / n)) for n in names}
    # carol's file was in progress at two deaths of the grader; bob's at one
    started = [{"started": key["carol_99-sample.ipynb"]}] * 2 + [
        {"started": key["bob_99-sample.ipynb"]}
    ]
    out.with_suffix(".jsonl").write_text("".join(json.dumps(x) + "\n" for x in started))

    result = grade(str(folder), "--out", str(out), *LIMITS)

    assert result.returncode == 0, result.stderr
    table = rows(out)
    assert (table["carol_99-sample.ipynb"]["status"], table["carol_99-sample.ipynb"]["total"]) == (
        "grader-killed",
        "0",
    )
    assert (table["bob_99-sample.ipynb"]["total"], table["alice_99-sample.ipynb"]["total"]) == (
        "3",
        "4",
    )
    order = [line.split("] ")[1].split()[0] for line in result.stderr.splitlines() if "] " in line]
    assert order[:2] == ["carol", "bob"]  # recorded at once, then the suspect, alone, first


def test_without_isolation_every_row_and_the_summary_say_so(tmp_path: Path):
    folder = fixture_set.build(tmp_path / "in", ["alice_99-sample.ipynb"])
    out = tmp_path / "grades.csv"
    result = grade(str(folder), "--out", str(out), "--no-isolation", *LIMITS)
    assert result.returncode == 0, result.stderr
    row = rows(out)["alice_99-sample.ipynb"]
    assert (row["total"], row["isolation"]) == ("4", "UNISOLATED")
    assert "UNISOLATED: 1 of 1 submission(s)" in result.stdout
    assert "--no-isolation" in result.stderr


def test_the_grader_refuses_without_isolation_and_names_the_fix(tmp_path: Path):
    folder = fixture_set.build(tmp_path / "in", ["alice_99-sample.ipynb"])
    env = dict(GRADER_ENV, PATH=str(Path(sys.executable).parent))  # no bwrap on PATH
    result = grade(str(folder), "--out", str(tmp_path / "g.csv"), env=env)
    assert result.returncode == 2
    assert "apt-get install bubblewrap" in result.stderr and "--no-isolation" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "g.csv").exists()
