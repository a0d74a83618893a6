"""The grader's trust boundary: nothing from a student's sandbox is more than data.

Hostile notebooks turn each way the grading process reaches a submission's sandbox
against it (docs/grading.md, "The trust boundary"), through the real command line, under
isolation. Each asserts the exact grade, that no feedback, CSV or journal holds anything
the trusted side could read (the grader's environment, its files), that the batch
finished within the time limit's bounds, and that nothing is left on disk or running.
The sample lesson 98 (tests/grading/fixtures/course) deploys a function with a URL, so
its hidden test reaches the sandbox by boto3, the control endpoint and HTTP.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
from pathlib import Path

import fixture_set
import psutil
import pytest
from test_grader import BATCH_PIDS, GRADER_ENV, grade, needs_isolation, rows

from lambdalab.grading import channel as channels
from lambdalab.grading.batch import SCRATCH_PREFIX, feedback_name
from lambdalab.grading.submissions import path_text, printable

LESSON98 = fixture_set.COURSE / "solutions" / "98-sandbox.ipynb"
LIMITS = ["--timeout", "20", "--call-timeout", "5", "--jobs", "2", "--scratch", "128"]
#: What the trusted side holds and a leak would show: the grader's secret variable, a
#: line of /etc/passwd, the hidden tests' code.
LEAKS = [fixture_set.SECRET[1], "root:x:0:0", "def echo_hidden", "rubric.part("]

SOLUTION = (
    "import pathlib\n"
    'folder = pathlib.Path("functions/echo")\n'
    "folder.mkdir(parents=True, exist_ok=True)\n"
    "code = 'def handler(event, context):\\n    return {\"echo\": event}\\n'\n"
    '(folder / "app.py").write_text(code)\n'
    'sb.deploy("echo", folder)\n'
    'lam = sb.client("lambda")\n'
    'lam.create_function_url_config(FunctionName="echo", AuthType="NONE")\n'
    'lam.add_permission(FunctionName="echo", StatementId="a", Action="lambda:InvokeFunctionUrl",\n'
    '                   Principal="*", FunctionUrlAuthType="NONE")\n'
    'lam.add_permission(FunctionName="echo", StatementId="b", Action="lambda:InvokeFunction",\n'
    '                   Principal="*", InvokedViaFunctionUrl=True)\n'
    'function_name = "echo"\n'
)


def url_is(expression: str) -> str:
    """The solution, then the sandbox's control endpoint answering ``url`` with ``expression``."""
    return SOLUTION + (
        "import lambdalab.sandbox.control as control\n"
        "_operate = control._Handler.operate\n"
        "def operate(self, operation, request):\n"
        f"    return {expression} if operation == 'url' else _operate(self, operation, request)\n"
        "control._Handler.operate = operate\n"
    )


def server(mode: str, port: str = "free") -> str:
    """A hostile HTTP server in the kernel, on a port of the sandbox's range (``free``: the
    last free one; ``endpoint``: moto's, after stopping moto). ``mode``: ``drip`` sends a
    byte every 2 s, ``silent`` answers nothing, ``huge`` sends 200 MB at once."""
    return (
        "import os, socket, threading, time\n"
        "first, last = map(int, os.environ['LAMBDALAB_PORTS'].split('-'))\n"
        "listener = socket.socket()\n"
        "listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        + (
            "sb._server.stop()\nport = first\nlistener.bind(('127.0.0.1', port))\n"
            if port == "endpoint"
            else "for port in range(last, first, -1):\n"
            "    try:\n        listener.bind(('127.0.0.1', port))\n        break\n"
            "    except OSError:\n        continue\n"
        )
        + "listener.listen(16)\n"
        "def talk(c):\n"
        "    try:\n"
        "        c.recv(65536)\n"
        f"        mode = {mode!r}\n"
        "        if mode == 'silent':\n"
        "            time.sleep(3600)\n"
        "        c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: 209715200\\r\\n\\r\\n')\n"
        "        while True:\n"
        "            c.sendall(b'x' if mode == 'drip' else b'x' * 2**20)\n"
        "            time.sleep(2 if mode == 'drip' else 0)\n"
        "    except OSError:\n"
        "        pass\n"
        "def serve():\n"
        "    while True:\n"
        "        c, _ = listener.accept()\n"
        "        threading.Thread(target=talk, args=(c,), daemon=True).start()\n"
        "threading.Thread(target=serve, daemon=True).start()\n"
        "URL = f'http://127.0.0.1:{port}'\n"
    )


#: file name -> (98.2's cell, points of 98.1 and 98.2, status)
HOSTILE = {
    "solved_98-sandbox.ipynb": (SOLUTION, (1, 3), "ok"),
    # The control endpoint gives the grader a URL to read its own files, memory or others.
    "mallory-environ_98-sandbox.ipynb": (url_is("'file:///proc/self/environ'"), (1, 2), "ok"),
    "mallory-passwd_98-sandbox.ipynb": (url_is("'file:///etc/passwd'"), (1, 2), "ok"),
    "mallory-zero_98-sandbox.ipynb": (url_is("'file:///dev/zero'"), (1, 2), "ok"),
    "mallory-host_98-sandbox.ipynb": (url_is("'http://10.1.2.3:80'"), (1, 2), "ok"),
    "mallory-port_98-sandbox.ipynb": (url_is("'http://127.0.0.1:22'"), (1, 2), "ok"),
    "mallory-garbage_98-sandbox.ipynb": (
        url_is("[[[[[[[[[[[[[[[[[[[[[[[[[[[['deep']]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
        (1, 2),
        "ok",
    ),
    # A server of its own, on one of its ports: 200 MB at once, one byte every 2 s.
    "mallory-huge_98-sandbox.ipynb": (server("huge") + url_is("URL"), (1, 2), "ok"),
    "mallory-drip_98-sandbox.ipynb": (server("drip") + url_is("URL"), (1, 1), "time-limit"),
    # moto's own port, answering nothing: the grader's boto3 waits there.
    "mallory-silent_98-sandbox.ipynb": (
        SOLUTION + server("silent", port="endpoint"),
        (1, 0),
        "time-limit",
    ),
    # Half a gigabyte through the kernel's own copy of its standard output (the kernel log,
    # which Jupyter's output capture and the output budget do not see).
    "mallory-flood_98-sandbox.ipynb": (
        SOLUTION + "import os, sys\n"
        "fd = sys.stdout._original_stdstream_copy\n"
        "for _ in range(512):\n"
        "    os.write(fd, b'x' * 2**20)\n",
        (1, 3),
        "ok",
    ),
}
TIME_LIMIT = 40
#: Marks this test's batch, and the grading processes it starts, in their environment.
RUN = f"boundary-{os.getpid()}-{time.time_ns()}"


def build(folder: Path, names: list[str]) -> Path:
    for name in names:
        cells = fixture_set.student_cells(LESSON98)
        fixture_set.answer("function_name", HOSTILE[name][0])(cells)
        fixture_set.answer("answer = None", "answer = 60")(cells)
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (folder / name).write_text(json.dumps(notebook), encoding="utf-8")
    return folder


def outputs(out: Path) -> str:
    """Everything the batch wrote: CSV, journal, feedback files."""
    texts = [out.read_text(encoding="utf-8"), out.with_suffix(".jsonl").read_text()]
    texts += [p.read_text(encoding="utf-8") for p in (out.parent / "grades-feedback").glob("*")]
    return "\n".join(texts)


def scratch_left() -> list[Path]:
    """Scratch folders of the last batch and of the dead one (``lambdalab-grade-<pid>-...``)."""
    return [
        path
        for pid in (BATCH_PIDS[-1], 999999999)
        for path in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}{pid}-*")
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, float, str]:
    """The hostile lesson-98 notebooks, graded once: (CSV, seconds, standard error)."""
    needs_isolation()
    base = tmp_path_factory.mktemp("boundary")
    (base / "in").mkdir()
    folder = build(base / "in", list(HOSTILE))
    stale = Path(tempfile.gettempdir()) / f"{SCRATCH_PREFIX}999999999-left"  # a dead batch's
    stale.mkdir(exist_ok=True)
    out = base / "out" / "grades.csv"
    started = time.monotonic()
    env = dict(GRADER_ENV, LAMBDALAB_TEST_RUN=RUN)
    result = grade(
        str(folder), "--out", str(out), "--time-limit", str(TIME_LIMIT), *LIMITS, env=env
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    return out, seconds, result.stderr + result.stdout


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_route_gets_its_exact_grade(hostile, name: str):
    points, status = HOSTILE[name][1:]
    row = rows(hostile[0])[name]
    got = (row["status"], float(row["98.1"]), float(row["98.2"]))
    assert got == (status, *map(float, points)), row["details"]


def test_nothing_the_trusted_side_read_reaches_any_output(hostile):
    written = outputs(hostile[0])
    assert not [leak for leak in LEAKS if leak in written]
    feedback = hostile[0].parent / "grades-feedback" / feedback_name("mallory-environ")
    text = feedback.read_text(encoding="utf-8")
    assert "the grader follows only http://127.0.0.1 URLs of the sandbox" in text


def test_a_slow_sandbox_costs_its_own_time_limit_only(hostile):
    out, seconds, _ = hostile
    drip = rows(out)["mallory-drip_98-sandbox.ipynb"]
    assert "stopped after 40 s" in drip["details"]
    # 11 submissions, 2 at a time, two of them held to the limit: far below the slot
    # time a stalled grading process used to hold (time limit + 120 s each).
    assert seconds < 3 * TIME_LIMIT + 60


def test_nothing_is_left_on_disk_or_running(hostile):
    assert scratch_left() == []  # its own, and the dead batch's
    left = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if process.environ().get("LAMBDALAB_TEST_RUN") == RUN:
                left.append(" ".join(process.info["cmdline"] or []))
        except psutil.Error:
            continue
    assert left == []


# --------------------------------------------------------------------------------------
# Names are data
# --------------------------------------------------------------------------------------


def test_any_bytes_in_a_file_name_are_graded_and_escaped(tmp_path: Path):
    needs_isolation()
    folder = tmp_path / "in"
    fixture_set.build(folder, ["alice_99-sample.ipynb"])
    source = (folder / "alice_99-sample.ipynb").read_bytes()
    (folder / "alice_99-sample.ipynb").unlink()
    latin = os.fsdecode(b"M\xfcller_99-sample.ipynb")  # as unzip makes from a Windows zip
    forged = "eve\x1b[2J\nFORGED alice 99-sample 99 ok\r_99-sample.ipynb"
    for name in (latin, forged):
        (folder / name).write_bytes(source)
    out = tmp_path / "out" / "grades.csv"
    result = grade(str(folder), "--out", str(out), *LIMITS)
    assert result.returncode == 0, result.stderr
    table = rows(out)
    assert {r["student"]: r["total"] for r in table.values()} == {
        "M\\xfcller": "4",
        "eve\\x1b[2J\\nFORGED alice": "4",  # the first lesson-like name in it
    }
    shown = result.stdout + result.stderr
    assert "\x1b" not in shown and "\r" not in shown
    assert not [line for line in shown.splitlines() if line.startswith("FORGED")]
    with open(out, newline="", encoding="utf-8") as handle:  # one line per row
        assert len(handle.read().splitlines()) == 4


def test_a_folder_per_student_names_students_by_their_folder(tmp_path: Path):
    needs_isolation()
    hub = tmp_path / "hub"
    made = fixture_set.build(tmp_path / "made", ["alice_99-sample.ipynb", "bob_99-sample.ipynb"])
    right, half = (made / n for n in ("alice_99-sample.ipynb", "bob_99-sample.ipynb"))
    for path, source in [
        ("alice/lambda-lab/notebooks/99-sample.ipynb", half),
        ("eve/alice_99-sample.ipynb", right),  # named for alice, in eve's folder
        ("eve/99-sample (1).ipynb", half),
    ]:
        (hub / path).parent.mkdir(parents=True, exist_ok=True)
        (hub / path).write_bytes(source.read_bytes())
    out = tmp_path / "out" / "grades.csv"
    result = grade(str(hub), "--out", str(out), *LIMITS)
    assert result.returncode == 0, result.stderr
    assert "a folder per student" in result.stderr
    table = rows(out)
    assert {f: (r["student"], r["total"]) for f, r in table.items()} == {
        "alice/lambda-lab/notebooks/99-sample.ipynb": ("alice", "3"),
        "eve/alice_99-sample.ipynb": ("eve", "4"),
        "eve/99-sample (1).ipynb": ("eve", "3"),
    }
    assert "DUPLICATE" in table["eve/alice_99-sample.ipynb"]["details"]
    assert "DUPLICATE" not in table["alice/lambda-lab/notebooks/99-sample.ipynb"]["details"]
    assert "DUPLICATES: 2 files" in result.stdout
    feedback = out.parent / "grades-feedback"
    alice = (feedback / feedback_name("alice")).read_text(encoding="utf-8")
    assert "alice_99-sample" not in alice and "3 of 4 points" in alice


def test_feedback_file_names_never_collide():
    names = ["alice", "Alice", "ALICE", "Bob Smith", "Bob_Smith", "bob_smith", "con", "", "."]
    names += [feedback_name("bob smith")[:-3], feedback_name("Bob Smith")[:-3].lower()]
    files = [feedback_name(n).lower() for n in names]  # as a case-insensitive disk sees them
    assert len(set(files)) == len(names), files
    assert feedback_name("alice") == "alice.md"


def test_names_as_text_and_as_shown():
    assert path_text(os.fsdecode(b"M\xfcller")) == "M\\xfcller"
    assert printable("a\nb\x1b[2J\u202e") == "a\\nb\\x1b[2J\\u202e"


# --------------------------------------------------------------------------------------
# The channel itself
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:22/",
        "http://127.0.0.2:20000/",
        "http://user:pw@127.0.0.1:20000/",
        "https://127.0.0.1:20000/",
        "http://[::1]:20000/",
        "http://127.0.0.1:20000@evil.example/",
        "ftp://127.0.0.1:20000/",
        "data:text/plain,hello",
        "http://127.0.0.1:notaport/",
        b"http://127.0.0.1:20000/",
        None,
    ],
)
def test_the_channel_follows_only_the_sandboxs_ports(url):
    channel = channels.Channel(range(20000, 20200), deadline=time.monotonic() + 5)
    with pytest.raises(channels.OutsideChannel):
        channel.request("GET", url)


def test_the_channel_ends_at_the_deadline_whatever_the_server_does():
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def drip():
        connection, _ = listener.accept()
        connection.recv(1000)
        try:
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            while True:  # a header, a byte at a time, forever
                connection.sendall(b"X")
                time.sleep(0.2)
        except OSError:
            pass

    threading.Thread(target=drip, daemon=True).start()
    channel = channels.Channel(range(port, port + 1), deadline=time.monotonic() + 1.5)
    started = time.monotonic()
    with pytest.raises(channels.ChannelTimeout):
        channel.request("GET", f"http://127.0.0.1:{port}/", timeout=60)
    assert time.monotonic() - started < 5
    listener.close()


def test_a_csv_reader_sees_one_row_per_submission_whatever_the_names(tmp_path: Path):
    from lambdalab.grading.batch import csv_text

    record = {
        "student": "x\ny",
        "lesson": "99",
        "file": "a\r\nb.ipynb",
        "status": "ok",
        "details": "d\x1b",
        "exercises": [],
        "points": 0,
        "out_of": 0,
    }
    rows_read = list(csv.reader(csv_text([record]).splitlines()))
    assert rows_read[-1][:3] == ["x\\ny", "99", "a\\r\\nb.ipynb"]
    assert printable(GRADER_ENV.get("PATH", "")) == GRADER_ENV.get("PATH", "")


def test_a_kernel_message_of_any_size_is_dropped_not_held(tmp_path: Path):
    """100 MB in one message: the grader's sockets drop it (ZeroMQ's MAXMSGSIZE) and hold
    nothing; the dropped connection counts as an output flood (the cell is interrupted),
    and the next cell's output arrives as usual."""
    from lambdalab.grading.kernel import KernelSession

    (tmp_path / "notebooks").mkdir()
    with KernelSession(tmp_path / "notebooks", dict(os.environ), output_limit=10**6) as kernel:
        kernel.start()
        assert kernel.max_message < 100 * 2**20
        for code in (
            "display({'text/plain': 'x' * 100_000_000}, raw=True)",
            "print('x' * 100_000_000)",
            "import time\nprint('x' * 100_000_000)\ntime.sleep(30)",  # interrupted
        ):
            outcome = kernel.run(code, 20)
            assert outcome.output_flood and not outcome.died, (code, outcome)
            assert outcome.output_bytes == 0
            after = kernel.run("print('after')", 10)
            assert (after.output_bytes, after.error, after.timed_out) == (6, None, False)
        outcome = kernel.run("while True:\n    print('spam ' * 200)", 20)  # either way
        assert outcome.output_flood and not (outcome.died or outcome.timed_out), outcome
        assert kernel.run("print('after')", 10).output_bytes == 6
