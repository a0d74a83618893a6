"""EventBridge event patterns: which events a rule lets through to its targets.

An EventBridge rule has an *event pattern*, a JSON object shaped like the events it
wants. Each field of the pattern lists the values that field may take (OR); every field
listed must match (AND). Fields the pattern does not name are ignored. Besides plain
values, a list may hold *filters*: ``prefix``, ``suffix``, ``anything-but``,
``numeric``, ``exists``, ``equals-ignore-case``, ``wildcard``, ``cidr``; and ``$or``
combines whole sub-patterns.

This module imitates EventBridge's matching as documented in

* https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
* https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
* https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html

and the error messages of AWS's open-source matcher, Event Ruler
(https://github.com/aws/event-ruler), which EventBridge's ``PutRule`` returns after
"Event pattern is not valid. Reason: ". One simplification: each field is matched on
its own, so for an event holding an array of objects, two fields of the pattern may be
satisfied by two different elements of the array.

Example
-------
>>> pattern = {"source": ["aws.s3"], "detail": {"object": {"key": [{"suffix": ".jpg"}]}}}
>>> matches(pattern, {"source": "aws.s3", "detail": {"object": {"key": "cat.jpg"}}})
True
>>> matches(pattern, {"source": "aws.s3", "detail": {"object": {"key": "cat.png"}}})
False
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["EventPatternError", "matches", "validate_pattern"]


class EventPatternError(ValueError):
    """An event pattern that EventBridge would refuse.

    The message reads as AWS's: ``Event pattern is not valid. Reason: ...``.

    Example
    -------
    >>> try:
    ...     validate_pattern({"source": "aws.s3"})
    ... except EventPatternError as error:
    ...     print(error)
    Event pattern is not valid. Reason: "source" must be an object or an array
    """

    def __init__(self, reason: str):
        super().__init__(f"Event pattern is not valid. Reason: {reason}")
        self.reason = reason


_MISSING = object()  # the event has no such field


# ---------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------


def matches(pattern: dict | str, event: dict | str) -> bool:
    """Say whether ``event`` matches the EventBridge event ``pattern``.

    Parameters
    ----------
    pattern : dict or str
        The event pattern, as a dict or as the JSON text PutRule takes.
    event : dict or str
        The event, as a dict or JSON text.

    Returns
    -------
    bool

    Raises
    ------
    EventPatternError
        If the pattern is not valid (see :func:`validate_pattern`).

    Example
    -------
    >>> matches({"detail": {"size": [{"numeric": [">", 0, "<=", 5]}]}}, {"detail": {"size": 3}})
    True
    """
    pattern = _load(pattern, "pattern")
    event = _load(event, "event")
    validate_pattern(pattern)
    return _object_matches(pattern, event)


def _load(value: dict | str, what: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            if what == "pattern":
                raise EventPatternError(f"the pattern is not JSON: {error}") from None
            raise ValueError(f"the event is not JSON: {error}") from None
    return value


def _object_matches(pattern: dict, event: Any) -> bool:
    """Every field of ``pattern`` must match (AND); ``$or`` needs one of its branches."""
    for name, rule in pattern.items():
        if name == "$or":
            if not any(_object_matches(branch, event) for branch in rule):
                return False
        elif not _field_matches(rule, _field_values(event, name)):
            return False
    return True


def _field_values(event: Any, name: str) -> list | object:
    """The values of field ``name`` in ``event``, arrays flattened; _MISSING if absent.

    Arrays of objects are looked through: the field is read from each element.
    """
    if isinstance(event, list):
        found = [_field_values(item, name) for item in event]
        values = [v for vs in found if vs is not _MISSING for v in vs]
        return values if any(vs is not _MISSING for vs in found) else _MISSING
    if not isinstance(event, dict) or name not in event:
        return _MISSING
    return _flatten(event[name])


def _flatten(value: Any) -> list:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]


def _field_matches(rule: dict | list, values: list | object) -> bool:
    if isinstance(rule, dict):  # a nested object: match inside the event's object(s)
        if values is _MISSING:
            return _object_matches(rule, {})  # only "exists": false can match nothing
        objects = [v for v in values if isinstance(v, dict)]
        return any(_object_matches(rule, obj) for obj in objects) or (
            not objects and _object_matches(rule, {})
        )
    # A list: any of its conditions (OR) against any of the event's values.
    return any(_condition_matches(condition, values) for condition in rule)


def _condition_matches(condition: Any, values: list | object) -> bool:
    if isinstance(condition, dict):
        ((operator, operand),) = condition.items()
        if operator == "exists":
            return match_exists(operand, values)
        if values is _MISSING:
            return False  # every other filter needs the field to be there
        test = _FILTERS[operator]
        return any(test(operand, value) for value in values if not isinstance(value, dict))
    if values is _MISSING:
        return False
    return any(match_exact(condition, value) for value in values)


# One function per filter. Each takes the filter's operand and one value of the event.


def match_exact(expected: Any, value: Any) -> bool:
    """A plain value in the pattern: equal strings, equal numbers, true, false or null.

    Numbers compare by value (``300`` matches ``3.0e2``); ``true`` never matches ``1``.

    Example
    -------
    >>> match_exact(300, 3.0e2), match_exact(True, 1), match_exact(None, None)
    (True, False, True)
    """
    if isinstance(expected, bool) or isinstance(value, bool) or expected is None:
        return type(expected) is type(value) and expected == value
    if _is_number(expected):
        return _is_number(value) and expected == value
    return isinstance(value, str) and expected == value


def match_exists(should_exist: bool, values: list | object) -> bool:
    """``{"exists": true}`` / ``{"exists": false}``: whether the field is present.

    Only leaf values count: a field holding an object does not "exist" for this test.
    """
    present = values is not _MISSING and any(not isinstance(v, dict) for v in values)
    return present if should_exist else not present


def match_prefix(prefix: str | dict, value: Any) -> bool:
    """``{"prefix": "us-"}``; ``{"prefix": {"equals-ignore-case": "us-"}}`` ignores case."""
    return _match_end(str.startswith, prefix, value)


def match_suffix(suffix: str | dict, value: Any) -> bool:
    """``{"suffix": ".png"}``; ``{"suffix": {"equals-ignore-case": ".png"}}`` ignores case."""
    return _match_end(str.endswith, suffix, value)


def _match_end(test: Callable[[str, str], bool], text: str | dict, value: Any) -> bool:
    """Prefix or suffix matching (``test`` is str.startswith or str.endswith), on string
    values only; ``{"equals-ignore-case": text}`` ignores case."""
    if not isinstance(value, str):
        return False
    if isinstance(text, dict):
        return test(value.casefold(), text["equals-ignore-case"].casefold())
    return test(value, text)


def match_equals_ignore_case(expected: str, value: Any) -> bool:
    """``{"equals-ignore-case": "alice"}`` matches "Alice", "ALICE", ..."""
    return isinstance(value, str) and value.casefold() == expected.casefold()


def match_wildcard(pattern: str, value: Any) -> bool:
    """``{"wildcard": "dir/*.png"}``: ``*`` stands for any characters, ``\\*`` for a star.

    Example
    -------
    >>> match_wildcard("dir/*.png", "dir/a/b.png"), match_wildcard("dir/*.png", "dir/a.jpg")
    (True, False)
    """
    return isinstance(value, str) and _wildcard_regex(pattern).fullmatch(value) is not None


def _wildcard_regex(pattern: str) -> re.Pattern:
    parts, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):  # \* is a literal star, \\ a backslash
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def match_anything_but(excluded: Any, value: Any) -> bool:
    """``{"anything-but": ...}``: any value except those given.

    The operand is a string, a number, a list of either, or an object with one of
    ``prefix``, ``suffix``, ``equals-ignore-case`` or ``wildcard``.

    Example
    -------
    >>> match_anything_but(["stopped", "overloaded"], "running")
    True
    >>> match_anything_but({"prefix": "init"}, "initializing")
    False
    """
    if isinstance(excluded, dict):
        ((operator, operand),) = excluded.items()
        operands = operand if isinstance(operand, list) else [operand]
        test = _FILTERS[operator]
        return not any(test(o, value) for o in operands)
    operands = excluded if isinstance(excluded, list) else [excluded]
    return not any(match_exact(o, value) for o in operands)


def match_numeric(comparisons: list, value: Any) -> bool:
    """``{"numeric": [">", 0, "<=", 5]}``: the value is a number meeting every comparison.

    Example
    -------
    >>> match_numeric([">", 0, "<=", 5], 5), match_numeric(["<", 10], "9")
    (True, False)
    """
    if not _is_number(value):
        return False
    pairs = zip(comparisons[::2], comparisons[1::2], strict=True)
    return all(_COMPARE[operator](value, bound) for operator, bound in pairs)


def match_cidr(network: str, value: Any) -> bool:
    """``{"cidr": "10.0.0.0/24"}``: the value is an IP address (v4 or v6) in the range."""
    if not isinstance(value, str):
        return False
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address in ipaddress.ip_network(network, strict=False)


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}

_FILTERS: dict[str, Callable[[Any, Any], bool]] = {
    "prefix": match_prefix,
    "suffix": match_suffix,
    "equals-ignore-case": match_equals_ignore_case,
    "wildcard": match_wildcard,
    "anything-but": match_anything_but,
    "numeric": match_numeric,
    "cidr": match_cidr,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


def validate_pattern(pattern: dict | str) -> None:
    """Check an event pattern as PutRule does; raise :class:`EventPatternError` if wrong.

    Parameters
    ----------
    pattern : dict or str
        The event pattern, as a dict or as JSON text.

    Raises
    ------
    EventPatternError
        With AWS's wording, e.g. ``Event pattern is not valid. Reason: "source" must be
        an object or an array`` when a value is not wrapped in a list.

    Example
    -------
    >>> validate_pattern({"source": ["aws.s3"]})        # fine: returns None
    >>> try:
    ...     validate_pattern({"source": [{"prefx": "aws."}]})
    ... except EventPatternError as error:
    ...     print(error.reason)
    Unrecognized match type prefx
    """
    pattern = _load(pattern, "pattern")
    if not isinstance(pattern, dict):
        raise EventPatternError("Filter is not an object")
    _check_object(pattern)


def _check_object(pattern: dict) -> None:
    if not pattern:
        raise EventPatternError("Empty objects are not allowed")
    for name, rule in pattern.items():
        if name == "$or":
            _check_or(rule)
        elif isinstance(rule, dict):
            _check_object(rule)
        elif isinstance(rule, list):
            _check_list(rule)
        else:
            raise EventPatternError(f'"{name}" must be an object or an array')


def _check_or(branches: Any) -> None:
    if not isinstance(branches, list):
        raise EventPatternError("It must be an Array followed with $or.")
    if not all(isinstance(branch, dict) for branch in branches):
        raise EventPatternError("Only JSON object is allowed in array of $or relationship.")
    if len(branches) < 2:
        raise EventPatternError("There must have at least 2 Objects in $or relationship.")
    for branch in branches:
        _check_object(branch)


def _check_list(conditions: list) -> None:
    if not conditions:
        raise EventPatternError("Empty arrays are not allowed")
    for condition in conditions:
        if isinstance(condition, dict):
            _check_filter(condition)
        elif isinstance(condition, list):
            raise EventPatternError("Match value must be String, number, true, false, or null")


def _check_filter(condition: dict) -> None:
    if len(condition) != 1:
        raise EventPatternError("Only one key allowed in match expression")
    ((operator, operand),) = condition.items()
    checks = {
        "prefix": _check_prefix_or_suffix,
        "suffix": _check_prefix_or_suffix,
        "equals-ignore-case": _check_string,
        "wildcard": _check_wildcard,
        "anything-but": _check_anything_but,
        "numeric": _check_numeric,
        "exists": _check_exists,
        "cidr": _check_cidr,
    }
    if operator not in checks:
        raise EventPatternError(f"Unrecognized match type {operator}")
    checks[operator](operator, operand)


def _check_string(operator: str, operand: Any) -> None:
    if not isinstance(operand, str):
        raise EventPatternError(f"{operator} match pattern must be a string")


def _check_prefix_or_suffix(operator: str, operand: Any) -> None:
    if isinstance(operand, dict):
        if list(operand) != ["equals-ignore-case"]:
            raise EventPatternError(
                f"Unsupported {operator} pattern: only equals-ignore-case is allowed inside"
            )
        operand = operand["equals-ignore-case"]
    _check_string(operator, operand)


def _check_wildcard(operator: str, operand: Any) -> None:
    _check_string(operator, operand)
    previous_was_wildcard = False
    position = 0
    while position < len(operand):
        if operand[position] == "\\":  # an escaped character is never a wildcard
            previous_was_wildcard = False
            position += 2
            continue
        is_wildcard = operand[position] == "*"
        if is_wildcard and previous_was_wildcard:
            raise EventPatternError(f"Consecutive wildcard characters at pos {position - 1}")
        previous_was_wildcard = is_wildcard
        position += 1


def _check_exists(operator: str, operand: Any) -> None:
    if not isinstance(operand, bool):
        raise EventPatternError("exists match pattern must be either true or false.")


def _check_cidr(operator: str, operand: Any) -> None:
    _check_string(operator, operand)
    try:
        ipaddress.ip_network(operand, strict=False)
    except ValueError:
        raise EventPatternError(f"Nonsensical CIDR: {operand}") from None


def _check_numeric(operator: str, operand: Any) -> None:
    if not isinstance(operand, list):
        raise EventPatternError("Value of numeric must be an array.")
    if not operand or not isinstance(operand[0], str):
        raise EventPatternError(f"Invalid member in numeric match: {operand[:1]}")
    if operand[0] not in _COMPARE:
        raise EventPatternError(f"Unrecognized numeric range operator: {operand[0]}")
    if len(operand) > 4 or (len(operand) > 2 and operand[0] not in (">", ">=")):
        raise EventPatternError("Too many elements in numeric expression")
    if len(operand) > 2 and operand[2] not in ("<", "<="):
        raise EventPatternError(f"Bad numeric range operator: {operand[2]}")
    for position in range(0, len(operand), 2):
        if position + 1 >= len(operand) or not _is_number(operand[position + 1]):
            raise EventPatternError(f"Value of {operand[position]} must be numeric")


def _check_anything_but(operator: str, operand: Any) -> None:
    if isinstance(operand, dict):
        if len(operand) != 1:
            raise EventPatternError("Only one key allowed in match expression")
        ((inner, value),) = operand.items()
        if inner in ("prefix", "suffix"):
            _check_string(f"{inner}", value)
            if not value:
                raise EventPatternError("Null prefix/suffix not allowed")
        elif inner in ("equals-ignore-case", "wildcard"):
            for item in value if isinstance(value, list) else [value]:
                (_check_wildcard if inner == "wildcard" else _check_string)(inner, item)
        else:
            raise EventPatternError(f"Unsupported anything-but pattern: {inner}")
        return
    if isinstance(operand, list):
        kinds = {"number" if _is_number(v) else "string" if isinstance(v, str) else "other"
                 for v in operand}  # fmt: skip
        if "other" in kinds:
            raise EventPatternError(
                "Inside anything but list, start|null|boolean is not supported."
            )
        if len(kinds) != 1:
            raise EventPatternError(
                "Inside anything but list, either all values are number or string, "
                "mixed type is not supported"
            )
        return
    if not (isinstance(operand, str) or _is_number(operand)):
        raise EventPatternError(
            "Value of anything-but must be an array or single string/number value."
        )
