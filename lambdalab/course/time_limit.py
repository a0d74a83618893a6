"""A time limit on the learner's code when a check calls it in the kernel.

A check calls some answers directly (a handler, a key decoder, a cost function). A loop
that never ends, a ``time.sleep(60)`` or a recursion that explodes would then hold the
cell in silence. :func:`call_limited` runs the call under a limit of
:data:`TIME_LIMIT_S` seconds and, past it, stops it and says where it was: the deepest
line of the learner's own code (not the kit's, not the standard library's), with the
file name as the learner knows it::

    your function is still running after 2 s, at app.py line 6: `while '%' in key:`:
    a loop that never ends?

In the main thread (where ipykernel runs cells) the limit is a real-time interval timer
(``signal.setitimer``) whose SIGALRM handler raises :class:`_StillRunning` in the learner's
code, interrupting busy loops and sleeps alike. It is a ``BaseException``, so a learner's
``except Exception:`` does not swallow it, and the timer keeps firing every
:data:`_RETRY_S` until the call ends, so even a bare ``except:`` inside a loop cannot keep
it going. The previous SIGALRM handler and timer are restored afterwards. Elsewhere (a
thread, or Windows, which has no interval timer) the call runs in a helper thread that
is waited for up to the limit, then interrupted with ``PyThreadState_SetAsyncExc`` (a
sleep ends at its next bytecode).
"""

from __future__ import annotations

import ctypes
import linecache
import os
import signal
import sys
import sysconfig
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Seconds a learner's function may run when a check calls it in the kernel.
TIME_LIMIT_S = 2.0
_RETRY_S = 0.05  # the timer fires again this often while the call has not ended


class _StillRunning(BaseException):  # noqa: N818 - private, never seen by the learner
    """Raised inside the learner's code by the time limit (a BaseException on purpose)."""

    def __init__(self, stack: list[Place] | None = None) -> None:
        super().__init__("time limit")
        self.stack = stack or []


@dataclass
class TooSlow(Exception):  # noqa: N818 - a learner-facing outcome, named as it reads
    """The learner's function ran past the limit; ``where`` says where it was."""

    seconds: float
    where: str
    guess: str

    def __str__(self) -> str:
        text = f"still running after {self.seconds:g} s"
        if self.where:
            text += f", at {self.where}"
        return text + (f": {self.guess}" if self.guess else "")


def call_limited(function: Callable[..., Any], *args: Any, seconds: float = TIME_LIMIT_S) -> Any:
    """``function(*args)``, stopped after ``seconds`` (a :class:`TooSlow` then).

    Example
    -------
    >>> call_limited(sum, [1, 2])
    3
    >>> def spin():
    ...     while True:
    ...         pass
    >>> try:
    ...     call_limited(spin, seconds=0.1)
    ... except TooSlow as slow:
    ...     print(slow.guess)
    a loop that never ends?
    """
    main = threading.current_thread() is threading.main_thread()
    if main and hasattr(signal, "setitimer"):  # not on Windows
        return _in_main_thread(function, args, seconds)
    return _in_helper_thread(function, args, seconds)


def _in_main_thread(function: Callable[..., Any], args: tuple, seconds: float) -> Any:
    first: list[list[Place]] = []
    caller = sys._getframe()  # only frames inside the call are looked at, never its callers

    def alarm(signum: int, frame: types.FrameType | None) -> None:
        if not first:  # where it was when the limit struck (lines move as it unwinds)
            first.append(_learner_stack(frame, caller))
        raise _StillRunning(first[0])

    previous = signal.signal(signal.SIGALRM, alarm)
    before = signal.setitimer(signal.ITIMER_REAL, seconds, _RETRY_S)
    started = time.monotonic()
    try:
        try:
            result = function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _StillRunning as stopped:
        raise _too_slow(first[0] if first else stopped.stack, seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if before[0] > 0:  # someone else's timer: give it back what is left of it
            left = max(before[0] - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, before[1])
    if first:  # the learner's code swallowed the interruption and returned late
        raise _too_slow(first[0], seconds)
    return result


def _in_helper_thread(function: Callable[..., Any], args: tuple, seconds: float) -> Any:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = error

    worker = threading.Thread(target=run, name="learner-code", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        stack = _learner_stack(sys._current_frames().get(worker.ident))
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(_StillRunning)
        )
        raise _too_slow(stack, seconds)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


# --------------------------------------------------------------------------------------
# Where it was, in the learner's words
# --------------------------------------------------------------------------------------


def _kit_paths() -> tuple[str, ...]:
    paths = {str(Path(__file__).resolve().parents[1])}  # lambdalab/
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            paths.add(str(Path(sysconfig.get_path(name)).resolve()))
        except (KeyError, OSError, TypeError):
            continue
    return tuple(sorted(paths))


_KIT = _kit_paths()


def learners_code(filename: str) -> bool:
    """Is this file the learner's (a notebook cell, their own module), not the kit's?"""
    if filename.startswith("<frozen") or filename in ("<string>", "<stdin>"):
        return False
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        return True
    return not any(resolved == path or resolved.startswith(path + os.sep) for path in _KIT)


def shown_file(filename: str) -> str:
    """A file name as the learner knows it: ``app.py``, ``functions/x/app.py``, "your cell"."""
    name = filename.replace("\\", "/")
    if "ipykernel_" in name or name.startswith("<ipython-input") or "/ipykernel/" in name:
        return "your notebook cell"
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        relative = filename
    return relative if not relative.startswith("..") else os.path.basename(filename)


@dataclass(frozen=True)
class Place:
    """One frame of the learner's code: its file, line and function."""

    filename: str
    line: int
    code: types.CodeType


def _learner_stack(
    frame: types.FrameType | None, caller: types.FrameType | None = None
) -> list[Place]:
    """The learner's frames on the stack, deepest first, as they are now.

    Only the frames of the call, above ``caller`` (the frame that made it): whoever called
    the check (a grader's hidden test) is not the learner's code, wherever its file lies.
    """
    found = []
    while frame is not None and frame is not caller:
        if learners_code(frame.f_code.co_filename):
            found.append(Place(frame.f_code.co_filename, frame.f_lineno, frame.f_code))
        frame = frame.f_back
    return found


def _too_slow(stack: list[Place], seconds: float) -> TooSlow:
    if not stack:
        return TooSlow(seconds, "", "is it waiting for something?")
    deepest = stack[0]
    if deepest.line == deepest.code.co_firstlineno and len(stack) > 1:
        deepest = stack[1]  # stopped on entering a call: the line that made it
    code = linecache.getline(deepest.filename, deepest.line).strip()
    where = f"{shown_file(deepest.filename)} line {deepest.line}"
    if code:
        where += f": `{code}`"
    return TooSlow(seconds, where, guess(code, [place.code for place in stack]))


def guess(code: str, codes: list[types.CodeType]) -> str:
    """What the learner's code is probably doing, from its line and its stack."""
    if sum(1 for c in codes if c is codes[0]) >= 3:
        return "a recursion that does not end?"
    if "sleep(" in code:
        return "a sleep longer than the check can wait?"
    if "input(" in code:
        return "is it waiting for input()?"
    return "a loop that never ends?"
