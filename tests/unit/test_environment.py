"""Every lesson's first cell: a wrong or stale environment is named, with the fix."""

from __future__ import annotations

import pytest

from lambdalab import environment


def test_this_environment_is_the_course_one():
    assert "ready" in environment.check_environment()


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
        environment.check_environment()


def test_a_missing_package_is_named(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("surely-not-installed-anywhere==1.0\n")
    assert environment.problems(requirements) == [
        "surely-not-installed-anywhere is not installed (the course pins "
        "surely-not-installed-anywhere==1.0)"
    ]
