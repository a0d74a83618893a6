"""``from lambdalab.checks import check`` still works: lessons now ``from lambdalab import check``.

Kept for notebooks written before the layout by role (a learner's own copy of a lesson
keeps its first cell). The checks live in ``lambdalab/course/checks/``.
"""

from __future__ import annotations

from lambdalab.course.checks import *  # noqa: F403
from lambdalab.course.checks import __all__  # noqa: F401
