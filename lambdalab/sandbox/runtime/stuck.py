"""An invocation that keeps running: where it is, and when the sandbox stops waiting.

On AWS a function that never returns (a loop that never ends, a ``time.sleep(600)``, a
call to a server that never answers) runs until its timeout: up to 15 minutes, billed,
and for an asynchronous trigger it is retried twice more. Nothing says *where* it was:
the log only gets ``Task timed out after 900.00 seconds``.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html

In a notebook nobody should wait minutes in silence. The sandbox samples the worker's
Python stack (``faulthandler`` dumps it on SIGUSR2, see ``worker.py``) while an
invocation runs past :data:`SAMPLE_AFTER_S` real seconds, and:

- names the line of the function's own code it is executing (the deepest frame under
  the task root), in the log and in the failure ``sb.failures()`` and checks report;
- when three samples in a row (a second) show it stuck (:func:`stuck`: always in the
  same function of the learner's code and computing or sleeping there, or blocked with
  the very same stack), ends it at once *as AWS would end it at its timeout*: "Task timed
  out after N seconds", Duration and billing the configured timeout. Not AWS behaviour:
  README, "What differs from AWS".

A function found stuck is remembered by its configuration (:func:`remember`): its next
invocations (the asynchronous retries, a poller's next attempt) stuck at the same
lines are ended after two samples from :data:`KNOWN_SAMPLE_AFTER_S` (1.5 s, not 2.5 s).
"""

from __future__ import annotations

import linecache
import os
import re
import signal
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_AFTER_S = 1.5  # real seconds of running before the worker's stack is sampled
SAMPLE_EVERY_S = 0.5  # then this often
KNOWN_SAMPLE_AFTER_S = 1.0  # a version already found stuck at those lines: sampled sooner
KNOWN_SAMPLE_EVERY_S = 0.5
STACK_SIGNAL = signal.SIGUSR2  # the worker's faulthandler dumps its stack on it
STACK_FILE_VARIABLE = "_LAMBDALAB_STACK_FILE"
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<function>\S+)')
_STDLIB = sysconfig.get_path("stdlib").rstrip("/") + "/"  # the worker runs this Python

# function configuration (code and settings) -> the lines of its code it was found stuck at
_known: dict[object, frozenset[str]] = {}


@dataclass(frozen=True)
class Frame:
    """One frame of a stack dump: file, line and function."""

    file: str
    line: int
    function: str


@dataclass(frozen=True)
class Sample:
    """The worker's main stack at one moment, the innermost frame first."""

    frames: tuple[Frame, ...]
    task_root: str

    def own(self) -> list[Frame]:
        """The frames of the function's own code (under the task root), innermost first.

        A frame caught entering its function (its line is the ``def``) gives way to the
        line that called it.
        """
        root = self.task_root.rstrip("/") + "/"
        own = [f for f in self.frames if f.file.startswith(root)]
        if len(own) > 1 and linecache.getline(own[0].file, own[0].line).lstrip().startswith(
            ("def ", "async def ")
        ):
            own = own[1:]
        return own

    @property
    def place(self) -> str:
        """Where the function's own code is, e.g. ``app.py line 6: `while '%' in key:` ``."""
        own = self.own()
        if not own:
            return ""
        frame = own[0]
        name = os.path.relpath(frame.file, self.task_root)
        code = linecache.getline(frame.file, frame.line).strip()
        return f"{name} line {frame.line}" + (f": `{code}`" if code else "")

    @property
    def line(self) -> str:
        """The innermost line of the function's own code, ``app.py:6``."""
        own = self.own()
        return f"{os.path.relpath(own[0].file, self.task_root)}:{own[0].line}" if own else ""

    @property
    def function(self) -> str:
        """The innermost function of the function's own code, ``app.py:handler``."""
        own = self.own()
        return f"{os.path.relpath(own[0].file, self.task_root)}:{own[0].function}" if own else ""

    def computing(self) -> bool:
        """Innermost in its own code or the standard library: not waiting on a library."""
        if not self.frames:
            return False
        file = self.frames[0].file
        root = self.task_root.rstrip("/") + "/"
        standard = file.startswith(_STDLIB) and "-packages" not in file
        return file.startswith(root) or standard

    def guess(self) -> str:
        """What it is probably doing: a loop, a sleep, a recursion, a wait."""
        own = self.own()
        if own and sum(1 for f in own if f.function == own[0].function) >= 3:
            return "a recursion that does not end?"
        code = linecache.getline(own[0].file, own[0].line) if own else ""
        if "sleep(" in code:
            return "a sleep longer than the timeout?"
        if own and self.frames[0] is not own[0] and not self.computing():
            return "waiting for an answer that does not come?"
        return "a loop that never ends?"


def stack_file(tmp_dir: Path) -> Path:
    """Where an environment's worker writes its stack dumps (next to its output)."""
    return tmp_dir.parent / f"{tmp_dir.name}.stack"


def sample(pid: int, path: Path, task_root: str, wait_s: float = 0.3) -> Sample | None:
    """Ask the worker ``pid`` for its stack (SIGUSR2) and read it; None if it cannot answer."""
    try:
        os.truncate(path, 0)
        os.kill(pid, STACK_SIGNAL)
    except OSError:
        return None
    deadline = time.perf_counter() + wait_s
    size = -1
    while time.perf_counter() < deadline:
        time.sleep(0.002)
        now = path.stat().st_size if path.exists() else 0
        if now and now == size:
            break
        size = now
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return None
    return parse(text, task_root)


def parse(text: str, task_root: str) -> Sample | None:
    """The stack of the thread running the handler, from a ``faulthandler`` dump.

    Example
    -------
    >>> dump = '''Current thread 0x1 (most recent call first):
    ...   File "/code/abc/app.py", line 6 in handler
    ...   File "/rt/bootstrap.py", line 90 in handle_event_request
    ... '''
    >>> parse(dump, "/code/abc").function
    'app.py:handler'
    """
    threads: list[list[Frame]] = []
    for line in text.splitlines():
        if "(most recent call first)" in line:
            threads.append([])
            continue
        match = _FRAME.match(line)
        if match and threads:
            threads[-1].append(
                Frame(match.group("file"), int(match.group("line")), match.group("function"))
            )
    root = task_root.rstrip("/") + "/"
    for frames in threads:  # the thread in the function's own code (the handler's)
        if any(f.file.startswith(root) for f in frames):
            return Sample(tuple(frames), task_root)
    return None


def stuck(samples: list[Sample | None], known: frozenset[str] = frozenset()) -> bool:
    """Do these samples (oldest first) show an invocation that will not end by itself?

    Stuck: over the window, always in the same function of its own code, and either
    computing or sleeping there (never inside a library: a slow AWS call or image
    resize is progress) or blocked with exactly the same stack. A version already
    found stuck at those lines (``known``) needs two samples there, not three.
    """
    if known and _same_place(samples, 2) and all(s.line in known for s in samples[-2:]):
        return True
    return _same_place(samples, 3)


def _same_place(samples: list[Sample | None], needed: int) -> bool:
    recent = samples[-needed:]
    if len(recent) < needed or any(s is None for s in recent):
        return False
    if len({s.function for s in recent}) != 1 or not recent[0].function:
        return False
    return all(s.computing() for s in recent) or len({s.frames for s in recent}) == 1


def remember(config: object, samples: list[Sample | None]) -> None:
    """A version found stuck: its next invocations at those lines are ended sooner.

    Keyed by the whole configuration: new code, or a longer timeout, starts afresh.
    """
    lines = frozenset(s.line for s in samples[-3:] if s and s.line)
    if lines:
        _known[config] = lines


def known(config: object) -> frozenset[str]:
    """The lines this configuration was found stuck at before (empty if never)."""
    return _known.get(config, frozenset()) if _known else frozenset()


def forget(function_name: str | None = None) -> None:
    """Forget hangs (all, or one function's): ``sb.recover()`` does."""
    for key in list(_known):
        if function_name is None or getattr(key, "function_name", None) == function_name:
            _known.pop(key, None)
