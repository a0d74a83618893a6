"""Stand-ins, in the grader's process, for the answers that live in the student's kernel.

A hidden test never holds the student's objects. It holds one of these:

- plain data (dict, list, tuple, set, str, bytes, number, bool, None) when the answer
  is data: a copy, sent as its ``repr`` and rebuilt by the grader with
  ``ast.literal_eval`` (which builds data, never runs code), so a ``dict`` subclass whose
  ``__eq__`` always says yes arrives as the plain dict it really contains;
- a ``RemoteFunction`` when the answer is a function: calling it sends the arguments, as
  Python literals, to the kernel, which calls the student's function and sends back its
  result the same way (or the name and message of the exception it raised, raised here
  again as an exception of that name, so that checks word it as the student saw it);
- an ``Opaque`` value (its class named as the student's type) for anything else.

Arguments must be Python literals, or a context from ``lambdalab.course.checks.fake_context()``.
"""

from __future__ import annotations

import ast
import inspect
import types
from collections.abc import Callable
from typing import Any


class StudentError(Exception):
    """An exception raised by the student's code; subclasses carry its name (KeyError...)."""


class AnswerUnavailable(StudentError):
    """The answer cannot be called: it timed out, or the kernel stopped answering."""


_ERROR_TYPES: dict[str, type[StudentError]] = {}


def student_error(name: str, message: str) -> StudentError:
    """An exception named like the student's (``KeyError``), for messages that read right."""
    if not name.isidentifier():
        name = "Exception"
    if name not in _ERROR_TYPES:
        _ERROR_TYPES[name] = type(name, (StudentError,), {"__module__": "builtins"})
    return _ERROR_TYPES[name](message)


class Opaque:
    """An answer that is neither data nor a function: shown by its type and repr."""

    def __init__(self, type_name: str, text: str):
        self._text = text

    def __repr__(self) -> str:
        return self._text

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


def opaque(type_name: str, text: str) -> Opaque:
    name = type_name if type_name.isidentifier() else "object"
    return type(name, (Opaque,), {"__module__": "builtins"})(type_name, text)


def _argument(value: Any) -> Any:
    if isinstance(value, types.SimpleNamespace) and hasattr(value, "aws_request_id"):
        fields = {k: v for k, v in vars(value).items() if not callable(v)}
        remaining = getattr(value, "get_remaining_time_in_millis", lambda: 3000)()
        return {"__lambdalab_context__": {**fields, "remaining_ms": remaining}}
    return value


class RemoteFunction:
    """The student's function, called in their kernel; results come back as data.

    Parameters
    ----------
    call : callable
        ``call(arguments_json) -> reply dict`` (the kernel session's RPC), or None when
        the kernel can no longer be reached.
    name, type_name : str
        The function's ``__name__`` and type, for messages.
    parameters : list or None
        ``[name, kind, has_default]`` per parameter, giving this stand-in the same
        signature as the student's function (so ``expect_function`` works on it).
    """

    def __init__(self, call: Callable[[str], dict | None], name: str, parameters: Any):
        self._call, self.__name__ = call, name
        self.hung = False
        if isinstance(parameters, list):
            try:
                self.__signature__ = inspect.Signature(
                    [
                        inspect.Parameter(
                            str(p[0]),
                            inspect._ParameterKind(int(p[1])),
                            default=None if p[2] else inspect.Parameter.empty,
                        )
                        for p in parameters
                    ]
                )
            except (TypeError, ValueError, IndexError):
                pass

    def __call__(self, *args: Any) -> Any:
        if self.hung:
            raise AnswerUnavailable("it did not return in time on an earlier call")
        arguments = repr([_argument(a) for a in args])
        try:
            ast.literal_eval(arguments)
        except (ValueError, SyntaxError, TypeError):
            raise TypeError(
                f"a hidden test passed arguments that are not Python literals: {arguments[:80]}"
            ) from None
        reply = self._call(arguments)
        if reply is None or not isinstance(reply.get("ok"), bool):
            self.hung = True
            raise AnswerUnavailable("it did not return in time (or stopped the kernel)")
        if not reply["ok"]:
            raise student_error(str(reply.get("type")), str(reply.get("error", "")))
        return decode(reply.get("result"))

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


def decode(encoded: Any) -> Any:
    """The grader's copy of a value the kernel encoded (see ``kernel.HELPER``)."""
    if isinstance(encoded, dict) and encoded.get("kind") == "data":
        try:
            return ast.literal_eval(str(encoded.get("literal")))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return opaque("object", "an answer the grader could not read")
    if isinstance(encoded, dict) and encoded.get("kind") == "opaque":
        return opaque(str(encoded.get("type")), str(encoded.get("repr")))
    return opaque("object", "an answer the grader could not read")
