"""Links a learner can click: the sandbox's URLs through the learner's own Jupyter server.

The sandbox serves each API and function URL on ``127.0.0.1`` inside the kernel's
machine. A browser on the same laptop can open that address; a browser talking to
Binder or a JupyterHub cannot. jupyter-server-proxy (pinned in requirements.txt) lets the
learner's own Jupyter server forward ``<base_url>proxy/<port>/<path>`` to
``http://localhost:<port>/<path>``, behind the same login as the notebook. So beside
every ``127.0.0.1`` URL the sandbox shows that path as a link
(https://jupyter-server-proxy.readthedocs.io/en/latest/arbitrary-ports-hosts.html).

Which server is "our" server, and what is its base URL:

1. The server that started this kernel writes ``jpserver-<pid>.json`` in Jupyter's
   runtime folder, with its ``base_url``; a kernel's parent process is that server.
   This covers a laptop (``/``), Binder and a hub (``/user/<name>/``).
2. Otherwise ``JUPYTERHUB_SERVICE_PREFIX``, which JupyterHub (and so Binder) sets for
   every single-user server and its kernels.
3. Otherwise no link: the kernel was not started by a Jupyter server (nbclient, a
   terminal), and only the ``127.0.0.1`` address is shown, with that reason.

What differs from AWS: AWS gives each API a public HTTPS address. The proxied link
works only for the learner logged in to that Jupyter server, while the kernel runs.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

PREFIX_VARIABLE = "JUPYTERHUB_SERVICE_PREFIX"


def server_base_url() -> tuple[str | None, str]:
    """The base URL of the Jupyter server that runs this kernel, and where it came from.

    Returns ``(base_url, source)``; ``base_url`` always starts and ends with ``/``, or
    is None with ``source`` saying why no link can be made.
    """
    info = _server_info(os.getppid())
    if info is not None and isinstance(info.get("base_url"), str):
        return _slashed(info["base_url"]), f"jpserver-{info.get('pid')}.json"
    prefix = os.environ.get(PREFIX_VARIABLE)
    if prefix:
        return _slashed(prefix), PREFIX_VARIABLE
    return None, "this kernel was not started by a Jupyter server"


def _server_info(pid: int) -> dict | None:
    """The runtime file a jupyter_server with this process id wrote, if any."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        path = Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"
        info = json.loads(path.read_text())
    except (ImportError, OSError, ValueError):
        return None
    return info if isinstance(info, dict) and info.get("pid") == pid else None


def _slashed(base_url: str) -> str:
    return "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"


def proxy_path(local_url: str, base_url: str | None = None) -> str | None:
    """``http://127.0.0.1:PORT/prod/x`` -> ``<base_url>proxy/PORT/prod/x`` (or None).

    The result starts with ``/``: the browser opens it on the host the notebook came
    from, whatever that host is called (localhost, mybinder.org, the hub's name).
    """
    if base_url is None:
        base_url, _ = server_base_url()
        if base_url is None:
            return None
    parts = urlsplit(local_url)
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
        return None
    rest = parts.path.lstrip("/")
    if parts.query:
        rest += "?" + parts.query
    return f"{_slashed(base_url)}proxy/{parts.port}/{rest}"


class EndpointURL(str):
    """A sandbox URL (a plain ``str``: ``urllib``, ``requests`` and ``+`` use it as is).

    In a notebook it shows as two links: the ``127.0.0.1`` address (for this machine)
    and the same endpoint through the learner's Jupyter server (for any browser that
    has the notebook open). ``url + "/hello"`` keeps both.
    """

    proxy: str | None
    why_no_proxy: str

    def __new__(cls, local_url: str, base_url: str | None = None, source: str = ""):
        if base_url is None and not source:
            base_url, source = server_base_url()
        value = super().__new__(cls, local_url)
        value.proxy = proxy_path(local_url, base_url) if base_url is not None else None
        value.why_no_proxy = "" if value.proxy else source
        value._base_url = base_url
        value._source = source
        return value

    def __add__(self, other: str) -> EndpointURL:
        if not isinstance(other, str):
            return NotImplemented
        return EndpointURL(str(self) + other, self._base_url, self._source or "given")

    def __repr__(self) -> str:
        return str.__repr__(str(self))

    def _repr_html_(self) -> str:
        local = html.escape(str(self))
        parts = [f'<code>{local}</code> (from this machine: <a href="{local}">{local}</a>)']
        if self.proxy:
            proxy = html.escape(self.proxy)
            parts.append(
                f'<b>open in your browser</b>: <a class="lambdalab-proxy-link" href="{proxy}"'
                f' target="_blank">{proxy}</a> (through your Jupyter server)'
            )
        else:
            parts.append(f"no browser link: {html.escape(self.why_no_proxy)}")
        return "<div>" + "<br>".join(parts) + "</div>"

    def _repr_pretty_(self, printer, cycle) -> None:  # plain-text front ends
        printer.text(repr(self))
        if self.proxy:
            printer.text(f"  (in your browser: {self.proxy})")
