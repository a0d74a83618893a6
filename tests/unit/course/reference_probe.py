"""The child process of test_no_answers.py: which bundled functions compute an answer?

Usage: ``python reference_probe.py JOBS.pickle RESULT.json KIT_ROOT``. JOBS.pickle holds
a list of jobs, one per solution function: ``{"exercise", "name", "source", "module",
"imports", "cases"}`` (``source``: the solution cell's code; ``module``: whether the cell
is a file the lesson writes, ``%%writefile``, rather than kernel code; ``imports``: the
notebook's import statements, for kernel code; ``cases``: argument tuples).

For each job the solution's function is built from its cell and called on every case.
Then every module-level function of the ``lambdalab`` package under KIT_ROOT that takes
as many positional arguments is called on the same cases; one that returns the
solution's result for every case is reported as a leak. RESULT.json receives
``{"leaks": [...], "errors": [...], "modules": n, "functions": n, "calls": n}``.

Nothing the calls do can reach out: :func:`guard` makes sockets, subprocesses, threads,
sleeping, ``input`` and ``os._exit`` raise before any kit module is imported, and every
call has ``CALL_SECONDS`` (SIGALRM) to finish. The kit is a scratch copy and the process
runs in a scratch folder, so a function that writes files writes there.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import importlib
import inspect
import io
import json
import math
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

CALL_SECONDS = 2


class Refused(RuntimeError):
    """What a guarded operation raises in the probe process."""


class CallTimeout(BaseException):
    """A call that ran out of time (a BaseException, so ``except Exception`` lets it by)."""


def _refuse(what: str):
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise Refused(f"{what} is not allowed while probing the kit")

    return refused


def guard() -> None:
    """No network, no processes, no threads, no waiting: a probed call can only compute."""
    socket.socket.connect = _refuse("socket.connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse("socket.connect_ex")  # type: ignore[method-assign]
    socket.socket.bind = _refuse("socket.bind")  # type: ignore[method-assign]
    socket.create_connection = _refuse("socket.create_connection")
    socket.getaddrinfo = _refuse("socket.getaddrinfo")
    subprocess.Popen.__init__ = _refuse("subprocess")  # type: ignore[method-assign]
    for name in ("system", "popen", "fork", "forkpty", "execv", "execve", "spawnv", "_exit"):
        if hasattr(os, name):
            setattr(os, name, _refuse(f"os.{name}"))
    threading.Thread.start = _refuse("threading.Thread.start")  # type: ignore[method-assign]
    time.sleep = _refuse("time.sleep")
    builtins.input = _refuse("input")
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "probe")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "probe")


def _alarm(signum: int, frame: Any) -> None:
    raise CallTimeout


def call(fn: Any, args: tuple[Any, ...]) -> tuple[bool, Any]:
    """``(True, result)`` or ``(False, None)`` when the call raised or ran out of time."""
    signal.alarm(CALL_SECONDS)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return True, fn(*copy.deepcopy(args))
    except (Exception, CallTimeout, SystemExit, KeyboardInterrupt):  # noqa: BLE001
        return False, None
    finally:
        signal.alarm(0)


def same(a: Any, b: Any) -> bool:
    """Equal results: numbers to 1e-9, containers element by element."""
    numbers = (int, float, Decimal)
    if isinstance(a, numbers) and isinstance(b, numbers):
        if isinstance(a, bool) or isinstance(b, bool):
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:  # noqa: BLE001
        return False


def _statements(source: str) -> list[ast.stmt]:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines)).body


def solution_function(job: dict[str, Any]) -> Any:
    """The solution's function, defined from its cell as the lesson defines it."""
    namespace: dict[str, Any] = {"__name__": f"solution_{job['name']}"}
    kept = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    if job["module"]:  # a file the lesson writes and deploys: all of it, statement by statement
        kept += (ast.Assign, ast.AnnAssign)
    statements = [
        s for s in _statements(job["imports"]) if isinstance(s, ast.Import | ast.ImportFrom)
    ]
    statements += [s for s in _statements(job["source"]) if isinstance(s, kept)]
    for statement in statements:
        with contextlib.suppress(Exception):
            exec(compile(ast.Module([statement], []), job["name"], "exec"), namespace)  # noqa: S102
    return namespace[job["name"]]


def arity_fits(fn: Any, count: int) -> bool:
    """Whether ``fn`` can be called with ``count`` positional arguments and no keyword."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    if any(p.kind == p.KEYWORD_ONLY and p.default is p.empty for p in parameters):
        return False
    varargs = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    return len(required) <= count and (count <= len(positional) or varargs)


def kit_functions(kit: Path) -> tuple[list[tuple[str, Any]], list[str]]:
    """``[(dotted name, function)]`` of every module-level function of the kit's package."""
    found, errors = [], []
    for path in sorted((kit / "lambdalab").rglob("*.py")):
        parts = path.relative_to(kit).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        try:
            module = importlib.import_module(name)
        except BaseException as error:  # noqa: BLE001
            errors.append(f"import {name}: {type(error).__name__}: {error}")
            continue
        for attribute, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == name:
                found.append((f"{name}.{attribute}", value))
    return found, errors


def main(jobs_path: str, result_path: str, kit_root: str) -> None:
    kit = Path(kit_root).resolve()
    jobs = pickle.loads(Path(jobs_path).read_bytes())
    sys.path.insert(0, str(kit))
    guard()
    signal.signal(signal.SIGALRM, _alarm)
    errors: list[str] = []
    expected = []
    for job in jobs:
        try:
            solution = solution_function(job)
        except Exception:  # noqa: BLE001
            errors.append(f"{job['exercise']} {job['name']}: {traceback.format_exc(limit=1)}")
            continue
        results = []
        for args in job["cases"]:
            ok, result = call(solution, args)
            if not ok:
                errors.append(f"{job['exercise']} {job['name']}{args!r:.80}: the solution raised")
                break
            results.append(result)
        else:
            if len({repr(r) for r in results}) < 2:
                errors.append(
                    f"{job['exercise']} {job['name']}: the cases all give {results[0]!r}; a "
                    "function returning a constant would pass for the solution"
                )
            else:
                expected.append((job, results))
    functions, import_errors = kit_functions(kit)
    errors += import_errors
    leaks, calls = [], 0
    for dotted, fn in functions:
        for job, results in expected:
            if not arity_fits(fn, len(job["cases"][0])):
                continue
            for args, wanted in zip(job["cases"], results, strict=True):
                calls += 1
                ok, got = call(fn, args)
                if not ok or not same(got, wanted):
                    break
            else:
                leaks.append(
                    {
                        "function": dotted,
                        "exercise": job["exercise"],
                        "solution": job["name"],
                        "cases": len(results),
                    }
                )
    summary = {
        "leaks": leaks,
        "errors": errors,
        "jobs": len(expected),
        "functions": len(functions),
        "calls": calls,
    }
    Path(result_path).write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:4])
