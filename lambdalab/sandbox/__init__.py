"""The offline AWS: everything in the kit that imitates AWS, and nothing of the course.

``lambdalab.sandbox()`` starts it (or returns the one running in this kernel): moto's
server on 127.0.0.1, with the Lambda engine wired in so that handlers really run.

- :mod:`.account`: :class:`Sandbox`, what ``lambdalab.sandbox()`` returns: the moto
  server, this process's AWS settings, deploy, logs, ``wait()``, ``reset()``;
- :mod:`.runtime`: the Lambda engine: execution environments, each a worker process
  running AWS's runtime interface client against a local Runtime API;
- :mod:`.triggers`: what moto does not do by itself: HTTP endpoints, EventBridge rules
  and Scheduler, asynchronous invocation with retries, SQS and stream pollers;
- :mod:`.cloudformation`: stacks and SAM templates deployed as AWS deploys them (the
  Serverless transform, all or nothing, the resource types moto lacks);
- :mod:`.moto_patch`: the one place where moto's Lambda is patched to use the engine;
- :mod:`.events`, :mod:`.patterns`, :mod:`.schedules`: AWS's event shapes, event
  patterns and schedule expressions;
- :mod:`.clock`, :mod:`.failures`, :mod:`.control`, :mod:`.links`: the sandbox clock,
  failed invocations in words, the control endpoint, links a browser can open.

Nothing here imports ``lambdalab.course`` or ``lambdalab.grading``
(tests/unit/test_layers.py checks).

Example
-------
>>> import lambdalab
>>> sb = lambdalab.sandbox()                      # doctest: +SKIP
>>> sb.client("s3").create_bucket(Bucket="photos")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import sys
import types

#: The public names, and the module of each. Imported on first use (PEP 562): importing
#: one module of the sandbox (its event shapes, say) does not start moto.
_PUBLIC = {
    "DeployError": "account",
    "LogView": "account",
    "Sandbox": "account",
    "SandboxError": "account",
    "sandbox": "account",
    "Failure": "failures",
    "SandboxStuck": "failures",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """This package, callable: ``lambdalab.sandbox()`` is :func:`.account.sandbox`."""

    def __call__(self, *args, **kwargs):
        from .account import sandbox

        return sandbox(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
