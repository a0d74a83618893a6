"""Resource-based policy evaluation, as AWS does it for the statements add_permission writes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lambdalab.sandbox.triggers.permissions import (
    API_GATEWAY,
    EVENTBRIDGE,
    S3,
    add_permission_hint,
    is_allowed,
)

RULE = "arn:aws:events:us-east-1:123456789012:rule/nightly"
API = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items"


def fn_with(*statements: dict) -> SimpleNamespace:
    return SimpleNamespace(policy=SimpleNamespace(statements=list(statements)))


def statement(principal, source_arn=None, action="lambda:InvokeFunction", **extra) -> dict:
    """A statement shaped as moto 5.2.5 stores what add_permission sent."""
    result = {"Sid": "s", "Effect": "Allow", "Action": action, "Principal": principal, **extra}
    if source_arn:
        result["Condition"] = {"ArnLike": {"AWS:SourceArn": source_arn}}
    return result


def test_no_policy_allows_nothing():
    assert not is_allowed(fn_with(), EVENTBRIDGE, RULE)
    assert not is_allowed(SimpleNamespace(), EVENTBRIDGE, RULE)


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        ({"Service": EVENTBRIDGE}, True),
        ({"Service": [S3, EVENTBRIDGE]}, True),
        (EVENTBRIDGE, True),
        ({"Service": API_GATEWAY}, False),
        ("*", True),
    ],
)
def test_principal(principal, allowed):
    assert is_allowed(fn_with(statement(principal)), EVENTBRIDGE, RULE) is allowed


@pytest.mark.parametrize(
    ("source_arn", "allowed"),
    [
        (RULE, True),
        ("arn:aws:events:us-east-1:123456789012:rule/*", True),
        ("arn:aws:events:us-east-1:123456789012:rule/other", False),
        ("arn:aws:events:us-east-1:123456789012:rule/night?y", True),
    ],
)
def test_source_arn_is_arn_like(source_arn, allowed):
    fn = fn_with(statement({"Service": EVENTBRIDGE}, source_arn))
    assert is_allowed(fn, EVENTBRIDGE, RULE) is allowed


def test_api_gateway_wildcards_cover_stage_method_and_path():
    fn = fn_with(
        statement({"Service": API_GATEWAY}, "arn:aws:execute-api:us-east-1:123456789012:abc123/*")
    )
    assert is_allowed(fn, API_GATEWAY, API)
    assert not is_allowed(fn, API_GATEWAY, API.replace("abc123", "zzz999"))


def test_arn_equals_and_source_account():
    fn = fn_with(
        {
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Principal": {"Service": S3},
            "Condition": {
                "ArnEquals": {"AWS:SourceArn": "arn:aws:s3:::photos"},
                "StringEquals": {"AWS:SourceAccount": "123456789012"},
            },
        }
    )
    assert is_allowed(fn, S3, "arn:aws:s3:::photos", source_account="123456789012")
    assert not is_allowed(fn, S3, "arn:aws:s3:::photos", source_account="999999999999")
    assert not is_allowed(fn, S3, "arn:aws:s3:::photos*")


def test_action_wildcards_and_deny_wins():
    allow_all = statement({"Service": EVENTBRIDGE}, action="lambda:*")
    assert is_allowed(fn_with(allow_all), EVENTBRIDGE, RULE)
    deny = dict(statement({"Service": EVENTBRIDGE}), Effect="Deny")
    assert not is_allowed(fn_with(allow_all, deny), EVENTBRIDGE, RULE)
    assert not is_allowed(
        fn_with(statement({"Service": EVENTBRIDGE}, action="lambda:GetFunction")),
        EVENTBRIDGE,
        RULE,
    )


def test_function_url_statements_as_moto_stores_them():
    url = statement("*", action="lambda:InvokeFunctionUrl", FunctionUrlAuthType="NONE")
    invoke = statement("*", InvokedViaFunctionUrl=True)
    fn = fn_with(url, invoke)
    assert is_allowed(fn, "*", action="lambda:InvokeFunctionUrl", function_url_auth_type="NONE")
    assert not is_allowed(
        fn, "*", action="lambda:InvokeFunctionUrl", function_url_auth_type="AWS_IAM"
    )
    assert is_allowed(fn, "*", action="lambda:InvokeFunction", invoked_via_function_url=True)
    # A service principal's statement does not make the URL public.
    assert not is_allowed(
        fn_with(statement({"Service": API_GATEWAY}, action="lambda:InvokeFunctionUrl")),
        "*",
        action="lambda:InvokeFunctionUrl",
        function_url_auth_type="NONE",
    )


def test_hint_is_a_boto3_call_a_learner_can_paste():
    hint = add_permission_hint("nightly-job", EVENTBRIDGE, RULE, "lambda:InvokeFunction")
    assert hint.startswith("boto3.client('lambda').add_permission(FunctionName='nightly-job'")
    assert "Principal='events.amazonaws.com'" in hint and f"SourceArn='{RULE}'" in hint
    url_hint = add_permission_hint("f", "*", None, "lambda:InvokeFunctionUrl")
    assert "FunctionUrlAuthType='NONE'" in url_hint
