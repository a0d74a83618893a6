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
