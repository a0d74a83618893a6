"""The kit's error explanations beside Python's: an unknown AWS parameter explained from
botocore's model, the kit's own errors as a box, a NameError for a name to quote, and a
typo whose close name the learner's own cell defines."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ParamValidationError

from lambdalab import packaging, pricing
from lambdalab.course import aws_errors, cell_order


@pytest.fixture
def lam():
    return boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def _hint(call) -> aws_errors.AwsErrorReport:
    with pytest.raises(ParamValidationError) as caught:
        call()
    return aws_errors.report(caught.value)


def test_a_parameter_of_another_operation_names_that_operation(lam):
    found = _hint(
        lambda: lam.update_function_configuration(FunctionName="f", ReservedConcurrentExecutions=2)
    )
    assert "is a parameter of put_function_concurrency" in found.hint
    assert "lam.put_function_concurrency(" in found.hint and "CamelCase" not in found.hint


def test_an_upper_case_name_is_an_environment_variable(lam):
    found = _hint(lambda: lam.update_function_configuration(FunctionName="f", GREETING="Hej"))
    assert '"Variables": {"GREETING"' in found.hint and "CamelCase" not in found.hint
    found = _hint(lambda: lam.invoke(FunctionName="f", TABLE_NAME="t"))
    assert "Environment" not in found.hint  # not a call that configures a function


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda c: c.invoke(function_name="f"), "it has FunctionName: names are CamelCase"),
        (lambda c: c.invoke(FunctionName="f", Memorysize=1), "parameter of update_function"),
        (lambda c: c.invoke(FunctionName="f", MemorySize=256), "parameter of update_function"),
        (lambda c: c.get_function(FunctionName="f", Nonsense=1), "nor has any other call"),
    ],
)
def test_an_unknown_parameter_hint_fits_the_name(lam, call, words):
    found = _hint(lambda: call(lam))
    assert words in found.hint, found.hint


def test_the_box_ends_with_a_line_break(lam):
    found = _hint(lambda: lam.invoke(FunctionName="f", Bogus=1))
    assert str(found).endswith("(the full traceback: run %tb in a new cell)\n")


@pytest.mark.parametrize(
    "call",
    [
        lambda: packaging.vendor("defused-xml", "/nonexistent/never-written"),
        lambda: pricing.monthly_cost(requests=-1, duration_ms=100, memory_mb=128),
    ],
)
def test_the_kits_own_errors_are_a_box_naming_the_learners_call(call):
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the box is for any of them
        call()
    found = aws_errors.report(caught.value)
    assert found is not None and found.heading == "Lambda Lab error"
    assert found.code == type(caught.value).__name__
    assert "lambdalab" not in str(found).split("\n")[0].split(":")[0]
    assert "%tb" in str(found) and "Traceback" in found.traceback


def test_vendor_suggests_the_installed_distribution_with_a_close_name():
    with pytest.raises(packaging.PackagingError, match=r"but 'defusedxml' is"):
        packaging.vendor("defused-xml", "/nonexistent/never-written")


def test_a_sandbox_resource_name_is_to_be_quoted():
    error = NameError("name 'greeter' is not defined")
    text = cell_order.quote_hint(error, 'check("01.1", greeter)', {"greeter": "Lambda function"})
    assert 'write it in quotes: "greeter"' in text
    table = cell_order.quote_hint(
        NameError("name 'page_visits' is not defined"), "", {"page-visits": "DynamoDB table"}
    )
    assert '"page-visits"' in table
    assert cell_order.quote_hint(error, "", {}) == ""


def test_a_module_file_is_a_handler_string_to_quote(tmp_path, monkeypatch):
    (tmp_path / "functions" / "shop").mkdir(parents=True)
    (tmp_path / "functions" / "shop" / "orders.py").write_text("def create_order(e, c): ...\n")
    monkeypatch.chdir(tmp_path)
    error = NameError("name 'orders' is not defined")
    text = cell_order.quote_hint(error, "handler_string = orders.create_order", {})
    assert "functions/shop/orders.py" in text and '"orders.create_order"' in text


def test_a_close_name_from_the_learners_own_cell_is_not_a_cell_that_has_not_run():
    assert cell_order.own_cell_defines("hander", ["x = 1", "def hander(event, context):\n    1"])
    assert not cell_order.own_cell_defines("hander", ["def handler(event, context):\n    1"])


def test_a_name_whose_assignment_did_not_run_names_the_cell_that_holds_it():
    cells = ["", "used_mb = 1024\nmemory_mb = next(iter([]))", "check('04.4', memory_mb)"]
    error = NameError("name 'memory_mb' is not defined")
    text = cell_order.failed_cell_hint(error, cells, {"used_mb": 1024})
    assert "memory_mb is assigned by a cell that ran (In[1]: used_mb = 1024)" in text
    assert cell_order.failed_cell_hint(error, cells, {"memory_mb": 1}) == ""
    assert cell_order.failed_cell_hint(NameError("name 'x' is not defined"), cells, {}) == ""


def test_a_typo_of_a_name_the_learners_own_cell_defines_is_not_also_a_cell_not_run(monkeypatch):
    monkeypatch.setattr(cell_order, "hint", lambda error: "handler is defined by ... not run")
    monkeypatch.setattr(cell_order, "quote_hint", lambda error, code="": "")

    class Shell:
        user_ns = {"hander": print, "In": ["", "def hander(event, context):\n    pass"]}

    error = NameError("name 'handler' is not defined")
    said = cell_order.name_error_hints(Shell(), error, None)
    assert said == [cell_order.typo_hint(error, Shell.user_ns)]
    Shell.user_ns = {"hander": print, "In": [""]}  # hander came from elsewhere: both said
    assert len(cell_order.name_error_hints(Shell(), error, None)) == 2


def test_a_dotted_module_name_is_a_handler_string_even_beside_a_function_of_its_name(
    tmp_path, monkeypatch
):
    (tmp_path / "functions" / "shop").mkdir(parents=True)
    (tmp_path / "functions" / "shop" / "orders.py").write_text("")
    monkeypatch.chdir(tmp_path)
    error = NameError("name 'orders' is not defined")
    resources = {"orders": "Lambda function"}
    dotted = cell_order.quote_hint(error, "handler_string = orders.create_order", resources)
    assert '"orders.create_order"' in dotted
    assert "Lambda function" in cell_order.quote_hint(error, "check('x', orders)", resources)
