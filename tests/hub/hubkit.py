"""A real JupyterHub on 127.0.0.1 with learners, for tests/hub/ and bench/workshop.py.

What runs: ``jupyterhub`` from the kit's .venv, its proxy configurable-http-proxy (npm;
installed into build/hub-tools/ on first use), DummyAuthenticator, and
SimpleLocalProcessSpawner: every learner's single-user server is a local process with its
own home folder (HOME, TMPDIR, Jupyter's runtime folder, Lambda Lab's progress file), all
under one Unix user. Learners are created, started and stopped through the Hub's REST
API with a service token; lessons run in kernels started through each learner's
single-user server (REST ``/api/sessions``) and driven over its websocket kernel
channels, the way JupyterLab drives them.

Every process the hub starts carries ``LAMBDALAB_HUB_RUN=<id>`` in its environment, so
:func:`leftover_processes` can find any that outlived the hub.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
TOOLS = ROOT / "build" / "hub-tools"
# configurable-http-proxy, the proxy JupyterHub documents; an exact version from npm.
CHP_VERSION = "5.3.0"
RUN_VARIABLE = "LAMBDALAB_HUB_RUN"


class HubError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chp() -> str | None:
    """configurable-http-proxy: on PATH, in build/hub-tools/, or installed there with npm."""
    local = TOOLS / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    if shutil.which("configurable-http-proxy"):
        return shutil.which("configurable-http-proxy")
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--loglevel=error",
         f"configurable-http-proxy@{CHP_VERSION}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return str(local) if local.exists() else None


CONFIG = """
import os
c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.db_url = "sqlite:///{root}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{root}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{root}/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {{
    "TMPDIR": lambda spawner: "{root}/home/" + spawner.user.name + "/tmp",
    "JUPYTER_RUNTIME_DIR": lambda spawner: "{root}/home/" + spawner.user.name + "/runtime",
    "LAMBDALAB_PROGRESS": lambda spawner: "{root}/home/" + spawner.user.name + "/progress.json",
    "LAMBDALAB_CHECKS": {checks!r},
    "PYTHONDONTWRITEBYTECODE": "1",
    "{run_variable}": {run_id!r},
}}
c.JupyterHub.services = [{{"name": "workshop", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "workshop",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
    "services": ["workshop"],
}}]
c.JupyterHub.cleanup_servers = True
c.JupyterHub.last_activity_interval = 3600
"""


class Hub:
    """``with Hub(folder) as hub: hub.add_learners(...)``: a JupyterHub for the block."""

    def __init__(self, root: Path, checks: str = "") -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "home").mkdir(exist_ok=True)
        self.token = uuid.uuid4().hex
        self.run_id = uuid.uuid4().hex
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.checks = checks
        self.process: subprocess.Popen | None = None

    # -- the hub -------------------------------------------------------------------------
    def start(self) -> Hub:
        chp = find_chp()
        if chp is None:
            raise HubError("configurable-http-proxy is missing and npm cannot install it")
        config = self.root / "jupyterhub_config.py"
        root_user = hasattr(os, "geteuid") and os.geteuid() == 0
        config.write_text(
            CONFIG.format(
                port=self.port,
                hub_port=free_port(),
                proxy_api_port=free_port(),
                chp=chp,
                root=self.root,
                singleuser=str(VENV_BIN / "jupyterhub-singleuser"),
                args=["--allow-root"] if root_user else [],
                checks=self.checks,
                run_variable=RUN_VARIABLE,
                run_id=self.run_id,
                token=self.token,
            )
        )
        env = {**os.environ, RUN_VARIABLE: self.run_id}
        env.pop("LAMBDALAB_CHECKS", None)
        env.pop("JUPYTERHUB_SERVICE_PREFIX", None)
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        self.log = open(self.root / "jupyterhub.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
            cwd=self.root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                self.api("GET", "/")
                return self
            except (OSError, HubError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise HubError("JupyterHub did not start:\n" + self.log_tail()) from None
                time.sleep(0.3)

    def log_tail(self, lines: int = 40) -> str:
        path = self.root / "jupyterhub.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def api(self, method: str, path: str, body: dict | None = None) -> dict | list | None:
        """The Hub's REST API (https://jupyterhub.readthedocs.io/en/stable/reference/rest-api.html)."""
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            raise HubError(f"{method} {path}: HTTP {error.code} {error.read()[:300]!r}") from None
        return json.loads(text) if text else None

    def add_learners(self, names: list[str]) -> None:
        """Create the users, give each a copy of the course, start their servers."""
        self.api("POST", "/users", {"usernames": names})
        for name in names:
            home = self.root / "home" / name
            for folder in ("solutions", "assets"):
                shutil.copytree(ROOT / folder, home / folder, dirs_exist_ok=True)
            (home / "tmp").mkdir(mode=0o700, exist_ok=True)
        for name in names:
            self.api("POST", f"/users/{name}/server")
        deadline = time.monotonic() + 240
        for name in names:
            while True:
                server = (self.api("GET", f"/users/{name}") or {}).get("servers", {}).get("")
                if server and server.get("ready"):
                    break
                if time.monotonic() > deadline:
                    raise HubError(f"{name}'s server did not start:\n{self.log_tail()}")
                time.sleep(0.5)

    def server_pid(self, name: str) -> int:
        """The process id of a learner's single-user server (SimpleLocalProcessSpawner)."""
        server = self.api("GET", f"/users/{name}")["servers"][""]
        state = server.get("state") or {}
        if "pid" in state:
            return int(state["pid"])
        raise HubError(f"no pid in {name}'s server state: {server}")

    def stop_learners(self, names: list[str]) -> None:
        for name in names:
            try:
                self.api("DELETE", f"/users/{name}/server")
            except HubError:
                pass
        deadline = time.monotonic() + 60
        for name in names:
            while time.monotonic() < deadline:
                user = self.api("GET", f"/users/{name}")
                if not user.get("servers"):
                    break
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def __enter__(self) -> Hub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- lessons through a learner's own server ---------------------------------------
    def run_notebook(self, name: str, path: str, extra_cells: tuple[str, ...] = ()) -> list[str]:
        """Run every code cell of ``path`` (relative to the learner's home) in a new kernel.

        Returns the text each extra cell printed. Raises :class:`CellFailed` naming the
        first cell that raised.
        """
        return asyncio.run(self._run_notebook(name, path, extra_cells))

    async def _run_notebook(self, name: str, path: str, extra_cells: tuple[str, ...]) -> list[str]:
        import nbformat
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest
        from tornado.websocket import websocket_connect

        base = f"{self.url}/user/{name}"
        headers = {"Authorization": f"token {self.token}"}
        client = AsyncHTTPClient()
        response = await client.fetch(
            f"{base}/api/sessions",
            method="POST",
            headers={**headers, "Content-Type": "application/json"},
            body=json.dumps({"path": path, "type": "notebook", "name": Path(path).name,
                             "kernel": {"name": "python3"}}),
            connect_timeout=180,
            request_timeout=180,
        )  # fmt: skip
        session = json.loads(response.body)
        kernel_id = session["kernel"]["id"]
        client_session = uuid.uuid4().hex
        ws = await websocket_connect(
            HTTPRequest(
                f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
                f"?session_id={client_session}",
                headers=headers,
                connect_timeout=180,  # a busy machine: ten learners start kernels at once
                request_timeout=180,
            ),
            max_message_size=256 * 1024 * 1024,
        )
        notebook = nbformat.read(self.root / "home" / name / path, as_version=4)
        cells = [c.source for c in notebook.cells if c.cell_type == "code"]
        printed = []
        try:
            for number, code in enumerate([*cells, *extra_cells]):
                text = await _execute(ws, client_session, code, f"{name}:{path}:{number}")
                if number >= len(cells):
                    printed.append(text)
        finally:
            ws.close()
            await client.fetch(
                f"{base}/api/sessions/{session['id']}",
                method="DELETE",
                headers=headers,
                request_timeout=180,
            )
        return printed


class CellFailed(AssertionError):
    pass


async def _execute(ws, client_session: str, code: str, where: str, timeout: float = 600) -> str:
    msg_id = uuid.uuid4().hex
    await ws.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "workshop",
                    "session": client_session,
                    "msg_type": "execute_request",
                    "version": "5.3",
                    "date": datetime.now(UTC).isoformat(),
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    reply = None
    idle = False
    text: list[str] = []
    errors: list[str] = []
    deadline = time.monotonic() + timeout
    while reply is None or not idle:
        raw = await asyncio.wait_for(ws.read_message(), max(1.0, deadline - time.monotonic()))
        if raw is None:
            raise CellFailed(f"{where}: the kernel's websocket closed")
        if isinstance(raw, bytes):
            continue  # a message with binary buffers (widgets); not one of ours
        message = json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        content = message["content"]
        if kind == "execute_reply":
            reply = message
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
        elif kind == "stream":
            text.append(content["text"])
        elif kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")
    if reply["content"]["status"] != "ok":
        raise CellFailed(f"{where} failed: {'; '.join(errors) or reply['content']}\n{code[:400]}")
    return "".join(text)


def leftover_processes(run_id: str) -> list[str]:
    """Processes whose environment carries this run's marker (none once the hub is gone)."""
    found = []
    marker = f"{RUN_VARIABLE}={run_id}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{entry.name}: {cmdline[:200]}")
        except OSError:
            continue
    return found
