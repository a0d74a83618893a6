"""What the lessons write (functions/, build/, checkpoints) never reaches pytest or ruff.

Lesson 03 writes ``functions/shipping/tests/test_rates.py`` next to the notebooks; a second
`make test` used to collect it. pyproject.toml says so for both tools; these tests copy it
into a folder laid out like the course, with by-products that would fail, and run them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).parent / "ruff"
BROKEN = "import os\ndef test_broken(:\n"  # a syntax error: fails collection and lint


def course_with_by_products(root: Path) -> Path:
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    lessons = root / "solutions"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1")]
    lessons.mkdir()
    nbformat.write(notebook, lessons / "00-start-here.ipynb")
    for by_product in (
        "functions/shipping/tests/test_rates.py",
        "build/layer/python/test_lib.py",
        ".ipynb_checkpoints/test_old.py",
    ):
        path = lessons / by_product
        path.parent.mkdir(parents=True)
        path.write_text(BROKEN)
    return lessons


def test_pytest_collects_only_the_notebooks(tmp_path: Path):
    lessons = course_with_by_products(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "--nbval-lax", "."],
        cwd=lessons,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "00-start-here.ipynb" in result.stdout
    assert "test_rates" not in result.stdout and "error" not in result.stdout.lower()


def test_ruff_skips_what_the_lessons_write_without_git(tmp_path: Path):
    course_with_by_products(tmp_path)  # no .git here: .gitignore would not apply
    (tmp_path / "mine.py").write_text("import os\n")
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--output-format", "concise", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "mine.py" in result.stdout  # ruff does run here...
    assert "functions" not in result.stdout and "build" not in result.stdout  # ...not there
    assert "checkpoints" not in result.stdout
