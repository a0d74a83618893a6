"""The grader against its fixture set: exact points and statuses, feedback, resuming.

The whole set (tests/grading/fixture_set.py, plus the solution and stub notebooks of the
lessons in WHOLE) is graded once per session, two at a time, through the command line.
Every lesson's hidden tests are also checked against the exercises' registry.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import fixture_set
import pytest

from lambdalab import release
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
LIMITS = ["--timeout", "20", "--call-timeout", "2", "--jobs", "2"]


def grade(*arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "lambdalab.grade", *arguments, *COURSE_OPTIONS]
    return subprocess.run(command, capture_output=True, text=True, timeout=1200)


def rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out, newline="", encoding="utf-8") as handle:
        return {
            Path(r["file"]).relative_to(out.parent.parent / "in").as_posix(): r
            for r in csv.DictReader(handle)
        }


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> Path:
    """The fixture set and every lesson's solution and stub notebooks, graded once."""
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
    from lambdalab.checks import load_lesson
    from lambdalab.grading.rubric import load_hidden_tests

    tests = load_hidden_tests([HIDDEN], lesson)
    exercises = load_lesson(lesson)
    assert tests and set(tests) == set(exercises), "hidden tests and exercises differ"
    for exercise_id, (function, points) in tests.items():
        assert points > 0 and callable(function), exercise_id


def test_every_lesson_with_exercises_has_hidden_tests():
    from lambdalab.checks import registry

    lessons = {exercise_id[:2] for exercise_id in registry()}
    assert lessons == {p.stem[-2:] for p in HIDDEN.glob("lesson[0-9][0-9].py")}


def test_csv_has_a_column_per_exercise_and_the_summary_is_printed(graded: Path):
    header = graded.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:3] == ["student", "lesson", "file"]
    assert {"00.1", "99.1", "99.2"} <= set(header)
    assert header[-4:] == ["total", "out_of", "status", "details"]
    printed = (graded.parent.parent / "stdout.txt").read_text()
    assert "mallory-eq" in printed and "99-sample: 4 submissions" in printed


def test_feedback_gives_messages_and_hints_never_tests_or_solutions(graded: Path):
    folder = graded.parent / "grades-feedback"
    bob = (folder / "bob.md").read_text(encoding="utf-8")
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
    names = ["alice_99-sample.ipynb", "bob_99-sample.ipynb"]
    folder = fixture_set.build(tmp_path / "in", names)
    out = tmp_path / "out" / "grades.csv"
    out.parent.mkdir()
    journal = [json.loads(line) for line in graded.with_suffix(".jsonl").read_text().splitlines()]
    alice = next(r for r in journal if r["file"].endswith("alice_99-sample.ipynb"))
    alice["key"] = alice["key"].replace(str(graded.parent.parent / "in"), str(folder))
    alice["file"] = str(folder / "alice_99-sample.ipynb")
    # alice was recorded, bob's line was cut short by the kill
    out.with_suffix(".jsonl").write_text(json.dumps(alice) + '\n{"key": "/tmp/bo')

    result = grade(str(folder), "--out", str(out), *LIMITS)

    assert result.returncode == 0, result.stderr
    assert "[1/2] alice 99-sample 4/4 ok (already graded)" in result.stderr
    assert "bob 99-sample 3/4 ok" in result.stderr and result.stderr.count("already") == 1
    table = {r["student"]: r["total"] for r in csv.DictReader(open(out, encoding="utf-8"))}
    assert table == {"alice": "4", "bob": "3"}


def test_the_whole_submission_has_a_time_limit(tmp_path: Path):
    folder = fixture_set.build(tmp_path / "in", ["carol_99-sample.ipynb"])
    out = tmp_path / "grades.csv"
    result = grade(str(folder), "--out", str(out), "--time-limit", "4", "--timeout", "20")
    assert result.returncode == 0, result.stderr
    row = next(csv.DictReader(open(out, encoding="utf-8")))
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
