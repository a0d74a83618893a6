"""What Lambda's API refuses before it looks anything up, in AWS's words.

Every AWS API checks its input against the constraints of its published model (the
JSON models botocore ships): a string's length and regular expression, a number's range,
a list's size, an enum's values. A value that fails gets HTTP 400
``ValidationException``, worded as AWS words it::

    1 validation error detected: Value 'my function' at 'functionName' failed to satisfy
    constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?...

botocore checks only types, required members and minimum lengths before sending; the
rest is the service's job, and moto skips it. :func:`validation_errors` does it from the
same model. :func:`parse_function_name` reads a function name in each form Lambda
accepts (name, ``name:qualifier``, partial ARN ``123456789012:function:name``, full ARN)
and refuses an ARN of another Region (``Functions from 'eu-west-3' are not reachable in
this region ('us-east-1')``, HTTP 404) or another account.
https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html (FunctionName formats)

Example
-------
>>> validation_errors("lambda", "CreateAlias", {"FunctionName": "f", "Name": "1",
...                                               "FunctionVersion": "1"})
["Value '1' at 'name' failed to satisfy constraint: Member must satisfy regular expression \
pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"]
>>> parse_function_name("arn:aws:lambda:us-east-1:123456789012:function:resize:live")
FunctionName(name='resize', qualifier='live', region='us-east-1', account='123456789012')
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

_FUNCTION_NAME = re.compile(
    r"(?:arn:(?P<partition>aws[a-zA-Z-]*)?:lambda:)?"
    r"(?:(?P<region>(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d):)?"
    r"(?:(?P<account>\d{12}):)?(?:function:)?(?P<name>[a-zA-Z0-9-_\.]+)"
    r"(?::(?P<qualifier>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?"
)


#: FunctionName's pattern in Lambda's model, as AWS quotes it in a ValidationException.
FUNCTION_NAME_PATTERN = (
    r"(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?"
    r"(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"
)


@dataclass(frozen=True)
class FunctionName:
    """A FunctionName parameter, read: the function's name and what the ARN said."""

    name: str
    qualifier: str | None = None
    region: str | None = None
    account: str | None = None

    @property
    def plain(self) -> str:
        """``name`` or ``name:qualifier``: the form moto reads the same way AWS does."""
        return f"{self.name}:{self.qualifier}" if self.qualifier else self.name


def parse_function_name(value: str) -> FunctionName | None:
    """The parts of a function name or ARN, or None if Lambda's pattern refuses it."""
    match = _FUNCTION_NAME.fullmatch(value)
    if match is None:
        return None
    return FunctionName(
        name=match["name"],
        qualifier=match["qualifier"],
        region=match["region"],
        account=match["account"],
    )


@functools.lru_cache(maxsize=4)
def _service_model(service: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:  # a construct Python's re lacks: not checked
        return None


def _field(name: str) -> str:
    return name[:1].lower() + name[1:]


def _java(value: Any) -> str:
    """A value as AWS's (Java) messages print it: lists as ``[a, b]``, None as null."""
    if isinstance(value, list):
        return "[" + ", ".join(_java(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _constraints(shape: Any) -> list[str]:
    """Every constraint of a string or number shape, in the order AWS lists them."""
    meta = shape.metadata
    found = []
    if shape.type_name == "string":
        if "max" in meta:
            found.append(f"Member must have length less than or equal to {meta['max']}")
        if "min" in meta:
            found.append(f"Member must have length greater than or equal to {meta['min']}")
        if "pattern" in meta:
            found.append(f"Member must satisfy regular expression pattern: {meta['pattern']}")
        if shape.enum:
            found.append(f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
    return found


def _failures(shape: Any, value: Any) -> list[str]:
    """The constraints of ``shape`` that ``value`` (a string or number) breaks."""
    meta = shape.metadata
    broken = []
    if shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            broken.append(f"Member must have length less than or equal to {meta['max']}")
        if "min" in meta and len(value) < meta["min"]:
            broken.append(f"Member must have length greater than or equal to {meta['min']}")
        pattern = _compiled(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None and pattern.fullmatch(value) is None:
            broken.append(f"Member must satisfy regular expression pattern: {meta['pattern']}")
        if shape.enum and value not in shape.enum:
            broken.append(f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
    elif shape.type_name in ("integer", "long", "double", "float") and isinstance(
        value, (int, float)
    ):
        if "max" in meta and value > meta["max"]:
            broken.append(f"Member must have value less than or equal to {meta['max']}")
        if "min" in meta and value < meta["min"]:
            broken.append(f"Member must have value greater than or equal to {meta['min']}")
    return broken


def _check(shape: Any, value: Any, path: str, errors: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                _check(
                    member, value[name], f"{path}.{_field(name)}" if path else _field(name), errors
                )
    elif kind == "list" and isinstance(value, list):
        meta = shape.metadata
        if "max" in meta and len(value) > meta["max"]:
            errors.append(
                f"Value '{_java(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {meta['max']}"
            )
        member = shape.member
        if member.type_name in ("string", "integer", "long"):
            if any(_failures(member, item) for item in value):
                errors.append(
                    f"Value '{_java(value)}' at '{path}' failed to satisfy constraint: "
                    "Member must satisfy constraint: [" + ", ".join(_constraints(member)) + "]"
                )
        else:
            for index, item in enumerate(value, start=1):
                _check(member, item, f"{path}.{index}.member", errors)
    elif kind == "map" and isinstance(value, dict):
        bad_keys = [key for key in value if _failures(shape.key, key)]
        if bad_keys:
            errors.append(
                f"Value at '{path}' failed to satisfy constraint: "  # keys may be secret
                "Map keys must satisfy constraint: [" + ", ".join(_constraints(shape.key)) + "]"
            )
        for key, item in value.items():
            _check(shape.value, item, f"{path}.{key}", errors)
    else:
        broken = _failures(shape, value)
        if broken:
            errors.append(
                f"Value '{_java(value)}' at '{path}' failed to satisfy constraint: "
                + ", ".join(broken)
            )


def validation_errors(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    """Each constraint of the operation's model that ``params`` break, in AWS's words."""
    try:
        shape = _service_model(service).operation_model(operation).input_shape
    except Exception:  # noqa: BLE001 - an operation the model lacks: nothing to check
        return []
    errors: list[str] = []
    if shape is not None:
        _check(shape, params, "", errors)
    return errors


def validation_message(errors: list[str]) -> str:
    """``1 validation error detected: ...`` (or ``N validation errors``), as AWS joins them."""
    noun = "error" if len(errors) == 1 else "errors"
    return f"{len(errors)} validation {noun} detected: " + "; ".join(errors)
