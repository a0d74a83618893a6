"""What learners and instructors call by name keeps working, whatever was imported first.

Each case runs in a fresh interpreter: which modules are already imported decides whether
``lambdalab.sandbox`` is the package or its callable, and pytest has imported them all.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize(
    "first",
    [
        "import lambdalab",
        "import lambdalab.sandbox.events",
        "from lambdalab.sandbox import account",
    ],
)
def test_lambdalab_sandbox_is_callable_whatever_was_imported_first(first):
    out = run(
        f"{first}\nimport lambdalab\nfrom lambdalab.sandbox import Sandbox, sandbox\n"
        "print(callable(lambdalab.sandbox), lambdalab.sandbox.sandbox is sandbox, "
        "Sandbox.__module__)"
    )
    assert out == "True True lambdalab.sandbox.account"


def test_importing_lambdalab_or_an_event_shape_does_not_start_moto():
    out = run(
        "import sys, lambdalab, lambdalab.sandbox.events, lambdalab.sandbox.failures\n"
        "print(sorted(m for m in ('moto', 'lambdalab.sandbox.account') "
        "if m in sys.modules))"
    )
    assert out == "[]"


def test_a_lesson_s_names():
    out = run(
        "import lambdalab\n"
        "from lambdalab import check\n"
        "from lambdalab.checks import check as old_check\n"  # notebooks before the layout
        "from lambdalab.sandbox import LogView, events\n"
        "from lambdalab.sandbox.schedules import parse_schedule\n"
        "import lambdalab.course.progress\n"
        "report = lambdalab.progress()\n"
        "print(check is old_check, check('00.1', None).passed, report.lessons[0].title,\n"
        "      lambdalab.pricing.monthly_cost(1, 1, 128).total >= 0,\n"
        "      callable(lambdalab.calculator.calculator),\n"
        "      callable(lambdalab.packaging.vendor),\n"
        "      issubclass(lambdalab.SandboxStuck, TimeoutError))"
    )
    assert out == "True False 00 Start here True True True True"


@pytest.mark.parametrize("module", ["lambdalab.grading", "lambdalab.grade"])
def test_the_grader_s_command_and_its_old_name(module):
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m lambdalab.grading")
