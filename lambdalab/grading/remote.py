"""The submission's sandbox, as the grader's checks see it: boto3 on its endpoint only.

Checks of exercises that deploy functions talk to the sandbox: mostly through boto3
(``lambdalab.course.checks.invoke_function``), sometimes through ``lambdalab.sandbox()``, to
deploy a reference function to compare with. The sandbox runs in the student's kernel;
the checks run in the grader's process. So the grader points boto3 at the kernel's moto
server (on 127.0.0.1, with fake credentials), and makes ``lambdalab.sandbox()`` return a
``RemoteSandbox``: the same ``deploy``, ``client`` and ``role_arn`` as ``Sandbox``, which
are plain boto3, against that server. What needs the kernel's own objects (``logs()``,
the clock) is not available here, and says so.
"""

from __future__ import annotations

from typing import Any


class RemoteSandbox:
    """A stand-in for ``lambdalab.sandbox()`` in the grader's process (see the module)."""

    running = True

    def __init__(self, region: str, endpoint: str, control: str | None = None):
        from lambdalab.sandbox.account import Sandbox

        self.region, self.endpoint, self.control = region, endpoint, control
        self._sandbox_class = Sandbox
        self.clock = RemoteClock(self)

    def _call(self, operation: str, **request: Any) -> Any:
        """POST a request to the sandbox's control endpoint; its answer, as data."""
        import json
        import urllib.error
        import urllib.request

        if not self.control:
            raise RuntimeError(
                f"the grader cannot reach sandbox.{operation.split('/')[0]}: the submission's "
                "sandbox has no control endpoint"
            )
        data = json.dumps(request).encode()
        try:
            with urllib.request.urlopen(f"{self.control}/{operation}", data, timeout=120) as r:
                return json.loads(r.read())["result"]
        except urllib.error.HTTPError as error:
            answer = json.loads(error.read())
            if "stuck" in answer:
                from lambdalab.sandbox.failures import Failure, SandboxStuck

                failures = [Failure(**f) for f in answer.get("failures", [])]
                raise SandboxStuck(answer["stuck"], failures) from None
            raise RuntimeError(answer.get("error", str(error))) from None

    def wait(self, timeout: float = 60.0) -> None:
        """``sb.wait()`` in the kernel; SandboxStuck comes back as SandboxStuck."""
        self._call("wait", timeout=timeout)

    def failures(self, function_name: str | None = None) -> list[Any]:
        """``sb.failures()`` in the kernel, as Failure objects."""
        from lambdalab.sandbox.failures import Failure

        return [Failure(**f) for f in self._call("failures", function=function_name)]

    def recover(self, function_name: str | None = None) -> str:
        """``sb.recover()`` in the kernel; its one-line summary."""
        from lambdalab.sandbox.account import Summary

        return Summary(self._call("recover", function=function_name))

    def logs(self, function_name: str, last: int | None = None) -> Any:
        from lambdalab.sandbox.account import LogView

        view = self._call("logs", function=function_name)
        events = view["events"]
        return LogView(view["group"], events[-last:] if last else events)

    def url(self, api_id_or_function_name: str, stage: str | None = None) -> str:
        return self._call("url", api=api_id_or_function_name, stage=stage)

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

        return datetime.fromisoformat(self._sandbox._call("clock/now"))

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0):
        from datetime import timedelta

        if isinstance(days, timedelta):
            total = days.total_seconds()
        else:
            total = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
            total = total.total_seconds()
        return self._sandbox._call("clock/advance", seconds=total)


def attach(region: str, endpoint: str | None, control: str | None = None) -> None:
    """Make ``lambdalab.sandbox()`` in this process return the submission's sandbox.

    With ``endpoint`` None, forget it (the next ``lambdalab.sandbox()`` would start one).
    The only place the grader touches the sandbox module's state (``_current``).
    """
    from lambdalab.sandbox import account as sandbox_module

    current = getattr(sandbox_module, "_current", None)
    if current is not None and not isinstance(current, RemoteSandbox):
        return  # a real sandbox of this process: leave it alone
    sandbox_module._current = RemoteSandbox(region, endpoint, control) if endpoint else None
