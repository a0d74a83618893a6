"""Lesson 05 walked with typical wrong answers (tests/mistakes/cases_05.py)."""

import cases_05 as cases
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
