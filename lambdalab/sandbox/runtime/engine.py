"""The local Lambda engine: deployment packages in, execution environments out.

The engine keeps a pool of execution environments per function version, as Lambda
does: an invocation takes an idle environment (a warm start) or creates one (a cold
start); concurrent invocations get separate environments; changing the function's code
or configuration retires its environments, so the next invocation is cold.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
"""

from __future__ import annotations

import hashlib
import io
import itertools
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from .concurrency import ConcurrencyLimits
from .execution_environment import ExecutionEnvironment, FunctionConfig, InvocationResult
from .packages import build_runtime_dir, has_awslambdaric

LogSink = Callable[[FunctionConfig, str, list[str]], None]
# Lambda keeps an idle environment for a while, then reclaims it; AWS does not publish
# the figure (observed: minutes, commonly 5 to 15). The sandbox uses 10 minutes of
# sandbox-clock time: ``sb.clock.advance(minutes=11)`` makes the next invocation cold.
IDLE_TIMEOUT_S = 600.0
# Lambda may also reclaim an idle environment at any time. The sandbox does so before a
# cold start when memory runs short: the idle environments' resident memory passes
# IDLE_MEMORY_BUDGET_MB (the least recently used go first), or the machine has less than
# LOW_MEMORY_MB available (every idle one goes). Provisioned environments are kept.
IDLE_MEMORY_BUDGET_MB = 100
LOW_MEMORY_MB = 256


def available_memory_mb() -> int | None:
    """MemAvailable from /proc/meminfo (Linux), None where it cannot be read."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def extract_zip(data: bytes, dest: Path) -> Path:
    """Unpack a deployment package (or a layer) once; later calls reuse the folder."""
    if dest.exists():
        return dest
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(partial)
    partial.rename(dest)
    return dest


class LambdaEngine:
    """Runs functions locally in execution environments.

    Parameters
    ----------
    workdir:
        Where packages are unpacked and environments keep their ``/tmp`` and output.
    base_env:
        Environment variables for every worker (endpoint, region, credentials).
    log_sink:
        Called with ``(config, log_stream_name, lines)`` after every invocation, to
        write the lines to CloudWatch Logs.
    runtime_client:
        ``"awslambdaric"`` (default where installed) or ``"builtin"``.

    Example
    -------
    >>> engine = LambdaEngine(Path("/tmp/lambdalab"))  # doctest: +SKIP
    >>> result = engine.invoke(config, b'{"name": "Ada"}')  # doctest: +SKIP
    >>> result.payload, result.cold_start  # doctest: +SKIP
    (b'{"greeting": "Hello, Ada!"}', True)
    """

    def __init__(
        self,
        workdir: Path,
        base_env: dict[str, str] | None = None,
        log_sink: LogSink | None = None,
        runtime_client: str | None = None,
    ) -> None:
        self.workdir = Path(workdir)
        self.base_env = dict(base_env or {})
        self.log_sink = log_sink
        self.runtime_client = runtime_client or (
            "awslambdaric" if has_awslambdaric() else "builtin"
        )
        self.runtime_dir = build_runtime_dir(self.workdir / "runtime")
        self._idle: dict[FunctionConfig, list[ExecutionEnvironment]] = {}
        self._busy: set[ExecutionEnvironment] = set()
        self._lock = threading.Lock()
        self._unpack_lock = threading.Lock()
        self._numbers = itertools.count(1)
        self.concurrency = ConcurrencyLimits()  # account and reserved concurrency
        self.idle_timeout_s = IDLE_TIMEOUT_S
        self.idle_memory_budget_mb = IDLE_MEMORY_BUDGET_MB
        self.now: Callable[[], float] = time.time  # the sandbox sets its clock here

    # -- packages --------------------------------------------------------------------
    def unpack_code(self, zip_bytes: bytes, sha256: str | None = None) -> Path:
        """The function's ``/var/task``: its deployment package, unpacked."""
        digest = sha256 or hashlib.sha256(zip_bytes).hexdigest()
        with self._unpack_lock:  # concurrent first invocations unpack once
            return extract_zip(zip_bytes, self.workdir / "code" / digest)

    def unpack_layers(self, layers: list[tuple[str, bytes]]) -> Path:
        """The function's ``/opt``: its layers unpacked in order, later ones on top."""
        key = hashlib.sha256("\n".join(arn for arn, _ in layers).encode()).hexdigest()[:16]
        with self._unpack_lock:  # concurrent first invocations unpack once
            return self._unpack_layers(layers, self.workdir / "opt" / key)

    @staticmethod
    def _unpack_layers(layers: list[tuple[str, bytes]], dest: Path) -> Path:
        if dest.exists():
            return dest
        partial = dest.with_name(dest.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for _, data in layers:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.extractall(partial)
        partial.rename(dest)
        return dest

    # -- environments ----------------------------------------------------------------
    def _acquire(self, config: FunctionConfig) -> ExecutionEnvironment:
        self.reap_idle()
        with self._lock:
            self._retire_stale(config)
            idle = self._idle.get(config)
            env = idle.pop() if idle else self._new_environment(config)
            self._busy.add(env)
        if not idle:  # a cold start: make room first if memory runs short
            self.reclaim_for_memory()
        return env

    def reclaim_for_memory(self) -> int:
        """Stop idle environments while memory runs short; return how many.

        Least recently used first, until the idle ones hold at most
        ``idle_memory_budget_mb`` of resident memory; all of them when the machine has
        less than LOW_MEMORY_MB available. Provisioned environments are kept.
        """
        with self._lock:
            idle = [e for group in self._idle.values() for e in group if not e.provisioned]
        if not idle:
            return 0
        idle.sort(key=lambda e: e.idle_since)
        sizes = {e: e._memory_mb("VmRSS") for e in idle}
        total = sum(sizes.values())
        available = available_memory_mb()
        short = available is not None and available < LOW_MEMORY_MB
        chosen = list(idle) if short else []
        for env in [] if short else idle:
            if total <= self.idle_memory_budget_mb:
                break
            chosen.append(env)
            total -= sizes[env]
        reclaimed = []
        with self._lock:  # one may have been taken for an invocation meanwhile
            for env in chosen:
                group = self._idle.get(env.config, [])
                if env in group:
                    group.remove(env)
                    reclaimed.append(env)
                    if not group:
                        del self._idle[env.config]
        for env in reclaimed:
            env.stop()
        return len(reclaimed)

    def _new_environment(self, config: FunctionConfig) -> ExecutionEnvironment:
        """A new, not yet started environment with its own /tmp folder."""
        number = next(self._numbers)
        return ExecutionEnvironment(
            config,
            self.runtime_dir,
            self.workdir / "environments" / f"env-{number}" / "tmp",
            self.base_env,
            self.runtime_client,
        )

    def _release(self, env: ExecutionEnvironment) -> None:
        with self._lock:
            self._busy.discard(env)
            if env.dead:
                return
            env.idle_since = self.now()
            self._idle.setdefault(env.config, []).append(env)

    def reap_idle(self) -> int:
        """Stop the environments idle for longer than ``idle_timeout_s``; return how many.

        Provisioned environments are kept: Lambda keeps them initialised for as long as
        the configuration exists.
        """
        limit = self.now() - self.idle_timeout_s
        reaped = []
        with self._lock:
            for config, idle in list(self._idle.items()):
                keep = [e for e in idle if e.provisioned or e.idle_since >= limit]
                reaped += [e for e in idle if e not in keep]
                if keep:
                    self._idle[config] = keep
                else:
                    del self._idle[config]
        for env in reaped:
            env.stop()
        return len(reaped)

    def _retire_stale(self, config: FunctionConfig) -> None:
        """Code or configuration changed: the old version's idle environments go."""
        for other in list(self._idle):
            if other != config and (other.function_arn, other.version) == (
                config.function_arn,
                config.version,
            ):
                for env in self._idle.pop(other):
                    env.stop()

    def environments(self, function_name: str | None = None) -> list[ExecutionEnvironment]:
        """The live environments (idle and busy), optionally of one function."""
        with self._lock:
            envs = [e for group in self._idle.values() for e in group] + list(self._busy)
        return [e for e in envs if function_name in (None, e.config.function_name)]

    def running(self) -> list[tuple[str, str]]:
        """(function name, where its code was last seen) of each invocation running now.

        Where: the last stack sample of a long invocation (runtime/stuck.py), "" before.
        """
        with self._lock:
            busy = list(self._busy)
        return [(env.config.function_name, env.last_seen_at()) for env in busy]

    def invoke(
        self,
        config: FunctionConfig,
        payload: bytes,
        request_id: str | None = None,
        client_context: str | None = None,
        reserved_concurrency: int | None = None,
        trace_id: str | None = None,
        invoked_arn: str | None = None,
    ) -> InvocationResult:
        """Invoke synchronously in an idle environment, or a new one (cold start).

        Raises :class:`~lambdalab.sandbox.runtime.concurrency.Throttled` when the function's
        reserved concurrency, or the account's unreserved pool, is used up.
        """
        self.concurrency.acquire(config.function_name, reserved_concurrency)
        try:
            env = self._acquire(config)
            try:
                result = env.invoke(payload, request_id, client_context, trace_id, invoked_arn)
            finally:
                self._release(env)
        finally:
            self.concurrency.release(config.function_name)
        if self.log_sink:
            self.log_sink(config, env.log_stream_name, result.log_lines)
        return result

    def provision(self, config: FunctionConfig, count: int) -> list[str]:
        """Keep ``count`` environments of ``config`` initialised (provisioned concurrency).

        Environments beyond ``count`` lose their provisioned mark (and are reaped when
        idle); missing ones are started and initialised now, so the invocations they
        serve are warm. Returns error types of environments whose INIT failed.
        """
        with self._lock:
            mine = [
                e
                for e in self._idle.get(config, []) + list(self._busy)
                if e.config == config and e.provisioned
            ]
        for env in mine[count:]:
            env.provisioned = False
        errors = []
        for _ in range(count - len(mine)):
            env = self._new_environment(config)
            lines, error = env.prewarm()
            if self.log_sink:
                self.log_sink(config, env.log_stream_name, lines)
            if error:
                errors.append(error)
                continue
            env.idle_since = self.now()
            with self._lock:
                self._idle.setdefault(config, []).append(env)
        return errors

    def shutdown(self) -> None:
        """Stop every environment (each worker process ends)."""
        with self._lock:
            envs = [e for group in self._idle.values() for e in group] + list(self._busy)
            self._idle.clear()
            self._busy.clear()
        for env in envs:
            env.stop()
