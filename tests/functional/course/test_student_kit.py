"""The student kit as its own product: what `make student-bundle` writes, and its `make check`.

The kit is built as a folder, lesson 00 is run in it by `make check` (unsolved: it passes
and says "not yet"), an exercise is solved with the answer from solutions/, and `make check`
passes again and reports it done. The kit's own .venv is not built here (minutes): `make`
runs with this checkout's .venv (``-o setup``) and PYTHONPATH on the kit, so the kit's own
lambdalab is the one imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from lambdalab.course import release
from lambdalab.course.selfcheck import main as selfcheck

REPO = Path(__file__).resolve().parents[3]
VENV = Path(sys.executable).parent.parent


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("published") / "lambda-lab-students"
    zipped = folder.parent / "kit.zip"
    assert (
        release.main(
            ["--root", str(REPO), "--bundle", str(zipped), "--folder", str(folder)]
            + ["--binder-repo", "acme/lambda-lab-students"]
        )
        == 0
    )
    names = {name.removeprefix("lambda-lab/") for name in zipfile.ZipFile(zipped).namelist()}
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert names == written
    return folder


def test_the_kit_has_no_instructor_parts(kit: Path):
    for gone in ("solutions", "tests", "docs", "bench", ".ci", "lambdalab/grading"):
        assert not (kit / gone).exists(), gone
    for gone in (
        "requirements-dev.txt",
        "lambdalab/grade.py",
        "lambdalab/grading/__main__.py",
        "tools/binder_env.py",
    ):
        assert not (kit / gone).exists(), gone
    readme = (kit / "README.md").read_text()
    assert "For instructors" not in readme and "solutions/" not in readme
    assert "instructor-guide" not in readme and "grading" not in readme
    assert "mybinder.org/v2/gh/acme/lambda-lab-students/HEAD" in readme
    assert "## Course map" in readme  # every lesson's navigation links to it
    assert "make check" in (kit / "Makefile").read_text()
    assert "lambdalab-grade" not in (kit / "pyproject.toml").read_text()
    assert (kit / "binder" / "postBuild").stat().st_mode & 0o111


def test_the_folder_is_refused_when_it_holds_something_else(tmp_path: Path, capsys):
    (tmp_path / "mine.txt").write_text("keep me\n")
    code = release.main(
        ["--root", str(REPO), "--bundle", str(tmp_path / "k.zip"), "--folder", str(tmp_path)]
    )
    assert code == 2 and "not empty and not a git repository" in capsys.readouterr().err
    assert (tmp_path / "mine.txt").read_text() == "keep me\n"


def make_check(kit: Path, *lessons: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(kit)}
    env.pop("LAMBDALAB_CHECKS", None)
    return subprocess.run(
        ["make", "-s", "-o", "setup", "check", f"VENV={VENV}", f"LESSONS={' '.join(lessons)}"],
        cwd=kit,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_check_reports_progress_and_passes_once_an_exercise_is_solved(kit: Path):
    before = make_check(kit, "00")
    assert before.returncode == 0, before.stdout + before.stderr
    assert "00 Start here: 0 of 1 exercises pass" in before.stdout
    assert "00.1" in before.stdout and "not yet" in before.stdout
    assert (kit / "notebooks" / "functions").is_dir()  # the lesson ran and wrote its files

    # The learner solves exercise 00.1 (the solution cell from solutions/).
    path = kit / "notebooks" / "00-start-here.ipynb"
    student = nbformat.read(path, as_version=4)
    solved = {c.id: c.source for c in nbformat.read(REPO / "solutions" / path.name, 4).cells}
    for cell in student.cells:
        if "# YOUR CODE HERE" in cell.source:
            cell.source = solved[cell.id]
    nbformat.write(student, path)

    after = make_check(kit, "00")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "00 Start here: 1 of 1 exercises pass" in after.stdout
    assert "✓ 00.1" in after.stdout
    assert nbformat.read(path, as_version=4).cells[-2].get("outputs", []) == []  # not saved


def test_a_cell_that_raises_fails_the_check_naming_lesson_and_cell(tmp_path: Path, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A lesson"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('half-written answer')"),
    ]
    nbformat.write(notebook, tmp_path / "99-broken.ipynb")

    assert selfcheck(["--folder", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "99-broken.ipynb, cell 3: ValueError: half-written answer" in out
    assert "stopped at an error" in err


def test_the_kit_readme_maps_every_lesson(kit: Path):
    readme = (kit / "README.md").read_text()
    for stem, title, _minutes in release.LESSONS:
        assert f"[{stem[:2]} {title}](notebooks/{stem}.ipynb)" in readme, stem
        assert (kit / "notebooks" / f"{stem}.ipynb").exists(), stem
