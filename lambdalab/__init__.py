"""Lambda Lab: learn AWS Lambda by doing, against an offline AWS."""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

# `lambdalab.sandbox()` and `lambdalab.progress()` are functions of the modules of the
# same name. Python sets `lambdalab.<module>` to the module object as soon as the module
# is imported, so each of these modules is made callable: calling it calls the function.
_CALLABLE_MODULES = {"sandbox": "sandbox", "progress": "show"}


class _CallableModule(types.ModuleType):
    """A module that, called, runs its function named in ``__call_target__``."""

    def __call__(self, *args, **kwargs):
        return getattr(self, self.__call_target__)(*args, **kwargs)


def _make_callable(module_name: str, function_name: str) -> types.ModuleType:
    """Make ``sys.modules[module_name]`` callable as ``function_name`` (idempotent).

    Example
    -------
    At the end of lambdalab/progress.py::

        lambdalab._make_callable(__name__, "show")   # lambdalab.progress() == show()
    """
    module = sys.modules[module_name]
    module.__call_target__ = function_name
    if not isinstance(module, _CallableModule):
        module.__class__ = _CallableModule
    return module


def check_environment() -> str:
    """Check this kernel is the course's, up to date (see lambdalab.environment)."""
    from lambdalab.environment import check_environment as check

    return check()


_FAILURE_NAMES = ("SandboxStuck", "Failure")  # from lambdalab.failures


def __getattr__(name: str):
    """Import ``lambdalab.sandbox`` and ``lambdalab.progress`` on first use (PEP 562)."""
    if name in _FAILURE_NAMES:
        return getattr(importlib.import_module(f"{__name__}.failures"), name)
    if name in _CALLABLE_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        return _make_callable(module.__name__, _CALLABLE_MODULES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
