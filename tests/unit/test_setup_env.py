"""`make lab` and `make test` start with tools/setup_env.py: its refusals name the fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "setup_env.py"


def run(venv: Path, python: str = sys.executable) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMBDALAB_VENV": str(venv)}
    return subprocess.run([python, str(SCRIPT)], capture_output=True, text=True, env=env)


def test_a_broken_venv_gets_one_message_naming_the_fix(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text("#!/bin/sh\nexit 1\n")
    python.chmod(0o755)
    result = run(venv)
    assert result.returncode == 1
    assert "is broken" in result.stderr
    assert "rm -rf venv && make lab" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_venv_without_python_is_broken_too(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    result = run(venv)
    assert result.returncode == 1 and "is broken" in result.stderr


def test_an_up_to_date_venv_installs_nothing(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import setup_env

        digest = setup_env.inputs_digest()
    finally:
        sys.path.pop(0)
    (venv / ".installed").write_text(digest + "\n")
    result = run(venv)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


def test_an_unsupported_python_is_refused(tmp_path):
    fake = tmp_path / "python"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import runpy, sys\n"
        "sys.version_info = (3, 9, 0, 'final', 0)\n"
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
    )
    fake.chmod(0o755)
    result = run(tmp_path / "venv", python=str(fake))
    assert result.returncode == 1
    assert "needs Python 3.11, 3.12 or 3.13" in result.stderr
