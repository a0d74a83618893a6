"""Lesson 04 walked with typical wrong answers (tests/mistakes/cases_04.py)."""

import cases_04 as cases
import mistakes_runner as runner


class TestLesson04(runner.LessonTests):
    cases = cases


def test_the_gallery_cell_names_a_loop_left_in_the_resizer():
    """Issue 14: with 4.5's loop left in, the gallery cell raised a raw TimeoutError (61 s)."""
    run = runner.demo_after_wrong_answer(
        cases, "04.5", cases.MISTAKES["04.5"][0].name, "gallery = ["
    )
    assert run.ok, f"{run.error}\n{run.text}"
    assert "writes into lesson04-uploads" in run.text, run.text
    assert "Recovered resizer" in run.text, run.text
