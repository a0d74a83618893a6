"""Lesson 02 walked with typical wrong answers (tests/mistakes/cases_02.py)."""

import cases_02 as cases
import mistakes_runner as runner


class TestLesson02(runner.LessonTests):
    cases = cases


def test_the_retry_demo_cells_rerun_alone_in_any_order():
    """Issue 14: the metrics cell re-run alone raised KeyError 'Messages'; the upload cell
    re-run made the metrics cell print "attempt 1: -0.0 minutes"."""
    upload = runner.cell_holding(cases.NOTEBOOK, 'Key="cat.jpg"')
    metrics = runner.cell_holding(cases.NOTEBOOK, 'MetricName="Invocations"')
    runs = runner.rerun(cases.NOTEBOOK, metrics, [metrics, upload, metrics, upload, metrics])
    for index, run in runs:
        assert run.ok, f"cell {index}: {run.error}\n{run.text}"
    for index, run in runs:
        if index == metrics:
            attempts = [line for line in run.text.splitlines() if line.startswith("attempt")]
            assert [line.split(":")[0] for line in attempts] == [
                "attempt 1",
                "attempt 2",
                "attempt 3",
            ]
            assert attempts[0].startswith("attempt 1:  0.0 minutes"), attempts
