"""Start one execution environment's runtime: run as ``python -I -S worker.py HANDLER``.

``-I -S`` leave out the kernel's site-packages, so the handler sees what it would see
on AWS: its own code (LAMBDA_TASK_ROOT), its layers (/opt/python), and the runtime
(awslambdaric, boto3 and botocore), in that order on ``sys.path``, taken from PYTHONPATH
as Lambda sets it. This file imports only the standard library before the runtime.

On SIGUSR2 the worker writes its threads' Python stacks to the file named by
``_LAMBDALAB_STACK_FILE`` (``faulthandler``, no Python code runs, so a busy loop or a sleep
answers too): how the sandbox sees where an invocation that keeps running is
(lambdalab/sandbox/runtime/stuck.py).
"""

import faulthandler
import os
import signal
import sys
import threading
import time


def _die_with_parent(parent_pid: int) -> None:
    """Exit when the kernel that started us is gone, so no worker is ever orphaned."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(0)


def main() -> None:
    handler = sys.argv[1]
    parent = int(os.environ.pop("_LAMBDALAB_PARENT_PID", "0"))
    if parent:
        threading.Thread(target=_die_with_parent, args=(parent,), daemon=True).start()
    stack_file = os.environ.pop("_LAMBDALAB_STACK_FILE", "")
    if stack_file:
        dump = open(stack_file, "a")  # noqa: SIM115 - open as long as the worker lives
        faulthandler.register(signal.SIGUSR2, file=dump, all_threads=True)
    paths = [os.environ["LAMBDA_TASK_ROOT"]]
    paths += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[0:0] = paths
    client = os.environ.pop("_LAMBDALAB_RUNTIME_CLIENT", "awslambdaric")
    if client == "awslambdaric":
        from awslambdaric.__main__ import main as awslambdaric_main

        awslambdaric_main(["awslambdaric", handler])
    else:
        import lambdalab_runtime_client

        lambdalab_runtime_client.run(handler)


if __name__ == "__main__":
    main()
