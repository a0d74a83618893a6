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
