"""Start an IPython kernel under an address-space limit: the grader's kernel command.

``python -m lambdalab.grading.launch MEGABYTES -f CONNECTION_FILE`` lowers
``RLIMIT_AS`` (inherited by every process the kernel starts, such as the sandbox's Lambda
workers) and then runs ``ipykernel_launcher`` in this same process. A cell that asks for
more memory gets a ``MemoryError``, as it would on a machine with that much memory, and
the rest of the instructor's machine is safe. ``0`` means no limit.
"""

from __future__ import annotations

import resource
import runpy
import sys


def main() -> None:
    megabytes = int(sys.argv[1])
    if megabytes > 0:
        limit = megabytes * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    sys.argv = ["ipykernel_launcher", *sys.argv[2:]]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
