"""Lambda Lab: learn AWS Lambda by doing, against an offline AWS.

What a lesson uses by name lives here; the rest of the kit is in three folders, one per
role, each importing only from the ones below it:

- ``lambdalab/grading/``: the instructors' grader (``python -m lambdalab.grading``);
- ``lambdalab/course/``: the lessons' checks, progress, the release of student notebooks;
- ``lambdalab/sandbox/``: the offline AWS, which imitates AWS and knows nothing of the
  course.

``lambdalab.pricing``, ``lambdalab.calculator`` and ``lambdalab.packaging`` are the
learner's own tools. docs/architecture.md draws the map.

Example
-------
>>> import lambdalab
>>> sb = lambdalab.sandbox()          # doctest: +SKIP
>>> from lambdalab import check
>>> check("00.1", None).passed
False
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Names a lesson imports from ``lambdalab`` and the module that defines each. They are
#: imported on first use (PEP 562), so ``import lambdalab`` stays instant.
_LAZY = {
    "check": "lambdalab.course.checks",
    "SandboxStuck": "lambdalab.sandbox.failures",
    "Failure": "lambdalab.sandbox.failures",
}


def progress():
    """Your progress through the course, lesson by lesson (see lambdalab.course.progress).

    Example
    -------
    >>> lambdalab.progress()  # doctest: +SKIP
    Lesson 00 Start here: 1 of 1 done
      ✓ 00.1  Your first handler-shaped function   done
    """
    from lambdalab.course import checks, progress

    return progress.show(checks.registry().values())


def check_environment() -> str:
    """Check this kernel is the course's, up to date (see lambdalab.course.setup_check)."""
    from lambdalab.course.setup_check import check_environment as check

    return check(__version__)


def __getattr__(name: str):
    """``lambdalab.sandbox``, ``lambdalab.check`` and friends, imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in ("sandbox", "pricing", "calculator", "packaging"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
