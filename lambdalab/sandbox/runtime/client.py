"""A small Python runtime client: the fallback where awslambdaric has no wheel (macOS).

On Linux the kit runs AWS's own runtime interface client, awslambdaric. Where it cannot
be installed, this module plays the same part with the standard library only: it loads
the handler, polls the Runtime API for events, calls the handler and posts the result,
reproducing awslambdaric's behaviour (error shapes, ``Runtime.*`` error types, log
format). The same conformance tests run against both clients.

It runs inside the worker process, next to the learner's code, so it imports nothing
from lambdalab. See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
"""

from __future__ import annotations

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = "/2018-06-01/runtime"


class Fault(Exception):
    """An error the runtime itself reports, with one of Lambda's ``Runtime.*`` types."""

    def __init__(self, error_type: str, message: str, trace: list[str] | None = None):
        super().__init__(message)
        self.error_type, self.message, self.trace = error_type, message, trace or []


class _Fields:
    """An object with fixed attributes, None unless given (awslambdaric's make_obj_from_dict)."""

    names: tuple[str, ...] = ()

    def __init__(self, values: dict):
        for name in self.names:
            setattr(self, name, values.get(name))


class ClientContext(_Fields):
    names = ("client", "custom", "env")


class Client(_Fields):
    names = (
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    )


def client_context(header: str | None) -> ClientContext | None:
    """``Lambda-Runtime-Client-Context`` (the Invoke's ClientContext) as awslambdaric gives it."""
    if not header:
        return None
    values = json.loads(header)
    if not isinstance(values, dict):
        return None
    values.pop("w3c", None)  # awslambdaric keeps it apart (context.w3c())
    context = ClientContext(values)
    if isinstance(context.client, dict):
        context.client = Client(context.client)
    return context


class LambdaContext:
    """The ``context`` argument: https://docs.aws.amazon.com/lambda/latest/dg/python-context.html"""

    def __init__(self, request_id: str, deadline_ms: int, function_arn: str):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = function_arn
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, message: str) -> None:
        sys.stdout.write(message)
        sys.stdout.flush()


_request_id = ""


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = _request_id
        return True


class _LambdaLogHandler(logging.StreamHandler):
    """One log record per line, as awslambdaric writes them: newlines become ``\\r``."""

    def emit(self, record: logging.LogRecord) -> None:
        message = self.format(record).replace("\n", "\r")
        self.stream.write(message + "\n")
        self.flush()


def _setup_logging() -> None:
    handler = _LambdaLogHandler(sys.stdout)
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.formatter.converter = time.gmtime
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def load_handler(handler: str):
    """Import ``module.function`` as awslambdaric does, with the same faults."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {error}") from None
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise Fault(
            "Runtime.BuiltInModuleConflict",
            f"Cannot use built-in module {module_name} as a handler module",
        )
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        raise Fault(
            "Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}"
        ) from None
    except SyntaxError as error:
        trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
        raise Fault(
            "Runtime.UserCodeSyntaxError",
            f"Syntax error in module '{module_name}': {error}",
            trace,
        ) from None
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise Fault(
            "Runtime.HandlerNotFound",
            f"Handler '{function_name}' missing on module '{module_name}'",
        ) from None


def _default(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        # awslambdaric's encoder (simplejson) decodes bytes inside the result as UTF-8:
        # text passes, binary data fails with "'utf-8' codec can't decode byte ...".
        return value.decode("utf-8")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _ensure_ascii() -> bool:
    """awslambdaric writes non-ASCII text as is from python3.12 on, escaped (\\u00e9) before."""
    runtime = os.environ.get("AWS_EXECUTION_ENV", "").removeprefix("AWS_Lambda_python")
    try:
        major, minor = (int(part) for part in runtime.split("."))
    except ValueError:
        return False
    return (major, minor) < (3, 12)


def marshal(result) -> tuple[bytes, str]:
    """awslambdaric's ``marshal_response``: bytes are sent as they are, the rest as JSON."""
    if isinstance(result, bytes):
        return result, "application/unknown"
    try:
        text = json.dumps(result, default=_default, ensure_ascii=_ensure_ascii())
        return text.encode(), "application/json"
    except Exception as error:  # noqa: BLE001 - any failure is a MarshalError, as in awslambdaric
        raise Fault("Runtime.MarshalError", f"Unable to marshal response: {error}") from None


def make_error(message: str, error_type: str, trace: list[str], request_id: str = "") -> dict:
    return {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": trace,
    }


def log_error(error: dict) -> None:
    lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}"]
    if error["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in error["stackTrace"])
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")
    sys.stdout.flush()


class RuntimeClient:
    def __init__(self, address: str):
        self.connection = http.client.HTTPConnection(address)

    def _post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.connection.request("POST", API + path, body=body, headers=headers or {})
        self.connection.getresponse().read()

    def next(self):
        self.connection.request("GET", API + "/invocation/next")
        response = self.connection.getresponse()
        return response.headers, response.read()

    def post_result(self, request_id: str, body: bytes, content_type: str) -> None:
        self._post(f"/invocation/{request_id}/response", body, {"Content-Type": content_type})

    def post_error(self, request_id: str, error: dict) -> None:
        headers = {"Lambda-Runtime-Function-Error-Type": error["errorType"]}
        self._post(f"/invocation/{request_id}/error", json.dumps(error).encode(), headers)

    def post_init_error(self, error: dict) -> None:
        headers = {"Lambda-Runtime-Function-Error-Type": error["errorType"]}
        self._post("/init/error", json.dumps(error).encode(), headers)


def _user_trace(tb) -> list[str]:
    frames = traceback.extract_tb(tb)
    frames = [frame for frame in frames if not frame.filename.endswith("client.py")] or frames
    # Tuples, as awslambdaric passes them: no column markers under the source line.
    return traceback.format_list([(f.filename, f.lineno, f.name, f.line) for f in frames])


def run(handler_name: str) -> None:
    global _request_id
    _setup_logging()
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    try:
        handler = load_handler(handler_name)
    except Fault as fault:
        error = make_error(fault.message, fault.error_type, fault.trace)
    except Exception as exc:  # noqa: BLE001 - module code raised: report it as awslambdaric does
        error = make_error(str(exc), type(exc).__name__, _user_trace(exc.__traceback__))
    else:
        error = None
    if error is not None:
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    while True:
        headers, body = client.next()
        _request_id = request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        context = LambdaContext(
            request_id,
            int(headers["Lambda-Runtime-Deadline-Ms"]),
            headers["Lambda-Runtime-Invoked-Function-Arn"],
        )
        context.client_context = client_context(headers.get("Lambda-Runtime-Client-Context"))
        try:
            try:
                event = json.loads(body) if body else {}
            except ValueError as exc:
                raise Fault("Runtime.UnmarshalError", f"Unable to unmarshal input: {exc}") from None
            result, content_type = marshal(handler(event, context))
        except Fault as fault:
            error = make_error(fault.message, fault.error_type, fault.trace, request_id)
        except Exception as exc:  # noqa: BLE001 - the handler raised: an Unhandled error
            trace = _user_trace(exc.__traceback__)
            error = make_error(str(exc), type(exc).__name__, trace, request_id)
        else:
            sys.stdout.flush()
            client.post_result(request_id, result, content_type)
            continue
        log_error(error)
        client.post_error(request_id, error)
