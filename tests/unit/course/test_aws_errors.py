"""lambdalab.course.aws_errors: botocore's errors as one block with a hint, nothing else hidden."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.stub import Stubber

from lambdalab.course import aws_errors


@pytest.fixture
def lam():
    return boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_environment_without_variables_gets_the_fix(lam):
    with pytest.raises(ParamValidationError) as caught:
        lam.update_function_configuration(FunctionName="f", Environment={"GREETING": "Hej"})
    found = aws_errors.report(caught.value)
    assert found.code == "ParamValidationError"
    assert found.call == "lambda.UpdateFunctionConfiguration"
    assert 'Unknown parameter in Environment: "GREETING"' in found.message
    assert found.hint.startswith('Environment takes the variables inside "Variables"')
    assert '{"Variables": {"GREETING": ...}}' in found.hint
    text = str(found)
    assert "Traceback" not in text and "%tb" in text
    assert "<details" in found._repr_html_() and "Traceback" in found._repr_html_()


def test_a_client_error_names_code_message_and_call(lam):
    with Stubber(lam) as stub:
        stub.add_client_error(
            "invoke",
            service_error_code="ResourceNotFoundException",
            service_message="Function not found: arn:aws:lambda:us-east-1:1:function:nope",
        )
        with pytest.raises(ClientError) as caught:
            lam.invoke(FunctionName="nope")
    found = aws_errors.report(caught.value)
    assert (found.code, found.call) == ("ResourceNotFoundException", "lambda.Invoke")
    assert "run the cell that deploys it" in found.hint


def test_unknown_errors_have_no_hint_and_other_exceptions_no_report():
    assert aws_errors.hint_for("SomethingNew", "whatever") is None
    assert aws_errors.report(ValueError("not AWS")) is None


def test_install_does_nothing_outside_a_kernel():
    assert aws_errors.install() is False


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        (
            "InvalidParameterValueException",
            "Specified ReservedConcurrentExecutions for function decreases account's "
            "UnreservedConcurrentExecution below its minimum value of [100].",
            "Lambda keeps 100 executions",
        ),
        (
            "ResourceConflictException",
            "Unable to delete version because the following aliases reference it: [live]",
            "the alias live still points at this version",
        ),
        (
            "ResourceNotFoundException",
            "Functions from 'eu-west-3' are not reachable in this region ('us-east-1')",
            "the ARN names Region eu-west-3",
        ),
        (
            "ValidationException",
            "1 validation error detected: Value 'functions/resize' at 'functionName' failed "
            "to satisfy constraint: Member must satisfy regular expression pattern: (arn:...",
            "not a file name or a folder path",
        ),
        (
            "ValidationException",
            "1 validation error detected: Value '[arn:aws:lambda:us-east-1:123456789012:"
            "layer:xml]' at 'layers' failed to satisfy constraint: Member must satisfy "
            "constraint: [...]",
            '"LayerVersionArn"',
        ),
        ("ServiceException", "The sandbox's Lambda failed on this request", "not at fault"),
    ],
)
def test_lambda_refusals_are_shown_with_their_fix(lam, code, message, hint):
    with Stubber(lam) as stub:
        stub.add_client_error("invoke", service_error_code=code, service_message=message)
        with pytest.raises(ClientError) as caught:
            lam.invoke(FunctionName="f")
    found = aws_errors.report(caught.value)
    assert (found.code, found.message) == (code, message)
    assert hint in found.hint


def test_a_web_page_in_an_error_is_shown_as_its_title(lam):
    page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<p>x</p>"
    with Stubber(lam) as stub:
        stub.add_client_error("invoke", service_error_code="500", service_message=page)
        with pytest.raises(ClientError) as caught:
            lam.invoke(FunctionName="f")
    found = aws_errors.report(caught.value)
    assert found.message == "HTTP 500 Internal Server Error (the server answered with a web page)"


@pytest.mark.parametrize(
    "code, message, hint",
    [
        (
            "ResourceNotFoundException",
            "Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:checkout:Live",
            "alias names are case-sensitive",
        ),
        (
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:chekout",
            "there is no such function",
        ),
        (
            "ParamValidationError",
            "Invalid type for parameter Environment, value: GREETING=Hej, type: <class 'str'>, "
            "valid types: <class 'dict'>",
            'Environment is a dict holding the variables inside "Variables"',
        ),
    ],
)
def test_an_alias_or_environment_slip_gets_its_own_hint(code, message, hint):
    assert hint in aws_errors.hint_for(code, message)
