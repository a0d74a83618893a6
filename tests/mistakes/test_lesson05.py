"""Lesson 05 walked with typical wrong answers (tests/mistakes/cases_05.py)."""

import cases_05 as cases
import mistakes_runner as runner


class TestLesson05(runner.LessonTests):
    cases = cases
