"""The one place where the kit reaches into moto: Lambda invocations go to our engine.

moto 5 implements Lambda's control plane (create_function, layers, versions, aliases,
event source mappings...) but runs function code only through Docker. This module
replaces ``moto.awslambda.models.LambdaFunction.invoke`` (the method that ``Invoke``,
S3 notifications, SNS, SQS and DynamoDB stream mappings all call) so that the code
runs in a local execution environment instead (:mod:`lambdalab.sandbox.runtime`).

If a moto upgrade renames what this module relies on, :func:`check_moto_internals`
fails with a message naming the missing piece (tests/unit/sandbox/test_moto_patch.py runs it).
"""

from __future__ import annotations

import base64
import inspect
import json
import logging
import random
import re
import threading
from collections.abc import Callable
from datetime import UTC
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError

from .runtime.concurrency import Throttled
from .runtime.execution_environment import FunctionConfig, InvocationResult

TESTED_MOTO = ">=5.2.5,<5.3"
MAX_SYNC_PAYLOAD = 6_291_456  # bytes, as AWS words it: "Request must be smaller than 6291456 bytes
# for the InvokeFunction operation" (error code RequestEntityTooLargeException, HTTP 413)
MAX_SYNC_RESPONSE = 6_291_556  # bytes
MAX_ASYNC_PAYLOAD = 1_048_576  # 1 MB since October 2025 (was 256 KB)
LOG_TAIL_BYTES = 4096  # LogType=Tail returns the last 4 KB of the log
REQUEST_ID_HEADER = "x-amzn-requestid"  # boto3's ResponseMetadata["RequestId"]

# What this module reads from moto's LambdaFunction (checked by check_moto_internals).
FUNCTION_ATTRIBUTES = (
    "function_name",
    "function_arn",
    "handler",
    "run_time",
    "timeout",
    "memory_size",
    "environment_vars",
    "layers",
    "version",
    "region",
    "account_id",
    "code_bytes",
    "code_digest",
    "logs_backend",
)
INVOKE_PARAMETERS = ["self", "body", "request_headers", "response_headers"]

_original_invoke = lambda_models.LambdaFunction.invoke
_invoker: Callable[..., Any] | None = None
_hooks: dict[str, Any] = {}
_invoke_request = threading.local()  # the ARN the caller invoked (alias, version or none)


class MotoInternalsChanged(RuntimeError):
    """moto no longer looks the way lambdalab.sandbox.moto_patch expects."""


class TooManyRequestsException(LambdaClientError):
    """A concurrency limit throttled a synchronous invoke: HTTP 429, ``Rate Exceeded.``"""

    code = 429

    def __init__(self, reason: str) -> None:
        super().__init__("TooManyRequestsException", "Rate Exceeded.")
        self.description = json.dumps(
            {"Reason": reason, "Type": "User", "message": "Rate Exceeded."}
        )


class RecursiveInvocationException(LambdaClientError):
    """Recursive loop detection stopped a synchronous invoke (HTTP 400)."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("RecursiveInvocationException", message)
        self.description = json.dumps({"Type": "User", "Message": message})


class ProvisionedConcurrencyConfigNotFound(LambdaClientError):
    """GetProvisionedConcurrencyConfig for a version or alias without one: HTTP 404."""

    code = 404

    def __init__(self, message: str) -> None:
        super().__init__("ProvisionedConcurrencyConfigNotFoundException", message)


class RequestTooLargeException(LambdaClientError):
    """Lambda refuses payloads over 6 MB (synchronous) or 1 MB (asynchronous): HTTP 413."""

    code = 413

    def __init__(self, limit: int, operation: str) -> None:
        super().__init__(
            "RequestEntityTooLargeException",
            f"Request must be smaller than {limit} bytes for the {operation} operation",
        )


class ResourceConflictException(LambdaClientError):
    """The request conflicts with the resource's state (an alias uses the version): HTTP 409."""

    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ResourceConflictException", message)


class ResourceNotFoundException(LambdaClientError):
    """No such resource in this Region and account: HTTP 404."""

    code = 404

    def __init__(self, message: str) -> None:
        super().__init__("ResourceNotFoundException", message)


class AccessDeniedException(LambdaClientError):
    """A function of another account, with no resource policy letting this one in: 403."""

    code = 403

    def __init__(self, message: str) -> None:
        super().__init__("AccessDeniedException", message)


class ValidationException(LambdaClientError):
    """Input that breaks a constraint of Lambda's API model: HTTP 400."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


class ServiceException(LambdaClientError):
    """Lambda's own internal error (HTTP 500): here, a request the sandbox failed on."""

    code = 500

    def __init__(self, message: str) -> None:
        super().__init__("ServiceException", message)


def check_moto_internals() -> None:
    """Fail loudly, naming what changed, if moto's Lambda internals moved."""
    problems = []
    invoke = getattr(lambda_models.LambdaFunction, "invoke", None)
    if invoke is None:
        problems.append("moto.awslambda.models.LambdaFunction.invoke is gone")
    else:
        params = list(inspect.signature(_original_invoke).parameters)
        if params != INVOKE_PARAMETERS:
            problems.append(f"LambdaFunction.invoke{tuple(params)} != {tuple(INVOKE_PARAMETERS)}")
    init_source = inspect.getsource(lambda_models.LambdaFunction)
    for name in FUNCTION_ATTRIBUTES:
        if f"self.{name}" not in init_source and not hasattr(lambda_models.LambdaFunction, name):
            problems.append(f"LambdaFunction.{name} is no longer set")
    if not hasattr(lambda_models, "lambda_backends"):
        problems.append("moto.awslambda.models.lambda_backends is gone")
    if problems:
        raise MotoInternalsChanged(
            "lambdalab.sandbox.moto_patch was written for moto "
            + TESTED_MOTO
            + "; this moto differs: "
            + "; ".join(problems)
            + ". Pin moto to the tested range in requirements.txt, or update moto_patch.py."
        )


def function_config(fn: Any, unpack_code: Callable, unpack_layers: Callable) -> FunctionConfig:
    """Read a moto LambdaFunction into the engine's FunctionConfig."""
    backend = lambda_models.lambda_backends[fn.account_id][fn.region]
    layers = [
        (layer["Arn"], backend.layers_versions_by_arn(layer["Arn"]).code_bytes)
        for layer in fn.layers
    ]
    return FunctionConfig(
        function_name=fn.function_name,
        function_arn=fn.function_arn,
        handler=fn.handler or "",
        runtime=fn.run_time or "python3.13",
        memory_size=int(fn.memory_size),
        timeout=int(fn.timeout),
        version=str(fn.version),
        region=fn.region,
        environment=tuple(sorted((fn.environment_vars or {}).items())),
        code_dir=str(unpack_code(fn.code_bytes, fn.code_digest)),
        layer_dir=str(unpack_layers(layers)),
        code_sha256=fn.code_digest,
    )


def routed_version(
    backend: Any, name_or_arn: str, qualifier: str | None, draw: Callable[[], float] = random.random
) -> tuple[str, str] | None:
    """(function name, version) when an alias's routing sends this invocation elsewhere.

    An alias with ``RoutingConfig={"AdditionalVersionWeights": {"3": 0.1}}`` sends each
    invocation to version 3 with probability 0.1, else to its ``FunctionVersion``
    (Lambda's weighted aliases). None: the alias's own version runs (or no alias).
    """
    storage = backend._lambdas  # MOTO INTERNALS (LambdaStorage): where aliases live
    if name_or_arn.startswith("arn:"):
        _, name, inline = storage.split_function_arn(name_or_arn)
    else:
        name, _, inline = name_or_arn.partition(":")
    alias_name = inline or qualifier
    if not alias_name:
        return None
    try:
        alias = storage._get_function_aliases(name).get(alias_name)
    except Exception:  # noqa: BLE001 - no such function: moto's own error follows
        return None
    weights = ((alias.routing_config or {}) if alias else {}).get("AdditionalVersionWeights")
    if not weights:
        return None
    point, total = draw(), 0.0
    for version, weight in sorted(weights.items()):
        total += float(weight)
        if point < total:
            return name, str(version)
    return None


def invoked_function_arn(backend: Any, name_or_arn: str, qualifier: str | None) -> str | None:
    """The ARN an Invoke names: unqualified, or ending in the version or alias it gave."""
    if name_or_arn.startswith("arn:"):
        parts = name_or_arn.split(":")
        if len(parts) == 8:  # arn:aws:lambda:region:account:function:name:qualifier
            return name_or_arn
        base = name_or_arn
    else:
        name, _, inline = name_or_arn.partition(":")
        qualifier = inline or qualifier
        try:
            fn = backend.get_function(name)
        except Exception:  # noqa: BLE001 - moto answers the missing function itself
            return None
        base = lambda_models.make_function_arn(fn.region, fn.account_id, fn.function_name)
    return f"{base}:{qualifier}" if qualifier else base


def log_tail(result: InvocationResult) -> str:
    """``x-amz-log-result``: the last 4 KB of the invocation's log, base64-encoded."""
    return base64.b64encode(result.log_text.encode()[-LOG_TAIL_BYTES:]).decode()


def _header(headers: Any, name: str, default: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return default


def invoke(self: Any, body: Any, request_headers: Any, response_headers: Any) -> bytes:
    """Replacement for ``LambdaFunction.invoke``: run the code in the local engine."""
    if _invoker is None:  # not inside a sandbox: moto's own behaviour
        return _original_invoke(self, body, request_headers, response_headers)
    payload = body.encode() if isinstance(body, str) else (body or b"")
    payload = payload or b"{}"
    invocation_type = _header(request_headers, "x-amz-invocation-type", "RequestResponse")
    if not request_headers:
        # moto's own services call with no headers (S3 notifications, SNS, EventBridge,
        # CloudWatch Logs subscriptions): all of them invoke asynchronously in AWS.
        invocation_type = "Event"
    if invocation_type == "Event":
        if len(payload) > MAX_ASYNC_PAYLOAD:
            raise RequestTooLargeException(MAX_ASYNC_PAYLOAD, "InvokeAsync")
    elif len(payload) > MAX_SYNC_PAYLOAD:
        raise RequestTooLargeException(MAX_SYNC_PAYLOAD, "InvokeFunction")
    response_headers["x-amz-executed-version"] = str(self.version)
    if invocation_type == "DryRun":
        return b""
    client_context = _header(request_headers, "x-amz-client-context", "") or None
    if client_context:
        client_context = base64.b64decode(client_context).decode()
    from .triggers.recursion import RecursiveLoopDetected

    invoked_arn = getattr(_invoke_request, "invoked_arn", None) if request_headers else None
    try:
        if invoked_arn:
            result = _invoker(
                self, payload, invocation_type, client_context, invoked_arn=invoked_arn
            )
        else:
            result = _invoker(self, payload, invocation_type, client_context)
    except Throttled as throttle:
        raise TooManyRequestsException(throttle.reason) from None
    except RecursiveLoopDetected as loop:
        raise RecursiveInvocationException(str(loop)) from None
    if isinstance(result, str):  # queued for asynchronous invocation: its request id
        response_headers[REQUEST_ID_HEADER] = result
        return b""
    if result is None:
        return b""
    # The Invoke response's request id is the invocation's (context.aws_request_id).
    response_headers[REQUEST_ID_HEADER] = result.request_id
    if len(result.payload) > MAX_SYNC_RESPONSE:
        result.function_error = "Unhandled"
        result.payload = (
            b'{"errorMessage": "Response payload size exceeded maximum allowed payload size'
            b' (6291556 bytes).", "errorType": "Function.ResponseSizeTooLarge"}'
        )
    if result.function_error:
        response_headers["x-amz-function-error"] = result.function_error
    response_headers["x-amz-log-result"] = log_tail(result)
    return result.payload


def install(invoker: Callable[..., Any], **hooks: Any) -> None:
    """Route every Lambda invocation in moto to ``invoker(fn, payload, type, context)``.

    ``hooks`` (all optional) are the sandbox's: ``on_event_source_mapping(esm)``,
    ``on_sqs_message(message_id)``, ``recursion_config`` (a RecursionGuard) and ``now``
    (the sandbox clock), used by the trigger patches below.
    """
    global _invoker
    check_moto_internals()
    check_trigger_internals()
    _invoker = invoker
    _hooks.clear()
    _hooks.update(hooks)
    lambda_models.LambdaFunction.invoke = invoke
    _install_trigger_patches()


def uninstall() -> None:
    """Give moto its own behaviour back."""
    global _invoker
    _invoker = None
    _hooks.clear()
    lambda_models.LambdaFunction.invoke = _original_invoke
    _uninstall_trigger_patches()


# ---------------------------------------------------------------------------------------
# Triggers (issue 5): where moto builds events itself, runs mappings synchronously, or
# lacks an API. Every moto internal used below is listed in TRIGGER_INTERNALS and checked
# by check_trigger_internals() (tests/unit/sandbox/test_moto_patch.py).
# ---------------------------------------------------------------------------------------

TRIGGER_INTERNALS = {
    "moto.s3.notifications._get_s3_event": ["event_name", "bucket", "key", "notification_id"],
    "moto.sns.models.Subscription.publish": [
        "self",
        "message",
        "message_id",
        "subject",
        "message_attributes",
        "group_id",
        "deduplication_id",
        "message_structure",
    ],
    "moto.awslambda.models.LambdaBackend.send_sns_message": [
        "self",
        "function_name",
        "message",
        "subject",
        "qualifier",
    ],
    "moto.awslambda.models.LambdaBackend.create_event_source_mapping": ["self", "spec"],
    "moto.awslambda.models.LambdaBackend.invoke": [
        "self",
        "function_name",
        "qualifier",
        "body",
        "headers",
        "response_headers",
    ],
    "moto.sqs.models.SQSBackend.send_message": None,
    "moto.sqs.models.SQSBackend.send_message_batch": ["self", "queue_name", "entries"],
    "moto.sqs.models.SQSBackend.receive_message": [
        "self",
        "queue_name",
        "count",
        "wait_seconds_timeout",
        "visibility_timeout",
        "message_attribute_names",
    ],
    "moto.sqs.models.Message.mark_sent": ["self", "delay_seconds"],
    "moto.sqs.models.Message.mark_received": ["self", "visibility_timeout"],
    "moto.dynamodb.models.table.StreamRecord.__init__": [
        "self",
        "table",
        "stream_type",
        "event_name",
        "old",
        "new",
        "seq",
    ],
    "moto.dynamodb.models.table.Table.set_stream_specification": ["self", "streams"],
    "moto.awslambda.models.LambdaFunction.update_configuration": ["self", "config_updates"],
    "moto.awslambda.models.LambdaFunction.get_configuration": ["self", "on_create"],
    "moto.awslambda.urls.url_paths": None,
    "moto.core.responses.BaseResponse.call_action": ["self"],
    "moto.core.responses.BaseResponse._get_action": ["self"],
    "moto.core.responses.BaseResponse._transform_response": ["headers", "response"],
    "moto.core.responses.BaseResponse._enrich_response": ["headers", "body"],
    "moto.awslambda.models.LambdaBackend.delete_function": ["self", "function_name", "qualifier"],
    "moto.awslambda.models.LambdaBackend.put_function_concurrency": [
        "self",
        "function_name",
        "reserved_concurrency",
    ],
    "moto.awslambda.responses.LambdaResponse": None,
    "moto.backends.list_of_moto_modules": None,
    "moto.dynamodb.models.DynamoDBBackend.put_item": None,
    "moto.dynamodb.models.DynamoDBBackend.update_item": None,
    "moto.dynamodb.models.DynamoDBBackend.delete_item": None,
    "moto.dynamodb.models.DynamoDBBackend.transact_write_items": None,
    "moto.dynamodb.responses.DynamoHandler._build_updated_new_attributes": [
        "self",
        "original",
        "changed",
    ],
}
_saved: dict[tuple[Any, str], Any] = {}
_MISSING = object()
#: The S3 keys asked for that did not exist (NoSuchKey), oldest first: AWS's error body
#: names the key (<Key>), botocore's message does not, so a check reads them here.
_missing_keys: list[str] = []
_missing_count = [0]


def missing_key_count() -> int:
    """How many NoSuchKey errors S3 has answered so far (a mark for missing_keys_since)."""
    return _missing_count[0]


def missing_keys_since(mark: int) -> list[str]:
    """The keys of the NoSuchKey errors answered after ``mark`` (the last 50 at most)."""
    return (
        list(_missing_keys[-min(50, max(0, _missing_count[0] - mark)) :])
        if (_missing_count[0] > mark)
        else []
    )


def layer_files(layer_version_arn: str) -> list[str] | None:
    """The files a published layer version's zip holds, as GetLayerVersion's download
    (Content.Location, a presigned URL in AWS) would show them; None when not known.
    https://docs.aws.amazon.com/lambda/latest/api/API_GetLayerVersion.html
    """
    import io
    import zipfile

    from moto.awslambda.models import lambda_backends

    parts = layer_version_arn.split(":")
    try:
        backend = lambda_backends[parts[4]][parts[3]]
        data = backend.layers_versions_by_arn(layer_version_arn).code_bytes
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [name for name in archive.namelist() if not name.endswith("/")]
    except Exception:  # noqa: BLE001 - not a sandbox layer, or not a zip: nothing to list
        return None


_sns_context = threading.local()


def _resolve(dotted: str) -> Any:
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def check_trigger_internals() -> None:
    """Fail loudly, naming the internal, if what the trigger patches use has moved."""
    problems = []
    for dotted, params in TRIGGER_INTERNALS.items():
        try:
            obj = _resolve(dotted)
        except (ImportError, AttributeError):
            problems.append(f"{dotted} is gone")
            continue
        obj = getattr(obj, "_lambdalab_original", obj)  # installed already: moto's own
        if params is not None and list(inspect.signature(obj).parameters) != params:
            found = tuple(inspect.signature(obj).parameters)
            problems.append(f"{dotted}{found} != {tuple(params)}")
    from moto.sqs.models import Queue

    if "lambda_event_source_mappings" not in inspect.getsource(Queue.__init__):
        problems.append("moto.sqs.models.Queue.lambda_event_source_mappings is gone")
    if problems:
        raise MotoInternalsChanged(
            "lambdalab.sandbox.moto_patch (triggers) was written for moto "
            + TESTED_MOTO
            + "; this moto differs: "
            + "; ".join(problems)
            + ". Pin moto to the tested range in requirements.txt, or update moto_patch.py."
        )


def _patch(owner: Any, name: str, replacement: Any) -> None:
    original = _saved.setdefault((owner, name), getattr(owner, name, _MISSING))
    if not isinstance(replacement, dict):
        replacement._lambdalab_original = original
    setattr(owner, name, replacement)


def _uninstall_trigger_patches() -> None:
    for (owner, name), original in _saved.items():
        if original is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, original)
    _saved.clear()


def _now() -> Any:
    return _hooks["now"]() if "now" in _hooks else None


def _install_trigger_patches() -> None:
    from moto.awslambda import responses as lambda_responses
    from moto.awslambda import urls as lambda_urls
    from moto.s3 import notifications as s3_notifications
    from moto.sns import models as sns_models
    from moto.sqs import models as sqs_models

    _uninstall_trigger_patches()  # installing twice must not wrap twice
    backend_cls = lambda_models.LambdaBackend
    function_cls = lambda_models.LambdaFunction

    # Speed: moto's server lists (and stats) its ~180 service folders on every request to
    # find the backend; the list never changes while it runs. About 2.5 ms per request.
    from moto import backends as moto_backends

    modules = tuple(moto_backends.list_of_moto_modules())
    _patch(moto_backends, "list_of_moto_modules", lambda: modules)

    # S3: moto's event lacks fields and encodes "/" in keys; build AWS's record instead.
    def get_s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict:
        from . import events

        versioned = getattr(bucket, "is_versioned", False)
        return events.s3_event(
            bucket.name,
            key.name,
            event_name,
            size=key.size,
            etag=key.etag.replace('"', ""),
            version_id=key.version_id if versioned else None,
            region=bucket.region_name,
            time=_now(),
            configuration_id=notification_id,
        )

    _patch(s3_notifications, "_get_s3_event", get_s3_event)

    # S3: remember the keys of NoSuchKey errors (see missing_keys_since).
    from moto.s3 import exceptions as s3_exceptions

    original_missing = s3_exceptions.MissingKey.__init__

    def missing_key(self: Any, key: Any = None, *args: Any, **kwargs: Any) -> None:
        original_missing(self, key, *args, **kwargs)
        if key is not None:
            _missing_keys.append(str(key))
            del _missing_keys[:-50]
            _missing_count[0] += 1

    _patch(s3_exceptions.MissingKey, "__init__", missing_key)

    # SNS: moto's event has fixed values (1970, EXAMPLE ARNs); remember the real ones.
    original_publish = sns_models.Subscription.publish

    def publish(
        self: Any,
        message: str,
        message_id: str,
        subject: Any = None,
        message_attributes: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        _sns_context.value = (self, message_id, message_attributes)
        try:
            return original_publish(
                self, message, message_id, subject, message_attributes, *args, **kwargs
            )
        finally:
            _sns_context.value = None

    def send_sns_message(
        self: Any, function_name: str, message: str, subject: Any = None, qualifier: Any = None
    ) -> None:
        from . import events

        subscription, message_id, attributes = getattr(_sns_context, "value", None) or (
            None,
            None,
            None,
        )
        topic_arn = subscription.topic.arn if subscription else "unknown-topic"
        event = events.sns_event(
            topic_arn,
            message,
            subject,
            attributes or None,
            message_id=message_id,
            subscription_id=subscription.arn.rsplit(":", 1)[1] if subscription else None,
            time=_now(),
            region=self.region_name,
            account=self.account_id,
        )
        fn = self._lambdas.get_function_by_name_or_arn_with_qualifier(function_name, qualifier)
        fn.invoke(json.dumps(event), {}, {})  # no headers: asynchronous, as SNS invokes

    _patch(sns_models.Subscription, "publish", publish)
    _patch(backend_cls, "send_sns_message", send_sns_message)

    # Invoke of an alias with AdditionalVersionWeights: moto always runs the alias's main
    # version. AWS picks a version for each invocation, at random by weight, and says
    # which one ran in the response (ExecutedVersion), as it does for every Invoke.
    original_backend_invoke = backend_cls.invoke

    def invoke_routed(
        self: Any,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: Any,
    ) -> Any:
        routed = routed_version(self, function_name, qualifier)
        if routed is not None:
            function_name, qualifier = routed
        fn = self.get_function(function_name, qualifier)
        response_headers["x-amz-executed-version"] = str(fn.version)
        return original_backend_invoke(
            self, function_name, qualifier, body, headers, response_headers
        )

    _patch(backend_cls, "invoke", invoke_routed)

    # SQS and DynamoDB mappings: moto invokes inside send_message / table writes; keep
    # the mapping out of the queue's and table's lists, our pollers do the work.
    original_create_esm = backend_cls.create_event_source_mapping

    def create_event_source_mapping(self: Any, spec: dict) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        esm = original_create_esm(self, spec)
        for queue in sqs_models.sqs_backends[self.account_id][self.region_name].queues.values():
            if queue.lambda_event_source_mappings.get(esm.function_arn) is esm:
                del queue.lambda_event_source_mappings[esm.function_arn]
        for table in dynamodb_backends[self.account_id][self.region_name].tables.values():
            mappings = getattr(table, "lambda_event_source_mappings", {})
            if mappings.get(esm.function_arn) is esm:
                del mappings[esm.function_arn]
        if "on_event_source_mapping" in _hooks:
            _hooks["on_event_source_mapping"](esm)
        return esm

    _patch(backend_cls, "create_event_source_mapping", create_event_source_mapping)

    # SQS sends: a message sent inside a chain of invocations keeps it (recursion).
    original_send = sqs_models.SQSBackend.send_message
    original_send_batch = sqs_models.SQSBackend.send_message_batch

    def send_message(self: Any, *args: Any, **kwargs: Any) -> Any:
        message = original_send(self, *args, **kwargs)
        if "on_sqs_message" in _hooks:
            _hooks["on_sqs_message"](message.id)
        return message

    def send_message_batch(self: Any, queue_name: str, entries: Any) -> Any:
        messages, failed = original_send_batch(self, queue_name, entries)
        if "on_sqs_message" in _hooks:
            for message in messages:
                _hooks["on_sqs_message"](message.id)
        return messages, failed

    _patch(sqs_models.SQSBackend, "send_message", send_message)
    _patch(sqs_models.SQSBackend, "send_message_batch", send_message_batch)

    # One clock: SQS's SentTimestamp and ApproximateFirstReceiveTimestamp, DynamoDB
    # stream records' ApproximateCreationDateTime and the stream label are read from the
    # sandbox clock, as S3 and EventBridge times are (after sb.clock.advance too).
    # Visibility timeouts and delays stay on moto's real-time logic.
    _install_clock_patches(sqs_models)

    # DeadLetterConfig: moto drops it; keep it on the function and show it.
    original_update = function_cls.update_configuration
    original_get = function_cls.get_configuration

    def update_configuration(self: Any, config_updates: dict) -> dict:
        check_layer_count(config_updates.get("Layers"))
        check_limits(config_updates)
        check_environment_variables(config_updates)
        if "DeadLetterConfig" in config_updates:
            self.dead_letter_config = config_updates["DeadLetterConfig"] or None
        environment = config_updates.get("Environment")
        if isinstance(environment, dict) and "Variables" not in environment:
            # Environment={} clears the variables in AWS; moto fails on the missing key.
            config_updates = {**config_updates, "Environment": {"Variables": {}}}
        return original_update(self, config_updates)

    def get_configuration(self: Any, on_create: bool = False) -> dict:
        config = original_get(self, on_create)
        if not hasattr(self, "dead_letter_config"):  # set at create_function
            self.dead_letter_config = (getattr(self, "_lambdalab_spec", None) or {}).get(
                "DeadLetterConfig"
            )
        if self.dead_letter_config and self.dead_letter_config.get("TargetArn"):
            config["DeadLetterConfig"] = self.dead_letter_config
        return config

    original_init = function_cls.__init__

    def init(self: Any, account_id: str, spec: dict, *args: Any, **kwargs: Any) -> None:
        self._lambdalab_spec = {"DeadLetterConfig": spec.get("DeadLetterConfig")}
        check_layer_count(spec.get("Layers"))
        check_limits(spec)
        check_environment_variables(spec)
        check_zip_file((spec.get("Code") or {}).get("ZipFile"))
        original_init(self, account_id, spec, *args, **kwargs)
        check_unzipped_size(self)

    original_update_code = function_cls.update_function_code

    def update_function_code(self: Any, updated_spec: dict) -> Any:
        check_zip_file((updated_spec or {}).get("ZipFile"))
        result = original_update_code(self, updated_spec)
        check_unzipped_size(self)
        return result

    _patch(function_cls, "update_function_code", update_function_code)

    _patch(function_cls, "update_configuration", update_configuration)
    _patch(function_cls, "get_configuration", get_configuration)
    _patch(function_cls, "__init__", init)

    # APIs moto lacks (404 "Not yet implemented"): answered by the sandbox.
    _install_missing_apis(lambda_urls, lambda_responses.LambdaResponse)
    # Every Lambda request checked and answered as Lambda would (section at the end).
    _install_request_gate(lambda_urls, lambda_responses.LambdaResponse)
    _install_refusals(backend_cls)
    _install_atomic_dynamodb_writes()
    _install_updated_new()


def _now_ms() -> int | None:
    now = _now()
    return int(now.timestamp() * 1000) if now is not None else None


def _install_clock_patches(sqs_models: Any) -> None:
    """SQS and DynamoDB Streams timestamps on the sandbox clock (see the caller)."""
    from moto.dynamodb.models import table as table_models

    message_cls = sqs_models.Message
    original_mark_sent = message_cls.mark_sent
    original_mark_received = message_cls.mark_received

    def mark_sent(self: Any, delay_seconds: int | None = None) -> None:
        original_mark_sent(self, delay_seconds)
        now = _now_ms()
        if now is not None:
            self.sent_timestamp = now

    def mark_received(self: Any, visibility_timeout: int | None = None) -> None:
        first = self.approximate_first_receive_timestamp
        original_mark_received(self, visibility_timeout)
        now = _now_ms()
        if not first and now is not None:
            self.approximate_first_receive_timestamp = now

    _patch(message_cls, "mark_sent", mark_sent)
    _patch(message_cls, "mark_received", mark_received)

    record_cls = table_models.StreamRecord
    original_record_init = record_cls.__init__

    def record_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_record_init(self, *args, **kwargs)
        now = _now()
        if now is not None:  # moto keeps naive UTC datetimes
            self.record["dynamodb"]["ApproximateCreationDateTime"] = now.astimezone(UTC).replace(
                tzinfo=None
            )
        # Loops: a record written by a handler keeps the chain of that invocation (its
        # request's trace header), so that the stream poller can carry it on.
        if _invoker is not None:
            from .triggers.recursion import incoming_lineage

            lineage = incoming_lineage()
            self.lambdalab_lineage = lineage if lineage[1] else None

    table_cls = table_models.Table
    original_set_stream = table_cls.set_stream_specification

    def set_stream_specification(self: Any, streams: Any) -> None:
        before = getattr(self, "latest_stream_label", None)
        original_set_stream(self, streams)
        label = getattr(self, "latest_stream_label", None)
        if label and label != before:
            # AWS's label has milliseconds: 2015-05-11T21:21:33.291 (moto: microseconds).
            now = _now()
            when = now.astimezone(UTC).replace(tzinfo=None) if now is not None else None
            self.latest_stream_label = (
                when.isoformat(timespec="milliseconds") if when else label[:23]
            )

    _patch(record_cls, "__init__", record_init)
    _patch(table_cls, "set_stream_specification", set_stream_specification)


MAX_LAYERS = 5  # https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
MAX_UNZIPPED_BYTES = 262_144_000  # 250 MB, function and layers together


def check_limits(settings: dict) -> None:
    """Timeout 1 to 900 s and MemorySize 128 to 10,240 MB, as Lambda validates them."""
    from .api_validation import NARROWER_MAX  # the one place these bounds are written

    for key, field, low, high in (
        ("Timeout", "timeout", 1, NARROWER_MAX["Timeout"]),
        ("MemorySize", "memorySize", 128, NARROWER_MAX["MemorySize"]),
    ):
        value = settings.get(key)
        if value is not None and not low <= int(value) <= high:
            bound = (
                f"less than or equal to {high}"
                if int(value) > high
                else (f"greater than or equal to {low}")
            )
            raise LambdaClientError(
                "ValidationException",
                f"1 validation error detected: Value '{value}' at '{field}' failed to "
                f"satisfy constraint: Member must have value {bound}",
            )


# Lambda sets these itself; a function may not: "Defined runtime environment variables",
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
RESERVED_ENVIRONMENT_VARIABLES = (
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
)


MAX_ENVIRONMENT_BYTES = 4096  # all variables together, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html


def check_environment_variables(settings: dict) -> None:
    """Lambda refuses variables over 4 KB in all, and reserved names, naming them."""
    variables = ((settings.get("Environment") or {}).get("Variables")) or {}
    measured = json.dumps(variables, separators=(",", ":"))
    if len(measured.encode()) > MAX_ENVIRONMENT_BYTES:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the "
            "environment variables you have provided exceeded the 4KB limit. String "
            f"measured: {measured}"
        )
    reserved = [name for name in variables if name in RESERVED_ENVIRONMENT_VARIABLES]
    if reserved:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the "
            "environment variables you have provided contains reserved keys that are "
            "currently not supported for modification. Reserved keys used in this request: "
            + ", ".join(reserved)
        )


def check_layer_count(layers: Any) -> None:
    """Lambda refuses a sixth layer (moto accepts any number)."""
    if layers is not None and len(layers) > MAX_LAYERS:
        raise InvalidParameterValueException(f"Cannot reference more than {MAX_LAYERS} layers.")


def check_zip_file(zip_file: Any) -> None:
    """Lambda refuses a ZipFile that is not a zip archive (moto stores it as it is)."""
    import io
    import zipfile

    if not zip_file:
        return
    try:
        data = base64.b64decode(zip_file) if isinstance(zip_file, str) else bytes(zip_file)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.infolist()
    except (ValueError, TypeError, zipfile.BadZipFile):
        raise InvalidParameterValueException(
            "Could not unzip uploaded file. Please check your file, then try to upload again."
        ) from None


def check_unzipped_size(fn: Any) -> None:
    """Lambda refuses a function whose code and layers unzip to 250 MB or more."""
    import io
    import zipfile

    def unzipped(data: bytes) -> int:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return 0

    backend = lambda_models.lambda_backends[fn.account_id][fn.region]
    total = unzipped(getattr(fn, "code_bytes", b"") or b"")
    for layer in fn.layers or []:
        total += unzipped(backend.layers_versions_by_arn(layer["Arn"]).code_bytes)
    if total >= MAX_UNZIPPED_BYTES:
        raise InvalidParameterValueException(
            f"Unzipped size must be smaller than {MAX_UNZIPPED_BYTES} bytes"
        )


_dynamodb_writes = threading.RLock()  # re-entrant: one write may call another


def _install_atomic_dynamodb_writes() -> None:
    """DynamoDB writes one at a time, as AWS applies each item write atomically.

    A conditional put (``attribute_not_exists``) and an ``ADD`` are atomic on AWS: two
    at the same instant cannot both succeed, nor lose an update. moto's threaded server
    reads, checks and writes in separate steps, so two requests at once could both pass a
    condition. One lock around its write operations restores AWS's guarantee (lesson 06:
    idempotent payments, a shared counter).
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
    """
    from moto.dynamodb.models import DynamoDBBackend

    for name in ("put_item", "update_item", "delete_item", "transact_write_items"):
        original = getattr(DynamoDBBackend, name)

        def serialized(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with _dynamodb_writes:
                return _original(*args, **kwargs)

        _patch(DynamoDBBackend, name, serialized)


_CLAUSE = re.compile(
    r"(?<![#\w])(SET|ADD|REMOVE|DELETE)\s+(.*?)(?=(?<![#\w])(?:SET|ADD|REMOVE|DELETE)\s|$)",
    re.IGNORECASE | re.DOTALL,
)
_updated_new = threading.local()


def named_in_update(expression: str, names: dict[str, str]) -> set[str]:
    """The top-level attributes an UpdateExpression's SET and ADD clauses write.

    >>> sorted(named_in_update("SET #v = :one, b = if_not_exists(b, :z) ADD c :n", {"#v": "v"}))
    ['b', 'c', 'v']
    """
    found: set[str] = set()
    for clause, body in _CLAUSE.findall(expression or ""):
        if clause.upper() not in ("SET", "ADD"):
            continue
        depth, start = 0, 0
        for index, char in enumerate(body + ","):
            depth += char == "("
            depth -= char == ")"
            if char == "," and depth == 0:
                token = re.match(r"\s*([#\w]+)", body[start:index])
                if token:
                    found.add(names.get(token.group(1), token.group(1)))
                start = index + 1
    return found


def _install_updated_new() -> None:
    """UpdateItem's ReturnValues=UPDATED_NEW returns every attribute the update wrote.

    AWS returns the attributes the SET and ADD clauses name, with their new values, even
    when a value did not change (SET visits = :one on an item whose visits is already 1
    gives back {'visits': 1}), and only those: not the key of an item the update
    creates. moto returns the values that changed (a SET to the same value came back
    without its attribute: a KeyError in lesson 06), and the key of a new item.
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues
    """
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler._build_updated_new_attributes

    def updated_new(self: Any, old: Any, changed: Any) -> Any:
        depth = getattr(_updated_new, "depth", 0)
        _updated_new.depth = depth + 1
        try:
            result = original(self, old, changed)
        finally:
            _updated_new.depth = depth
        if depth or not isinstance(changed, dict) or not isinstance(result, dict):
            return result
        body = getattr(self, "body", None) or {}
        written = named_in_update(
            body.get("UpdateExpression", ""), body.get("ExpressionAttributeNames") or {}
        )
        if not written:  # an expression this reading does not know: moto's answer
            return result
        return {k: result.get(k, changed[k]) for k in sorted(written) if k in changed}

    _patch(DynamoHandler, "_build_updated_new_attributes", updated_new)


def _install_missing_apis(lambda_urls: Any, response_cls: Any) -> None:
    """PutFunctionRecursionConfig and friends: URL rules plus LambdaResponse methods.

    moto builds its Flask URL map from ``moto.awslambda.urls.url_paths`` when the first
    Lambda request arrives, and dispatches to the LambdaResponse method named after the
    operation (found by botocore's model), so a rule and a method are all it takes.
    """
    function = r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)"
    for suffix in ("/recursion-config/?$", "/provisioned-concurrency/?$"):
        if function + suffix not in lambda_urls.url_paths:
            lambda_urls.url_paths[function + suffix] = response_cls.dispatch

    def function_name(self: Any) -> str:
        from urllib.parse import unquote

        name = unquote(self.path.split("/functions/", 1)[1].split("/", 1)[0])
        return self.backend.get_function(name).function_name  # 404 if it does not exist

    def put_function_recursion_config(self: Any) -> Any:
        name = function_name(self)
        loop = json.loads(self.body or "{}").get("RecursiveLoop", "Terminate")
        if "recursion_config" in _hooks:
            _hooks["recursion_config"].set_config(name, loop)
        return 200, {}, json.dumps({"RecursiveLoop": loop})

    def get_function_recursion_config(self: Any) -> Any:
        name = function_name(self)
        guard = _hooks.get("recursion_config")
        loop = guard.get_config(name) if guard else "Terminate"
        return 200, {}, json.dumps({"RecursiveLoop": loop})

    def provisioned(self: Any, method: str) -> Any:
        """Put/Get/DeleteProvisionedConcurrencyConfig, answered by the sandbox's hook."""
        from urllib.parse import unquote

        name = function_name(self)
        qualifier = unquote(self._get_param("Qualifier") or "")
        if not qualifier or qualifier == "$LATEST":
            raise InvalidParameterValueException(
                "Provisioned Concurrency Configs cannot be applied to unpublished function "
                "versions. Publish a version (or use an alias) and pass it as Qualifier."
            )
        hook = _hooks.get("provisioned_concurrency")
        requested = None
        if method == "PUT":
            requested = int(json.loads(self.body or "{}").get("ProvisionedConcurrentExecutions", 0))
            if requested < 1:
                raise InvalidParameterValueException(
                    "ProvisionedConcurrentExecutions must be at least 1."
                )
        status, config = hook(name, qualifier, method, requested) if hook else (404, None)
        if config is None and method != "DELETE":
            raise ProvisionedConcurrencyConfigNotFound(
                f"No Provisioned Concurrency Config found for this function: {name}:{qualifier}"
            )
        return status, {}, json.dumps(config or {})

    # moto 5.2.5's Invoke reads the query parameter "qualifier", but boto3 sends
    # "Qualifier": without this, invoking a version or an alias ran $LATEST.
    # The handler's context.invoked_function_arn is the ARN the caller used: with the
    # alias (":live") or version it named, or none. moto resolves an alias to its version
    # object, whose ARN ends in ":1", so the ARN invoked is remembered here.
    original_invoke = response_cls.invoke

    def invoke_with_qualifier(self: Any) -> Any:
        from urllib.parse import unquote

        if "Qualifier" in self.querystring and "qualifier" not in self.querystring:
            self.querystring["qualifier"] = self.querystring["Qualifier"]
        name = unquote(self.path.rsplit("/", 2)[-2])
        qualifier = self._get_param("qualifier")
        _invoke_request.invoked_arn = invoked_function_arn(self.backend, name, qualifier)
        try:
            return original_invoke(self)
        finally:
            _invoke_request.invoked_arn = None

    # moto gives every response a new 52-character request id; an Invoke keeps the
    # invocation's own (a UUID), as AWS does.
    original_enrich = response_cls._enrich_response

    def enrich_response(headers: dict, body: Any) -> Any:
        request_id = headers.get(REQUEST_ID_HEADER)
        headers, body = original_enrich(headers, body)
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        return headers, body

    _patch(response_cls, "_enrich_response", staticmethod(enrich_response))

    _patch(response_cls, "invoke", invoke_with_qualifier)
    _patch(response_cls, "put_function_recursion_config", put_function_recursion_config)
    _patch(response_cls, "get_function_recursion_config", get_function_recursion_config)
    _patch(response_cls, "put_provisioned_concurrency_config", lambda s: provisioned(s, "PUT"))
    _patch(response_cls, "get_provisioned_concurrency_config", lambda s: provisioned(s, "GET"))
    _patch(
        response_cls, "delete_provisioned_concurrency_config", lambda s: provisioned(s, "DELETE")
    )


# ---------------------------------------------------------------------------------------
# Lambda's front door (issue 23): what AWS refuses, refused with AWS's error. moto routes
# only the names its URL patterns know, checks no constraint of the API's model, and lets
# any exception of its own escape as an HTTP 500 page with its traceback. Here every
# Lambda request reaches LambdaResponse, is checked as AWS checks it (api_validation),
# and anything moto still fails on is answered as Lambda's ServiceException, in one line.
# ---------------------------------------------------------------------------------------

_log = logging.getLogger("lambdalab.sandbox")
_ROUTE_LABEL = re.compile(r"\(\?P<(\w+)>\[\\w_(?::%)?-\]\+\)")


def _widen_routes(lambda_urls: Any, dispatch: Any) -> None:
    """Every Lambda URL reaches LambdaResponse, whatever the name in it (checked there).

    moto's patterns accept ``[\\w_:%-]+`` only: ``f1:$LATEST``, ``my function`` or a
    name with a ``/`` got Flask's HTML "404 Not Found" page instead of Lambda's answer.
    """
    widened = {
        _ROUTE_LABEL.sub(r"(?P<\1>[^/]+)", path): h for path, h in lambda_urls.url_paths.items()
    }
    # A name with "/" in it (decoded before routing): Lambda's answer, not Flask's page.
    catch_all = r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_path>.+)$"
    widened.setdefault(catch_all, dispatch)
    _patch(lambda_urls, "url_paths", widened)


def _raw_function_segment(response: Any) -> str | None:
    """The function name as the request's URL spelled it (percent-decoded), if any."""
    from urllib.parse import unquote, urlsplit

    raw = urlsplit(getattr(response, "uri", "") or "").path or response.path
    if "/functions/" not in raw:
        return None
    rest = raw.split("/functions/", 1)[1]
    known = (
        "/invocations",
        "/configuration",
        "/code",
        "/concurrency",
        "/versions",
        "/aliases",
        "/policy",
        "/url",
        "/event-invoke-config",
        "/recursion-config",
        "/provisioned-concurrency",
        "/invoke-async",
        "/code-signing-config",
    )
    for suffix in known:
        if suffix + "/" in rest + "/":
            rest = rest[: (rest + "/").index(suffix + "/")]
            break
    return unquote(rest.rstrip("/"))


def _request_params(response: Any, operation: Any) -> dict[str, Any]:
    """The operation's input members as the request carries them (URI, query, body)."""
    shape = operation.input_shape
    if shape is None:
        return {}
    payload = shape.serialization.get("payload")
    body: Any = None
    params: dict[str, Any] = {}
    uri = getattr(response, "uri_match", None) or {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri":
            value = uri.get(wire, uri.get(name))
        elif location == "querystring":
            value = (response.querystring.get(wire) or [None])[0]
        elif location in ("header", "headers"):
            continue
        elif name == payload:
            continue
        else:
            if body is None:
                try:
                    body = json.loads(response.body or "{}")
                except (TypeError, ValueError):
                    body = {}
                body = body if isinstance(body, dict) else {}
            value = body.get(name)
        if value is not None:
            params[name] = value
    return params


def _check_function_name(response: Any, operation: str, params: dict[str, Any]) -> None:
    """Another Region's or account's ARN refused as AWS refuses it; other forms made plain.

    Lambda accepts ``name``, ``name:qualifier``, ``123456789012:function:name`` and the
    full ARN. moto reads the first two and the full ARN (ignoring its Region and
    account); the request is rewritten to ``name[:qualifier]`` once checked.
    """
    from . import api_validation

    value = params.get("FunctionName")
    if not isinstance(value, str):
        return
    parsed = api_validation.parse_function_name(value)
    if parsed is None:
        return
    region, account = response.region, response.current_account
    if parsed.region and parsed.region != region:
        raise ResourceNotFoundException(
            f"Functions from '{parsed.region}' are not reachable in this region ('{region}')"
        )
    if parsed.account and parsed.account != account:
        arn = lambda_models.make_function_arn(parsed.region or region, parsed.account, parsed.name)
        raise AccessDeniedException(
            f"User: arn:aws:iam::{account}:root is not authorized to perform: "
            f"lambda:{operation} on resource: {arn} because no resource-based policy "
            f"allows the lambda:{operation} action"
        )
    qualifier = params.get("Qualifier")
    if parsed.qualifier and isinstance(qualifier, str) and qualifier != parsed.qualifier:
        raise InvalidParameterValueException(
            "The derived qualifier from the function name does not match the specified qualifier."
        )
    if parsed.plain == value:
        return
    from urllib.parse import quote

    uri = getattr(response, "uri_match", None)
    if isinstance(uri, dict) and uri.get("FunctionName") == value:
        uri["FunctionName"] = parsed.plain
        response.path = response.path.replace(quote(value, safe=""), quote(parsed.plain, safe=""))
        response.path = response.path.replace(value, parsed.plain)
    else:
        body = json.loads(response.body)
        body["FunctionName"] = parsed.plain
        response.body = json.dumps(body)


def check_request(response: Any) -> None:
    """Refuse a Lambda request as AWS would before it looks anything up (or pass)."""
    from . import api_validation

    operation_name = response._get_action()
    if not operation_name:  # no operation has this URL: a name with "/" in it
        name = _raw_function_segment(response)
        pattern = api_validation.FUNCTION_NAME_PATTERN
        raise ValidationException(
            api_validation.validation_message(
                [
                    f"Value '{name}' at 'functionName' failed to satisfy constraint: "
                    f"Member must satisfy regular expression pattern: {pattern}"
                ]
            )
        )
    operation = api_validation._service_model("lambda").operation_model(operation_name)
    params = _request_params(response, operation)
    errors = api_validation.validation_errors("lambda", operation_name, params)
    if errors:
        raise ValidationException(api_validation.validation_message(errors))
    _check_function_name(response, operation_name, params)
    if operation_name == "ListVersionsByFunction":  # moto lists none for a missing one
        name = api_validation.parse_function_name(params["FunctionName"])
        response.backend.get_function(name.name if name else params["FunctionName"])
    if operation_name in ("CreateAlias", "UpdateAlias"):
        name = api_validation.parse_function_name(params["FunctionName"])
        check_alias_versions(
            response.backend, name.name if name else params["FunctionName"], params
        )


def check_alias_versions(backend: Any, function_name: str, params: dict[str, Any]) -> None:
    """An alias points at versions that exist; one that splits traffic, at published ones.

    https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
    """
    version = params.get("FunctionVersion")
    weights = (params.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    if weights and version == "$LATEST":
        raise InvalidParameterValueException(
            "$LATEST is not supported for an alias pointing to more than 1 version"
        )
    for other in weights:
        try:
            backend.get_function(function_name, str(other))
        except LambdaClientError:
            arn = backend.get_function(function_name).function_arn  # 404 for the function
            raise ResourceNotFoundException(f"Function not found: {arn}:{other}") from None


def _install_request_gate(lambda_urls: Any, response_cls: Any) -> None:
    """Route, check and answer every Lambda request as Lambda would (see the section)."""
    from werkzeug.exceptions import HTTPException

    _widen_routes(lambda_urls, response_cls.dispatch)
    original_call_action = response_cls.call_action

    def answer(self: Any, error: Any) -> Any:
        headers = dict(error.get_headers() or [])
        headers["status"] = error.code
        status, headers, body = self._transform_response(
            self.response_headers, (error.description, headers)
        )
        headers, body = self._enrich_response(headers, body)
        return status, headers, body

    def call_action(self: Any) -> Any:
        try:
            check_request(self)
            return original_call_action(self)
        except HTTPException as error:  # moto's and the gate's AWS-shaped errors
            return answer(self, error)
        except NotImplementedError:  # moto lacks the operation
            return answer(
                self,
                ServiceException(
                    f"The sandbox's Lambda does not implement {self._get_action()} (AWS "
                    "does): a gap in the offline AWS, not in your code."
                ),
            )
        except Exception as error:  # noqa: BLE001 - a gap in moto or the sandbox
            _log.debug("Lambda request failed inside the sandbox", exc_info=True)
            what = f"{type(error).__name__}: {error}"[:200]
            return answer(
                self,
                ServiceException(
                    f"The sandbox's Lambda failed on this request ({what}). AWS would "
                    "have answered it; this is a gap in the offline AWS, not in your code."
                ),
            )

    _patch(response_cls, "call_action", call_action)


MIN_UNRESERVED_CONCURRENCY = (
    100  # https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
)


def minimum_unreserved(account_limit: int) -> int:
    """What Lambda keeps unreserved: 100, or the whole limit of an account below 100.

    AWS's message names the minimum: "[100]", or "[10]" in a new account whose limit
    is 10 (where no function can reserve any).
    """
    return min(MIN_UNRESERVED_CONCURRENCY, int(account_limit))


def reserved_concurrency(backend: Any, except_function: str | None = None) -> dict[str, int]:
    """Each function's reserved concurrency in this Region (those that reserve any)."""
    return {
        fn.function_name: int(fn.reserved_concurrency)
        for fn in backend.list_functions()
        if getattr(fn, "reserved_concurrency", None) not in (None, "")
        and fn.function_name != except_function
    }


def check_reservation(backend: Any, function_name: str, requested: int) -> None:
    """PutFunctionConcurrency: refused when it leaves less than the minimum unreserved."""
    hook = _hooks.get("account_concurrency")
    limit = int(hook()) if hook else 1000
    minimum = minimum_unreserved(limit)
    others = sum(reserved_concurrency(backend, except_function=function_name).values())
    if limit - others - int(requested) < minimum:
        raise InvalidParameterValueException(
            "Specified ReservedConcurrentExecutions for function decreases account's "
            f"UnreservedConcurrentExecution below its minimum value of [{minimum}]."
        )


def check_version_deletion(backend: Any, function_name: str, qualifier: str | None) -> None:
    """DeleteFunction with a qualifier deletes one version; Lambda refuses the others.

    $LATEST goes only with the whole function, an alias is deleted with DeleteAlias, and
    a version an alias points to (or routes part of its traffic to) stays until no alias
    uses it: HTTP 409 ``ResourceConflictException``.
    https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
    """
    name, _, inline = function_name.partition(":")
    qualifier = inline or qualifier
    if not qualifier:
        return
    if qualifier == "$LATEST":
        raise InvalidParameterValueException(
            "$LATEST version cannot be deleted without deleting the function."
        )
    if not qualifier.isdigit():
        raise InvalidParameterValueException("Deletion of aliases is not currently supported.")
    storage = backend._lambdas  # MOTO INTERNALS (LambdaStorage): where aliases live
    try:
        aliases = storage._get_function_aliases(name)
    except Exception:  # noqa: BLE001 - no such function: moto's own 404 follows
        return
    using = sorted(
        alias_name
        for alias_name, alias in aliases.items()
        if str(alias.function_version) == qualifier
        or qualifier in ((alias.routing_config or {}).get("AdditionalVersionWeights") or {})
    )
    if using:
        raise ResourceConflictException(
            "Unable to delete version because the following aliases reference it: "
            f"[{', '.join(using)}]"
        )


def _install_refusals(backend_cls: Any) -> None:
    """Lambda's rules on concurrency and versions that moto does not keep."""
    original_put_concurrency = backend_cls.put_function_concurrency
    original_delete = backend_cls.delete_function

    def put_function_concurrency(self: Any, function_name: str, reserved_concurrency: Any) -> Any:
        fn = self.get_function(function_name)  # 404 first, as AWS
        check_reservation(self, fn.function_name, int(reserved_concurrency))
        return original_put_concurrency(self, function_name, reserved_concurrency)

    def delete_function(self: Any, function_name: str, qualifier: str | None = None) -> Any:
        check_version_deletion(self, function_name, qualifier)
        return original_delete(self, function_name, qualifier)

    original_publish_layer = backend_cls.publish_layer_version

    def publish_layer_version(self: Any, spec: dict) -> Any:
        # Lambda refuses a layer whose ZipFile is not a zip at the call, as for a
        # function's code (moto stores it and fails later, when a function mounts it).
        # https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html
        check_zip_file(((spec or {}).get("Content") or {}).get("ZipFile"))
        return original_publish_layer(self, spec)

    _patch(backend_cls, "put_function_concurrency", put_function_concurrency)
    _patch(backend_cls, "delete_function", delete_function)
    _patch(backend_cls, "publish_layer_version", publish_layer_version)
