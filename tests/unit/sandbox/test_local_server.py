"""lambdalab.sandbox.local_server: the loopback HTTP servers of the Runtime API, the HTTP
endpoints and the control endpoint start on a free port and stop without waiting."""

from __future__ import annotations

import doctest
import urllib.request
from http.server import BaseHTTPRequestHandler

from lambdalab.sandbox import local_server
from lambdalab.sandbox.local_server import LocalServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, format, *args):  # noqa: A002, ANN001
        pass


def test_the_module_s_examples_hold():
    assert doctest.testmod(local_server).failed == 0


def test_serves_on_loopback_until_stopped():
    first, second = LocalServer(Hello, name="one"), LocalServer(Hello, name="two")
    try:
        assert first.address != second.address  # each on a free port of its own
        with urllib.request.urlopen(first.url, timeout=5) as response:
            assert response.read() == b"hello"
    finally:
        first.stop()
        second.stop()
    first.thread.join(timeout=5)
    assert not first.thread.is_alive()
