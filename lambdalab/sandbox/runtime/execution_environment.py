"""Execution environments: one worker process each, running the real runtime client.

Lambda runs a function in an *execution environment*: a sandbox that is created on the
first invocation (a cold start: the runtime starts and the module-level code runs, the
INIT phase) and reused for the invocations that follow (warm starts). An environment
handles one invocation at a time.

When an invocation times out, runs out of memory or its runtime exits, Lambda *resets*
the environment rather than replacing it: the runtime restarts in the same environment
(same log stream, and "the Lambda reset does not clear the /tmp directory"), and the
next invocation re-runs the init code as a *suppressed init*: no INIT_START line, no
Init Duration on the REPORT line; its time is part of that invocation's Duration.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
("Failures during the invoke phase")

Here an environment is a worker process running awslambdaric (or the fallback client)
against its own Runtime API server (:mod:`lambdalab.sandbox.runtime.api`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import logs, stuck
from .api import Invocation, RuntimeAPI
from .paths import TaskPaths

WORKER = Path(__file__).with_name("worker.py")
INIT_TIMEOUT_S = 10.0  # Lambda gives the INIT phase 10 seconds
POLL_S = 0.005  # how often a running invocation is watched for timeout, exit and memory


@dataclass(frozen=True)
class FunctionConfig:
    """What an environment needs to know about the function version it runs."""

    function_name: str
    function_arn: str
    handler: str
    runtime: str = "python3.13"
    memory_size: int = 128
    timeout: int = 3
    version: str = "$LATEST"
    region: str = "us-east-1"
    environment: tuple[tuple[str, str], ...] = ()
    code_dir: str = ""  # the extracted deployment package (LAMBDA_TASK_ROOT)
    layer_dir: str = ""  # the extracted layers (/opt)
    code_sha256: str = ""

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"


@dataclass
class InvocationResult:
    """What one invocation returned, and what the platform measured."""

    request_id: str
    payload: bytes
    function_error: str | None = None  # "Unhandled" when the function failed
    error_type: str | None = None  # e.g. "Runtime.ImportModuleError", "Sandbox.Timedout"
    duration_ms: float = 0.0
    billed_duration_ms: int = 0
    init_duration_ms: float | None = None  # only on a cold start
    max_memory_used_mb: int = 0
    memory_size_mb: int = 128
    log_lines: list[str] = field(default_factory=list)
    # A timeout: where the function's own code was (runtime/stuck.py), e.g.
    # "app.py line 6: `while '%' in key:`", what that looks like ("a loop that never
    # ends?"), and, when the sandbox ended it before its timeout, after how many real s.
    running_at: str | None = None
    running_guess: str = ""
    stopped_after_s: float | None = None

    @property
    def cold_start(self) -> bool:
        return self.init_duration_ms is not None

    @property
    def log_text(self) -> str:
        return "\n".join(self.log_lines) + "\n"


def runtime_python(runtime: str) -> str:
    """``python3.13`` for the ``python3.13`` runtime (the kernel's version for another)."""
    if runtime.startswith("python3.") and runtime[len("python3.") :].isdigit():
        return runtime
    return f"python{sys.version_info[0]}.{sys.version_info[1]}"


class ExecutionEnvironment:
    """One execution environment of one function version.

    Parameters
    ----------
    config:
        The function version's configuration.
    runtime_dir:
        The local ``/var/runtime`` (see :mod:`lambdalab.sandbox.runtime.packages`).
    base_env:
        Variables every worker gets: the sandbox endpoint, region and credentials.
    runtime_client:
        ``"awslambdaric"`` (AWS's client) or ``"builtin"`` (the fallback).
    """

    def __init__(
        self,
        config: FunctionConfig,
        runtime_dir: Path,
        tmp_dir: Path,
        base_env: dict[str, str] | None = None,
        runtime_client: str = "awslambdaric",
    ) -> None:
        self.config = config
        self.runtime_dir = runtime_dir
        self.tmp_dir = tmp_dir
        self.base_env = dict(base_env or {})
        self.runtime_client = runtime_client
        self.log_stream_name = logs.log_stream_name(config.version)
        # What the learner reads names /var/task, /opt and /var/runtime, as on AWS.
        self.paths = TaskPaths(config.code_dir, config.layer_dir, str(runtime_dir))
        self.api: RuntimeAPI | None = None
        self.process: subprocess.Popen | None = None
        self.dead = False  # set once the environment must not be used again
        self.invocations = 0
        self.resets = 0  # how often a failed invoke reset it (runtime restarted)
        self.suppressed_init = False  # the next start is a reset's suppressed init
        self.idle_since = 0.0  # engine.now() when it last became idle
        self.provisioned = False  # pre-initialised for provisioned concurrency
        self.peak_memory_mb = 1  # last VmHWM seen: a dead process has none to read
        self._output = None
        self._output_offset = 0
        self._spawned_at = 0.0
        self._samples: list[stuck.Sample | None] = []  # the running invocation's stacks
        self._init_stuck_after: float | None = None  # INIT ended early: after how long
        self._lock = threading.Lock()

    # -- life cycle ------------------------------------------------------------------
    def environment_variables(self) -> dict[str, str]:
        """Lambda's reserved variables, then the function's own, then the sandbox's."""
        c = self.config
        # A layer's Python code: /opt/python/lib/python3.x/site-packages for the
        # function's runtime (python3.13: python3.13), then /opt/python, as on AWS.
        # https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths
        python_path = [
            os.path.join(c.layer_dir, "python", "lib", runtime_python(c.runtime), "site-packages"),
            os.path.join(c.layer_dir, "python"),
            str(self.runtime_dir),
        ]
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "TMPDIR": str(self.tmp_dir),
            "_HANDLER": c.handler,
            "AWS_REGION": c.region,
            "AWS_DEFAULT_REGION": c.region,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{c.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": c.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(c.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": c.version,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": c.log_group_name,
            "AWS_LAMBDA_LOG_STREAM_NAME": self.log_stream_name,
            "AWS_LAMBDA_RUNTIME_API": self.api.address if self.api else "",
            "LAMBDA_TASK_ROOT": c.code_dir,
            "LAMBDA_RUNTIME_DIR": str(self.runtime_dir),
            "PYTHONPATH": os.pathsep.join(python_path),
        }
        env.update(dict(c.environment))
        env.update(self.base_env)
        env["_LAMBDALAB_PARENT_PID"] = str(os.getpid())
        env["_LAMBDALAB_RUNTIME_CLIENT"] = self.runtime_client
        env[stuck.STACK_FILE_VARIABLE] = str(stuck.stack_file(self.tmp_dir))
        return env

    def start(self) -> None:
        """Start the runtime (the INIT phase begins; see :meth:`wait_until_ready`)."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.api = RuntimeAPI()
        self._output = open(self.tmp_dir.parent / f"{self.tmp_dir.name}.log", "w+b")  # noqa: SIM115
        self._output_offset = 0
        self._spawned_at = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(WORKER), self.config.handler],
            cwd=self.config.code_dir,
            env=self.environment_variables(),
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a timeout kills it all
        )

    def stop(self) -> None:
        """End the worker process and its Runtime API server: the environment is gone."""
        self.dead = True
        self._end_runtime()

    def reset(self) -> list[str]:
        """What Lambda does after a failed invoke: end the runtime, keep the environment.

        The environment's ``/tmp`` folder and log stream stay; the next invocation
        starts the runtime again as a suppressed init. Returns the runtime's last output.
        """
        self._peak_memory_mb()
        self._end_runtime()
        lines = self._read_output()
        if self._output:
            self._output.close()
            self._output = None
        self.process = None
        self.api = None
        self.suppressed_init = True
        self.resets += 1
        self.peak_memory_mb = 1  # a new process: its own peak
        return lines

    def _end_runtime(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
        if self.api:
            self.api.close()
        if self._output and self.dead:
            self._output.close()
            self._output = None

    # -- measurements ----------------------------------------------------------------
    def _memory_mb(self, field_name: str) -> int:
        """VmHWM (peak) or VmRSS (now) of the worker, in MB, from /proc (Linux)."""
        if self.process is None:
            return 0
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith(field_name):
                        return int(line.split()[1]) // 1024
        except OSError:
            pass
        return 0

    def _peak_memory_mb(self) -> int:
        """Max Memory Used: the environment's peak resident memory so far."""
        self.peak_memory_mb = max(self.peak_memory_mb, self._memory_mb("VmHWM"))
        return self.peak_memory_mb

    def _read_output(self) -> list[str]:
        if self._output is None:
            return []
        self._output.flush()
        self._output.seek(self._output_offset)
        data = self._output.read()
        self._output_offset += len(data)
        return logs.split_runtime_output(self.paths.as_on_aws(data.decode("utf-8", "replace")))

    # -- invoking --------------------------------------------------------------------
    def invoke(
        self,
        payload: bytes,
        request_id: str | None = None,
        client_context: str | None = None,
        trace_id: str | None = None,
        invoked_arn: str | None = None,
    ) -> InvocationResult:
        """Run one invocation; a cold start first if the environment is new.

        ``trace_id`` goes to the runtime as ``Lambda-Runtime-Trace-Id``; the runtime
        client puts it in ``_X_AMZN_TRACE_ID``, which the AWS SDK sends on every call.
        ``invoked_arn`` is the ARN the caller used (``context.invoked_function_arn``):
        an alias's ARN, although the environment runs the alias's version.
        """
        with self._lock:
            return self._invoke(
                payload, request_id or str(uuid.uuid4()), client_context, trace_id, invoked_arn
            )

    def prewarm(self) -> tuple[list[str], str | None]:
        """Run the INIT phase now, before any event: what provisioned concurrency does.

        Returns the INIT log lines and, when the module could not be loaded, the error
        type (the environment is then dead). The first invocation afterwards is warm:
        its REPORT line has no Init Duration.
        https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
        """
        with self._lock:
            lines = [logs.init_start_line(self.config.runtime, self.config.region)]
            self.start()
            failure = self._wait_until_ready()
            lines += self._read_output()
            if failure:
                self.stop()
                error = _error_type(failure) if isinstance(failure, bytes) else "Runtime.ExitError"
                return lines, error or "Runtime.Unknown"
            self.provisioned = True
            return lines, None

    def _invoke(
        self,
        payload: bytes,
        request_id: str,
        client_context: str | None,
        trace_id: str | None = None,
        invoked_arn: str | None = None,
    ):
        c = self.config
        result = InvocationResult(request_id, b"", memory_size_mb=c.memory_size)
        lines = result.log_lines
        cold = self.process is None
        suppressed_ms = 0.0  # a reset's init: counted in this invocation, not reported
        if cold:
            suppressed = self.suppressed_init
            if not suppressed:
                lines.append(logs.init_start_line(c.runtime, c.region))
            self.start()
            init_failure = self._wait_until_ready()
            init_ms = (
                (self.api.ready_at if self.api.ready_at else time.perf_counter()) - self._spawned_at
            ) * 1000
            self.suppressed_init = False
            if suppressed and not init_failure:
                suppressed_ms = init_ms
            else:
                result.init_duration_ms = init_ms
            lines += self._read_output()
            if init_failure:
                last = next((s for s in reversed(self._samples) if s and s.place), None)
                if init_failure == "init timeout" and last:
                    result.running_at, result.running_guess = last.place, last.guess()
                    result.stopped_after_s = self._init_stuck_after
                    lines.append(
                        f"Lambda Lab: the module-level code (INIT) was still running after "
                        f"{self._init_stuck_after or 0:.0f} s of real time, at {last.place}: "
                        f"{last.guess()} The sandbox ended it; on AWS INIT may take 10 s, "
                        f"then it is tried again within the {c.timeout} s timeout."
                    )
                return self._init_failed(result, init_failure)
        lines.append(logs.start_line(request_id, c.version))
        timeout_s = max(c.timeout - suppressed_ms / 1000, 0.0)  # init used part of it
        deadline = time.time() + timeout_s
        invocation = Invocation(
            request_id=request_id,
            payload=payload,
            deadline_ms=int(deadline * 1000),
            function_arn=invoked_arn or c.function_arn,
            client_context=client_context,
            trace_id=trace_id,
        )
        submitted = time.perf_counter()
        self.api.submit(invocation)
        outcome = self._watch(invocation, submitted + timeout_s)
        end = invocation.finished_at or time.perf_counter()
        result.duration_ms = (end - (invocation.delivered_at or submitted)) * 1000 + suppressed_ms
        lines += self._read_output()
        result.max_memory_used_mb = self._peak_memory_mb()
        self.invocations += 1
        status = error_type = None
        if outcome == "done" and invocation.error is None:
            result.payload = invocation.response or b""
        elif outcome == "done":
            result.payload = self.paths.as_on_aws(invocation.error)
            result.function_error = "Unhandled"
            result.error_type = _error_type(invocation.error)
        elif outcome in ("timeout", "stuck"):
            last = next((s for s in reversed(self._samples) if s and s.place), None)
            lines += self.reset()
            result.duration_ms = c.timeout * 1000.0  # ended early or not: its timeout
            lines.append(logs.timeout_line(request_id, c.timeout))
            if outcome == "stuck":
                result.stopped_after_s = time.perf_counter() - submitted
                stuck.remember(c, self._samples)
            if last:
                result.running_at, result.running_guess = last.place, last.guess()
                lines.append(self._running_note(result))
            status, error_type = "timeout", None
            message = f"RequestId: {request_id} Error: Task timed out after {c.timeout:.2f} seconds"
            result.payload = _error_json(message, "Sandbox.Timedout")
            result.function_error, result.error_type = "Unhandled", "Sandbox.Timedout"
        else:  # the runtime process exited, or was killed for using too much memory
            reason = outcome
            peak = self.peak_memory_mb
            lines += self.reset()
            result.max_memory_used_mb = max(result.max_memory_used_mb, peak)
            lines += logs.exit_lines(request_id, reason)
            error_type = (
                "Runtime.OutOfMemory" if reason == "signal: killed" else "Runtime.ExitError"
            )
            status = "error"
            if error_type == "Runtime.OutOfMemory":
                result.max_memory_used_mb = c.memory_size
            message = f"RequestId: {request_id} Error: Runtime exited with error: {reason}"
            result.payload = _error_json(message, "Runtime.ExitError")
            result.function_error, result.error_type = "Unhandled", error_type
        lines.append(logs.end_line(request_id))
        result.billed_duration_ms = logs.billed_duration_ms(
            result.duration_ms, result.init_duration_ms
        )
        lines.append(
            logs.report_line(
                request_id,
                result.duration_ms,
                c.memory_size,
                result.max_memory_used_mb,
                result.init_duration_ms,
                status,
                error_type,
            )
        )
        return result

    def _wait_until_ready(self) -> bytes | str | None:
        """Wait for the end of INIT: None when ready, else the init error or exit reason.

        Module-level code that keeps running (a loop, a long sleep) is found as a handler
        is (runtime/stuck.py) and ends INIT as an "init timeout", saying where it was.
        """
        started = time.perf_counter()
        deadline = started + INIT_TIMEOUT_S + self.config.timeout
        next_sample = started + stuck.SAMPLE_AFTER_S
        api, process = self.api, self.process
        self._samples = []
        while not api.ready.wait(POLL_S):
            self._peak_memory_mb()  # measured while INIT runs: a failed INIT has it too
            if api.failed.is_set():
                process.wait(timeout=5)
                return api.init_error
            if process.poll() is not None:
                return api.init_error or _exit_reason(process.returncode)
            now = time.perf_counter()
            if now > deadline:
                return "init timeout"
            if now >= next_sample:
                self._sample()
                next_sample = now + stuck.SAMPLE_EVERY_S
                if stuck.stuck(self._samples) and not api.ready.is_set():
                    self._init_stuck_after = now - started
                    return "init timeout"
        return None

    def _init_failed(self, result: InvocationResult, failure: bytes | str) -> InvocationResult:
        """The module could not be loaded: AWS answers with the init error, Unhandled."""
        c = self.config
        self.stop()
        result.log_lines += self._read_output()
        if isinstance(failure, bytes):
            result.payload = self.paths.as_on_aws(failure)
            result.error_type = _error_type(failure)
        else:
            message = f"RequestId: {result.request_id} Error: Runtime exited with error: {failure}"
            result.payload = _error_json(message, "Runtime.ExitError")
            result.error_type = "Runtime.ExitError"
        result.function_error = "Unhandled"
        result.max_memory_used_mb = self.peak_memory_mb
        result.log_lines += [
            f"INIT_REPORT Init Duration: {result.init_duration_ms:.2f} ms\tPhase: init"
            f"\tStatus: error\tError Type: {result.error_type}",
            logs.start_line(result.request_id, c.version),
            logs.end_line(result.request_id),
        ]
        result.duration_ms = result.init_duration_ms or 0.0
        result.init_duration_ms, init = None, result.init_duration_ms
        result.billed_duration_ms = logs.billed_duration_ms(init or 0.0)
        result.log_lines.append(
            logs.report_line(
                result.request_id,
                init or 0.0,
                c.memory_size,
                result.max_memory_used_mb,
                status="error",
                error_type=result.error_type,
            )
        )
        return result

    def _running_note(self, result: InvocationResult) -> str:
        """The sandbox's log line saying where a timed-out invocation was (not AWS's)."""
        where = f"at {result.running_at}: {result.running_guess}"
        if result.stopped_after_s is None:
            return f"Lambda Lab: when it timed out, the function was {where}"
        return (
            f"Lambda Lab: still running after {result.stopped_after_s:.0f} s of real time, "
            f"{where} The sandbox ended it as a timeout now; on AWS it would run to its "
            f"{self.config.timeout} s timeout."
        )

    def _watch(self, invocation: Invocation, deadline: float) -> str:
        """Wait for the result, watching the clock, the process and its memory.

        Past ``stuck.SAMPLE_AFTER_S`` the worker's stack is sampled: "stuck" when the
        samples show an invocation that will not end by itself (runtime/stuck.py).
        """
        limit_mb = self.config.memory_size
        known = stuck.known(self.config)
        started = time.perf_counter()
        next_sample = started + (stuck.KNOWN_SAMPLE_AFTER_S if known else stuck.SAMPLE_AFTER_S)
        self._samples = []
        while not invocation.done.wait(POLL_S):
            self._peak_memory_mb()
            if self.process.poll() is not None:
                if invocation.done.is_set():
                    break
                return _exit_reason(self.process.returncode)
            now = time.perf_counter()
            if now > deadline:
                self._sample()  # where it was when it timed out
                return "timeout"
            if self.peak_memory_mb > limit_mb:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
                return "signal: killed"
            if now >= next_sample:
                self._sample()
                next_sample = now + (stuck.KNOWN_SAMPLE_EVERY_S if known else stuck.SAMPLE_EVERY_S)
                if stuck.stuck(self._samples, known) and not invocation.done.is_set():
                    return "stuck"
        if invocation.finished_at is not None and invocation.finished_at > deadline:
            return "timeout"  # answered after the deadline, between two looks at the clock
        return "done"

    def last_seen_at(self) -> str:
        """Where the running invocation's own code was at the last stack sample ("")."""
        last = next((s for s in reversed(self._samples) if s and s.place), None)
        return last.place if last else ""

    def _sample(self) -> None:
        """One look at the worker's stack (runtime/stuck.py); None when it cannot say."""
        self._samples.append(
            stuck.sample(self.process.pid, stuck.stack_file(self.tmp_dir), self.config.code_dir)
        )


def _exit_reason(returncode: int) -> str:
    """How Lambda describes a runtime that ended: ``exit status 1``, ``signal: killed``."""
    if returncode < 0:
        name = signal.Signals(-returncode).name
        words = {"SIGKILL": "killed", "SIGSEGV": "segmentation fault", "SIGTERM": "terminated"}
        return f"signal: {words.get(name, name.lower())}"
    return f"exit status {returncode}"


def _error_json(message: str, error_type: str) -> bytes:
    return json.dumps({"errorType": error_type, "errorMessage": message}).encode()


def _error_type(error: bytes | None) -> str | None:
    try:
        return json.loads(error or b"{}").get("errorType")
    except ValueError:
        return None
