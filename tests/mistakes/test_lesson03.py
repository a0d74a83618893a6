"""Lesson 03 walked with typical wrong answers (tests/mistakes/cases_03.py)."""

import cases_03 as cases
import mistakes_runner as runner


def test_every_exercise_has_mistakes():
    assert runner.missing_cases(cases.NOTEBOOK, cases.MISTAKES) == []


def test_wrong_answers_are_named_and_the_lesson_recovers():
    steps = runner.run_lesson(cases.NOTEBOOK, cases.MISTAKES)
    problems = runner.lesson_problems(steps)
    assert not problems, "\n\n".join(problems)


def test_run_all_twice_in_one_kernel_gives_the_same_lesson():
    twice = runner.run_twice(cases.NOTEBOOK)
    problems = twice.problems(getattr(cases, "VARYING", {}))
    assert not problems, "\n\n".join(problems)


def test_the_missing_dependency_demo_fails_again_after_the_layer_is_attached():
    """Issue 14: run twice, the feed-reader demo stopped with KeyError 'errorType', the layer
    attached later in the lesson still being there."""
    demo = runner.cell_holding(cases.NOTEBOOK, 'print("in the kernel:", xmltodict.__file__)')
    layer = runner.cell_holding(cases.NOTEBOOK, "Layers=[layer_arn])\nprint(")
    runs = runner.rerun(cases.NOTEBOOK, layer, [demo, layer, demo])
    for index, run in runs:
        assert run.ok, f"cell {index}: {run.error}\n{run.text}"
    assert "No module named 'xmltodict'" in runs[-1][1].text
