"""Start one execution environment's runtime: run as ``python -I -S worker.py HANDLER``.

``-I -S`` leave out the kernel's site-packages, so the handler sees what it would see
on AWS: its own code (LAMBDA_TASK_ROOT), its layers (/opt/python), and the runtime
(awslambdaric, boto3 and botocore), in that order on ``sys.path``, taken from PYTHONPATH
as Lambda sets it. This file imports only the standard library before the runtime.
"""

import os
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
