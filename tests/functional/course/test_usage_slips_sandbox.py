"""check() usage slips that need the sandbox: a deployed exercise given another name says
which functions exist; a function not deployed yet names the cell and lists them."""

from __future__ import annotations

import pytest

from lambdalab.course.checks import check


@pytest.fixture
def greeter(sb, write_function, monkeypatch, tmp_path):
    monkeypatch.delenv("LAMBDALAB_CHECKS", raising=False)
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(tmp_path / "progress.json"))
    folder = write_function(app="def handler(event, context):\n    return {}\n")
    sb.deploy("greeter", folder)
    sb.deploy("greeter-env", folder)
    yield
    for name in ("greeter", "greeter-env"):
        sb.client("lambda").delete_function(FunctionName=name)


def test_a_misspelt_or_other_name_lists_the_sandbox_s_functions(greeter):
    typo = check("01.1", "greter").message
    assert "expected the name of the function this exercise deploys, 'greeter'" in typo
    assert "there is no function 'greter' in the sandbox" in typo
    assert "the sandbox has 'greeter', 'greeter-env'" in typo  # the closest names first
    other = check("01.1", "greeter-env").message
    assert "'greeter-env' is another function of the sandbox" in other


def test_a_function_not_deployed_yet_names_the_cell_and_what_exists(greeter):
    message = check("01.2", "api-greeter").message
    assert "there is no function named 'api-greeter' in the sandbox: run the cell" in message
    assert "the sandbox has " in message
    assert "'greeter'" in message and "'greeter-env'" in message
