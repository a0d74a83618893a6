"""Benchmark the local Lambda engine: cold start, warm overhead, and a Docker-free peer.

Run: ``make bench`` or ``.venv/bin/python bench/engine.py [--runs N]``.

Every figure is a median of N runs, reported beside a baseline measured in the same
run, so the ratios hold on any machine:

- cold start: a new execution environment (spawn, awslambdaric, import the handler,
  one invocation) against the floor ``python -c "import awslambdaric"`` (target 1.25x),
  and against what a worker cannot avoid: ``python -I -S`` importing the runtime client's
  ``__main__`` (the package ``__init__`` alone is nearly empty);
- warm invocation through the engine (target: at most 1 ms) and through boto3 and the
  moto server (target: at most 3 ms), against a direct in-process call;
- the cost of watching for a function that keeps running (runtime/stuck.py): warm
  invocations with the watch as it is, against the same with it switched off,
  interleaved in the same run;
- python-lambda-local, the peer that needs no Docker (always cold), if it installs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HANDLER = "def handler(event, context):\n    return {'ok': True, 'echo': event}\n"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_command(argv: list[str], runs: int, env: dict | None = None) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, env=env, capture_output=True)
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def make_config(engine, folder: Path, name: str = "bench"):
    import io
    import zipfile

    from lambdalab.sandbox.runtime.execution_environment import FunctionConfig

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", HANDLER)
    return FunctionConfig(
        function_name=name,
        function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
        handler="app.handler",
        code_dir=str(engine.unpack_code(buffer.getvalue())),
        layer_dir=str(engine.unpack_layers([])),
    )


def bench_engine(runs: int, client: str) -> dict[str, float]:
    from lambdalab.sandbox.runtime.engine import LambdaEngine

    with tempfile.TemporaryDirectory() as tmp:
        engine = LambdaEngine(Path(tmp), runtime_client=client)
        config = make_config(engine, Path(tmp))
        cold = []
        for _ in range(runs):
            start = time.perf_counter()
            engine.invoke(config, b"{}")
            cold.append(time.perf_counter() - start)
            engine.shutdown()  # the next invocation is cold again
        engine.invoke(config, b"{}")
        warm, unwatched = [], []
        for n in range(runs * 40):  # interleaved, each first in turn
            off = n % 4 in (1, 2)
            with hang_watch_off() if off else contextlib.nullcontext():
                start = time.perf_counter()
                engine.invoke(config, b'{"n": 1}')
                (unwatched if off else warm).append(time.perf_counter() - start)
        engine.shutdown()
    return {"cold": median_ms(cold), "warm": median_ms(warm), "unwatched": median_ms(unwatched)}


@contextlib.contextmanager
def hang_watch_off():
    """The engine without its watch for invocations that keep running (the baseline)."""
    from lambdalab.sandbox.runtime import stuck

    saved = stuck.SAMPLE_AFTER_S, stuck.known
    stuck.SAMPLE_AFTER_S, stuck.known = float("inf"), lambda config: frozenset()
    try:
        yield
    finally:
        stuck.SAMPLE_AFTER_S, stuck.known = saved


def bench_boto3(runs: int, folder: Path) -> tuple[float, float]:
    import boto3

    from lambdalab.sandbox import sandbox

    sb = sandbox()
    (folder / "fn").mkdir(exist_ok=True)
    (folder / "fn" / "app.py").write_text(HANDLER)
    sb.deploy("bench-warm", folder / "fn")
    lam = boto3.client("lambda")
    lam.invoke(FunctionName="bench-warm", Payload=b"{}")
    samples, plain = [], []
    for _ in range(runs * 10):
        start = time.perf_counter()
        lam.invoke(FunctionName="bench-warm", Payload=b'{"n": 1}')
        samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        lam.get_function_configuration(FunctionName="bench-warm")
        plain.append(time.perf_counter() - start)
    sb.stop()
    return median_ms(samples), median_ms(plain)


def bench_direct(runs: int) -> float:
    namespace: dict = {}
    exec(HANDLER, namespace)  # noqa: S102 - the benchmark's own trivial handler
    handler = namespace["handler"]
    samples = []
    for _ in range(runs * 100):
        start = time.perf_counter()
        json.dumps(handler(json.loads('{"n": 1}'), None))
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def bench_python_lambda_local(runs: int, folder: Path) -> float | None:
    """python-lambda-local runs a handler in a fresh interpreter each time (no Docker)."""
    target = folder / "pll"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            "python-lambda-local",
        ],
        capture_output=True,
    )
    if installed.returncode != 0:
        return None
    (folder / "app.py").write_text(HANDLER)
    (folder / "event.json").write_text('{"n": 1}')
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = "import sys; from lambda_local import main; sys.exit(main())"
    argv = [
        sys.executable,
        "-c",
        script,
        "-f",
        "handler",
        "-t",
        "3",
        str(folder / "app.py"),
        str(folder / "event.json"),
    ]
    return time_command(argv, runs, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    from lambdalab.sandbox.runtime.packages import has_awslambdaric

    client = "awslambdaric" if has_awslambdaric() else "builtin"
    floor_import = "import awslambdaric" if client == "awslambdaric" else "import http.client"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = time_command([sys.executable, "-c", floor_import], runs)
        # What a worker must import to run AWS's client: the client itself, not just its
        # package __init__, without site-packages (workers start with -I -S).
        from lambdalab.sandbox.runtime.packages import build_runtime_dir

        runtime = build_runtime_dir(folder / "runtime")
        main = "awslambdaric.__main__" if client == "awslambdaric" else "lambdalab_runtime_client"
        code = f"import sys; sys.path[:0] = [{str(runtime)!r}]; import {main}"
        runtime_floor = time_command([sys.executable, "-I", "-S", "-c", code], runs)
        engine = bench_engine(runs, client)
        direct = bench_direct(runs)
        via_boto3, plain_call = bench_boto3(runs, folder)
        peer = bench_python_lambda_local(runs, folder)
    print(f"Lambda Lab engine benchmark ({client}, median of {runs}+ runs)\n")
    rows = [
        (f"floor: python -I -S, import {main}", runtime_floor, "what a worker must import"),
        ("floor: python -c '" + floor_import + "'", floor, ""),
        (
            "cold start through the engine",
            engine["cold"],
            f"{engine['cold'] / floor:.2f}x floor (target <= 1.25x), "
            f"{engine['cold'] / runtime_floor:.2f}x the runtime's own import",
        ),
        ("direct in-process call (JSON in/out)", direct, ""),
        ("warm invoke through the engine", engine["warm"], "target <= 1 ms"),
        (
            "  the same without the hang watch",
            engine["unwatched"],
            f"the watch costs {engine['warm'] - engine['unwatched']:+.3f} ms "
            f"({engine['warm'] / engine['unwatched']:.2f}x)",
        ),
        ("boto3 + moto server, a call that runs nothing", plain_call, "get_function_configuration"),
        (
            "warm invoke through boto3 + moto server",
            via_boto3,
            f"target <= 3 ms; {via_boto3 - plain_call:+.2f} ms over a plain call",
        ),
    ]
    if peer is not None:
        rows.append(
            (
                "python-lambda-local (always cold)",
                peer,
                f"{peer / engine['warm']:.0f}x our warm, {peer / engine['cold']:.1f}x our cold",
            )
        )
    else:
        rows.append(("python-lambda-local", float("nan"), "could not be installed"))
    for label, value, note in rows:
        print(f"  {label:<45} {value:9.2f} ms   {note}")


if __name__ == "__main__":
    main()
