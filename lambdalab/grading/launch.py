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

Before ipykernel starts, it also shuts the kernel out of the Linux kernel's keyrings
(``seal_keyrings``), which are not part of any namespace bubblewrap makes: it joins a new,
anonymous session keyring that only its own processes may use (not the session keyring
of the grader, nor the per-user one other kernels of the same user id fall back to), then
installs a seccomp filter under which ``add_key``, ``request_key`` and ``keyctl`` fail
with ``EPERM`` for it and every process it starts: no key can be left by one submission
for another, nor one of the instructor's read. Where a step is not supported (another
architecture, a kernel without keyrings or seccomp) it is skipped with a line in the
kernel's log.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import runpy
import struct
import sys

#: ``(AUDIT_ARCH_*, (add_key, request_key, keyctl))`` of each ABI a process on this
#: machine may call the Linux kernel with (64-bit and the 32-bit compatibility one).
KEYRING_SYSCALLS = {
    "x86_64": [(0xC000003E, (248, 249, 250)), (0x40000003, (286, 287, 288))],
    "aarch64": [(0xC00000B7, (217, 218, 219)), (0x40000028, (309, 310, 311))],
}
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_SETPERM, KEY_SPEC_SESSION_KEYRING = 1, 5, -3
KEY_POS_ALL = 0x3F000000  # the possessor may do everything, nobody else anything
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
X32_SYSCALL_BIT = 0x40000000


def _lower(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, value))


def keyring_filter(machine: str) -> bytes:
    """A classic BPF program for seccomp: the keyring calls of ``machine``'s ABIs get
    ``EPERM``, every other call is allowed (x32 calls too, by their x86_64 number)."""

    def op(code: int, jt: int = 0, jf: int = 0, k: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    load, jeq, alu_and, ret = 0x20, 0x15, 0x54, 0x06  # BPF_LD|W|ABS, JMP|JEQ|K, ALU|AND|K
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EPERM  # SECCOMP_RET_ALLOW, _ERRNO
    program = [op(load, k=4)]  # seccomp_data.arch
    for arch, numbers in KEYRING_SYSCALLS[machine]:
        block = [op(load, k=0)]  # seccomp_data.nr
        if arch == 0xC000003E:
            block.append(op(alu_and, k=0xFFFFFFFF & ~X32_SYSCALL_BIT))
        for i, number in enumerate(numbers):
            block.append(op(jeq, jt=len(numbers) - i, k=number))  # to `deny`
        block += [op(ret, k=allow), op(ret, k=deny)]
        program.append(op(jeq, jf=len(block), k=arch))  # another ABI: skip this block
        program += block
    program.append(op(ret, k=allow))
    return b"".join(program)


def seal_keyrings() -> list[str]:
    """Join a fresh possessor-only session keyring, then refuse the keyring calls.

    Returns what could not be done (empty when everything was), for the kernel's log.
    """
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine not in KEYRING_SYSCALLS:
        return [f"no keyring sealing on {sys.platform} {machine}"]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong]
    libc.prctl.argtypes += [ctypes.c_ulong]  # every argument given: unused ones must be 0
    keyctl = KEYRING_SYSCALLS[machine][0][1][2]
    missed = []
    call = ctypes.c_long
    if libc.syscall(call(keyctl), call(KEYCTL_JOIN_SESSION_KEYRING), None) < 0:
        missed.append(f"new session keyring: {os.strerror(ctypes.get_errno())}")
    elif libc.syscall(
        call(keyctl), call(KEYCTL_SETPERM), call(KEY_SPEC_SESSION_KEYRING), call(KEY_POS_ALL)
    ):
        missed.append(f"session keyring permissions: {os.strerror(ctypes.get_errno())}")
    code = keyring_filter(machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack("HxxxxxxP", len(code) // 8, ctypes.addressof(buffer))
    program = ctypes.create_string_buffer(fprog, len(fprog))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) or libc.prctl(
        PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0
    ):
        missed.append(f"seccomp filter: {os.strerror(ctypes.get_errno())}")
    return missed


def main() -> None:
    megabytes, processes, file_mb = (int(x) for x in sys.argv[1:4])
    if megabytes > 0:
        _lower(resource.RLIMIT_AS, megabytes * 2**20)
    if processes > 0:
        _lower(resource.RLIMIT_NPROC, processes)
    if file_mb > 0:
        _lower(resource.RLIMIT_FSIZE, file_mb * 2**20)
    _lower(resource.RLIMIT_CORE, 0)
    for problem in seal_keyrings():
        print(f"lambdalab.grading.launch: keyrings not sealed: {problem}", file=sys.stderr)
    sys.argv = ["ipykernel_launcher", *sys.argv[4:]]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
