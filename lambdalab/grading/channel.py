"""The one way the grading process reaches a student's sandbox: HTTP to its own ports.

The grading process is trusted: it holds the hidden tests. It talks to the submission's
sandbox, which the student's code controls, in three ways: boto3 on the sandbox's
endpoint, the sandbox's control endpoint (``lambdalab.grading.remote``), and the APIs and
function URLs that checks call (``lambdalab.course.probe.http``). All three go through
``Channel.request``, and nothing else in the grading process opens a URL:

- The grader gives the kernel a range of ports (``LAMBDALAB_PORTS``, see
  ``lambdalab.sandbox.local_server``) before any student code runs. A URL is followed
  only when it is ``http://127.0.0.1:PORT/...`` with PORT in that range: never ``file:``,
  another scheme, another host, or a port of the grader's own, whoever supplied the URL.
- Every request ends by its own timeout and never after the submission's deadline:
  connecting, sending, the status line, each header and each read. A timer cuts the
  socket at the deadline, so a server that sends one byte every few seconds ends there.
- A body is read up to ``max_bytes`` and no further.

``install`` makes it the only HTTP of the process: ``urllib.request.urlopen`` gets an
opener that knows ``http:`` through the channel and nothing else, and botocore's HTTP
session sends through the channel (``botocore.httpsession.URLLib3Session.send``, the
one place every boto3 request goes through).
"""

from __future__ import annotations

import http.client
import io
import random
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

#: Ports a sandbox gets (moto, control, then APIs and function URLs).
PORT_COUNT = 200
#: Where the ranges are taken from: below Linux's ephemeral ports (32768-60999), where
#: the kernel's own Jupyter ports are.
PORT_BASES = range(20_000, 32_000 - PORT_COUNT, PORT_COUNT)
#: The largest body the grading process reads from the sandbox (Lambda's payloads are at
#: most 6 MB; a function's logs a little more).
MAX_BYTES = 16 * 2**20


class ChannelError(OSError):
    """A request the channel refused or could not finish; the message says which."""


class OutsideChannel(ChannelError):
    """A URL that is not the sandbox's own (another scheme, host or port)."""


class ChannelTimeout(ChannelError, TimeoutError):
    """No complete answer before the request's timeout or the submission's deadline."""


class TooLarge(ChannelError):
    """A body past ``max_bytes``."""


@dataclass
class Reply:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def assign_ports() -> range:
    """A range of ports for one submission's sandbox (a random one of ``PORT_BASES``)."""
    base = random.choice(PORT_BASES)
    return range(base, base + PORT_COUNT)


def shown(text: Any, limit: int = 120) -> str:
    """A received string as a message may quote it: escaped, and cut at ``limit``."""
    quoted = repr(str(text))
    return quoted if len(quoted) <= limit else quoted[: limit - 4] + "...'"


class Channel:
    """HTTP to one submission's sandbox only, bounded in time and size (see the module)."""

    def __init__(self, ports: Sequence[int], deadline: float, max_bytes: int = MAX_BYTES):
        """``ports``: the sandbox's, moto's endpoint first and the control endpoint second
        (a ``range`` from ``assign_ports``); ``deadline``: ``time.monotonic()`` at which
        every request ends."""
        self.ports, self.deadline, self.max_bytes = ports, deadline, max_bytes

    @property
    def endpoint(self) -> str:
        """moto's endpoint in the sandbox (the first port)."""
        return f"http://127.0.0.1:{self.ports[0]}"

    @property
    def control(self) -> str:
        """The sandbox's control endpoint (the second port)."""
        return f"http://127.0.0.1:{self.ports[1]}"

    def check(self, url: Any) -> tuple[int, str]:
        """``(port, path and query)`` of a URL the channel follows; else OutsideChannel."""
        if not isinstance(url, str) or len(url) > 8192:
            raise OutsideChannel(f"not a URL: {shown(url)}")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise OutsideChannel(f"not a URL: {shown(url)}") from None
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
            raise OutsideChannel(
                f"the grader follows only http://127.0.0.1 URLs of the sandbox, not {shown(url)}"
            )
        if port not in self.ports or parts.username or parts.password:
            raise OutsideChannel(f"{shown(url)} is not one of the sandbox's ports")
        target = parts.path or "/"
        return port, target + (f"?{parts.query}" if parts.query else "")

    def request(
        self,
        method: str,
        url: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Reply:
        """One HTTP request to the sandbox; the whole reply, or a ChannelError."""
        port, target = self.check(url)
        deadline = min(time.monotonic() + timeout, self.deadline)
        left = deadline - time.monotonic()
        if left <= 0:
            raise ChannelTimeout("the submission's time is up")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=left)
        cut = threading.Event()

        def cut_off() -> None:  # at the deadline, whatever the server is doing
            cut.set()
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(left, cut_off)
        timer.daemon = True
        timer.start()
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            chunks, size = [], 0
            while chunk := response.read1(65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise TooLarge(f"the sandbox's answer is larger than {self.max_bytes:,} bytes")
                chunks.append(chunk)
            if cut.is_set():  # a reply cut short at the deadline is no reply
                raise TimeoutError
            headers_got = [(str(k)[:200], str(v)[:4000]) for k, v in response.getheaders()[:100]]
            return Reply(response.status, str(response.reason)[:200], headers_got, b"".join(chunks))
        except ChannelError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as error:
            if cut.is_set() or isinstance(error, TimeoutError):
                raise ChannelTimeout(
                    f"the sandbox did not answer within {timeout:g} s or the submission's "
                    "time limit"
                ) from None
            raise ChannelError(f"{method} {shown(url)} failed: {type(error).__name__}") from None
        finally:
            timer.cancel()
            connection.close()

    # -- making it the process's only HTTP -----------------------------------------------

    def install(self) -> None:
        """Route ``urllib.request.urlopen`` and every boto3 request through this channel."""
        import botocore.httpsession

        opener = urllib.request.OpenerDirector()
        for handler in (
            _UrllibHandler(self),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            opener.add_handler(handler)
        urllib.request.install_opener(opener)
        botocore.httpsession.URLLib3Session.send = _botocore_sender(self)


class _UrllibHandler(urllib.request.BaseHandler):
    """``http:`` through the channel; every other scheme refused."""

    def __init__(self, channel: Channel):
        self.channel = channel

    def http_open(self, request: urllib.request.Request) -> Any:
        timeout = request.timeout if isinstance(request.timeout, int | float) else 60.0
        reply = self.channel.request(
            request.get_method(),
            request.full_url,
            request.data,
            dict(request.header_items()),
            timeout,
        )
        headers = http.client.HTTPMessage()
        for name, value in reply.headers:
            headers[name] = value
        response = urllib.response.addinfourl(
            io.BytesIO(reply.body), headers, request.full_url, reply.status
        )
        response.msg = reply.reason
        return response

    def unknown_open(self, request: urllib.request.Request) -> Any:
        raise urllib.error.URLError(
            f"the grader opens only http://127.0.0.1 URLs of the sandbox, not "
            f"{shown(request.full_url)}"
        )


class _Body(io.BytesIO):
    """A received body as botocore reads one (``stream()``, ``read(amt)``)."""

    def stream(self, amt: int = 65536, decode_content: bool | None = None):
        while chunk := self.read(amt):
            yield chunk


def _botocore_sender(channel: Channel):
    from botocore.awsrequest import AWSResponse
    from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

    def send(session: Any, request: Any) -> Any:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        read_timeout = getattr(getattr(session, "_timeout", None), "read_timeout", None)
        timeout = read_timeout if isinstance(read_timeout, int | float) else 60.0
        try:
            reply = channel.request(
                request.method, request.url, body, dict(request.headers.items()), timeout
            )
        except ChannelTimeout as error:
            raise ReadTimeoutError(endpoint_url=request.url[:300], error=error) from None
        except ChannelError as error:
            raise EndpointConnectionError(endpoint_url=request.url[:300], error=error) from None
        return AWSResponse(request.url, reply.status, reply.headers, _Body(reply.body))

    return send
