"""Start an IPython kernel under limits: the grader's kernel command.

``python -m lambdalab.grading.launch MEGABYTES PROCESSES FILE_MB -f CONNECTION_FILE``
lowers ``RLIMIT_AS`` (address space), ``RLIMIT_NPROC`` (processes and threads of the
kernel's user) and ``RLIMIT_FSIZE`` (the largest file it may write), all inherited by
every process the kernel starts (the sandbox's Lambda workers included), turns core dumps
off, and then runs ``ipykernel_launcher`` in this same process. A cell that asks for more
memory gets a ``MemoryError``, a fork bomb gets ``BlockingIOError``, a huge file
``OSError: File too large``, as on a machine with those limits; the rest of the
instructor's machine is safe. ``0`` means no limit (the process limit is only set inside
the grader's sandbox, where the kernel's user is its own: see
``lambdalab.grading.isolation``).
"""

from __future__ import annotations

import resource
import runpy
import sys


def _lower(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, value))


def main() -> None:
    megabytes, processes, file_mb = (int(x) for x in sys.argv[1:4])
    if megabytes > 0:
        _lower(resource.RLIMIT_AS, megabytes * 2**20)
    if processes > 0:
        _lower(resource.RLIMIT_NPROC, processes)
    if file_mb > 0:
        _lower(resource.RLIMIT_FSIZE, file_mb * 2**20)
    _lower(resource.RLIMIT_CORE, 0)
    sys.argv = ["ipykernel_launcher", *sys.argv[4:]]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
