"""Who may invoke a function: Lambda's resource-based policy, checked as AWS checks it.

In AWS, a service can invoke your function only if the function's *resource-based
policy* says so. ``lambda.add_permission(...)`` adds one statement to that policy:

* API Gateway (REST and HTTP APIs) needs ``Principal="apigateway.amazonaws.com"``,
  usually with ``SourceArn="arn:aws:execute-api:<region>:<account>:<api-id>/*"``.
  Without it the request fails with HTTP 500 (the API's execution log says "Invalid
  permissions on Lambda function").
* An EventBridge rule needs ``Principal="events.amazonaws.com"`` and
  ``SourceArn=<the rule's ARN>``. Without it the event is dropped and the rule's
  ``FailedInvocations`` metric goes up.
* S3 needs ``Principal="s3.amazonaws.com"`` (``SourceArn=arn:aws:s3:::<bucket>``).
  Without it ``put_bucket_notification_configuration`` fails with "Unable to validate
  the following destination configurations".
* A function URL with ``AuthType="NONE"`` needs public access: since October 2025 both
  ``lambda:InvokeFunctionUrl`` (with ``FunctionUrlAuthType="NONE"``) and
  ``lambda:InvokeFunction`` (with ``InvokedViaFunctionUrl=True``) for ``Principal="*"``.
  The console adds them for you; with boto3 you add them yourself. Without them the
  URL answers 403 ``{"Message":"Forbidden"}``.

EventBridge Scheduler is different: it uses the schedule's execution role
(``Target.RoleArn``), not the function's policy, so nothing is checked here for it.

The sandbox reads the policy that moto keeps for the function (``fn.policy``) and
evaluates its simple statements: Effect, Action, Principal (a service or ``*``) and the
conditions AWS writes for add_permission (``AWS:SourceArn`` with ArnLike/ArnEquals,
``AWS:SourceAccount``, ``lambda:FunctionUrlAuthType``). When a call is refused, the
sandbox says why, and how to fix it, in two places a learner sees: a Python warning
(:class:`InvokePermissionWarning`) and a line in the CloudWatch log group
``/aws/lambdalab/sandbox`` (read it with :func:`sandbox_log`).

AWS documentation followed here:

* https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
* https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
* https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
* https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html

Example
-------
>>> lam = boto3.client("lambda")                                   # doctest: +SKIP
>>> lam.add_permission(FunctionName="orders", StatementId="apigw",  # doctest: +SKIP
...     Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
...     SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*")
"""

from __future__ import annotations

import fnmatch
import time
import warnings
from typing import Any

SANDBOX_LOG_GROUP = "/aws/lambdalab/sandbox"
SANDBOX_LOG_STREAM = "permissions"

API_GATEWAY = "apigateway.amazonaws.com"
EVENTBRIDGE = "events.amazonaws.com"
S3 = "s3.amazonaws.com"


class InvokePermissionWarning(UserWarning):
    """A service tried to invoke a function whose resource-based policy does not allow it."""


# Each refusal is shown, not only the first one from a given line of code.
warnings.simplefilter("always", InvokePermissionWarning)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _statements(fn: Any) -> list[dict[str, Any]]:
    """The statements of the function's resource-based policy (moto's ``fn.policy``)."""
    policy = getattr(fn, "policy", None)
    return list(getattr(policy, "statements", None) or [])


def _principal_matches(principal: Any, wanted: str) -> bool:
    """``wanted`` is a service principal such as ``events.amazonaws.com``, or ``*``."""
    if principal == "*":
        return True
    if isinstance(principal, str):
        return principal == wanted
    if isinstance(principal, dict):
        values = _as_list(principal.get("Service")) + _as_list(principal.get("AWS"))
        if wanted == "*":
            return "*" in values
        return wanted in values or "*" in values
    return False


def _arn_like(pattern: str, value: str | None) -> bool:
    """IAM's ArnLike: ``*`` and ``?`` are wildcards, everything else literal."""
    if value is None:
        return False
    return fnmatch.fnmatchcase(value, pattern)


def _conditions(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The statement's conditions, with moto's top-level shortcuts turned into AWS's form."""
    conditions = {op: dict(body) for op, body in (statement.get("Condition") or {}).items()}
    if "FunctionUrlAuthType" in statement:  # moto keeps add_permission's field as it came
        conditions.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = statement[
            "FunctionUrlAuthType"
        ]
    if "InvokedViaFunctionUrl" in statement:
        conditions.setdefault("Bool", {})["lambda:InvokedViaFunctionUrl"] = str(
            statement["InvokedViaFunctionUrl"]
        ).lower()
    return conditions


def _condition_holds(operator: str, key: str, expected: Any, context: dict[str, str]) -> bool:
    actual = context.get(key.lower())
    values = [str(v) for v in _as_list(expected)]
    if operator in ("ArnLike", "StringLike"):
        return any(_arn_like(v, actual) for v in values)
    if operator in ("ArnEquals", "StringEquals"):
        return actual in values
    if operator == "Bool":
        return actual is not None and actual.lower() in [v.lower() for v in values]
    return True  # an operator the sandbox does not evaluate: not held against the caller


def _statement_applies(
    statement: dict[str, Any], action: str, principal: str, context: dict[str, str]
) -> bool:
    actions = _as_list(statement.get("Action"))
    if not any(fnmatch.fnmatchcase(action.lower(), str(a).lower()) for a in actions):
        return False
    if not _principal_matches(statement.get("Principal"), principal):
        return False
    for operator, body in _conditions(statement).items():
        for key, expected in body.items():
            if not _condition_holds(operator, key, expected, context):
                return False
    return True


def is_allowed(
    fn: Any,
    principal: str,
    source_arn: str | None = None,
    *,
    action: str = "lambda:InvokeFunction",
    source_account: str | None = None,
    function_url_auth_type: str | None = None,
    invoked_via_function_url: bool = False,
) -> bool:
    """Does the function's resource-based policy let ``principal`` perform ``action``?

    Parameters
    ----------
    fn : moto LambdaFunction
        The function (its ``policy`` is what ``add_permission`` built).
    principal : str
        The calling service (``"events.amazonaws.com"``) or ``"*"`` (anyone, as for a
        public function URL).
    source_arn : str, optional
        The ARN of the calling resource (rule, API, bucket), for ``AWS:SourceArn``.
    action : str
        ``"lambda:InvokeFunction"`` or ``"lambda:InvokeFunctionUrl"``.
    source_account, function_url_auth_type, invoked_via_function_url
        The other condition keys AWS sets for such a call.

    Returns
    -------
    bool
        True when an Allow statement applies and no Deny statement does.

    Example
    -------
    >>> from types import SimpleNamespace
    >>> policy = SimpleNamespace(statements=[{"Effect": "Allow",
    ...     "Principal": {"Service": "events.amazonaws.com"},
    ...     "Action": "lambda:InvokeFunction",
    ...     "Condition": {"ArnLike": {"AWS:SourceArn":
    ...         "arn:aws:events:us-east-1:123456789012:rule/nightly"}}}])
    >>> fn = SimpleNamespace(policy=policy)
    >>> rule = "arn:aws:events:us-east-1:123456789012:rule/nightly"
    >>> is_allowed(fn, "events.amazonaws.com", rule)
    True
    >>> is_allowed(fn, "events.amazonaws.com", rule + "-other")
    False
    """
    context = {
        "aws:sourcearn": source_arn,
        "aws:sourceaccount": source_account,
        "lambda:functionurlauthtype": function_url_auth_type,
        "lambda:invokedviafunctionurl": "true" if invoked_via_function_url else None,
    }
    context = {k: v for k, v in context.items() if v is not None}
    allowed = False
    for statement in _statements(fn):
        if not _statement_applies(statement, action, principal, context):
            continue
        if statement.get("Effect", "Allow") == "Deny":
            return False
        allowed = True
    return allowed


def add_permission_hint(
    function_name: str, principal: str, source_arn: str | None, action: str
) -> str:
    """The boto3 call that grants the missing permission, to show the learner."""
    args = [
        f"FunctionName={function_name!r}",
        f"StatementId={'allow-' + principal.split('.')[0].replace('*', 'public')!r}",
        f"Action={action!r}",
        f"Principal={principal!r}",
    ]
    if source_arn:
        args.append(f"SourceArn={source_arn!r}")
    if action == "lambda:InvokeFunctionUrl":
        args.append("FunctionUrlAuthType='NONE'")
    if principal == "*" and action == "lambda:InvokeFunction":
        args.append("InvokedViaFunctionUrl=True")
    return "boto3.client('lambda').add_permission(" + ", ".join(args) + ")"


def report_denied(fn: Any, who: str, message: str) -> str:
    """Tell the learner that ``who`` could not invoke ``fn``, and how to fix it.

    The message becomes an :class:`InvokePermissionWarning` and a line in the
    ``/aws/lambdalab/sandbox`` log group. Returns the full text.
    """
    text = f"{who} could not invoke {fn.function_name}: {message}"
    _write_sandbox_log(fn.account_id, fn.region, text)
    warnings.warn(text, InvokePermissionWarning, stacklevel=2)
    return text


def _write_sandbox_log(account_id: str, region: str, line: str) -> None:
    from moto.logs.models import logs_backends

    backend = logs_backends[account_id][region]
    if SANDBOX_LOG_GROUP not in backend.groups:
        backend.create_log_group(SANDBOX_LOG_GROUP, {})
    group = backend.groups[SANDBOX_LOG_GROUP]
    if SANDBOX_LOG_STREAM not in group.streams:
        backend.create_log_stream(SANDBOX_LOG_GROUP, SANDBOX_LOG_STREAM)
    event = {"timestamp": int(time.time() * 1000), "message": line}
    backend.put_log_events(SANDBOX_LOG_GROUP, SANDBOX_LOG_STREAM, [event])


def sandbox_log(account_id: str = "123456789012", region: str = "us-east-1") -> list[str]:
    """The sandbox's own log lines (refused invocations and the like), oldest first.

    Example
    -------
    >>> for line in sandbox_log():              # doctest: +SKIP
    ...     print(line)
    """
    from moto.logs.models import logs_backends

    backend = logs_backends[account_id][region]
    group = backend.groups.get(SANDBOX_LOG_GROUP)
    if group is None or SANDBOX_LOG_STREAM not in group.streams:
        return []
    return [e.message for e in group.streams[SANDBOX_LOG_STREAM].events]


# ---------------------------------------------------------------------------------------
# moto internals: S3 checks the function's policy when notifications are configured.
# AWS validates every destination of PutBucketNotificationConfiguration and refuses
# ("Unable to validate the following destination configurations") a function that has
# not allowed s3.amazonaws.com: https://repost.aws/knowledge-center/unable-validate-destination-s3
# This wraps moto 5.2.5's S3Backend.put_bucket_notification_configuration;
# tests/unit/sandbox/test_permissions.py::test_moto_internals_for_s3 names it.
# ---------------------------------------------------------------------------------------

CHECK_S3_NOTIFICATIONS = True  # set False to let moto accept any destination, as it does
S3_VALIDATION_MESSAGE = "Unable to validate the following destination configurations"

_original_put_notification: Any = None


def _checked_put_bucket_notification_configuration(
    self: Any, bucket_name: str, notification_config: dict[str, Any]
) -> Any:
    """Wraps ``S3Backend.put_bucket_notification_configuration``: check Lambda targets."""
    if CHECK_S3_NOTIFICATIONS:
        for config in (notification_config or {}).get("CloudFunctionConfiguration") or []:
            _check_s3_destination(self, bucket_name, config.get("CloudFunction", ""))
    return _original_put_notification(self, bucket_name, notification_config)


def _check_s3_destination(backend: Any, bucket_name: str, function_arn: str) -> None:
    from moto.awslambda.models import lambda_backends
    from moto.s3.exceptions import InvalidArgumentError

    region = function_arn.split(":")[3] if function_arn.count(":") >= 6 else "us-east-1"
    try:
        fn = lambda_backends[backend.account_id][region].get_function(function_arn)
    except Exception:  # noqa: BLE001 - moto's not-found error
        fn = None
    source_arn = f"arn:aws:s3:::{bucket_name}"
    if fn is not None and is_allowed(fn, S3, source_arn, source_account=backend.account_id):
        return
    if fn is not None:
        hint = add_permission_hint(fn.function_name, S3, source_arn, "lambda:InvokeFunction")
        report_denied(
            fn,
            f"S3 bucket {bucket_name}",
            "its resource-based policy does not allow s3.amazonaws.com, so S3 refused the"
            f" notification configuration. Grant it first: {hint}",
        )
    raise InvalidArgumentError(
        S3_VALIDATION_MESSAGE, function_arn, f"Not authorized to invoke function [{function_arn}]"
    )


def install() -> None:
    """Make moto's S3 check Lambda destinations as AWS does (idempotent)."""
    global _original_put_notification
    from moto.s3.models import S3Backend

    if _original_put_notification is None:
        _original_put_notification = S3Backend.put_bucket_notification_configuration
        S3Backend.put_bucket_notification_configuration = (
            _checked_put_bucket_notification_configuration
        )


def uninstall() -> None:
    global _original_put_notification
    from moto.s3.models import S3Backend

    if _original_put_notification is not None:
        S3Backend.put_bucket_notification_configuration = _original_put_notification
        _original_put_notification = None
