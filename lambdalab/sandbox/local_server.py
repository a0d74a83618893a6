"""Small HTTP servers on 127.0.0.1, each serving in a thread of its own.

The sandbox speaks HTTP over loopback in three places: the Runtime API each execution
environment's worker polls, as Lambda's runtime interface does
(:mod:`.runtime.api`); the endpoints of API Gateway and function URLs
(:mod:`.triggers.http`); and its own control endpoint (:mod:`.control`). They start and
stop their servers the same way, here.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
        self, handler: type[BaseHTTPRequestHandler], name: str, poll_interval: float = 0.1
    ) -> None:
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
