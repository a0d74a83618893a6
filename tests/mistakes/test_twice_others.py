"""Run All twice in one kernel, for the lessons whose test_lessonNN.py does not do it.

Every solved lesson runs twice in one kernel with LAMBDALAB_CHECKS=must-pass (this is the
solutions' must-pass test of ``make test``), then its exercises once more, last first.
Lessons with a tests/mistakes/test_lessonNN.py run it there, beside their mistakes; this
file covers the rest, so that no lesson is left out.
"""

from pathlib import Path

import mistakes_runner as runner
import pytest

HERE = Path(__file__).parent


def _covered_elsewhere(notebook: str) -> bool:
    test = HERE / f"test_lesson{notebook[:2]}.py"
    return test.exists() and "run_twice" in test.read_text()


OTHERS = sorted(
    path.name
    for path in runner.SOLUTIONS.glob("[0-9][0-9]-*.ipynb")
    if not _covered_elsewhere(path.name)
)


@pytest.mark.skipif(not OTHERS, reason="every lesson's test_lessonNN.py runs it twice")
@pytest.mark.parametrize("notebook", OTHERS or ["-"])
def test_run_all_twice_in_one_kernel(notebook):
    twice = runner.run_twice(notebook)
    problems = twice.problems()
    assert not problems, "\n\n".join(problems)


def test_every_lesson_runs_twice_somewhere():
    lessons = sorted(path.name for path in runner.SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
    assert lessons and set(lessons) == {n for n in lessons if _covered_elsewhere(n)} | set(OTHERS)
