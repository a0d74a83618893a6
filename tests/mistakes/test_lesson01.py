"""Lesson 01 walked with typical wrong answers (tests/mistakes/cases_01.py)."""

import cases_01 as cases
import mistakes_runner as runner


class TestLesson01(runner.LessonTests):
    cases = cases
