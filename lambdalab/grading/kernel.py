"""One submission's kernel: started with limits, fed one cell at a time, never trusted.

The grader starts a fresh IPython kernel for every submission, as a process of its own:
``python -m lambdalab.grading.launch``, which sets its limits (address space, processes,
file size) and then becomes an ordinary ipykernel; normally inside the bubblewrap sandbox
of ``lambdalab.grading.isolation``, whose only writable folder is its own scratch. The
kernel only *runs* the student's code; it never decides a grade. What the grader learns
from it comes back as JSON text holding Python literals (see ``HELPER``), which the grader
decodes itself with ``json`` and ``ast.literal_eval`` (data only, never code).

A cell is given a time limit and an output budget. Past either, the kernel is interrupted
(SIGINT, as Jupyter's "Interrupt" button does); a kernel that ignores the interrupt, or
dies, is killed with every process it started (the sandbox's Lambda workers included).
IPython's ``exit()`` ends the kernel after the cell's reply: the reply says so, and the
kernel is stopped there, so the exit is charged to the cell that called it.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

#: Seconds a kernel has to answer an interrupt before it is killed (a flooding cell may
#: have megabytes of output to send first, on a busy machine).
INTERRUPT_GRACE = 10.0
#: Largest JSON text accepted back from the kernel for one answer or call (characters).
MAX_REPLY = 1_000_000

#: Code run in the kernel before the notebook. It defines one object, named with a random
#: nonce, that keeps each exercise's answer and calls it on the grader's behalf. Everything
#: it returns is JSON text; the grader decodes and checks it, so a student who replaces
#: this object, ``json`` or builtins can only change what their own answer returns.
HELPER = r"""
def _lambdalab_make_helper():
    import ast, inspect, json, types
    dumps, literal, answers = json.dumps, ast.literal_eval, {}
    BaseExc, SNS = BaseException, types.SimpleNamespace

    def encode(value):
        try:
            text = repr(value)
            if len(text) < 900_000:
                literal(text)
                return {"kind": "data", "literal": text}
        except BaseExc:
            pass
        try:
            shown = repr(value)[:300]
        except BaseExc:
            shown = "?"
        return {"kind": "opaque", "type": type(value).__name__, "repr": shown}

    def capture(exercise, thunk):
        try:
            answers[exercise] = (True, thunk())
        except BaseExc as error:
            answers[exercise] = (False, f"{type(error).__name__}: {error}")

    def describe(exercise):
        if exercise not in answers:
            return dumps({"kind": "missing", "error": "the check cell did not run"})
        found, value = answers[exercise]
        if not found:
            return dumps({"kind": "missing", "error": value})
        if callable(value) and not isinstance(value, type):
            try:
                parameters = [
                    [p.name, int(p.kind), p.default is not p.empty]
                    for p in inspect.signature(value).parameters.values()
                ]
            except (TypeError, ValueError):
                parameters = None
            return dumps({"kind": "function", "type": type(value).__name__,
                          "name": getattr(value, "__name__", "answer"),
                          "parameters": parameters})
        return dumps(encode(value))

    def argument(item):
        if isinstance(item, dict) and "__lambdalab_context__" in item:
            fields = dict(item["__lambdalab_context__"])
            remaining = fields.pop("remaining_ms", 3000)
            return SNS(**fields, get_remaining_time_in_millis=lambda: remaining)
        return item

    def call(exercise, arguments):
        try:
            result = answers[exercise][1](*[argument(a) for a in literal(arguments)])
        except BaseExc as error:
            return dumps({"ok": False, "type": type(error).__name__, "error": str(error)[:500]})
        return dumps({"ok": True, "result": encode(result)})

    def environment():
        import os
        names = ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION")
        return dumps({name: os.environ[name] for name in names if name in os.environ})

    return SNS(capture=capture, describe=describe, call=call, environment=environment)
"""


@dataclass
class Sandbox:
    """How the kernel is isolated (see ``lambdalab.grading.isolation``); None: it is not."""

    assets: Path | None = None
    scratch_mb: int = 1024  # size of its writable folder (HOME, notebooks, /tmp)
    processes: int = 512  # processes and threads it may run at once
    file_mb: int = 512  # largest file it may write
    uid: int = 200_000  # its user id, when the grader runs as root
    private: tuple[str, ...] = ()  # folders it must not see (isolation.private_paths)


class KernelDied(Exception):
    """The kernel process ended (a crash, ``os._exit``, a kill, ``exit()``)."""


@dataclass
class CellOutcome:
    """What running one cell did. ``error`` is ``"Type: message"`` when the cell raised."""

    error: str | None = None
    timed_out: bool = False
    output_flood: bool = False
    died: bool = False
    garbled: bool = False
    exited: bool = False  # IPython's exit() or quit()
    output_bytes: int = 0
    expressions: dict[str, Any] = field(default_factory=dict)

    @property
    def error_type(self) -> str | None:
        return self.error.split(":", 1)[0] if self.error else None


class KernelLog:
    """What the kernel process prints on its own stdout and stderr: the last ``KEEP``
    bytes, in memory (the rest is read and dropped, so a kernel that prints without end
    fills neither a disk nor the grader's memory, and never blocks on a full pipe)."""

    KEEP = 64 * 1024

    def __init__(self, stream: Any):
        self._tail = bytearray()
        self._lock = threading.Lock()
        threading.Thread(target=self._drain, args=(stream,), daemon=True).start()

    def _drain(self, stream: Any) -> None:
        try:
            while chunk := stream.read1(65536):
                with self._lock:
                    self._tail += chunk
                    del self._tail[: -self.KEEP]
        except (OSError, ValueError):
            pass
        finally:
            stream.close()

    def tail(self) -> str:
        with self._lock:
            return self._tail.decode("utf-8", "replace")


class KernelSession:
    """A kernel for one submission, with a time limit per cell and an output budget.

    Parameters
    ----------
    cwd : Path
        The folder the kernel runs in (the submission's own temporary folder).
    env : dict
        The kernel's whole environment.
    memory_mb : int
        Address-space limit of the kernel and of each process it starts (0: none).
    output_limit : int
        Bytes of output one cell may print before it is interrupted.

    Example
    -------
    >>> with KernelSession(Path("."), dict(os.environ)) as kernel:  # doctest: +SKIP
    ...     kernel.run("print(1 + 1)", timeout=10).error is None
    True
    """

    def __init__(
        self,
        cwd: Path,
        env: dict[str, str],
        memory_mb: int = 0,
        output_limit: int = 10**6,
        sandbox: Sandbox | None = None,
    ):
        self.cwd, self.env = Path(cwd), env
        self.memory_mb, self.output_limit = memory_mb, output_limit
        self.sandbox = sandbox
        self.kernel_pid: int | None = None
        self.helper = f"_lambdalab_grader_{secrets.token_hex(6)}"
        self.process: subprocess.Popen | None = None
        self.client = None
        self.log: KernelLog | None = None
        self.starts = 0
        self._zmq = None
        self._iopub_watch: Any = None  # ZeroMQ's monitor of the iopub socket
        self._iopub_up = True
        #: The largest message accepted from the kernel (a lesson's largest is an image
        #: of a few hundred KB; a cell's whole output budget fits four times over).
        self.max_message = max(16 * 2**20, 4 * output_limit)

    # -- life cycle ---------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> None:
        """Start the kernel and define the helper; raises KernelDied if it cannot start."""
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        self.stop()
        self.starts += 1
        folder = self.cwd.parent / f"kernel-{self.starts}"
        folder.mkdir(mode=0o755)
        connection, _ = write_connection_file(str(folder / "kernel.json"), ip="127.0.0.1")
        os.chmod(connection, 0o644)  # the kernel's user may be another one (see isolation)
        limits = [str(self.memory_mb), "0", "0"]
        if self.sandbox is not None:
            limits[1:] = [str(self.sandbox.processes), str(self.sandbox.file_mb)]
        command = [sys.executable, "-m", "lambdalab.grading.launch", *limits]
        if self.sandbox is None:
            command += ["-f", connection]
            cwd, env = self.cwd, self.env
        else:
            from lambdalab.grading import isolation

            command += ["-f", "/run/lambdalab/kernel.json"]
            command = isolation.kernel_command(
                command,
                connection_dir=folder,
                env=self.env,
                assets=self.sandbox.assets,
                scratch_mb=self.sandbox.scratch_mb,
                uid=self.sandbox.uid,
                private=self.sandbox.private,
            )
            cwd, env = self.cwd, {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.log = KernelLog(self.process.stdout)
        client = BlockingKernelClient(context=self._context())
        client.load_connection_file(connection)
        client.start_channels(hb=False)  # liveness is the process itself, not heartbeats
        self.client = client
        self._watch_iopub()
        self._wait_for_ready(timeout)
        self.kernel_pid = self._find_kernel()
        outcome = self.run(
            HELPER + f"\n{self.helper} = _lambdalab_make_helper()\ndel _lambdalab_make_helper\n",
            timeout=timeout,
        )
        if outcome.error or outcome.died:
            raise KernelDied(f"the kernel did not start: {outcome.error or 'it died'}")

    def _context(self) -> Any:
        """A ZeroMQ context whose sockets drop any message over ``max_message`` bytes:
        a kernel cannot make this process hold a message of gigabytes."""
        import zmq

        if self._zmq is None:
            self._zmq = zmq.Context()
            self._zmq.setsockopt(zmq.MAXMSGSIZE, self.max_message)
        return self._zmq

    def _watch_iopub(self) -> None:
        """Follow the iopub socket's connection. An output message over ``max_message``
        makes ZeroMQ drop the connection for good (it does not reconnect after a message
        it refused): that is how a flood the kernel sends in one piece shows up here."""
        import zmq

        self._iopub_watch = self.client.iopub_channel.socket.get_monitor_socket(
            zmq.EVENT_DISCONNECTED
        )
        self._iopub_up = True

    def _reconnect_iopub(self, deadline: float) -> bool:
        """A new iopub connection, once the kernel's messages reach it (a kernel_info
        request's status comes back on it); False if that does not happen by ``deadline``."""
        while time.monotonic() < deadline and self.alive():
            if not self._iopub_up:
                self._iopub_watch.close(linger=0)
                self.client.iopub_channel.close()
                self.client._iopub_channel = None  # the next use connects a new socket
                self._watch_iopub()
            request = self.client.kernel_info()
            end = min(deadline, time.monotonic() + 0.5)
            while time.monotonic() < end and not self._iopub_dropped():
                try:
                    message = self.client.get_iopub_msg(timeout=0.05)
                except queue.Empty:
                    continue
                except Exception:  # tampered with: see _garbled
                    return False
                if message["parent_header"].get("msg_id") == request:
                    return True
        return False

    def _iopub_dropped(self) -> bool:
        """Whether iopub lost its connection since the last call (``_iopub_up`` stays
        False until ``_reconnect_iopub``)."""
        import zmq
        from zmq.utils.monitor import recv_monitor_message

        dropped = False
        while self._iopub_watch is not None and self._iopub_watch.poll(0):
            try:
                event = recv_monitor_message(self._iopub_watch)["event"]
            except zmq.ZMQError:
                break
            if event == zmq.EVENT_DISCONNECTED:
                dropped, self._iopub_up = True, False
        return dropped

    def _wait_for_ready(self, timeout: float) -> None:
        """Ask for kernel_info until the kernel answers; KernelDied if it ends or is slow."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise KernelDied(f"the kernel did not start{self._log_tail()}")
            request = self.client.kernel_info()
            try:
                while True:
                    reply = self.client.get_shell_msg(timeout=0.5)
                    if reply["parent_header"].get("msg_id") == request:
                        break
            except queue.Empty:
                continue
            while True:  # drop the start-up messages on iopub
                try:
                    self.client.get_iopub_msg(timeout=0.2)
                except queue.Empty:
                    return
        raise KernelDied(f"the kernel did not start within {timeout:g} s{self._log_tail()}")

    def _find_kernel(self) -> int | None:
        """The kernel's own process id (bubblewrap's grandchild when sandboxed)."""
        if self.process is None or self.sandbox is None:
            return self.process.pid if self.process else None
        try:
            for process in psutil.Process(self.process.pid).children(recursive=True):
                command = process.cmdline()
                wrapper = os.path.basename(command[0]) in ("bwrap", "setpriv") if command else True
                if "lambdalab.grading.launch" in command and not wrapper:
                    return process.pid
        except psutil.Error:
            pass
        return None

    def _log_tail(self) -> str:
        lines = self.log.tail().strip().splitlines() if self.log else []
        return f" ({lines[-1][:300]!r})" if lines else ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Kill the kernel and every process it started."""
        if self._iopub_watch is not None:
            self._iopub_watch.close(linger=0)
            self._iopub_watch = None
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        if self.process is not None:
            try:
                family = psutil.Process(self.process.pid).children(recursive=True)
            except psutil.Error:
                family = []
            for process in [self.process, *family]:
                try:
                    process.kill()
                except (OSError, psutil.Error):
                    pass
            self.process.wait()
            for process in family:  # reap what the sandbox's init left (already killed)
                try:
                    process.wait(timeout=1)
                except (psutil.Error, OSError):
                    pass
            self.process = None
            self.kernel_pid = None

    def __enter__(self) -> KernelSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- running code -------------------------------------------------------------------

    def run(
        self, code: str, timeout: float, expressions: dict[str, str] | None = None
    ) -> CellOutcome:
        """Run ``code``; interrupt it past ``timeout`` seconds or the output budget.

        The outcome says whether it raised, timed out, flooded or killed the kernel. A
        kernel that does not answer an interrupt within INTERRUPT_GRACE is killed.
        """
        outcome = CellOutcome()
        if not self.alive() or self.client is None:
            outcome.died = True
            return outcome
        self._iopub_dropped()
        if not self._iopub_up and not self._reconnect_iopub(time.monotonic() + timeout):
            self.stop()
            outcome.died = True
            return outcome
        message_id = self.client.execute(
            code, store_history=False, allow_stdin=False, user_expressions=expressions or {}
        )
        deadline = time.monotonic() + timeout
        idle = replied = interrupted = dropped = False
        probe, probe_at = None, 0.0
        while not (idle and replied):
            now = time.monotonic()
            if self._iopub_dropped() and self.alive():
                # A message over max_message: far more output than a cell may print. This
                # cell's idle status is lost with the connection: its reply says it ended.
                dropped = True
                if not interrupted:
                    outcome.output_flood = True
                    self._interrupt()
                    interrupted, deadline = True, now + INTERRUPT_GRACE
            if dropped and replied:
                break
            if now > deadline:
                if interrupted:  # the kernel ignored the interrupt: kill it
                    self.stop()
                    outcome.died = True
                    return outcome
                outcome.timed_out = not outcome.output_flood
                self._interrupt()
                interrupted, deadline = True, now + INTERRUPT_GRACE
            if interrupted and not replied and now > probe_at:
                # An interrupt that lands as the cell ends can cost its reply; the reply to
                # this request (handled after the cell's) says the cell has ended.
                probe, probe_at = self.client.kernel_info(), now + 1.0
            if not self.alive():
                outcome.died = True
                self.stop()
                return outcome
            try:
                message = self.client.get_iopub_msg(timeout=0.05)
                parent = message["parent_header"].get("msg_id")
            except queue.Empty:
                message = parent = None
            except Exception:  # a kernel whose json or session was tampered with
                return self._garbled(outcome)
            if message and parent == message_id:
                kind, content = message["msg_type"], message["content"]
                if kind == "status" and content["execution_state"] == "idle":
                    idle = True
                elif kind == "stream":
                    outcome.output_bytes += len(content.get("text", ""))
                elif kind in ("display_data", "execute_result", "update_display_data"):
                    outcome.output_bytes += len(json.dumps(content.get("data", {})))
                elif kind == "error":
                    outcome.error = f"{content.get('ename')}: {content.get('evalue')}"[:500]
                if outcome.output_bytes > self.output_limit and not interrupted:
                    outcome.output_flood = True
                    self._interrupt()
                    interrupted, deadline = True, time.monotonic() + INTERRUPT_GRACE
            if not replied:
                try:
                    reply = self.client.get_shell_msg(timeout=0)
                    parent = reply["parent_header"].get("msg_id")
                    if parent == message_id:
                        replied = True
                        outcome.expressions = reply["content"].get("user_expressions") or {}
                        payload = reply["content"].get("payload") or []
                        if any(
                            isinstance(p, dict)
                            and p.get("source") == "ask_exit"
                            and not p.get("keepkernel")
                            for p in payload
                        ):
                            outcome.exited = True
                    elif probe is not None and parent == probe:
                        replied = idle = True  # the cell ended without its own reply
                except queue.Empty:
                    pass
                except Exception:
                    return self._garbled(outcome)
        if dropped and not self._reconnect_iopub(deadline):
            self.stop()
            outcome.died = True
            return outcome
        if outcome.exited:  # IPython's exit(): it ends now, charged to this cell
            self.stop()
            outcome.died = True
        return outcome

    def _garbled(self, outcome: CellOutcome) -> CellOutcome:
        """The kernel sent a message that is not Jupyter's protocol: it cannot be trusted."""
        self.stop()
        outcome.died = outcome.garbled = True
        return outcome

    def _interrupt(self) -> None:
        if self.alive() and self.kernel_pid is not None:
            try:
                os.kill(self.kernel_pid, signal.SIGINT)
            except OSError:
                pass

    def ask(self, expression: str, timeout: float) -> tuple[dict[str, Any] | None, CellOutcome]:
        """Evaluate a helper expression that returns JSON text; decode it here.

        Returns ``(decoded dict or None, outcome)``: None when the kernel did not answer
        with a JSON object (timed out, died, or the answer was tampered with).
        """
        outcome = self.run("", timeout, expressions={"reply": f"{self.helper}.{expression}"})
        reply = outcome.expressions.get("reply") or {}
        text = reply.get("data", {}).get("text/plain") if reply.get("status") == "ok" else None
        if not isinstance(text, str) or len(text) > MAX_REPLY + 10:
            return None, outcome
        try:
            value = json.loads(ast.literal_eval(text))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None, outcome
        return (value if isinstance(value, dict) else None), outcome
