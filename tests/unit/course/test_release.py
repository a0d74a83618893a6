"""lambdalab.course.release: solution blocks become stubs, notebooks are rebuilt byte-for-byte."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest

from lambdalab.course import release
from lambdalab.course.release import (
    SolutionMarkerError,
    main,
    strip_markdown_solutions,
    strip_solutions,
)

REPO = Path(__file__).resolve().parents[3]

HANDLER = """\
def handler(event, context):
    ### BEGIN SOLUTION
    return {"ok": True}
    ### END SOLUTION"""


def write_lesson(root: Path, stem: str, *sources: str, markdown: str = "# Title") -> Path:
    """A small solution notebook: one markdown cell, then one code cell per source."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(markdown)]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.cells[-1].outputs = [nbformat.v4.new_output("stream", text="left over\n")]
    notebook.cells[-1].execution_count = 7
    notebook.metadata["widgets"] = {"noise": True}
    path = root / "solutions" / f"{stem}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def course(tmp_path: Path) -> Path:
    write_lesson(tmp_path, "00-start-here", HANDLER)
    write_lesson(
        tmp_path,
        "02-triggers",
        "### STUB: answer = None\n### BEGIN SOLUTION\nanswer = 2\n### END SOLUTION",
    )
    return tmp_path


# --- strip_solutions ----------------------------------------------------------------------


def test_indented_block_becomes_pass_at_its_indentation():
    assert strip_solutions(HANDLER) == (
        "def handler(event, context):\n    # YOUR CODE HERE\n    pass"
    )


def test_top_level_block_uses_the_stub_line_and_drops_it():
    source = (
        "x = 1\n### STUB: answer = None\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\n"
        "print(x)"
    )
    assert strip_solutions(source) == "x = 1\n# YOUR CODE HERE\nanswer = None\nprint(x)"


def test_several_stub_lines_and_several_blocks_in_one_cell():
    source = "\n".join(
        [
            "### STUB: a = None",
            "### STUB: b = None",
            "### BEGIN SOLUTION",
            "a, b = 1, 2",
            "### END SOLUTION",
            "def f():",
            "    for i in range(3):",
            "        ### BEGIN SOLUTION",
            "        print(i)",
            "        ### END SOLUTION",
            "    ### STUB: return 0",
            "    ### BEGIN SOLUTION",
            "    return 1",
            "    ### END SOLUTION",
        ]
    )
    assert strip_solutions(source).split("\n") == [
        "# YOUR CODE HERE",
        "a = None",
        "b = None",
        "def f():",
        "    for i in range(3):",
        "        # YOUR CODE HERE",
        "        pass",
        "    # YOUR CODE HERE",
        "    return 0",
    ]


def test_source_without_markers_is_unchanged():
    assert strip_solutions("print('hi')\n") == "print('hi')\n"


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("    ### BEGIN SOLUTION\n    x = 1", "never closed"),
        ("x = 1\n### END SOLUTION", "without"),
        ("  ### BEGIN SOLUTION\n  ### BEGIN SOLUTION\n  ### END SOLUTION", "nested"),
        ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "top level"),
        ("### STUB: x = None\nprint(1)", "directly before"),
        ("    ## BEGIN SOLUTION\n    x = 1\n    ## END SOLUTION", "looks like"),
    ],
)
def test_bad_markers_raise_a_clear_error(source, words):
    with pytest.raises(SolutionMarkerError, match=words):
        strip_solutions(source)


def test_markdown_blocks_become_your_answer_here():
    source = "Why?\n\n### BEGIN SOLUTION\nBecause cold starts.\n### END SOLUTION\n"
    assert strip_markdown_solutions(source) == "Why?\n\n_Your answer here._\n"


# --- building notebooks --------------------------------------------------------------------


def test_build_strips_solutions_outputs_and_metadata(course: Path):
    notebook = release.build_notebook(course / "solutions" / "00-start-here.ipynb")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].source == "def handler(event, context):\n    # YOUR CODE HERE\n    pass"
    assert code[0].outputs == [] and code[0].execution_count is None
    assert notebook.metadata == release.NOTEBOOK_METADATA
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert [cell.id for cell in notebook.cells] == ["cell-00", "cell-01", "cell-02", "cell-03"]


def test_navigation_links_only_existing_lessons_at_top_and_bottom(course: Path):
    notebook = release.build_notebook(course / "solutions" / "00-start-here.ipynb")
    top, bottom = notebook.cells[0], notebook.cells[-1]
    expected = "[Course map](../README.md#course-map) | [02 Triggers →](02-triggers.ipynb)"
    assert top.source == bottom.source == expected
    assert top.metadata.tags == ["navigation"]
    later = release.navigation_line("02-triggers", ["00-start-here", "02-triggers"])
    assert later == "[← 00 Start here](00-start-here.ipynb) | [Course map](../README.md#course-map)"


def test_release_writes_notebooks_and_solution_navigation_and_is_idempotent(course: Path):
    assert main(["--root", str(course)]) == 0
    files = sorted(course.glob("*/*.ipynb"))
    first = {path: path.read_bytes() for path in files}
    assert len(files) == 4
    assert first[course / "notebooks" / "02-triggers.ipynb"].endswith(b"}\n")
    solution = nbformat.read(course / "solutions" / "00-start-here.ipynb", as_version=4)
    assert solution.cells[0].metadata.tags == ["navigation"]
    assert "### BEGIN SOLUTION" in solution.cells[2].source

    assert main(["--root", str(course)]) == 0
    assert {path: path.read_bytes() for path in files} == first
    assert main(["--root", str(course), "--check"]) == 0


def test_check_names_a_stale_notebook_and_writes_nothing(course: Path, capsys):
    main(["--root", str(course)])
    write_lesson(course, "00-start-here", HANDLER, "print('new cell')")
    before = {path: path.read_bytes() for path in course.glob("*/*.ipynb")}

    assert main(["--root", str(course), "--check"]) == 1

    error = capsys.readouterr().err
    assert "notebooks/00-start-here.ipynb" in error and "02-triggers" not in error
    assert {path: path.read_bytes() for path in course.glob("*/*.ipynb")} == before


def test_a_notebook_without_its_solution_is_reported_and_removed(course: Path, capsys):
    main(["--root", str(course)])
    (course / "solutions" / "02-triggers.ipynb").unlink()
    assert main(["--root", str(course), "--check"]) == 1
    assert "notebooks/02-triggers.ipynb" in capsys.readouterr().err
    assert main(["--root", str(course)]) == 0
    assert not (course / "notebooks" / "02-triggers.ipynb").exists()


def test_unbalanced_markers_exit_2_naming_notebook_and_cell(tmp_path: Path, capsys):
    write_lesson(
        tmp_path, "00-start-here", "print(1)", "def f():\n    ### BEGIN SOLUTION\n    x = 1"
    )
    assert main(["--root", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "solutions/00-start-here.ipynb, cell 3" in error and "never closed" in error
    assert "Traceback" not in error
    assert not (tmp_path / "notebooks").exists()


def test_a_stub_that_breaks_the_syntax_is_refused(tmp_path: Path, capsys):
    write_lesson(
        tmp_path,
        "00-start-here",
        'config = {\n    ### BEGIN SOLUTION\n    "a": 1,\n    ### END SOLUTION\n}',
    )
    assert main(["--root", str(tmp_path)]) == 2
    assert "invalid Python" in capsys.readouterr().err


def test_writefile_cells_are_checked_as_python(tmp_path: Path):
    write_lesson(tmp_path, "00-start-here", "%%writefile app.py\n" + HANDLER)
    assert main(["--root", str(tmp_path)]) == 0


def test_repository_notebooks_are_current():
    if not any((REPO / "solutions").glob("*.ipynb")):
        pytest.skip("no solutions in this checkout")
    assert release.release(REPO, check=True) == [], "run `python -m lambdalab.course.release`"


# --- the student bundle ----------------------------------------------------------------------


def test_bundle_leaves_out_solutions_and_grading_tests(course: Path):
    main(["--root", str(course)])
    (course / "tests" / "grading").mkdir(parents=True)
    (course / "tests" / "grading" / "test_hidden.py").write_text("secret = 1\n")
    (course / "README.md").write_text("# Lambda Lab\n")
    target = course / "out" / "kit.zip"

    assert main(["--root", str(course), "--bundle", str(target)]) == 0

    names = zipfile.ZipFile(target).namelist()
    assert "lambda-lab/notebooks/00-start-here.ipynb" in names
    assert "lambda-lab/README.md" in names
    assert not [name for name in names if "solutions/" in name or "grading" in name]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_bundle_takes_git_tracked_files_only(course: Path):
    main(["--root", str(course)])
    (course / "untracked.txt").write_text("scratch\n")
    subprocess.run(["git", "init", "-q", str(course)], check=True)
    subprocess.run(["git", "-C", str(course), "add", "notebooks", "solutions"], check=True)

    assert main(["--root", str(course), "--bundle"]) == 0

    names = zipfile.ZipFile(course / "build" / "lambdalab-student.zip").namelist()
    assert names == [
        "lambda-lab/notebooks/00-start-here.ipynb",
        "lambda-lab/notebooks/02-triggers.ipynb",
    ]


def test_bundle_refuses_when_notebooks_are_out_of_date(course: Path):
    assert main(["--root", str(course), "--bundle", str(course / "kit.zip")]) == 1
    assert not (course / "kit.zip").exists()
