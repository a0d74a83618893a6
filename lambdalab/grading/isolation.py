"""Where student code runs while it is graded: a bubblewrap sandbox per kernel.

Each submission's grading process runs in a network namespace of its own (so the
kernel's ports, its moto server and its control endpoint on 127.0.0.1 are reachable by
that grading process and by nothing else), and starts the student's kernel in a
bubblewrap sandbox (https://github.com/containers/bubblewrap, Debian's ``bubblewrap``)
that, whether the grader runs as root or not,

- sees a file system made of read-only binds of only what the lesson needs: the system's
  ``/usr`` (and a few files of ``/etc``), the Python installation, the virtual
  environment, the ``lambdalab`` package and the course's ``assets/``; the course's
  private paths (``private``: its root, solutions, hidden tests, the grader's output
  folder, the submissions' folders) are hidden behind an empty read-only tmpfs wherever
  they fall under one of those binds, and the paths the kernel needs are bound again on
  top (``mounts``);
- writes nowhere but three size-capped tmpfs mounts (``scratch_caps``): its scratch
  folder ``/home/student`` (HOME and notebook folder, ``--scratch`` MB), ``/tmp`` and
  ``/dev/shm`` (a quarter of that each; POSIX semaphores, so ``multiprocessing`` works).
  ``/`` and ``/dev`` are read-only (apart from the standard device nodes ``null``,
  ``zero``, ``full``, ``random``, ``urandom``, ``tty`` and ``pts``);
- has its own PID namespace (``/proc`` shows its own processes only; it cannot signal the
  grader's), its own IPC and host name, a new terminal session, no capabilities;
- gets an allow-listed environment (``ENVIRONMENT``), nothing else of the instructor's;
- has limits set inside (``lambdalab.grading.launch``): address space, processes, file
  size; and no kernel keyrings: a fresh, possessor-only session keyring, then the keyring
  system calls refused (a key cannot pass from one submission to another);
- dies whole: bubblewrap's ``--die-with-parent`` and the PID namespace end every process
  it started (Lambda workers, double-forked daemons) when the kernel or its grading
  process ends.

When the grader runs as root, bubblewrap (which needs no user namespace then) starts the
kernel as an unprivileged user id of its own (``setpriv``), drawn at random for each
submission (``submission_uid``), so that the process limit counts (root is exempt from
it), no file of the machine is writable through a bind, and nothing kept per user id by
the Linux kernel (its user keyrings, its process count) is shared with another
submission. As another user, bubblewrap makes a user namespace (``--unshare-user``): the
kernel runs as that user, with user keyrings of its own namespace.
"""

from __future__ import annotations

import functools
import grp
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterable
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
#: User ids for kernels when the grader runs as root: one at random per submission
#: (``submission_uid``), from far above the ids of people and system services.
UID_RANGE = (2**20, 2**31)
#: /tmp and /dev/shm may each hold this fraction of the scratch size (HOME holds all of it).
SHARED_FRACTION = 4

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
    trial = [*grader_wrapper(), *_bwrap_base(), *_scratch(2**20), "--remount-ro", "/", "--"]
    trial += [*_drop_root(UID_RANGE[0]), "/usr/bin/true"] if _root() else ["/usr/bin/true"]
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


def _bwrap_base() -> list[str]:
    """Namespaces, the system's read-only binds, /proc and /dev (device nodes only)."""
    command = ["bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    if not _root():
        command.append("--unshare-user")
    command += ["--die-with-parent", "--new-session", "--hostname", "lambdalab"]
    # /etc made by bubblewrap for the binds of its files would be 0700, which the kernel
    # (another user id when the grader runs as root) could not read through
    command += ["--perms", "0755", "--dir", "/etc"]
    for outside, inside in system_binds():
        command += ["--ro-bind", outside, inside]
    for link in ("/bin", "/lib", "/lib64", "/sbin", "/lib32", "/libx32"):
        if os.path.islink(link):
            command += ["--symlink", os.readlink(link), link]
    command += ["--proc", "/proc", "--dev", "/dev"]
    if _root():
        command += ["--cap-drop", "ALL"]
        command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        command += ["--cap-add", "CAP_SETPCAP"]  # for setpriv, which drops them all
    return command


def scratch_caps(scratch_bytes: int) -> dict[str, int]:
    """The writable tmpfs mounts and their sizes in bytes: HOME holds ``scratch_bytes``,
    ``/tmp`` and ``/dev/shm`` a ``SHARED_FRACTION``-th of it each (at least 1 MiB)."""
    shared = max(2**20, scratch_bytes // SHARED_FRACTION)
    return {SANDBOX_HOME: scratch_bytes, "/tmp": shared, "/dev/shm": shared}


def _scratch(scratch_bytes: int) -> list[str]:
    """The writable mounts (``scratch_caps``), then ``/dev`` made read-only around them."""
    caps = scratch_caps(scratch_bytes)
    command = ["--perms", "0777", "--size", str(caps[SANDBOX_HOME]), "--tmpfs", SANDBOX_HOME]
    for inside in (f"{SANDBOX_HOME}/notebooks", f"{SANDBOX_HOME}/tmp"):
        command += ["--perms", "0777", "--dir", inside]
    # /tmp comes before the binds: the kit or its environment may live under /tmp (a CI
    # clone does), and their binds then go on top of it.
    for shared in ("/tmp", "/dev/shm"):
        command += ["--perms", "01777", "--size", str(caps[shared]), "--tmpfs", shared]
    return [*command, "--remount-ro", "/dev"]


def system_binds() -> list[tuple[str, str]]:
    """``(outside, inside)``: ``/usr``, the library folders that are not links into it
    (``/bin``, ``/lib``... on systems without a merged ``/usr``) and ``ETC_FILES``."""
    pairs = [("/usr", "/usr")]
    for folder in ("/bin", "/lib", "/lib64", "/sbin", "/lib32", "/libx32"):
        if not os.path.islink(folder) and os.path.isdir(folder):
            pairs.append((folder, folder))
    return pairs + [(name, name) for name in ETC_FILES if os.path.exists(name)]


def readable_paths(assets: Path | None) -> list[tuple[str, str]]:
    """``(outside, inside)`` read-only binds: Python, the environment, the kit, assets
    (also where one holds another, or ``/usr`` holds it: ``mounts`` leaves those out
    unless a mask hides them)."""
    wanted = [os.path.realpath(sys.base_prefix), sys.prefix, str(KIT_PACKAGE)]
    pairs = [(path, path) for path in sorted(set(wanted), key=len)]
    if assets is not None and assets.is_dir():
        pairs.append((str(assets.resolve()), f"{SANDBOX_HOME}/assets"))
    return pairs


def private_paths(paths: Iterable[Path | str]) -> tuple[str, ...]:
    """The folders a kernel must never see, resolved and sorted; a file stands for its
    folder (a submission handed in as a file). Paths that do not exist are dropped."""
    folders: set[str] = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved.is_file():
            resolved = resolved.parent
        if resolved.is_dir() and resolved != Path("/"):
            folders.add(str(resolved))
    return tuple(sorted(folders))


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _depth(path: str) -> int:
    return len(Path(path).parts)


def mounts(
    assets: Path | None, connection_dir: Path, private: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """The kernel's binds and masks, in the order they are mounted, and the masks.

    A private folder under a bound folder (``/usr``, Python, the environment, the kit,
    assets) is covered by an empty tmpfs; binds and masks go shallowest first, a mask
    before a bind at the same place, so a folder the kernel needs (the environment or the
    kit, inside a course folder that is private) is bound again on top of the mask that
    hides the rest of the course.
    """
    binds = [*readable_paths(assets), (str(connection_dir), "/run/lambdalab")]
    needed = {os.path.realpath(outside) for outside, _ in binds}
    masks: set[str] = set()
    for folder in private:
        for outside, inside in [*system_binds(), *binds]:
            outside = os.path.realpath(outside)
            if _under(folder, outside) and folder not in needed:
                masks.add(inside + folder[len(outside) :])
    # a mask inside another is needed only where a bind in between shows it again
    masks = {
        m
        for m in masks
        if not any(
            _under(m, outer)
            and m != outer
            and not any(_under(m, i) and _under(i, outer) and i != outer for _, i in binds)
            for outer in masks
        )
    }
    # a folder that another bind shows already (at its own path) is bound again only
    # where a mask hides it
    system = [i for _, i in system_binds()]
    same = [i for o, i in binds if o == i]

    def shown(inside: str) -> bool:
        above = any(_under(inside, b) for b in system)
        above = above or any(_under(inside, b) and inside != b for b in same)
        return above and not any(_under(inside, m) for m in masks)

    binds = [(o, i) for o, i in binds if o != i or not shown(i)]
    steps = [(_depth(m), 0, m, ["--size", str(2**20), "--tmpfs", m]) for m in masks]
    steps += [(_depth(i), 1, i, ["--ro-bind", o, i]) for o, i in binds]
    # Folders that hold a mount point are made 0755 where they are not there already (on
    # the sandbox's / or in a tmpfs): bubblewrap would make them 0700, which a kernel run
    # as another user id could not go through.
    writable = {"/": True, SANDBOX_HOME: True, "/tmp": True}
    writable.update((inside, False) for _, inside in system_binds())
    command: list[str] = []
    made: set[str] = set()
    for _, kind, inside, step in sorted(steps):
        for parent in _parents(inside):
            mount = max((m for m in writable if _under(parent, m)), key=_depth)
            if mount != parent and writable[mount] and parent not in made:
                command += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        command += step
        writable[inside] = kind == 0  # a mask is a tmpfs; a bind is read-only
    return command, sorted(masks)


def _parents(path: str) -> list[str]:
    parts = Path(path).parts
    return [str(Path(*parts[:i])) for i in range(2, len(parts))]


def kernel_command(
    command: list[str],
    *,
    connection_dir: Path,
    env: dict[str, str],
    assets: Path | None,
    scratch_mb: int,
    uid: int,
    private: Iterable[str] = (),
) -> list[str]:
    """``command`` (the kernel's) wrapped in the sandbox described in the module.

    ``private``: folders the kernel must not see even where they lie under a folder it
    is given (``private_paths``), e.g. a course kept under ``/usr/local``.
    """
    scratch_bytes = scratch_mb * 2**20 if scratch_mb > 0 else 64 * 2**30
    sandbox = [*_bwrap_base(), *_scratch(scratch_bytes)]
    binds, masks = mounts(assets, connection_dir, private)
    sandbox += binds
    for mask in masks:  # the masks, and then / itself, read-only once all is mounted
        sandbox += ["--remount-ro", mask]
    sandbox += ["--remount-ro", "/", "--chdir", f"{SANDBOX_HOME}/notebooks", "--clearenv"]
    for name, value in env.items():
        sandbox += ["--setenv", name, value]
    sandbox.append("--")
    if _root():
        sandbox += _drop_root(uid)
    return [*sandbox, *command]


def submission_uid() -> int:
    """A user id (and group id) for one submission's kernel when the grader runs as root.

    Drawn at random from ``UID_RANGE`` (2**20 to 2**31: about two thousand million ids),
    never one of ``/etc/passwd`` or ``/etc/group``, of a subordinate range
    (``/etc/subuid``, ``/etc/subgid``: other users' containers) or of a running process;
    so no two submissions share one in practice, nor anything the Linux kernel keeps per
    user id (user keyrings, which outlive the processes; the process count).
    """
    taken = {entry.pw_uid for entry in pwd.getpwall()} | {entry.gr_gid for entry in grp.getgrall()}
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            taken.add(os.stat(f"/proc/{pid}").st_uid)
        except (OSError, ValueError):
            continue
    ranges = []
    for name in ("/etc/subuid", "/etc/subgid"):
        try:
            lines = Path(name).read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            fields = line.split(":")
            if len(fields) == 3 and fields[1].isdigit() and fields[2].isdigit():
                ranges.append((int(fields[1]), int(fields[1]) + int(fields[2])))
    low, high = UID_RANGE
    while True:
        uid = low + secrets.randbelow(high - low)
        if uid not in taken and not any(start <= uid < end for start, end in ranges):
            return uid


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
