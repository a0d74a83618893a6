"""The sandbox is as tight for an instructor who is not root as for root (issue 24).

Hostile submissions of the sample lesson 99, each graded through the command line
(``python -m lambdalab.grading``), two at a time: writing to ``/``, ``/dev`` and other
folders outside the scratch ones; filling ``/dev/shm`` and ``/tmp`` past their caps (while
``multiprocessing`` keeps working); planting a key in the kernel keyrings and reading it
from another submission graded beside it or after it in the same job slot; listing and
reading a copy of the course kept under a folder the sandbox binds (here the virtual
environment). Each gets its exact grade; what it read would show in its feedback (99.1's
answer is a text saying what it found) and must not; nothing is left running or on disk.

When the tests run as root (CI does), the same set is graded again as an unprivileged
user (``setpriv`` to uid 65534), as an instructor without root would grade it: the
sandbox then rests on a user namespace instead of a user id of its own, and must hold
just the same. That needs the repository, its ``.venv`` and the Python it points to to
be readable by that user; where they are not, the test says which folder stops it and
is skipped (in CI, where CI=true, it fails instead), like ``needs_isolation``.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import fixture_set
import psutil
import pytest
from test_grader import needs_isolation

from lambdalab.grading import isolation, launch
from lambdalab.grading.batch import MAXIMUM_ROW, feedback_name

REPO = fixture_set.REPO
SCRATCH_MB = 64  # --scratch: HOME 64 MiB, /tmp and /dev/shm 16 MiB each
CAP = SCRATCH_MB * 2**20 // isolation.SHARED_FRACTION
LIMITS = ["--timeout", "20", "--call-timeout", "2", "--jobs", "2", "--scratch", str(SCRATCH_MB)]
#: The user an instructor without root is played by (``nobody``).
UNPRIVILEGED = 65534
#: What the planting submission puts in the keyrings: no other submission may read it.
PLANTED = "planted-key-3e9b1f"


# --------------------------------------------------------------------------------------
# The hostile submissions
# --------------------------------------------------------------------------------------


def hostile(probe: str) -> list:
    """Cells of lesson 99: ``probe`` fills ``found`` (it may assert what must keep working:
    a failed assert makes the status ``error``). 99.1's answer is a text showing what was
    found (its check message, and so the feedback, quotes it); 99.2 is right only if
    something was found. A sandbox that holds: 0 points, status ok, nothing in feedback."""
    cell = f"found = []\n{probe}\nmemory_mb = 'found: ' + repr(found)[:2000]\n"
    right = textwrap.indent(fixture_set.PARSE_OK, "    ")
    parse = f"if found:\n{right}else:\n    def parse_size(text):\n        return None\n"
    return [fixture_set.answer("memory_mb", cell), fixture_set.answer("def parse_size", parse)]


#: Writing outside the three scratch mounts: the root, /dev (a node, a folder, a link, a
#: mode change) and the folders of the sandbox's file system; /dev/null keeps working.
WRITE_OUTSIDE = """
import os, sys
with open("/dev/null", "w") as handle:
    handle.write("still a device")
for folder in ("/", "/dev", "/etc", "/run", "/home", "/run/lambdalab", "/usr", sys.prefix,
               os.path.dirname(os.__file__), "/proc/self"):
    try:
        os.close(os.open(os.path.join(folder, "mallory-was-here"), os.O_CREAT | os.O_WRONLY))
        found.append(folder)
    except OSError:
        pass
    try:
        os.mkdir(os.path.join(folder, "mallory-folder"))
        found.append(folder + " (mkdir)")
    except OSError:
        pass
for attack in (lambda: os.symlink("/home/student", "/dev/mallory"),
               lambda: os.mkfifo("/dev/mallory-fifo"),
               lambda: os.chmod("/", 0o777), lambda: os.chmod("/dev", 0o777),
               lambda: os.rename("/dev/null", "/dev/null-moved")):
    try:
        attack()
        found.append(attack.__code__.co_firstlineno)
    except OSError:
        pass
"""

#: Filling /dev/shm and /tmp three times past their caps, in files of 4 MiB (each under
#: the file-size limit); multiprocessing's semaphores and a small /dev/shm file work.
FILL_SHARED = f"""
import multiprocessing, os
from multiprocessing import shared_memory
lock = multiprocessing.Lock()
with lock:
    pass
memory = shared_memory.SharedMemory(create=True, size=2**20)
memory.buf[:2] = b"ok"
memory.close(); memory.unlink()
fd = os.open("/dev/shm/x", os.O_CREAT | os.O_RDWR, 0o600)
assert os.write(fd, b"ok") == 2
os.close(fd)
for folder in ("/dev/shm", "/tmp"):
    written = 0
    try:
        for i in range(12):
            with open(f"{{folder}}/fill-{{i}}", "wb") as handle:
                for _ in range(4):
                    handle.write(b"x" * 2**20)
                    handle.flush()
                    written += 2**20
    except OSError:
        pass
    if written > {CAP}:
        found.append((folder, written))
    for i in range(12):
        try:
            os.unlink(f"{{folder}}/fill-{{i}}")
        except OSError:
            pass
"""

KEYRINGS = """
import ctypes, os, platform, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
ADD_KEY, KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]
RINGS = (-3, -4, -5)  # session, user, user-session

def read(serial):
    buffer = ctypes.create_string_buffer(4096)
    n = libc.syscall(L(KEYCTL), L(11), L(serial), buffer, L(4096))
    return buffer.raw[:n].decode(errors="replace") if n > 0 else None

def search(ring):
    serial = libc.syscall(L(KEYCTL), L(10), L(ring), b"user", b"lambdalab-answer", L(0))
    return read(serial) if serial > 0 else None
"""

#: Adding a key to every keyring it has, readable by its user, and keeping it a while.
PLANT = (
    KEYRINGS
    + f"""
for ring in RINGS:
    data = b"{PLANTED}"
    serial = libc.syscall(L(ADD_KEY), b"user", b"lambdalab-answer", data, L(len(data)), L(ring))
    if serial > 0:
        found.append(ring)
        libc.syscall(L(KEYCTL), L(5), L(serial), L(0x3F3F3F3F))  # everyone may read it
time.sleep(6)  # while the next submission runs
"""
)

#: Looking for that key for 8 s: by search in its own keyrings, and by the serial of
#: every key and keyring /proc/keys shows (read directly, or linked into its own).
STEAL = (
    KEYRINGS
    + """
deadline = time.monotonic() + 8
while time.monotonic() < deadline and not found:
    for ring in RINGS:
        if search(ring):
            found.append(search(ring))
    try:
        serials = [int(line.split()[0], 16) for line in open("/proc/keys")]
    except OSError:
        serials = []
    for serial in serials:
        text = read(serial)
        if text and text.isprintable():
            found.append(text)
        libc.syscall(L(KEYCTL), L(8), L(serial), L(-3))  # link it into the session keyring
    if search(-3):
        found.append(search(-3))
    time.sleep(0.5)
"""
)

#: Looking for the course kept inside the virtual environment (a folder the sandbox
#: binds): its folder's content, and its files by name; the kit must still import.
READ_PRIVATE = """
import os, sys
import lambdalab.course.checks, lambdalab.grading  # the kit is there
for prefix in {sys.prefix, os.path.realpath(sys.prefix)}:
    for name in os.listdir(prefix):
        if name.startswith("lambdalab-private"):
            for folder, _, files in os.walk(os.path.join(prefix, name)):
                found += [os.path.join(folder, f) for f in files]
                for f in files:
                    try:
                        found.append(open(os.path.join(folder, f)).read()[:200])
                    except OSError:
                        pass
            for path in ("grading/lesson99.py", "solutions/99-sample.ipynb"):
                if os.path.exists(os.path.join(prefix, name, path)):
                    found.append(path)
"""

#: file name -> (edits, points per exercise, status); graded in this order, two at a time:
#: the planter beside the first thief, the second thief in the planter's slot after it.
HOSTILE = {
    "alice_99-sample.ipynb": (
        [fixture_set.answer("memory_mb", "memory_mb = 1769"),
         fixture_set.answer("def parse_size", fixture_set.PARSE_OK)],
        {"99.1": 1, "99.2": 3}, "ok",
    ),
    "k1-plant_99-sample.ipynb": (hostile(PLANT), {"99.1": 0, "99.2": 0}, "ok"),
    "k2-steal-beside_99-sample.ipynb": (hostile(STEAL), {"99.1": 0, "99.2": 0}, "ok"),
    "k3-steal-after_99-sample.ipynb": (hostile(STEAL), {"99.1": 0, "99.2": 0}, "ok"),
    "mallory-private_99-sample.ipynb": (hostile(READ_PRIVATE), {"99.1": 0, "99.2": 0}, "ok"),
    "mallory-shm_99-sample.ipynb": (hostile(FILL_SHARED), {"99.1": 0, "99.2": 0}, "ok"),
    "mallory-write_99-sample.ipynb": (hostile(WRITE_OUTSIDE), {"99.1": 0, "99.2": 0}, "ok"),
}  # fmt: skip
#: What no feedback file may hold: the planted key, the hidden tests, the reference.
LEAKS = [PLANTED, "hidden_test", "parse_size_hidden", "BEGIN SOLUTION", "lesson99.py"]


def build(folder: Path) -> Path:
    """The hostile set, as notebooks in ``folder`` (readable by everyone)."""
    folder.mkdir(parents=True)
    for name, (edits, _, _) in HOSTILE.items():
        cells = fixture_set.student_cells(fixture_set.LESSON99)
        for edit in edits:
            edit(cells)
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (folder / name).write_text(json.dumps(notebook), encoding="utf-8")
        (folder / name).chmod(0o644)
    return folder


def private_course() -> Path:
    """A copy of lesson 99's course (reference, hidden tests) inside the virtual
    environment, which every sandbox binds: only its mask keeps it from the kernel."""
    copy = Path(tempfile.mkdtemp(prefix="lambdalab-private-", dir=sys.prefix))
    shutil.copytree(fixture_set.COURSE / "solutions", copy / "solutions")
    shutil.copytree(fixture_set.COURSE / "grading", copy / "grading")
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def grade(folder: Path, out: Path, course: Path, tmp: Path, user: int | None = None):
    """``python -m lambdalab.grading`` on ``folder``, as ``user`` (None: as we are)."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "CI")}
    env.update(TMPDIR=str(tmp), HOME=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "lambdalab.grading", str(folder), "--out", str(out)]
    command += [*LIMITS, "--solutions", str(course / "solutions")]
    command += ["--hidden", str(course / "grading")]
    if user is not None:
        command = [*as_user(user), *command]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=tmp, timeout=600, check=False
    )


def as_user(uid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


def rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out, newline="", encoding="utf-8") as handle:
        return {r["file"]: r for r in csv.DictReader(handle) if r["student"] != MAXIMUM_ROW}


def sandbox_processes(uids: range | set[int], marker: str) -> list[str]:
    """Processes left by a batch: run by a kernel's user id, or naming ``marker``."""
    left = []
    for process in psutil.process_iter(["cmdline", "uids"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        uid = process.info["uids"].real if process.info["uids"] else -1
        if uid in uids or marker in cmdline:
            left.append(f"{uid}: {cmdline}")
    return left


def check_batch(result, out: Path, tmp: Path) -> None:
    """Exact grades, isolated rows, clean feedback; nothing left running or on disk."""
    assert result.returncode == 0, result.stderr
    table = rows(out)
    assert sorted(table) == sorted(HOSTILE)
    for name, (_, points, status) in HOSTILE.items():
        row = table[name]
        got = (row["status"], {k: float(row[k]) for k in points}, row["isolation"])
        assert got == (status, {k: float(v) for k, v in points.items()}, "isolated"), (
            name,
            row["details"],
        )
    for path in (out.parent / "grades-feedback").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not [leak for leak in LEAKS if leak in text], path.name
    # 99.1's message quotes what each hostile one found: nothing
    k3 = (out.parent / "grades-feedback" / feedback_name("k3-steal-after")).read_text()
    assert "memory_mb is 'found: []'" in k3
    assert list(tmp.iterdir()) == [], "the grading processes left files in TMPDIR"
    for host in ("/", "/dev", "/etc", "/run", "/home"):
        assert not Path(host, "mallory-was-here").exists()
    assert not list(Path("/dev/shm").glob("fill-*"))


# --------------------------------------------------------------------------------------
# Graded through the command line: as we are, then (when we are root) as nobody
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course():
    copy = private_course()
    yield copy
    shutil.rmtree(copy, ignore_errors=True)


def test_hostile_submissions_get_their_exact_grade_and_leave_nothing(course, tmp_path):
    needs_isolation()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out" / "grades.csv"
    started = time.monotonic()
    result = grade(build(tmp_path / "in"), out, course, tmp)
    check_batch(result, out, tmp)
    assert time.monotonic() - started < 90
    assert sandbox_processes(range(*isolation.UID_RANGE), str(tmp_path)) == []
    if os.geteuid() == 0:  # the kernels' user ids were each their own: no key of theirs left
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and key_users():
            time.sleep(0.5)
        assert key_users() == []


def key_users() -> list[int]:
    """User ids from ``UID_RANGE`` the Linux kernel still keeps keys for."""
    lines = Path("/proc/key-users").read_text().splitlines()
    uids = [int(line.split(":")[0]) for line in lines]
    return [uid for uid in uids if isolation.UID_RANGE[0] <= uid < isolation.UID_RANGE[1]]


def unprivileged_problem(uid: int = UNPRIVILEGED) -> str | None:
    """Why ``uid`` cannot run this repository's grader (None: it can), naming the folder."""
    if shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    needed = {
        "the repository": REPO / "lambdalab" / "grading" / "__main__.py",
        "the lesson fixtures": fixture_set.LESSON99,
        "the virtual environment": Path(sys.prefix) / "pyvenv.cfg",
        "Python": Path(os.path.realpath(sys.executable)),
        "Python's standard library": Path(os.__file__).resolve(),
    }
    for what, path in needed.items():
        for folder in [*reversed(path.parents), path]:
            mode = folder.stat().st_mode
            bit = stat.S_IXOTH if stat.S_ISDIR(mode) else stat.S_IROTH
            if folder.stat().st_uid != uid and not mode & bit:
                return (
                    f"{what} ({path}) is out of reach of uid {uid}: {folder} is "
                    f"{stat.filemode(mode)} ({oct(stat.S_IMODE(mode))}, owner uid "
                    f"{folder.stat().st_uid}); clone the repository and make .venv where "
                    "others may read them (e.g. /tmp, /srv or /opt; chmod o+rx), with a "
                    "Python installed there too (Debian's python3)"
                )
    probe = [*as_user(uid), "/bin/sh", "-c", 'exec "$@"', "sh", sys.executable, "-c"]
    probe.append("from lambdalab.grading import isolation; print(isolation.problem() or '')")
    done = subprocess.run(probe, capture_output=True, text=True, cwd="/", timeout=120)
    if done.returncode != 0:
        return f"uid {uid} cannot run {sys.executable}: {done.stderr.strip()[-300:]}"
    if done.stdout.strip():
        return f"the grader cannot make a sandbox as uid {uid}: {done.stdout.strip()}"
    return None


def test_an_unprivileged_instructor_gets_the_same_sandbox(course):
    """Root's CI grades the hostile set as nobody too: the same grades, nothing leaked."""
    needs_isolation()
    if os.geteuid() != 0:
        pytest.skip("not root: the test above graded as an unprivileged user already")
    why = unprivileged_problem()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must grade as an unprivileged user too: {why}")
        warnings.warn(f"unprivileged grading SKIPPED: {why}", stacklevel=1)
        pytest.skip(why)
    # pytest's tmp_path is in /tmp/pytest-of-root, 0700: a folder that user may use
    base = Path(tempfile.mkdtemp(prefix="lambdalab-unprivileged-"))
    try:
        base.chmod(0o755)
        folder = build(base / "in")
        for path in (base / "out", base / "tmp"):
            path.mkdir()
            os.chown(path, UNPRIVILEGED, UNPRIVILEGED)
        out = base / "out" / "grades.csv"
        result = grade(folder, out, course, base / "tmp", user=UNPRIVILEGED)
        check_batch(result, out, base / "tmp")
        assert out.stat().st_uid == UNPRIVILEGED  # graded by that user, in its own sandbox
        assert "Isolation: every submission ran in its own bubblewrap sandbox" in result.stdout
        assert sandbox_processes(set(), str(base)) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------------------
# The pieces
# --------------------------------------------------------------------------------------


def test_scratch_caps_are_home_then_a_quarter_each_for_tmp_and_dev_shm():
    assert isolation.scratch_caps(64 * 2**20) == {
        "/home/student": 64 * 2**20,
        "/tmp": 16 * 2**20,
        "/dev/shm": 16 * 2**20,
    }
    assert isolation.scratch_caps(2**20)["/dev/shm"] == 2**20  # never below 1 MiB


def test_each_submission_gets_a_user_id_of_its_own():
    import pwd

    uids = [isolation.submission_uid() for _ in range(200)]
    low, high = isolation.UID_RANGE
    assert all(low <= uid < high for uid in uids)
    assert len(set(uids)) == len(uids)
    assert not {entry.pw_uid for entry in pwd.getpwall()} & set(uids)


def test_masks_go_before_the_binds_they_must_not_hide(monkeypatch):
    """A course under /usr holding the environment and the kit: its mask, then those."""
    course = "/usr/local/course"
    monkeypatch.setattr(
        isolation,
        "readable_paths",
        lambda assets: [("/usr", "/usr"), (f"{course}/.venv",) * 2, (f"{course}/lambdalab",) * 2],
    )
    command, masks = isolation.mounts(None, Path("/tmp/kernel-1"), [course, f"{course}/grading"])
    assert masks == [course]  # grading is inside it, with no bind in between
    assert command == [
        "--perms", "0755", "--dir", "/run",
        "--ro-bind", "/tmp/kernel-1", "/run/lambdalab",
        "--size", str(2**20), "--tmpfs", course,
        "--ro-bind", f"{course}/.venv", f"{course}/.venv",
        "--ro-bind", f"{course}/lambdalab", f"{course}/lambdalab",
    ]  # fmt: skip


def test_a_folder_the_kernel_needs_stays_visible_inside_a_masked_one(monkeypatch, tmp_path):
    """In a real sandbox: a private folder under a bound one (the environment) is empty
    but for the kit bound again inside it, which still imports."""
    needs_isolation()
    copy = Path(tempfile.mkdtemp(prefix="lambdalab-private-", dir=sys.prefix))
    try:
        shutil.copytree(REPO / "lambdalab", copy / "lambdalab")
        (copy / "hidden.py").write_text("ANSWER = 1769\n")
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        monkeypatch.setattr(isolation, "KIT_PACKAGE", copy / "lambdalab")
        connection = tmp_path / "kernel-1"
        connection.mkdir(mode=0o755)
        probe = (
            f"import os, sys; sys.path.insert(0, {str(copy)!r}); "
            "import lambdalab.course.checks as c; "
            f"print(sorted(os.listdir({str(copy)!r})), c.__file__.startswith({str(copy)!r})); "
            f"print(os.path.exists({str(copy / 'hidden.py')!r}))"
        )
        command = isolation.kernel_command(
            [sys.executable, "-c", probe],
            connection_dir=connection,
            env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
            assets=None,
            scratch_mb=16,
            uid=isolation.submission_uid(),
            private=isolation.private_paths([copy]),
        )
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.stdout.split("\n")[:2] == ["['lambdalab'] True", "False"], done.stderr
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def run_filter(program: bytes, arch: int, nr: int) -> int:
    """Run a classic BPF seccomp program on ``(arch, nr)``: the return value."""
    code = [struct.unpack("=HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    data, pc, accumulator = {0: nr, 4: arch}, 0, 0
    while True:
        op, jt, jf, k = code[pc]
        if op == 0x20:
            accumulator = data[k]
        elif op == 0x54:
            accumulator &= k
        elif op == 0x15:
            pc += jt if accumulator == k else jf
        elif op == 0x06:
            return k
        else:
            raise AssertionError(f"unexpected BPF instruction {op:#x}")
        pc += 1


@pytest.mark.parametrize("machine", sorted(launch.KEYRING_SYSCALLS))
def test_the_keyring_calls_are_refused_on_every_abi(machine: str):
    program = launch.keyring_filter(machine)
    deny, allow = 0x00050000 | 1, 0x7FFF0000  # EPERM
    for arch, numbers in launch.KEYRING_SYSCALLS[machine]:
        for nr in numbers:
            assert run_filter(program, arch, nr) == deny, (arch, nr)
        assert run_filter(program, arch, 1) == allow  # write, or exit on arm
        assert run_filter(program, arch, min(numbers) - 1) == allow
    if machine == "x86_64":  # x32: the x86_64 numbers with bit 30 set
        assert run_filter(program, 0xC000003E, 0x40000000 | 250) == deny
        assert run_filter(program, 0xC000003E, 0x40000000 | 1) == allow


SEALED = """
import ctypes, multiprocessing, platform, subprocess, sys
from lambdalab.grading import launch
assert launch.seal_keyrings() == []
libc = ctypes.CDLL(None, use_errno=True)
L = ctypes.c_long
add_key, _, keyctl = launch.KEYRING_SYSCALLS[platform.machine()][0][1]
results = [libc.syscall(L(keyctl), L(0), L(-3), L(0)), ctypes.get_errno()]
results += [libc.syscall(L(add_key), b"user", b"k", b"v", L(1), L(-4)), ctypes.get_errno()]
child = [sys.executable, "-c", "import ctypes; l = ctypes.CDLL(None, use_errno=True); "
         f"print(l.syscall(ctypes.c_long({keyctl}), ctypes.c_long(0), ctypes.c_long(-4), "
         "ctypes.c_long(0)), ctypes.get_errno())"]
multiprocessing.Lock()
print(results, subprocess.run(child, capture_output=True, text=True).stdout.split())
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.machine() not in launch.KEYRING_SYSCALLS,
    reason="keyrings are sealed on Linux x86_64 and aarch64",
)
def test_after_sealing_no_keyring_call_works_in_the_kernel_or_its_children():
    done = subprocess.run(
        [sys.executable, "-c", SEALED], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.stdout.split("\n")[0] == "[-1, 1, -1, 1] ['-1', '1']", done.stderr


INT80 = """
import ctypes, mmap, sys
from lambdalab.grading import launch
def int80(nr, a, b):  # mov eax, nr; mov ebx, a; mov ecx, b; push rbx; int 0x80; pop rbx; ret
    code = (b"\\xb8" + nr.to_bytes(4, "little") + b"\\xbb" + (a % 2**32).to_bytes(4, "little")
            + b"\\xb9" + (b % 2**32).to_bytes(4, "little") + b"\\x53\\xcd\\x80\\x5b\\xc3")
    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    return ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))()
print(int80(288, 0, -4) > 0, flush=True)  # keyctl(KEYCTL_GET_KEYRING_ID, @u), 32-bit
launch.seal_keyrings()
print(int80(288, 0, -4), int80(20, 0, 0) > 0)  # refused (-EPERM); getpid still works
"""


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the 32-bit ABI of x86_64")
def test_the_32_bit_keyctl_is_refused_too():
    done = subprocess.run(
        [sys.executable, "-c", INT80], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    if done.returncode < 0 or not done.stdout.startswith("True"):
        pytest.skip(f"no 32-bit system calls on this kernel ({done.returncode}): nothing to refuse")
    assert done.stdout.split("\n")[1] == "-1 True", done.stderr
