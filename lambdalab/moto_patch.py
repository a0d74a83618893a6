"""The one place where the kit reaches into moto: Lambda invocations go to our engine.

moto 5 implements Lambda's control plane (create_function, layers, versions, aliases,
event source mappings...) but runs function code only through Docker. This module
replaces ``moto.awslambda.models.LambdaFunction.invoke`` (the method that ``Invoke``,
S3 notifications, SNS, SQS and DynamoDB stream mappings all call) so that the code
runs in a local execution environment instead (:mod:`lambdalab.runtime`).

If a moto upgrade renames what this module relies on, :func:`check_moto_internals`
fails with a message naming the missing piece (tests/unit/test_moto_patch.py runs it).
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Callable
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import LambdaClientError

from .runtime.environment import FunctionConfig, InvocationResult

TESTED_MOTO = ">=5.2.5,<5.3"
MAX_SYNC_PAYLOAD = 6_291_456  # bytes, as AWS words it: "Request must be smaller than 6291456 bytes
# for the InvokeFunction operation" (error code RequestEntityTooLargeException, HTTP 413)
MAX_SYNC_RESPONSE = 6_291_556  # bytes
MAX_ASYNC_PAYLOAD = 1_048_576  # 1 MB since October 2025 (was 256 KB)
LOG_TAIL_BYTES = 4096  # LogType=Tail returns the last 4 KB of the log

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


class MotoInternalsChanged(RuntimeError):
    """moto no longer looks the way lambdalab.moto_patch expects."""


class RequestTooLargeException(LambdaClientError):
    """Lambda refuses payloads over 6 MB (synchronous) or 1 MB (asynchronous): HTTP 413."""

    code = 413

    def __init__(self, limit: int, operation: str) -> None:
        super().__init__(
            "RequestEntityTooLargeException",
            f"Request must be smaller than {limit} bytes for the {operation} operation",
        )


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
            "lambdalab.moto_patch was written for moto "
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
    result = _invoker(self, payload, invocation_type, client_context)
    if result is None:  # queued for asynchronous invocation
        return b""
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


def install(invoker: Callable[..., Any]) -> None:
    """Route every Lambda invocation in moto to ``invoker(fn, payload, type, context)``."""
    global _invoker
    check_moto_internals()
    _invoker = invoker
    lambda_models.LambdaFunction.invoke = invoke


def uninstall() -> None:
    """Give moto its own behaviour back."""
    global _invoker
    _invoker = None
    lambda_models.LambdaFunction.invoke = _original_invoke
