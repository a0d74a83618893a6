"""Lesson 03 walked with typical wrong answers (tests/mistakes/cases_03.py)."""

import cases_03 as cases
import mistakes_runner as runner


class TestLesson03(runner.LessonTests):
    cases = cases


def test_the_missing_dependency_demo_fails_again_after_the_layer_is_attached():
    """Issue 14: run twice, the feed-reader demo stopped with KeyError 'errorType', the layer
    attached later in the lesson still being there."""
    demo = runner.cell_holding(cases.NOTEBOOK, 'print("in the kernel:", xmltodict.__file__)')
    layer = runner.cell_holding(cases.NOTEBOOK, "Layers=[layer_arn])\nprint(")
    runs = runner.rerun(cases.NOTEBOOK, layer, [demo, layer, demo])
    for index, run in runs:
        assert run.ok, f"cell {index}: {run.error}\n{run.text}"
    assert "No module named 'xmltodict'" in runs[-1][1].text
