"""Lesson 06 walked with typical wrong answers (tests/mistakes/cases_06.py)."""

import cases_06 as cases
import mistakes_runner as runner


class TestLesson06(runner.LessonTests):
    cases = cases
