"""What moto does not do by itself: the triggers that invoke a function.

* :mod:`lambdalab.sandbox.triggers.http`: API Gateway REST and HTTP APIs and Lambda function
  URLs, served over real HTTP on 127.0.0.1 (``sandbox.url(...)``).
* :mod:`lambdalab.sandbox.triggers.eventbridge`: EventBridge rules (event patterns and
  schedules) and EventBridge Scheduler schedules, fired on the sandbox clock.
* :mod:`lambdalab.sandbox.triggers.permissions`: the function's resource-based policy, checked
  as AWS checks it before a service may invoke the function.

The sandbox owns one :class:`Triggers`: it starts with the sandbox, ``reset()`` forgets
every listener and timer, ``stop()`` ends them.

Example
-------
>>> sb = lambdalab.sandbox()                 # doctest: +SKIP
>>> sb.url(api_id)                           # doctest: +SKIP
'http://127.0.0.1:50123'
>>> sb.triggers.eventbridge.scheduled()      # doctest: +SKIP
{'arn:aws:events:us-east-1:123456789012:rule/nightly': datetime(...)}
"""

from __future__ import annotations

from typing import Any

from . import http, permissions
from .eventbridge import EventBridgeTriggers
from .http import EndpointError, HttpGateway
from .permissions import InvokePermissionWarning, sandbox_log

__all__ = [
    "EndpointError",
    "EventBridgeTriggers",
    "HttpGateway",
    "InvokePermissionWarning",
    "Triggers",
    "sandbox_log",
]


class Triggers:
    """The sandbox's triggers: an HTTP gateway and EventBridge's rules and schedules.

    Parameters
    ----------
    sandbox : Sandbox
        The running sandbox.
    """

    def __init__(self, sandbox: Any) -> None:
        self.http = HttpGateway(sandbox)
        self.eventbridge = EventBridgeTriggers(sandbox)

    def start(self) -> None:
        http.install()
        permissions.install()
        self.eventbridge.start()

    def url(self, api_id_or_function_name: str, stage: str | None = None) -> str:
        return self.http.url(api_id_or_function_name, stage)

    def reset(self) -> None:
        self.http.reset()
        self.eventbridge.reset()

    def stop(self) -> None:
        self.eventbridge.stop()
        self.http.shutdown()
        http.uninstall()
        permissions.uninstall()
