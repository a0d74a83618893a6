"""Lesson 07 walked with typical wrong answers (tests/mistakes/cases_07.py)."""

import cases_07 as cases
import mistakes_runner as runner


class TestLesson07(runner.LessonTests):
    cases = cases


def test_the_daily_runs_cell_reads_well_with_a_failing_report():
    """Issue 14: with 7.4 failing (a Decimal given to json.dumps) the cell that lets days
    pass (then a month) ran past 600 s; it must end, and say which error the function
    raised."""
    run = runner.demo_after_wrong_answer(
        cases, "07.4", cases.MISTAKES["07.4"][0].name, "runs = sb.clock.advance(days="
    )
    assert run.ok, f"{run.error}\n{run.text}"
    assert "not JSON serializable" in run.text, run.text
