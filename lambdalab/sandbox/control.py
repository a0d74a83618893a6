"""A small HTTP endpoint for what boto3 cannot reach: wait, logs, URLs, the clock.

It also serves ``failures`` and ``recover``; a ``wait`` that raises SandboxStuck answers
409 with the message and the failures, which RemoteSandbox raises again as SandboxStuck.

The instructors' grader runs the exercise checks in its own process, away from the
student's kernel (see lambdalab.grading). Most checks talk to the sandbox through boto3,
on the moto server's endpoint. A few need the sandbox object itself: ``sb.wait()`` for
asynchronous events, ``sb.logs(name)``, ``sb.url(api)``, ``sb.clock``. The sandbox serves
those on 127.0.0.1 here, as JSON, and advertises the address in ``LAMBDALAB_CONTROL_URL``;
``lambdalab.grading.remote.RemoteSandbox`` calls it.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from .local_server import LocalServer


class ControlServer:
    """Serve the sandbox's own operations as JSON on 127.0.0.1 (see the module)."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        handler = type("Handler", (_Handler,), {"sandbox": sandbox})
        self._server = LocalServer(handler, name="sandbox-control", role="control")

    @property
    def url(self) -> str:
        return self._server.url

    def stop(self) -> None:
        self._server.stop()


class _Handler(BaseHTTPRequestHandler):
    sandbox: Any

    def log_message(self, format, *args):  # noqa: A002, ANN001
        pass

    def _reply(self, status: int, document: Any) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        from .failures import SandboxStuck

        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
            operation = urlparse(self.path).path.strip("/")
            self._reply(200, {"result": self.operate(operation, request)})
        except SandboxStuck as stuck:
            failures = [dataclasses.asdict(f) for f in stuck.failures]
            self._reply(409, {"error": str(stuck), "stuck": str(stuck), "failures": failures})
        except Exception as error:  # noqa: BLE001 - reported to the caller, as data
            self._reply(500, {"error": f"{type(error).__name__}: {error}"})

    def do_GET(self) -> None:  # noqa: N802
        query = {key: values[0] for key, values in parse_qs(urlparse(self.path).query).items()}
        try:
            self._reply(200, {"result": self.operate(urlparse(self.path).path.strip("/"), query)})
        except Exception as error:  # noqa: BLE001
            self._reply(500, {"error": f"{type(error).__name__}: {error}"})

    def operate(self, operation: str, request: dict[str, Any]) -> Any:
        sb = self.sandbox
        if operation == "wait":
            sb.wait(timeout=float(request.get("timeout", 60)))
            return None
        if operation == "logs":
            view = sb.logs(request["function"])
            return {"group": view.group, "events": view.events}
        if operation == "url":
            return sb.url(request["api"], request.get("stage") or None)
        if operation == "clock/now":
            return sb.clock.now().isoformat()
        if operation == "clock/advance":
            return sb.clock.advance(timedelta(seconds=float(request["seconds"])))
        if operation == "failures":
            found = sb.failures(request.get("function") or None)
            return [dataclasses.asdict(f) for f in found]
        if operation == "recover":
            return str(sb.recover(request.get("function") or None))
        if operation == "account-concurrency":
            sb.set_account_concurrency(int(request["limit"]))
            return None
        raise ValueError(f"unknown operation {operation!r}")
