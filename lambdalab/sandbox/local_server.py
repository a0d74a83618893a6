"""Small HTTP servers on 127.0.0.1, each serving in a thread of its own.

The sandbox speaks HTTP over loopback in three places: the Runtime API each execution
environment's worker polls, as Lambda's runtime interface does
(:mod:`.runtime.api`); the endpoints of API Gateway and function URLs
(:mod:`.triggers.http`); and its own control endpoint (:mod:`.control`). They start and
stop their servers the same way, here.

Where the sandbox listens that others reach (moto's endpoint, the control endpoint, the
APIs and function URLs) is normally any free port. The instructors' grader instead gives
each student's sandbox a range of ports (``LAMBDALAB_PORTS=first-last`` in the kernel's
environment) and talks to those ports only: moto's endpoint is on the first, the control
endpoint on the second, APIs and function URLs on the others (``reachable_port``).
"""

from __future__ import annotations

import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: The variable that assigns the sandbox its ports (``"20000-20199"``); see the module.
PORTS_VARIABLE = "LAMBDALAB_PORTS"
#: The place of each fixed role in the assigned range.
ROLES = {"endpoint": 0, "control": 1}


def assigned_ports() -> range | None:
    """The port range in ``LAMBDALAB_PORTS``, or None (any free port will do)."""
    first, _, last = os.environ.get(PORTS_VARIABLE, "").partition("-")
    try:
        ports = range(int(first), int(last) + 1)
    except ValueError:
        return None
    return ports if 0 < ports.start and ports.stop <= 65536 and len(ports) > len(ROLES) else None


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port(role: str | None = None) -> int:
    """A port to listen on: the one assigned to ``role`` if free, else any free port."""
    ports = assigned_ports()
    if ports is not None and role in ROLES and _bindable(ports[ROLES[role]]):
        return ports[ROLES[role]]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1, on a free port, serving in a daemon thread.

    Example
    -------
    >>> server = LocalServer(BaseHTTPRequestHandler, name="example")
    >>> server.address.startswith("127.0.0.1:")
    True
    >>> server.stop()
    """

    daemon_threads = True  # a request still being answered never holds the kernel up

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        name: str,
        poll_interval: float = 0.1,
        role: str | None = None,
    ) -> None:
        """``role``: ``"control"``, ``"api"`` (an API or function URL) or None (internal)."""
        ports = assigned_ports() if role else None
        if ports is None:
            super().__init__(("127.0.0.1", 0), handler)
        elif role in ROLES:
            super().__init__(("127.0.0.1", free_port(role)), handler)
        else:
            for port in ports[len(ROLES) :]:
                try:
                    super().__init__(("127.0.0.1", port), handler)
                    break
                except OSError:
                    continue
            else:
                super().__init__(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": poll_interval},
            name=name,
            daemon=True,
        )
        self.thread.start()

    @property
    def address(self) -> str:
        """``host:port``."""
        host, port = self.server_address[:2]
        return f"{host}:{port}"

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.address}"

    def stop(self) -> None:
        """Stop serving and close the socket, without waiting for the serving thread."""
        threading.Thread(target=self.shutdown, daemon=True).start()
        self.server_close()

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        """A client that hangs up early (a killed worker, a closed tab) is not an error."""
