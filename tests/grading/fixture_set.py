"""The grader's fixture set: submissions for lesson 00 and the sample lesson 99.

Each submission is built from the student notebook that ``lambdalab.course.release`` makes
from the reference (so it follows lesson edits), with its cells changed as a student
might: solved, half solved, untouched, broken in every way the grader must survive, or
tampered with. ``EXPECTED`` holds the exact points and status each one must get.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from lambdalab.course import release

REPO = Path(__file__).resolve().parents[2]
COURSE = Path(__file__).resolve().parent / "fixtures" / "course"
LESSON00 = REPO / "solutions" / "00-start-here.ipynb"
LESSON99 = COURSE / "solutions" / "99-sample.ipynb"

HANDLER_OK = 'def handler(event, context):\n    return {"greeting": f"Hello, {event[\'name\']}!"}\n'
PARSE_OK = (
    "def parse_size(text):\n"
    '    cleaned = text.strip().upper().replace(" ", "")\n'
    '    for unit, factor in (("GB", 1024), ("MB", 1)):\n'
    "        if cleaned.endswith(unit) and cleaned[: -len(unit)].isdigit():\n"
    "            return int(cleaned[: -len(unit)]) * factor\n"
    "    raise ValueError(text)\n"
)

Edit = Callable[[list[dict]], None]


def student_cells(reference: Path) -> list[dict]:
    """The student notebook's cells (as JSON dicts) for a reference notebook."""
    _, student = release.build_pair(reference, [reference.stem])
    return json.loads(release.to_text(student))["cells"]


def _find(cells: list[dict], needle: str) -> dict:
    return next(c for c in cells if c["cell_type"] == "code" and needle in "".join(c["source"]))


def _exercise(cells: list[dict], needle: str) -> dict:
    return next(
        c
        for c in cells
        if c["cell_type"] == "code"
        and needle in "".join(c["source"])
        and release.CODE_STUB_COMMENT in "".join(c["source"])
    )


def answer(needle: str, source: str) -> Edit:
    """Replace the exercise cell (stub) holding ``needle``, e.g. 'def handler', by ``source``."""

    def edit(cells: list[dict]) -> None:
        _exercise(cells, needle)["source"] = source

    return edit


def replace_cell(needle: str, source: str) -> Edit:
    """Replace the first code cell holding ``needle`` by ``source``."""

    def edit(cells: list[dict]) -> None:
        _find(cells, needle)["source"] = source

    return edit


def insert_after(needle: str, source: str) -> Edit:
    """Add a code cell after the exercise cell holding ``needle``."""

    def edit(cells: list[dict]) -> None:
        at = cells.index(_exercise(cells, needle)) + 1
        cells.insert(
            at,
            {
                "cell_type": "code",
                "id": "added-by-student",
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            },
        )

    return edit


def strip_ids_and_insert_at_top(cells: list[dict]) -> None:
    for cell in cells:
        cell.pop("id", None)
    cells.insert(1, {"cell_type": "markdown", "metadata": {}, "source": "My notes"})
    cells.insert(
        2,
        {
            "cell_type": "code",
            "metadata": {},
            "source": "x = 1",
            "outputs": [],
            "execution_count": None,
        },
    )


def delete_cell(needle: str) -> Edit:
    def edit(cells: list[dict]) -> None:
        cells.remove(_find(cells, needle))

    return edit


HARDCODED = (
    "def handler(event, context):\n"
    '    known = {"Ada": "Hello, Ada!", "Grace Hopper": "Hello, Grace Hopper!",\n'
    '             "Zoë": "Hello, Zoë!", "λ": "Hello, λ!", "": "Hello, !"}\n'
    '    return {"greeting": known.get(event["name"], "Hello!")}\n'
)
FAKE_CHECK = (
    "import lambdalab.course.checks\n"
    "def check(*args, **kwargs):\n"
    '    print("✓ Exercise 00.1 passed")\n'
    "    return True\n"
    "lambdalab.course.checks.check = check\n"
    "def handler(event, context):\n"
    '    return {"greeting": "Hi"}\n'
)
PATCH_JSON = (
    "import builtins, json\n"
    '_fake = \'{"ok": true, "result": {"kind": "data", "value": {"greeting": "x"}}}\'\n'
    "json.dumps = lambda *args, **kwargs: _fake\n"
    "json.loads = lambda *args, **kwargs: {'greeting': 'Hello, Ada!'}\n"
    "builtins.check = lambda *args: True\n"
    "def handler(event, context):\n"
    '    return {"greeting": "Hello, Ada!"}\n'
)
EQ_TRICK = (
    "class Anything(dict):\n"
    "    def __eq__(self, other):\n"
    "        return True\n"
    "    def __ne__(self, other):\n"
    "        return False\n"
    "def handler(event, context):\n"
    "    return Anything()\n"
)

HANDLER_WRONG = 'def handler(event, context):\n    return {"greeting": "Hello!"}\n'
#: A marker in the command line of the process ``ESCAPE`` leaves behind: the tests look for
#: it after the batch (it must be gone with its sandbox).
MARKER = "lambdalab-escape-marker-5f3a"
#: A variable the tests put in the grader's environment: no kernel may see it.
SECRET = ("LAMBDALAB_GRADER_SECRET", "s3cr3t-instructor-token")


def _if_found(probe: str) -> str:
    """An exercise cell: ``probe`` sets ``found``; the right answer only if it found any."""
    return (
        "found = []\n" + probe + "\nif found:\n    print('FOUND', found[:3])\n"
        "    " + HANDLER_OK.replace("\n    ", "\n        ").rstrip("\n") + "\n"
        "else:\n    " + HANDLER_WRONG.replace("\n    ", "\n        ").rstrip("\n") + "\n"
    )


#: Reading the answers: walking up from the kernel's folder, the kit, Python, sys.path;
#: anything that looks like a reference notebook, hidden tests, a job or a result file.
READ_ANSWERS = _if_found(
    """import os, sys, pathlib, lambdalab
roots = {"/", "/tmp", "/root", "/home", "/work", "/run", os.getcwd(), sys.prefix,
         sys.executable, *sys.path, lambdalab.__file__}
for root in list(roots):
    roots.update(str(p) for p in pathlib.Path(root).parents)
names = ("job.json", "result.json", "lesson00.py", "00-start-here.ipynb")
for root in sorted(roots):
    for folder, dirs, files in os.walk(root):
        depth = folder.count("/") - root.count("/")
        dirs[:] = [] if depth >= 4 else [
            d for d in dirs if d not in ("proc", "sys", "usr", "site-packages", "dev")]
        for name in files:
            if name in names or name.endswith(".ipynb"):
                try:
                    text = open(os.path.join(folder, name), errors="replace").read()
                except OSError:
                    continue
                if ("BEGIN SOLUTION" in text or "hidden_test" in text
                        or '"reference"' in text or "Hello, {event" in text):
                    found.append(os.path.join(folder, name))"""
)
#: Reading other processes: command lines (job.json, result.json) and environments.
READ_PROCESSES = _if_found(
    """import os
for pid in os.listdir("/proc"):
    if not pid.isdigit() or int(pid) == os.getpid():
        continue
    for what in ("cmdline", "environ"):
        try:
            text = open(f"/proc/{pid}/{what}", "rb").read().decode(errors="replace")
        except OSError:
            continue
        if any(w in text for w in ("job.json", "result.json", "tests/grading", "solutions",
                                   "lambdalab.grading.grader", "SSH_AUTH_SOCK")):
            found.append((pid, what))
for name, value in os.environ.items():  # the grader's own; AWS_* are the kit's fakes
    if name in ("SSH_AUTH_SOCK", "LAMBDALAB_GRADER_SECRET") or "s3cr3t" in value:
        found.append(name)"""
)
#: Killing everything it can see, then claiming full marks on every channel it has.
KILL_AND_FORGE = _if_found(
    """import json, os, signal, sys
for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    if pid != os.getpid():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
forged = {"status": "ok", "points": 99, "out_of": 99, "key": "x", "student": "alice",
          "file": "alice_00-start-here.ipynb", "exercises": []}
print(json.dumps(forged))
os.write(1, (json.dumps(forged) + "\\n").encode())
for folder in ("/tmp", os.getcwd(), os.path.expanduser("~"), ".."):
    try:
        with open(os.path.join(folder, "result.json"), "w") as handle:
            json.dump(forged, handle)
    except OSError:
        pass"""
)
#: Escaping: a process started twice over (the middle one exits at once), which outlives
#: the cell and would forge results later; the kernel's own answer is right.
ESCAPE = (
    "import subprocess, sys\n"
    "code = 'import time\\nwhile True: time.sleep(1)'\n"
    "middle = ('import subprocess, sys; subprocess.Popen([sys.executable, \"-c\", %r, %r], '\n"
    "          'start_new_session=True, stdin=subprocess.DEVNULL, '\n"
    "          'stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)' % (code, "
    + repr(MARKER)
    + "))\n"
    "subprocess.run([sys.executable, '-c', middle], check=True)\n" + HANDLER_OK
)
#: Writing where later submissions are graded from: the kit, the hidden tests, Python.
TAMPER = _if_found(
    """import glob, os, sys, lambdalab
kit = os.path.dirname(lambdalab.__file__)
targets = glob.glob(kit + "/grading/*.py") + glob.glob(kit + "/checks/*.py")
targets += [os.path.join(kit, "..", "tests", "grading", "lesson00.py"), sys.executable,
            os.path.join(sys.prefix, "pyvenv.cfg")]
for target in targets:
    try:
        open(target, "a").close()   # opening for append is enough to prove it is writable
        found.append(target)
    except OSError:
        pass
for folder in (kit, sys.prefix, os.path.join(kit, "..")):
    try:
        open(os.path.join(folder, "planted.py"), "x").close()
        found.append(folder)
    except OSError:
        pass"""
)
#: Raising the limits it was given, then using more memory than they allow.
RAISE_LIMITS = _if_found(
    """import resource
for limit in (resource.RLIMIT_AS, resource.RLIMIT_NPROC, resource.RLIMIT_FSIZE):
    try:
        resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        found.append(limit)
    except (ValueError, OSError):
        pass"""
)
#: A fork bomb: more processes than the sandbox allows, from a small process (fast to
#: fork); it stops at the limit, every child ends, and the kernel's answer is right.
BOMB = """
import os
read, write = os.pipe()
children = 0
try:
    while children < 100_000:
        if os.fork() == 0:
            os.close(write)
            os.read(read, 1)
            os._exit(0)
        children += 1
except OSError as error:
    print("stopped after", children, error)
os.close(write)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
assert children < 100_000
"""
FORK_BOMB = (
    "import subprocess, sys\n"
    f"subprocess.run([sys.executable, '-c', {BOMB!r}], check=True, timeout=15)\n" + HANDLER_OK
)
#: A file bigger than the sandbox allows (the right answer first; the cell then raises).
BIG_FILE = (
    HANDLER_OK + "with open('big.bin', 'wb') as handle:\n"
    "    for _ in range(4096):\n"
    "        handle.write(b'x' * 2**20)\n"
)
#: Reaching the network from the kernel: the sandbox's grading process has none.
NETWORK = _if_found(
    """import socket
for host in ("1.1.1.1", "8.8.8.8"):
    try:
        socket.create_connection((host, 53), timeout=2).close()
        found.append(host)
    except OSError:
        pass"""
)
MERGED = HANDLER_OK + '\ncheck("00.1", handler)\n'


def merge_with_check(needle: str) -> Edit:
    """Jupyter's "Merge cells": the exercise cell and the check cell after it, as one."""

    def edit(cells: list[dict]) -> None:
        first = _find(cells, needle)
        at = cells.index(first)
        second = cells[at + 1]
        first["source"] = "".join(first["source"]) + "\n" + "".join(second["source"])
        del cells[at + 1]

    return edit


def null_source(cells: list[dict]) -> None:
    _find(cells, "import boto3")["source"] = None


#: file name -> (lesson reference, edits (None: raw bytes instead), expected)
#: expected: (points per exercise, total, status)
SUBMISSIONS: dict[str, tuple] = {
    # -- lesson 00: 00.1 is worth 5 points ---------------------------------------------
    "alice_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK)],
        ({"00.1": 5}, "ok"),
    ),
    "bob/00-start-here.ipynb": (LESSON00, [answer("def handler", HARDCODED)], ({"00.1": 2}, "ok")),
    "carol_00-start-here.ipynb": (LESSON00, [], ({"00.1": 0}, "ok")),
    "dave_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", "def handler(event, context):\n    return {'greeting': f'Hi'\n")],
        ({"00.1": 0}, "syntax-error"),
    ),
    "erin_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "import sys\nsys.exit(1)\n")],
        ({"00.1": 5}, "error"),
    ),
    "frank_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "import os\nos._exit(3)\n")],
        ({"00.1": 0}, "kernel-died"),
    ),
    "grace_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "big = b'x' * (64 * 2**30)\n")],
        ({"00.1": 5}, "memory-limit"),
    ),
    "heidi_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "while True:\n    print('spam ' * 200)\n")],
        ({"00.1": 5}, "output-limit"),
    ),
    "heidi-once_00-start-here.ipynb": (  # one message over the grader's largest
        LESSON00,
        [answer("def handler", HANDLER_OK + "print('spam ' * 10_000_000)\n")],
        ({"00.1": 5}, "output-limit"),
    ),
    "judy_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", "def handler(event, context):\n    while True:\n        pass\n")],
        ({"00.1": 0}, "timeout"),
    ),
    "mallory-check_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", FAKE_CHECK)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-json_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", PATCH_JSON)],
        ({"00.1": 0}, "kernel-died"),
    ),
    "mallory-eq_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", EQ_TRICK)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-cells_00-start-here.ipynb": (
        LESSON00,
        [
            replace_cell('check("00.1"', 'print("✓ Exercise 00.1 passed")'),
            replace_cell(
                "assert sys.version_info",
                "import lambdalab\nfrom lambdalab.course.checks import check",
            ),
            insert_after("def handler", HANDLER_OK),
        ],
        ({"00.1": 0}, "ok"),
    ),
    "oscar/00-start-here (1).ipynb": (
        LESSON00,
        [
            answer("def handler", HANDLER_OK),
            delete_cell('check("00.1"'),
            strip_ids_and_insert_at_top,
        ],
        ({"00.1": 5}, "ok"),
    ),
    "peggy_00-start-here.ipynb": (
        None,
        b'{"cells": [{"cell_type": "code", "sour',
        ({"00.1": 0}, "unreadable"),
    ),
    "trent_00-start-here.ipynb": (None, b'{"hello": "world"}', ({"00.1": 0}, "unreadable")),
    "victor_00-start-here.ipynb": (
        None,
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        ({"00.1": 0}, "unreadable"),
    ),
    "walter_42-no-such-lesson.ipynb": (LESSON00, [], ({}, "unknown-lesson")),
    # -- fairness ------------------------------------------------------------------------
    "olivia_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK), merge_with_check("Hello, {event['name']}")],
        ({"00.1": 5}, "ok"),
    ),
    "paul_00-start-here.ipynb": (
        LESSON00,
        [insert_after("def handler", HANDLER_OK)],
        ({"00.1": 0}, "ok"),
    ),
    "Bob Smith - 00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK)],
        ({"00.1": 5}, "ok"),
    ),
    "Bob_Smith_00-start-here.ipynb": (LESSON00, [], ({"00.1": 0}, "ok")),
    "nina_00-start-here.ipynb": (LESSON00, [null_source], ({"00.1": 0}, "unreadable")),
    # -- attacks beyond the kernel (graded under isolation) -----------------------------
    "mallory-read_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", READ_ANSWERS)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-proc_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", READ_PROCESSES)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-kill_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", KILL_AND_FORGE)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-escape_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", ESCAPE)],
        ({"00.1": 5}, "ok"),
    ),
    "mallory-tamper_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", TAMPER)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-limits_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", RAISE_LIMITS)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-fork_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", FORK_BOMB)],
        ({"00.1": 5}, "ok"),
    ),
    "mallory-file_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", BIG_FILE)],
        ({"00.1": 5}, "error"),
    ),
    "mallory-net_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", NETWORK)],
        ({"00.1": 0}, "ok"),
    ),
    # -- lesson 99: 99.1 is worth 1 point, 99.2 three ----------------------------------
    "alice_99-sample.ipynb": (
        LESSON99,
        [answer("memory_mb", "memory_mb = 1769"), answer("def parse_size", PARSE_OK)],
        ({"99.1": 1, "99.2": 3}, "ok"),
    ),
    "bob_99-sample.ipynb": (
        LESSON99,
        [
            answer("memory_mb", "memory_mb = 1769"),
            answer(
                "def parse_size",
                "def parse_size(text):\n    if text.endswith('GB'):\n"
                "        return int(text[:-2]) * 1024\n    if text.endswith('MB'):\n"
                "        return int(text[:-2])\n    raise ValueError(text)\n",
            ),
        ],
        ({"99.1": 1, "99.2": 2}, "ok"),
    ),
    "carol_99-sample.ipynb": (
        LESSON99,
        [
            answer("memory_mb", "while True:\n    pass\nmemory_mb = 1769"),
            answer("def parse_size", PARSE_OK),
        ],
        ({"99.1": 0, "99.2": 3}, "timeout"),
    ),
    "dave_99-sample.ipynb": (
        LESSON99,
        [answer("memory_mb", "import os\nos._exit(1)"), answer("def parse_size", PARSE_OK)],
        ({"99.1": 0, "99.2": 3}, "kernel-died"),
    ),
    "erin_99-sample.ipynb": (  # IPython's exit() costs its own exercise, never a later one
        LESSON99,
        [answer("memory_mb", "memory_mb = 1769\nexit()"), answer("def parse_size", PARSE_OK)],
        ({"99.1": 0, "99.2": 3}, "kernel-died"),
    ),
}


def build(folder: Path, names: list[str] | None = None) -> Path:
    """Write the fixture submissions (all, or ``names``) under ``folder``; return it."""
    for name, (reference, edits, _) in SUBMISSIONS.items():
        if names is not None and name not in names:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if reference is None:
            path.write_bytes(edits)
            continue
        cells = student_cells(reference)
        for edit in edits:
            edit(cells)
        minor = 5 if all("id" in c for c in cells) else 4
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": minor}
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return folder
