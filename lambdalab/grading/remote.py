"""The submission's sandbox, as the grader's checks see it: boto3 on its endpoint only.

Checks of exercises that deploy functions talk to the sandbox: mostly through boto3
(``lambdalab.course.checks.invoke_function``), sometimes through ``lambdalab.sandbox()``, to
deploy a reference function to compare with. The sandbox runs in the student's kernel;
the checks run in the grader's process. So the grader points boto3 at the kernel's moto
server (on the port it assigned, 127.0.0.1, fake credentials), and makes
``lambdalab.sandbox()`` return a ``RemoteSandbox``: the same ``deploy``, ``client`` and
``role_arn`` as ``Sandbox``, which are plain boto3, against that server; ``wait``,
``logs``, ``url``, ``failures``, ``recover`` and the clock ask the sandbox's control
endpoint. All of it goes through the grading process's one channel
(``lambdalab.grading.channel``), and what comes back is data: checked, bounded, never a
URL, path or module the grader would follow unchecked.
"""

from __future__ import annotations

import json
from typing import Any

from lambdalab.grading.channel import Channel
from lambdalab.grading.submissions import printable


class RemoteSandbox:
    """A stand-in for ``lambdalab.sandbox()`` in the grader's process (see the module).

    Everything it learns from the sandbox is data: JSON of a bounded size, through the
    grading process's one channel (``lambdalab.grading.channel``), checked for its shape
    before use; a URL it is given is followed only if it is one of the sandbox's ports.
    """

    running = True

    def __init__(self, region: str, channel: Channel):
        from lambdalab.sandbox.account import Sandbox

        self.region, self.channel = region, channel
        self.endpoint, self.control = channel.endpoint, channel.control
        self._sandbox_class = Sandbox
        self.clock = RemoteClock(self)

    def _call(self, operation: str, *, within: float = 120.0, **request: Any) -> Any:
        """POST a request to the sandbox's control endpoint; its ``result``, as data."""
        reply = self.channel.request(
            "POST",
            f"{self.control}/{operation}",
            json.dumps(request).encode(),
            {"Content-Type": "application/json"},
            within,
        )
        try:
            answer = json.loads(reply.body)
        except (ValueError, RecursionError):
            answer = None
        if not isinstance(answer, dict):
            raise RuntimeError(f"the sandbox's answer to {operation} is not what it sends")
        if reply.status == 200 and "result" in answer:
            return answer["result"]
        if isinstance(answer.get("stuck"), str):
            from lambdalab.sandbox.failures import SandboxStuck

            raise SandboxStuck(answer["stuck"][:4000], _failures(answer.get("failures")))
        raise RuntimeError(printable(str(answer.get("error", f"HTTP {reply.status}")), 1000))

    def wait(self, timeout: float = 60.0) -> None:
        """``sb.wait()`` in the kernel; SandboxStuck comes back as SandboxStuck."""
        self._call("wait", within=timeout + 5, timeout=timeout)

    def failures(self, function_name: str | None = None) -> list[Any]:
        """``sb.failures()`` in the kernel, as Failure objects."""
        return _failures(self._call("failures", function=function_name))

    def recover(self, function_name: str | None = None) -> str:
        """``sb.recover()`` in the kernel; its one-line summary."""
        from lambdalab.sandbox.account import Summary

        return Summary(_text(self._call("recover", function=function_name)))

    def logs(self, function_name: str, last: int | None = None) -> Any:
        from lambdalab.sandbox.account import LogView

        view = self._call("logs", function=function_name)
        events = view.get("events") if isinstance(view, dict) else None
        if not isinstance(events, list):
            raise RuntimeError("the sandbox's logs are not what it sends")
        events = [
            {"timestamp": e.get("timestamp", 0), "message": _text(e.get("message"))}
            for e in events
            if isinstance(e, dict)
        ]
        return LogView(_text(view.get("group")), events[-last:] if last else events)

    def url(self, api_id_or_function_name: str, stage: str | None = None) -> str:
        """The URL the sandbox serves an API on, if it is one of the sandbox's own ports."""
        url = self._call("url", api=api_id_or_function_name, stage=stage)
        self.channel.check(url)  # else OutsideChannel: never followed
        return url

    def set_account_concurrency(self, limit: int = 1000) -> None:
        self._call("account-concurrency", limit=limit)

    def client(self, service: str, **kwargs: Any):
        import boto3

        return boto3.client(service, region_name=self.region, **kwargs)

    def resource(self, service: str, **kwargs: Any):
        import boto3

        return boto3.resource(service, region_name=self.region, **kwargs)

    def role_arn(self) -> str:
        return self._sandbox_class.role_arn(self)  # type: ignore[arg-type]

    def deploy(self, *args: Any, **kwargs: Any) -> Any:
        return self._sandbox_class.deploy(self, *args, **kwargs)  # type: ignore[arg-type]

    def _remember_source(self, *args: Any) -> None:
        """A deploy by a hidden test has no source folder in the student's kernel."""

    def deployed_from(self, name: str) -> None:
        """What the student's kernel deployed from is not the grader's to read."""
        return None

    def stop(self) -> None:
        """Nothing to stop: the sandbox belongs to the student's kernel."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(
            f"the grader cannot use sandbox.{name} outside the student's kernel; "
            "checks should reach the sandbox through boto3 (see docs/grading.md)"
        )


class RemoteClock:
    """``sandbox.clock`` in the grader's process: ``now()`` and ``advance()``."""

    def __init__(self, sandbox: RemoteSandbox) -> None:
        self._sandbox = sandbox

    def now(self):
        from datetime import datetime

        return datetime.fromisoformat(_text(self._sandbox._call("clock/now"), 64))

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0):
        from datetime import timedelta

        if isinstance(days, timedelta):
            total = days.total_seconds()
        else:
            total = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
            total = total.total_seconds()
        return self._sandbox._call("clock/advance", seconds=total)


def _text(value: Any, limit: int = 100_000) -> str:
    """A string received from the sandbox, as a string of a bounded length."""
    return value[:limit] if isinstance(value, str) else ""


def _failures(records: Any) -> list[Any]:
    """The sandbox's failures as Failure objects: the fields Failure has, as text or numbers."""
    import dataclasses

    from lambdalab.sandbox.failures import Failure

    fields = {f.name: f for f in dataclasses.fields(Failure)}
    found = []
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict):
            continue
        values = {
            k: (v[:4000] if isinstance(v, str) else v)
            for k, v in record.items()
            if k in fields and isinstance(v, str | int | float | bool | type(None))
        }
        try:
            found.append(Failure(**values))
        except TypeError:
            continue
    return found


def attach(region: str, channel: Channel | None) -> None:
    """Make ``lambdalab.sandbox()`` in this process return the submission's sandbox.

    The only place the grader touches the sandbox module's state (``_current``). With
    ``channel`` None, forget it.
    """
    from lambdalab.sandbox import account as sandbox_module

    current = getattr(sandbox_module, "_current", None)
    if current is not None and not isinstance(current, RemoteSandbox):
        return  # a real sandbox of this process: leave it alone
    sandbox_module._current = RemoteSandbox(region, channel) if channel else None
