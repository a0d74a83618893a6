"""Every lesson's first cell: a wrong or stale environment is named, with the fix."""

from __future__ import annotations

import pytest

import lambdalab
from lambdalab.course import setup_check as environment


def test_this_environment_is_the_course_one():
    assert lambdalab.check_environment().endswith(
        f"lambdalab {lambdalab.__version__}: the course environment is ready."
    )


def test_a_stale_pin_is_named_with_the_fix(tmp_path, monkeypatch):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# why\nboto3==0.0.1\n# Linux only\nnothing-here==1.0; sys_platform == 'win32'\n"
    )
    monkeypatch.setattr(environment, "REQUIREMENTS", requirements)
    found = environment.problems(requirements)
    assert found == [f"boto3 is {__import__('boto3').__version__}, the course pins 0.0.1"]
    monkeypatch.setattr(environment, "problems", lambda: found)
    with pytest.raises(environment.EnvironmentProblem, match="run `make lab`"):
        environment.check_environment("0.1.0")


def test_a_missing_package_is_named(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("surely-not-installed-anywhere==1.0\n")
    assert environment.problems(requirements) == [
        "surely-not-installed-anywhere is not installed (the course pins "
        "surely-not-installed-anywhere==1.0)"
    ]
