"""Every lesson is in the mistakes suite: wrong answers walked, Run All twice in one kernel.

Each solved lesson NN needs tests/mistakes/cases_NN.py (its wrong answers) and
test_lessonNN.py with a ``runner.LessonTests`` class (which walks them and runs the lesson
twice in one kernel). A new lesson without them fails here, naming the missing file.
"""

import ast
from pathlib import Path

import mistakes_runner as runner

HERE = Path(__file__).parent


def _runs_lesson_tests(test_file: Path) -> bool:
    tree = ast.parse(test_file.read_text())
    return any(
        isinstance(node, ast.ClassDef)
        and any(ast.unparse(base) == "runner.LessonTests" for base in node.bases)
        for node in tree.body
    )


def test_every_lesson_has_its_mistakes_and_twice_run():
    lessons = sorted(path.name[:2] for path in runner.SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
    assert lessons
    missing = [
        f"lesson {n}: {name}"
        for n in lessons
        for name in (f"cases_{n}.py", f"test_lesson{n}.py")
        if not (HERE / name).exists()
    ]
    missing += [
        f"lesson {n}: test_lesson{n}.py has no class based on runner.LessonTests"
        for n in lessons
        if (HERE / f"test_lesson{n}.py").exists()
        and not _runs_lesson_tests(HERE / f"test_lesson{n}.py")
    ]
    assert not missing, "\n".join(missing)


def test_a_mistake_can_reorder_cells_and_edit_files_after_them(tmp_path):
    """The stale-state fields of a Mistake (restart is walked in test_lessonNN.py)."""
    cells = [
        "### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
        "deploy()",
        'print(1)\ncheck("99.1", x)',
    ]
    skipped = runner.Mistake("deploy skipped", expect=[], order=(0, 2), solution="x = 2")
    assert skipped.cells(cells, 0) == ["x = 2\n", cells[2]]
    assert runner.Mistake("as is", expect=[]).cells(cells, 0) == cells
    assert runner.check_lines(cells[2]) == 'check("99.1", x)'
    (tmp_path / "app.py").write_text("return 'Hi'\n")
    edited = runner.Mistake("fixed on disk", expect=[], edit=(("app.py", "Hi", "Hello"),))
    edited.edit_files(tmp_path)
    assert (tmp_path / "app.py").read_text() == "return 'Hello'\n"
    try:
        edited.edit_files(tmp_path)
    except ValueError as error:
        assert "does not hold 'Hi'" in str(error)
    else:
        raise AssertionError("an edit whose text is gone must say so")


def test_every_stale_case_names_a_known_exercise():
    """cases_NN_stale.py: each lesson's stale cases are merged into its walk."""
    import importlib

    for path in sorted(HERE.glob("cases_[0-9][0-9]_stale.py")):
        lesson = path.name[6:8]
        theme = importlib.import_module(path.stem)
        notebook = next(runner.SOLUTIONS.glob(f"{lesson}-*.ipynb")).name
        ids = {ex.id for ex in runner.exercises(notebook).values()}
        assert set(theme.MISTAKES) <= ids, f"{path.name}: {set(theme.MISTAKES) - ids}"
