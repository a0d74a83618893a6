"""lambdalab.sandbox.api_validation: Lambda's model constraints, in AWS's words."""

from __future__ import annotations

import pytest

from lambdalab.sandbox.api_validation import (
    FunctionName,
    parse_function_name,
    validation_errors,
    validation_message,
)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("resize", FunctionName("resize")),
        ("resize:live", FunctionName("resize", "live")),
        ("resize:$LATEST", FunctionName("resize", "$LATEST")),
        ("123456789012:function:resize", FunctionName("resize", None, None, "123456789012")),
        (
            "arn:aws:lambda:eu-west-3:123456789012:function:resize:7",
            FunctionName("resize", "7", "eu-west-3", "123456789012"),
        ),
    ],
)
def test_every_form_lambda_accepts_is_read(value, parsed):
    assert parse_function_name(value) == parsed


@pytest.mark.parametrize(
    "value", ["my function", "functions/resize", "resize:live:extra", "arn:aws:lambda", ""]
)
def test_malformed_names_are_not(value):
    assert parse_function_name(value) is None


def test_a_pattern_failure_is_worded_as_aws_words_it():
    errors = validation_errors("lambda", "Invoke", {"FunctionName": "my function"})
    assert len(errors) == 1
    assert errors[0].startswith(
        "Value 'my function' at 'functionName' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?"
    )
    assert validation_message(errors).startswith("1 validation error detected: Value ")


def test_ranges_lists_maps_and_several_errors():
    errors = validation_errors(
        "lambda",
        "UpdateFunctionConfiguration",
        {
            "FunctionName": "f",
            "MemorySize": 64,
            "Layers": ["arn:aws:lambda:us-east-1:123456789012:layer:xml"],
            "Environment": {"Variables": {"stage-name": "dev", "OK_NAME": "x"}},
        },
    )
    text = validation_message(errors)
    assert text.startswith("3 validation errors detected: ")
    assert (
        "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value "
        "greater than or equal to 128"
    ) in text
    assert (
        "Value '[arn:aws:lambda:us-east-1:123456789012:layer:xml]' at 'layers' failed to "
        "satisfy constraint: Member must satisfy constraint: [Member must have length less "
        "than or equal to"
    ) in text
    assert (
        "Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy "
        "constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"
    ) in text
    assert "dev" not in text  # variables' values may be secrets


def test_right_input_has_no_error():
    assert (
        validation_errors(
            "lambda",
            "CreateAlias",
            {"FunctionName": "checkout", "Name": "live", "FunctionVersion": "2"},
        )
        == []
    )
    assert validation_errors("lambda", "NoSuchOperation", {"FunctionName": "x y"}) == []
