"""Starting and stopping: no worker process outlives its sandbox or its kernel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

SCRIPT = textwrap.dedent(
    """
    import os, sys, tempfile, pathlib, boto3
    import lambdalab
    sb = lambdalab.sandbox()
    folder = pathlib.Path(tempfile.mkdtemp())
    (folder / "app.py").write_text("import os\\ndef handler(e, c):\\n    return os.getpid()\\n")
    sb.deploy("orphan-check", folder)
    pid = boto3.client("lambda").invoke(FunctionName="orphan-check")["Payload"].read()
    print(pid.decode(), flush=True)
    if sys.argv[1] == "stop":
        sb.stop()
        print("stopped", flush=True)
    else:
        import time
        time.sleep(60)  # the test kills this "kernel" with SIGKILL
    """
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return True


def wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def start(mode: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, mode], stdout=subprocess.PIPE, text=True
    )
    worker_pid = int(process.stdout.readline())
    return process, worker_pid


def test_stop_ends_every_worker():
    process, worker = start("stop")
    assert process.stdout.readline().strip() == "stopped"
    assert wait_gone(worker, 2)
    process.wait(timeout=10)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_workers_die_when_the_kernel_is_killed():
    process, worker = start("kill")
    assert alive(worker)
    process.send_signal(signal.SIGKILL)  # a kernel that dies without any clean-up
    process.wait(timeout=10)
    assert wait_gone(worker, 3), "the worker outlived its kernel"


def test_a_second_region_is_refused_while_one_runs(sb):
    from lambdalab.sandbox import SandboxError, sandbox

    with pytest.raises(SandboxError, match="already running"):
        sandbox(region="eu-west-1")
