"""Stale state named, not misread (issue 23): code edited after its deploy, a restarted
kernel's empty sandbox, settings left by earlier cells, a name used before its cell."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from lambdalab.course import cell_order, checks, exercises, probe
from lambdalab.course.checks import NotYet, check
from lambdalab.sandbox.account import DeployError, build_zip
from lambdalab.sandbox.deploy_sources import DeploySource

HANDLER = "def handler(event, context):\n    return {'says': 'hello'}\n"


# -- what sb.deploy() records ------------------------------------------------------------


def _source(folder: Path, name: str = "hello") -> DeploySource:
    source = DeploySource.of(name, folder, build_zip(folder), "sha")
    assert source is not None
    return source


def test_a_folder_deploy_sees_its_files_changed_new_and_deleted(tmp_path):
    (tmp_path / "app.py").write_text(HANDLER)
    (tmp_path / "util.py").write_text("X = 1\n")
    source = _source(tmp_path)
    assert source.changes() == []
    (tmp_path / "app.py").write_text(HANDLER.replace("hello", "bye"))
    (tmp_path / "util.py").unlink()
    (tmp_path / "extra.py").write_text("")
    assert source.changes() == ["app.py changed", "util.py deleted", "extra.py new"]


def test_a_single_file_deploy_ignores_its_neighbours_and_a_zip_is_not_tracked(tmp_path):
    (tmp_path / "app.py").write_text(HANDLER)
    single = DeploySource.of("hello", tmp_path / "app.py", build_zip(tmp_path / "app.py"), "x")
    (tmp_path / "other.py").write_text("")
    assert single is not None and single.changes() == []
    zipped = tmp_path / "code.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("app.py", HANDLER)
    assert DeploySource.of("hello", zipped, zipped.read_bytes(), "x") is None
    assert DeploySource.of("hello", zipped.read_bytes(), zipped.read_bytes(), "x") is None


def test_a_handler_file_not_written_yet_names_the_cell_that_writes_it(tmp_path):
    with pytest.raises(DeployError, match="%%writefile functions/late/app.py"):
        build_zip("functions/late")
    empty = tmp_path / "empty"
    empty.mkdir()
    from lambdalab.sandbox.account import check_handler

    with pytest.raises(DeployError, match=r"is empty: the cell that writes app\.py"):
        check_handler(build_zip(empty), "app.handler", empty)
    (empty / "app.py").write_text(HANDLER)
    with pytest.raises(
        DeployError, match=r"or run the cell that writes it \(%%writefile .*/main\.py"
    ):
        check_handler(build_zip(empty), "main.handler", empty)


# -- what a check says, against a running sandbox ----------------------------------------


@pytest.fixture
def stale_exercise(monkeypatch, tmp_path):
    """Exercise "98.2": the deployed function must say hello."""
    monkeypatch.delenv("LAMBDALAB_CHECKS", raising=False)
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(tmp_path / "progress.json"))

    def says_hello(answer):
        fn = probe.Deployed(probe.function_name(answer))
        if fn.call({}) != {"says": "hello"}:
            raise NotYet("the function does not say hello")

    monkeypatch.setitem(
        exercises._REGISTRY,
        "98.2",
        checks.Exercise("98.2", "Say hello", "Deploy it.", "a name", says_hello),
    )


def test_code_edited_after_the_deploy_is_named_when_the_check_fails(sb, stale_exercise, tmp_path):
    folder = tmp_path / "stale-hello"
    folder.mkdir()
    (folder / "app.py").write_text(HANDLER.replace("hello", "bye"))
    sb.deploy("stale-hello", folder)
    (folder / "app.py").write_text(HANDLER)  # fixed on disk, not deployed
    result = check("98.2", "stale-hello")
    assert not result.passed
    assert "app.py changed since the last deploy of stale-hello" in result.message
    assert "the function does not say hello" in result.message  # what the check saw
    sb.deploy("stale-hello", folder)
    assert check("98.2", "stale-hello").passed


def test_a_right_deployed_answer_with_a_stale_file_still_passes(sb, stale_exercise, tmp_path):
    folder = tmp_path / "right-hello"
    folder.mkdir()
    (folder / "app.py").write_text(HANDLER)
    sb.deploy("right-hello", folder)
    (folder / "notes.txt").write_text("not deployed, not relevant")
    (folder / "app.py").write_text(HANDLER + "# an edit not deployed yet\n")
    assert check("98.2", "right-hello").passed


def test_code_deployed_since_by_boto3_is_not_called_stale(sb, stale_exercise, tmp_path):
    folder = tmp_path / "boto-hello"
    folder.mkdir()
    (folder / "app.py").write_text(HANDLER)
    sb.deploy("boto-hello", folder)
    (folder / "app.py").write_text(HANDLER.replace("hello", "bye"))
    sb.client("lambda").update_function_code(FunctionName="boto-hello", ZipFile=build_zip(folder))
    result = check("98.2", "boto-hello")
    assert not result.passed and "changed since the last deploy" not in result.message


def test_settings_left_by_earlier_cells_are_named_and_recover_restores_the_account(
    sb, stale_exercise, tmp_path
):
    folder = tmp_path / "capped"
    folder.mkdir()
    (folder / "app.py").write_text(HANDLER)
    sb.deploy("capped", folder)
    lam = sb.client("lambda")
    lam.put_function_concurrency(FunctionName="capped", ReservedConcurrentExecutions=0)
    try:
        result = check("98.2", "capped")
    finally:
        lam.delete_function_concurrency(FunctionName="capped")
    assert not result.passed
    assert "Left by an earlier cell: capped has a reserved concurrency of 0" in result.message
    sb.set_account_concurrency(0)
    try:
        result = check("98.2", "capped")
        assert "Left by an earlier cell: the account's concurrency limit is 0" in (result.message)
    finally:
        said = sb.recover()
    assert "back to AWS's default, 1,000 (it was 0)" in said
    assert sb.account_concurrency == 1000
    assert check("98.2", "capped").passed
    assert "concurrency" not in sb.recover()  # nothing to restore: nothing said


def test_a_new_sandbox_says_the_kernel_restarted_and_which_cells_to_run(sb):
    sb.reset()
    message = probe.missing_function("resizer", "the cell that deploys it")
    assert "the sandbox holds no function at all" in message
    assert "kernel restarted" in message and "Run > Run All Above" in message
    with pytest.raises(NotYet, match="no function at all"):
        probe.function_config("resizer")
    with pytest.raises(NotYet, match="no table 'counters', and the sandbox holds no function"):
        probe.dynamodb_table("counters")


# -- a name used before the cell that defines it ------------------------------------------


def _notebook(folder: Path) -> Path:
    cells = [
        {"cell_type": "markdown", "source": "## Setup"},
        {"cell_type": "code", "source": "import sys\nimport lambdalab\nsb = lambdalab.sandbox()"},
        {"cell_type": "markdown", "source": "## Zipping\ntext"},
        {"cell_type": "code", "source": "%%writefile app.py\nzipper = 1\n"},
        {"cell_type": "code", "source": "def zip_folder(folder):\n    inner = 2\n    return 1"},
        {"cell_type": "code", "source": "for row, (a, b) in enumerate([]):\n    pass"},
        {"cell_type": "code", "source": 'check("98.1", zip_folder("x"))'},
    ]
    path = folder / "99-lesson.ipynb"
    path.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_the_cell_defining_a_name_is_found_at_its_top_level_only(tmp_path):
    notebooks = [_notebook(tmp_path)]
    found = cell_order.find_definition("zip_folder", notebooks)
    assert found is not None and found.section == "Zipping"
    assert found.first_line == "def zip_folder(folder):"
    assert cell_order.find_definition("inner", notebooks) is None  # a local of the function
    assert cell_order.find_definition("zipper", notebooks) is None  # inside %%writefile
    assert cell_order.find_definition("b", notebooks) is not None
    assert cell_order.cells_above("98.1", notebooks) == 4


def test_a_name_error_names_the_cell_and_the_cells_to_run(tmp_path):
    notebooks = [_notebook(tmp_path)]
    text = cell_order.hint(NameError("name 'zip_folder' is not defined"), notebooks)
    assert 'a cell above in section "Zipping"' in text and "Run > Run All Above" in text
    setup = cell_order.hint(NameError("name 'sb' is not defined"), notebooks)
    assert "the lesson's Setup cell" in setup
    assert cell_order.hint(NameError("name 'typo' is not defined"), notebooks) == ""


def test_a_name_error_next_to_a_close_name_of_the_kernel_says_typo():
    from lambdalab.course.cell_order import typo_hint

    said = typo_hint(NameError("name 'handler' is not defined"), {"hander": 1, "_x": 2})
    assert "handler is not defined in this kernel, but hander is" in said
    assert typo_hint(NameError("name 'handler' is not defined"), {"greet": 1}) == ""
    assert typo_hint(ValueError("x"), {"hander": 1}) == ""


def test_package_entries_lists_what_deploy_zipped(sb, write_function):
    from lambdalab.course.probe import package_entries

    folder = write_function(app="def handler(e, c):\n    return 1\n")
    (folder / "defusedxml").mkdir()
    (folder / "defusedxml" / "__init__.py").write_text("")
    sb.deploy("vendored", folder)
    path, entries = package_entries("vendored")
    assert path == str(folder) and entries == ["app.py", "defusedxml/"]
    assert package_entries("never-deployed") == ("", [])
