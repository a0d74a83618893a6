"""The Lambda Runtime API, served locally for one execution environment.

AWS's runtime clients (awslambdaric for Python) do not receive events by magic: they poll
an HTTP API inside the execution environment. This module serves that API with the
standard library, so the official runtime client can run unchanged on a laptop.

Endpoints (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):

- ``GET  /2018-06-01/runtime/invocation/next``: blocks until an event arrives, then
  returns it with the ``Lambda-Runtime-*`` headers.
- ``POST /2018-06-01/runtime/invocation/{id}/response``: the handler's result.
- ``POST /2018-06-01/runtime/invocation/{id}/error``: the handler raised.
- ``POST /2018-06-01/runtime/init/error``: the module could not be loaded.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from ..local_server import LocalServer

PREFIX = "/2018-06-01/runtime"


@dataclass
class Invocation:
    """One event on its way through the Runtime API, and what came back."""

    request_id: str
    payload: bytes
    deadline_ms: int
    function_arn: str
    client_context: str | None = None
    cognito_identity: str | None = None
    trace_id: str | None = None
    delivered_at: float | None = None  # perf_counter() when the runtime received it
    finished_at: float | None = None
    response: bytes | None = None
    error: bytes | None = None  # the runtime's error JSON
    error_type: str | None = None  # Lambda-Runtime-Function-Error-Type header
    done: threading.Event = field(default_factory=threading.Event)


class RuntimeAPI:
    """A Runtime API endpoint that one worker process polls.

    Example
    -------
    >>> api = RuntimeAPI()
    >>> api.address  # doctest: +SKIP
    '127.0.0.1:40123'
    >>> api.close()
    """

    def __init__(self) -> None:
        self._events: queue.Queue[Invocation | None] = queue.Queue()
        self._invocations: dict[str, Invocation] = {}
        self.init_error: bytes | None = None
        self.ready = threading.Event()  # set at the first GET .../next (end of INIT)
        self.ready_at: float | None = None
        self.failed = threading.Event()  # set on init/error
        self._server = LocalServer(_Handler, name="lambda-runtime-api", poll_interval=0.05)
        self._server.api = self

    @property
    def address(self) -> str:
        """``host:port``, the value of ``AWS_LAMBDA_RUNTIME_API`` for the worker."""
        return self._server.address

    def submit(self, invocation: Invocation) -> None:
        """Queue an event for the worker's next ``GET .../next``."""
        self._invocations[invocation.request_id] = invocation
        self._events.put(invocation)

    def close(self) -> None:
        """Stop serving; a worker blocked in ``next`` gets its connection closed."""
        self._events.put(None)
        self._server.stop()

    # Called by the request handler ---------------------------------------------------
    def _next(self) -> Invocation | None:
        if not self.ready.is_set():
            self.ready_at = time.perf_counter()
            self.ready.set()
        invocation = self._events.get()
        if invocation is not None:
            invocation.delivered_at = time.perf_counter()
        return invocation

    def _finish(self, request_id: str, body: bytes, error_type: str | None, ok: bool) -> bool:
        invocation = self._invocations.pop(request_id, None)
        if invocation is None:
            return False
        invocation.finished_at = time.perf_counter()
        if ok:
            invocation.response = body
        else:
            invocation.error = body
            invocation.error_type = error_type or "Unhandled"
        invocation.done.set()
        return True

    def _init_failed(self, body: bytes) -> None:
        self.init_error = body
        self.failed.set()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: warm invokes cost well under 1 ms
    disable_nagle_algorithm = True
    server: LocalServer  # with .api, the RuntimeAPI it serves

    def log_message(self, format, *args):  # noqa: A002, ANN001
        pass  # the worker's own logs are what the learner reads

    def _reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # noqa: N802
        if self.path != f"{PREFIX}/invocation/next":
            return self._reply(404, b'{"errorMessage": "not found"}')
        invocation = self.server.api._next()
        if invocation is None:
            self.close_connection = True
            return self._reply(410, b'{"errorMessage": "environment shutting down"}')
        headers = {
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": invocation.function_arn,
        }
        if invocation.trace_id:
            headers["Lambda-Runtime-Trace-Id"] = invocation.trace_id
        if invocation.client_context:
            headers["Lambda-Runtime-Client-Context"] = invocation.client_context
        if invocation.cognito_identity:
            headers["Lambda-Runtime-Cognito-Identity"] = invocation.cognito_identity
        self._reply(200, invocation.payload, headers)

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        parts = self.path[len(PREFIX) :].strip("/").split("/")
        api = self.server.api
        if parts == ["init", "error"]:
            api._init_failed(body)
            return self._reply(202, b'{"status": "OK"}')
        if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            ok = parts[2] == "response"
            error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
            if api._finish(parts[1], body, error_type, ok):
                return self._reply(202, b'{"status": "OK"}')
            message = json.dumps({"errorMessage": f"unknown request id {parts[1]}"})
            return self._reply(400, message.encode())
        self._reply(404, b'{"errorMessage": "not found"}')
