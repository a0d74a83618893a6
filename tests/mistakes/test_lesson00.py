"""Lesson 00 walked with typical wrong answers (tests/mistakes/cases_00.py)."""

import cases_00 as cases
import mistakes_runner as runner


class TestLesson00(runner.LessonTests):
    cases = cases
