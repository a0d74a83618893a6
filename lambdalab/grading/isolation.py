"""Where student code runs while it is graded: a bubblewrap sandbox per kernel.

Each submission's grading process runs in a network namespace of its own (so the
kernel's ports, its moto server and its control endpoint on 127.0.0.1 are reachable by
that grading process and by nothing else), and starts the student's kernel in a
bubblewrap sandbox (https://github.com/containers/bubblewrap, Debian's ``bubblewrap``)
that

- sees a file system made of read-only binds of only what the lesson needs: the system's
  ``/usr`` (and a few files of ``/etc``), the Python installation, the virtual
  environment, the ``lambdalab`` package and the course's ``assets/``; plus a private,
  size-capped scratch folder (``/home/student``, its HOME and notebook folder) and a
  private ``/tmp`` capped the same way;
- has its own PID namespace (``/proc`` shows its own processes only; it cannot signal the
  grader's), its own IPC and host name, a new terminal session, no capabilities;
- gets an allow-listed environment (``ENVIRONMENT``), nothing else of the instructor's;
- has limits set inside (``lambdalab.grading.launch``): address space, processes, file size;
- dies whole: bubblewrap's ``--die-with-parent`` and the PID namespace end every process
  it started (Lambda workers, double-forked daemons) when the kernel or its grading
  process ends.

When the grader runs as root, bubblewrap (which needs no user namespace then) starts the
kernel as an unprivileged user id of its own (``setpriv``), so that the process limit
counts (root is exempt from it) and no file of the machine is writable through a bind.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

#: The lambdalab package, bound read-only into every sandbox.
KIT_PACKAGE = Path(__file__).resolve().parents[1]
#: Where the sandbox's scratch folder is, inside the sandbox.
SANDBOX_HOME = "/home/student"
#: Files of /etc the kernel may read (users' names, hosts, time zone, libraries, TLS).
ETC_FILES = (
    "/etc/passwd",
    "/etc/group",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/mime.types",
    "/etc/fonts",
    "/etc/alternatives",
)
#: The instructor's variables the kernel may see (everything else is dropped).
ENVIRONMENT = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")
#: User ids for kernels when the grader runs as root (one per grading process).
ROOT_UID_BASE = 200_000

FIX = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged "
    "user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also "
    "kernel.apparmor_restrict_unprivileged_userns=0), or grade inside a Linux VM or "
    "container that allows them; --no-isolation grades anyway, with student code running "
    "as you (every row is then marked unisolated)"
)


class IsolationUnavailable(Exception):
    """The sandbox cannot be made here; the message names the cause and the fix."""


def _root() -> bool:
    return os.geteuid() == 0


@functools.cache
def problem() -> str | None:
    """Why isolation cannot work on this machine, or None when it works (tried once)."""
    if not sys.platform.startswith("linux"):
        return f"isolation needs Linux namespaces, and this is {sys.platform}: {FIX}"
    if shutil.which("bwrap") is None:
        return f"bubblewrap (bwrap) is not installed: {FIX}"
    if _root() and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is missing: install util-linux, or run as another user"
    trial = [*grader_wrapper(), *_bwrap_base(2**20), "--"]
    trial += [*_drop_root(ROOT_UID_BASE), "/usr/bin/true"] if _root() else ["/usr/bin/true"]
    try:
        done = subprocess.run(trial, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not run ({error}): {FIX}"
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap cannot make a sandbox here ({why}): {FIX}"
    return None


def grader_wrapper() -> list[str]:
    """The prefix that runs a grading process in a network namespace of its own.

    The grading process is trusted (it holds the hidden tests): it sees the whole file
    system. Only its network is private, so that the kernel it starts (which shares it)
    can reach its own ports on 127.0.0.1 and no one else's.
    """
    command = ["bwrap", "--unshare-net", "--bind", "/", "/", "--dev-bind", "/dev", "/dev"]
    if not _root():
        command.insert(1, "--unshare-user")
    return [*command, "--die-with-parent", "--"]


def _drop_root(uid: int) -> list[str]:
    return [
        "setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--bounding-set=-all",
        "--inh-caps=-all",
        "--no-new-privs",
        "--",
    ]


def _parents(path: str) -> list[str]:
    parts = Path(path).parts
    return [str(Path(*parts[:i])) for i in range(2, len(parts))]


def _bwrap_base(scratch_bytes: int | None) -> list[str]:
    command = ["bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    if not _root():
        command.append("--unshare-user")
    command += ["--die-with-parent", "--new-session", "--hostname", "lambdalab"]
    command += ["--ro-bind", "/usr", "/usr"]
    for link in ("/bin", "/lib", "/lib64", "/sbin", "/lib32", "/libx32"):
        if os.path.islink(link):
            command += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            command += ["--ro-bind", link, link]
    for name in ETC_FILES:
        if os.path.exists(name):
            command += ["--ro-bind", name, name]
    command += ["--proc", "/proc", "--dev", "/dev"]
    if scratch_bytes:
        command += ["--perms", "0777", "--size", str(scratch_bytes), "--tmpfs", SANDBOX_HOME]
    if _root():
        command += ["--cap-drop", "ALL"]
        command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        command += ["--cap-add", "CAP_SETPCAP"]  # for setpriv, which drops them all
    return command


def readable_paths(assets: Path | None) -> list[tuple[str, str]]:
    """``(outside, inside)`` read-only binds: Python, the environment, the kit, assets."""
    wanted = [os.path.realpath(sys.base_prefix), sys.prefix]
    wanted.append(str(KIT_PACKAGE))
    pairs: list[tuple[str, str]] = []
    for path in sorted(set(wanted), key=len):
        if path == "/usr" or path.startswith("/usr/"):
            continue  # bound whole already
        if not any(path == done or path.startswith(done + "/") for done, _ in pairs):
            pairs.append((path, path))
    if assets is not None and assets.is_dir():
        pairs.append((str(assets.resolve()), f"{SANDBOX_HOME}/assets"))
    return pairs


def kernel_command(
    command: list[str],
    *,
    connection_dir: Path,
    env: dict[str, str],
    assets: Path | None,
    scratch_mb: int,
    uid: int,
) -> list[str]:
    """``command`` (the kernel's) wrapped in the sandbox described in the module."""
    scratch_bytes = scratch_mb * 2**20 if scratch_mb > 0 else 64 * 2**30
    sandbox = _bwrap_base(scratch_bytes)
    # /tmp is a size-capped tmpfs of its own, mounted before the read-only binds: the kit
    # or its environment may live under /tmp (a CI clone does), and their binds then go
    # on top of it.
    sandbox += ["--perms", "01777", "--size", str(scratch_bytes), "--tmpfs", "/tmp"]
    made: set[str] = {SANDBOX_HOME, "/home", "/tmp"}
    for inside in ("/home/student/notebooks", "/home/student/tmp"):
        sandbox += ["--perms", "0777", "--dir", inside]
    for outside, inside in [*readable_paths(assets), (str(connection_dir), "/run/lambdalab")]:
        for parent in _parents(inside):
            if parent not in made and not parent.startswith(("/usr", SANDBOX_HOME + "/")):
                sandbox += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        sandbox += ["--ro-bind", outside, inside]
        made.add(inside)
    sandbox += ["--chdir", f"{SANDBOX_HOME}/notebooks", "--clearenv"]
    for name, value in env.items():
        sandbox += ["--setenv", name, value]
    sandbox.append("--")
    if _root():
        sandbox += _drop_root(uid)
    return [*sandbox, *command]


def kernel_environment(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """The kernel's whole environment: the allow-list of ``base``, then ``extra``."""
    env = {name: base[name] for name in ENVIRONMENT if name in base}
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        PATH=f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
        HOME=SANDBOX_HOME,
        TMPDIR=f"{SANDBOX_HOME}/tmp",
        USER="student",
        LOGNAME="student",
    )
    env.update(extra)
    return env
