"""Grade one submission: run its transplanted notebook, score each answer as it appears.

This runs in a process of its own (``python -m lambdalab.grading.grader``), one per
submission, started by the batch (``lambdalab.grading.batch``), normally in a network
namespace of its own. The batch writes the job on its standard input (the notebook's
bytes, the reference cells and the hidden tests' text, read once per batch) and reads the
result from its standard output: neither is ever a file, so the kernel cannot read the
answers from the job or write a result. It

1. reads the student's notebook and builds the graded run (``reference.plan``);
2. starts a fresh kernel in the bubblewrap sandbox of ``lambdalab.grading.isolation``
   (its own scratch HOME, no AWS credentials, limits), so that the lesson's
   ``lambdalab.sandbox()`` is its own;
3. runs the cells one by one, each with a time limit and an output budget;
4. at each check cell, captures the answer in the kernel and grades it at once, here,
   with the lesson's hidden tests: the tests talk to the answer only through JSON (see
   ``lambdalab.grading.answers``), so nothing the student's code does in its kernel can
   reach them;
5. when the kernel dies or hangs, starts a new one, runs the cells before the failure
   again (exercise cells as their stubs) and goes on with the next cell, so one broken
   exercise costs only its own points.

Everything ends in a result dict (JSON), whatever happens to the kernel.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambdalab.grading.channel import Channel, assign_ports
from lambdalab.grading.kernel import KernelDied, KernelSession, Sandbox
from lambdalab.grading.reference import (
    MAX_NOTEBOOK_MB,
    NotebookError,
    Reference,
    Step,
    plan,
    read_submission_bytes,
    unrun_cells,
)

#: Submission statuses, most serious first; a submission shows the most serious it met.
STATUSES = {
    "grader-killed": "grading this file stopped the grader twice; it was not graded again",
    "unreadable": "the file is not a notebook that can be read",
    "too-large": "the notebook is over a limit of the grader (its size, cells or nesting)",
    "unknown-lesson": "no lesson of the course matches this file",
    "grader-error": "the grader itself failed on this submission (please report it)",
    "time-limit": "the whole submission ran out of time",
    "kernel-died": "the kernel stopped (a crash, os._exit, exit() or a kill)",
    "memory-limit": "a cell used more memory than allowed (MemoryError)",
    "timeout": "a cell or a call ran past its time limit",
    "output-limit": "a cell printed more output than allowed",
    "syntax-error": "an exercise cell is not valid Python",
    "error": "an exercise cell raised an exception",
    "ok": "graded",
}
MAX_RESTARTS = 3
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")


@dataclass
class Limits:
    """Limits of one submission's run (the command line's options)."""

    timeout: float = 30.0  # seconds per cell
    call_timeout: float = 10.0  # seconds per call of the student's function by a test
    time_limit: float = 300.0  # seconds for the whole submission
    memory_mb: int = 4096  # address space of the kernel and of each process it starts
    output_limit: int = 1_000_000  # characters of output per cell
    max_notebook_mb: float = MAX_NOTEBOOK_MB  # size of the notebook file


def worst(statuses: list[str]) -> str:
    order = list(STATUSES)
    return min(statuses, key=order.index) if statuses else "ok"


def kernel_environment(
    home: Path, cache: Path | None, isolated: bool = False, ports: range | None = None
) -> dict[str, str]:
    """The kernel's environment: an allow-list when isolated (else ours without AWS
    credentials), a private HOME, and the ports its sandbox listens on."""
    if isolated:
        from lambdalab.grading import isolation

        env = isolation.kernel_environment(dict(os.environ), {})
    else:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LAMBDALAB_"))}
        env["HOME"] = str(home)
    home = Path(env["HOME"])
    env.update(
        LAMBDALAB_PROGRESS=str(home / "progress.json"),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        MPLBACKEND="Agg",
        MALLOC_ARENA_MAX="2",
        PYTHONDONTWRITEBYTECODE="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    if ports is not None:
        from lambdalab.sandbox.local_server import PORTS_VARIABLE

        env[PORTS_VARIABLE] = f"{ports.start}-{ports.stop - 1}"
    if cache is not None and not isolated:
        env["MPLCONFIGDIR"] = str(cache / "matplotlib")
    return env


class Run:
    """The state of one submission's graded run."""

    def __init__(self, job: dict[str, Any]):
        self.job = job
        self.limits = Limits(**job.get("limits", {}))
        self.statuses: list[str] = []
        self.details: list[str] = []
        self.exercises: dict[str, dict[str, Any]] = {}
        self.started = time.monotonic()
        self.deadline = self.started + self.limits.time_limit
        self.channel: Channel | None = None  # HTTP to the submission's sandbox only
        self.progress: Callable[[dict[str, Any]], None] | None = None  # result so far
        self.order: list[str] = []  # the lesson's exercises, from its reference
        self.unrun: list[int] = []  # the student's cells with code that was not run
        from lambdalab.course.checks import load_lesson
        from lambdalab.grading.rubric import load_hidden_source

        lesson = job["lesson"]
        hidden = job.get("hidden")  # (path, text), read by the batch before any student code
        self.hidden = load_hidden_source(*hidden) if hidden else {}
        self.public = load_lesson(lesson)

    # -- bookkeeping --------------------------------------------------------------------

    def problem(self, status: str, detail: str) -> None:
        self.statuses.append(status)
        if detail not in self.details:
            self.details.append(detail)

    def remaining(self) -> float:
        return self.limits.time_limit - (time.monotonic() - self.started)

    def blank(self, exercise_id: str, message: str) -> dict[str, Any]:
        _, points = self.hidden.get(exercise_id, (None, 1))
        public = self.public.get(exercise_id)
        return {
            "id": exercise_id,
            "title": public.title if public else "",
            "points": 0,
            "out_of": points,
            "passed": False,
            "check_message": message,
            "hint": public.hint if public else "",
            "parts": [],
            "notes": [],
        }

    def result(self) -> dict[str, Any]:
        """The result so far: every exercise of the lesson, graded or not yet."""
        graded = dict(self.exercises)
        for exercise_id in self.order:
            graded.setdefault(exercise_id, self.blank(exercise_id, "not graded"))
        for exercise_id in self.hidden:
            graded.setdefault(exercise_id, self.blank(exercise_id, "no check cell"))
        exercises = sorted(graded.values(), key=lambda e: _order(e["id"]))
        return {
            "status": worst(self.statuses),
            "details": "; ".join(self.details),
            "exercises": exercises,
            "points": round(sum(e["points"] for e in exercises), 2),
            "out_of": sum(e["out_of"] for e in exercises),
            "seconds": round(time.monotonic() - self.started, 2),
            "unrun": self.unrun,
        }

    # -- grading one answer -------------------------------------------------------------

    def grade_exercise(self, kernel: KernelSession, exercise_id: str, notes: list[str]) -> None:
        from lambdalab.grading.answers import RemoteFunction, decode
        from lambdalab.grading.rubric import Part, Rubric, public_check_only

        test, points = self.hidden.get(exercise_id, (public_check_only, 1))
        rubric = Rubric(self.public.get(exercise_id), points)
        entry = self.blank(exercise_id, "")
        entry["notes"] = list(notes)
        call_timeout = max(1.0, min(self.limits.call_timeout, self.remaining()))
        described, _ = kernel.ask(f"describe({exercise_id!r})", call_timeout)
        if described is None:
            entry["check_message"] = "the grader could not read your answer from the kernel"
            self.exercises[exercise_id] = entry
            return
        kind = described.get("kind")
        if kind == "missing":
            entry["check_message"] = (
                f"your answer did not exist when its check ran ({described.get('error')})"
            )
            self.exercises[exercise_id] = entry
            return
        if kind == "function":

            def call(arguments: str) -> dict[str, Any] | None:
                budget = max(1.0, min(self.limits.call_timeout, self.remaining()))
                reply, outcome = kernel.ask(f"call({exercise_id!r}, {arguments!r})", budget)
                if outcome.timed_out or outcome.died:
                    self.problem(
                        "timeout",
                        f"exercise {exercise_id}: a call of your answer "
                        f"ran past {self.limits.call_timeout:g} s",
                    )
                if outcome.output_flood:
                    self.problem(
                        "output-limit",
                        f"exercise {exercise_id}: your answer printed too much output",
                    )
                return None if (outcome.timed_out or outcome.died) else reply

            answer = RemoteFunction(
                call, str(described.get("name", "answer")), described.get("parameters")
            )
        else:
            answer = decode(described)
        try:
            test(answer, rubric)
        except Exception as error:  # a test that stopped half way: keep what it scored
            done = sum(part.possible for part in rubric.parts)
            rubric.parts.append(
                Part(
                    "the rest of the exercise",
                    0,
                    max(points - done, 0),
                    f"grading stopped: {type(error).__name__}: {error}",
                )
            )
        failures = [part.message for part in rubric.parts if part.earned < part.possible]
        entry.update(
            points=round(rubric.earned, 2),
            passed=rubric.earned >= points,
            check_message=rubric.check_message or (failures[0] if failures else ""),
            parts=[[p.name, p.earned, p.possible, p.message] for p in rubric.parts],
        )
        self.exercises[exercise_id] = entry
        if self.remaining() <= 0:
            self.problem(
                "time-limit",
                f"stopped after {self.limits.time_limit:g} s, while exercise {exercise_id} "
                "was graded",
            )
        self.report()

    def report(self) -> None:
        """Send the result so far: if this process is stopped, the batch keeps it."""
        if self.progress is not None:
            self.progress(dict(self.result(), partial=True))

    # -- the run ------------------------------------------------------------------------

    def execute(self, steps: list[Step], kernel: KernelSession) -> None:
        """Run every step; grade at each capture; survive hangs and dead kernels."""
        restarts = 0
        pending_notes: list[str] = []
        index = 0
        while index < len(steps):
            step = steps[index]
            budget = min(self.limits.timeout, self.remaining())
            if budget <= 0:
                self.problem("time-limit", f"stopped after {self.limits.time_limit:g} s")
                return
            outcome = kernel.run(step.source, budget)
            where = f"cell {step.index}" + (
                " (an exercise cell)" if step.kind == "exercise" else ""
            )
            if step.note:
                pending_notes.append(step.note)
            if outcome.output_flood:
                self.problem(
                    "output-limit",
                    f"{where} printed more than "
                    f"{self.limits.output_limit:,} characters; it was interrupted",
                )
                pending_notes.append("the cell printed too much output and was interrupted")
            elif outcome.timed_out:
                if budget < self.limits.timeout:
                    self.problem("time-limit", f"stopped after {self.limits.time_limit:g} s")
                    return
                self.problem("timeout", f"{where} ran past {self.limits.timeout:g} s")
                pending_notes.append(f"the cell ran past {self.limits.timeout:g} s and was stopped")
            elif outcome.error and step.kind == "exercise":
                kind = outcome.error_type
                status = {
                    "SyntaxError": "syntax-error",
                    "IndentationError": "syntax-error",
                    "MemoryError": "memory-limit",
                }.get(kind or "", "error")
                self.problem(status, f"{where} raised {outcome.error}")
                pending_notes.append(f"your cell raised {outcome.error}")
            elif outcome.error_type == "MemoryError":
                self.problem("memory-limit", f"{where} raised MemoryError")
            if step.exercises and not outcome.died:
                self.bridge_sandbox(kernel)
                for exercise_id, _ in step.exercises:
                    if kernel.alive():
                        self.grade_exercise(kernel, exercise_id, pending_notes)
                pending_notes = []
            if outcome.died or not kernel.alive():
                if outcome.garbled:
                    self.problem(
                        "kernel-died",
                        f"the kernel's messages became unreadable at "
                        f"{where} (did it change json or the kernel itself?)",
                    )
                elif not (outcome.timed_out or outcome.output_flood):  # else: killed by us
                    self.problem("kernel-died", f"the kernel stopped at {where}")
                    pending_notes.append("the kernel stopped while this exercise's cells ran")
                restarts += 1
                if restarts > MAX_RESTARTS or not self.restart(kernel, steps[: index + 1]):
                    self.problem("kernel-died", "gave up after the kernel stopped again")
                    return
            index += 1

    def bridge_sandbox(self, kernel: KernelSession) -> None:
        """Point this process's boto3 at the submission's sandbox, if it runs one.

        Checks of exercises that deploy a function invoke it with boto3 (see
        ``lambdalab.course.checks.invoke_function``): here they reach the sandbox in the
        student's kernel on the port the grader assigned to it, through the channel
        (``lambdalab.grading.channel``), and get back what Lambda returns, as data. The
        kernel only says whether its sandbox runs and in which region; where it listens
        is the grader's to say, never the kernel's.
        """
        from lambdalab.grading import remote

        reply, _ = kernel.ask("environment()", max(1.0, min(5.0, self.remaining())))
        reply = reply or {}
        running = isinstance(reply.get("AWS_ENDPOINT_URL"), str)
        region = reply.get("AWS_DEFAULT_REGION") or reply.get("AWS_REGION")
        if not (isinstance(region, str) and REGION.fullmatch(region)):
            region = "us-east-1"
        os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = region
        os.environ.pop("AWS_ENDPOINT_URL", None)
        if running and self.channel is not None:
            os.environ["AWS_ENDPOINT_URL"] = self.channel.endpoint
        # Always the stand-in: lambdalab.sandbox() never starts a sandbox in this process.
        remote.attach(region, self.channel)

    def restart(self, kernel: KernelSession, done: list[Step]) -> bool:
        """A new kernel, with the cells before the failure run again (exercises as stubs)."""
        try:
            kernel.start()
        except KernelDied:
            return False
        for step in done:
            if step.replay:
                outcome = kernel.run(step.replay, min(self.limits.timeout, self.remaining()))
                if outcome.died or outcome.timed_out:
                    return False
        return True


def _order(exercise_id: str) -> tuple[int, int]:
    lesson, _, number = exercise_id.partition(".")
    return int(lesson), int(number or 0)


def grade(
    job: dict[str, Any], progress: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """Grade the submission described by ``job``; return the result dict (never raises).

    ``progress`` gets the result so far after each graded exercise."""
    run = Run(job)
    run.progress = progress
    reference = Reference(**job["reference"])  # read once by the batch
    run.order = reference.exercise_ids()
    try:
        notebook = base64.b64decode(job["notebook"])
        submitted = read_submission_bytes(notebook, run.limits.max_notebook_mb * 2**20)
    except NotebookError as error:
        run.problem(error.status, str(error))
        return run.result()
    run.report()
    workspace = Path(tempfile.mkdtemp(prefix="lambdalab-grade-", dir=job.get("scratch")))
    os.chmod(workspace, 0o755)
    ports = assign_ports()
    run.channel = Channel(ports, run.deadline)
    run.channel.install()  # the only HTTP of this process from here on
    try:
        home, notebooks = workspace / "home", workspace / "notebooks"
        home.mkdir()
        notebooks.mkdir()
        assets = Path(job["assets"]) if job.get("assets") else None
        isolation = job.get("isolation")
        sandbox = None
        if isolation is not None:
            sandbox = Sandbox(assets=assets, **isolation)
        elif assets is not None and assets.is_dir():
            (workspace / "assets").symlink_to(assets.resolve())
        cache = Path(job["cache"]) if job.get("cache") else None
        env = kernel_environment(home, cache, isolated=sandbox is not None, ports=ports)
        limits = run.limits
        with KernelSession(
            notebooks, env, limits.memory_mb, limits.output_limit, sandbox=sandbox
        ) as kernel:
            steps = plan(reference, submitted, kernel.helper)
            run.unrun = unrun_cells(reference, submitted)
            try:
                kernel.start()
            except KernelDied as error:
                run.problem("grader-error", str(error))
                return run.result()
            run.execute(steps, kernel)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    return run.result()


def main(argv: list[str] | None = None) -> int:
    """``python -m lambdalab.grading.grader`` (used by the batch): job on stdin, result
    (one JSON line) on stdout."""
    result_channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else prints goes to the log, never into the result
    # This process talks to nothing but the submission's sandbox: no real credentials.
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_MAX_ATTEMPTS="2",  # the sandbox is local: a retry or two, never minutes of them
    )
    lock = threading.Lock()

    def send(result: dict[str, Any]) -> None:
        with lock:
            result_channel.write(json.dumps(result) + "\n")
            result_channel.flush()

    try:
        job = json.loads(sys.stdin.read())
        result = grade(job, progress=send)
    except Exception as error:  # the grader's own bug: report it, keep the batch going
        result = {
            "status": "grader-error",
            "details": f"{type(error).__name__}: {error}",
            "exercises": [],
            "points": 0,
            "out_of": 0,
            "traceback": traceback.format_exc(),
        }
    send(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
