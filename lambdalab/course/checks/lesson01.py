"""Checks for lesson 01, Handlers: each check invokes the function you deployed.

A handler is only right when Lambda can run it, so these checks call the deployed
function through ``lambda.invoke`` in the sandbox, with a few events of their own.
https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
"""

from __future__ import annotations

import json
from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    Deployed,
    NotYet,
    call_function,
    configured,
    describe,
    difference,
    expect_each,
    expect_kind,
    function_config,
    function_error,
    running_note,
    short,
)


def _batch_result(got: Any, event: dict[str, Any]) -> dict[str, Any]:
    """The worker's answer, if it has the shape asked for; a NotYet naming the shape if not."""
    if not isinstance(got, dict) or not {"processed", "unprocessed"} <= set(got):
        raise NotYet(
            f"for {event!r} the function returned {describe(got)}; return a dict with two "
            "lists, {'processed': [...], 'unprocessed': [...]}"
        )
    return got


@exercise("01.1", deployed="greeter")
def greeting_with_default(fn: Deployed) -> None:
    """Any name is greeted; an event without one (empty, or with other keys) greets the world."""
    events = [
        ({"name": "Ada"}, "Ada"),
        ({}, "world"),
        ({"name": "Zoë"}, "Zoë"),
        ({"id": 7}, "world"),
    ]
    expect_each(
        "the function",
        (
            (
                f"the event {event!r}",
                lambda event=event: fn.call(event),
                {"greeting": f"Hello, {name}!"},
            )
            for event, name in events
        ),
    )


def _api_response(fn: Deployed, event: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The function's response to ``event`` and its decoded body; a NotYet for another shape."""
    got = fn.call(event)
    said = f"for the event {event!r} the function returned {short(got, 200)}"
    if not isinstance(got, dict):
        raise NotYet(
            f"for the event {event!r} the function returned {describe(got)}: API Gateway "
            "needs a dict with statusCode, headers and body"
        )
    if not isinstance(got.get("body"), str):
        raise NotYet(
            f"{said}: body is {describe(got.get('body'))}: API Gateway wants a string, "
            "so return json.dumps(...) of the dict"
        )
    try:
        body = json.loads(got["body"])
    except ValueError:
        body = None
    return got, body


def _status(got: dict[str, Any], event: dict[str, Any], wanted: int) -> None:
    if got.get("statusCode") != wanted or isinstance(got.get("statusCode"), bool):
        diff = difference({"statusCode": got.get("statusCode")}, {"statusCode": wanted})
        raise NotYet(
            f"for the event {event!r} the function returned {short(got, 200)}; it needs "
            f"'statusCode': {wanted}" + (f" ({diff})" if diff else "")
        )


@exercise("01.2", deployed="api-greeter")
def api_style_response(fn: Deployed) -> None:
    """200, JSON content type and a JSON greeting for any name; 400 and a JSON error without."""
    for name in ["Ada", "Zoë"]:
        event = {"name": name}
        got, body = _api_response(fn, event)
        _status(got, event, 200)
        headers = got.get("headers") or {}
        # HTTP header names are case-insensitive (RFC 9110, 5.1): content-type is as good.
        types = [
            str(value) for key, value in dict(headers).items() if str(key).lower() == "content-type"
        ]
        if not types or types[0].split(";")[0].strip().lower() != "application/json":
            raise NotYet(
                f"for {event!r} the headers are {short(headers)}; the response needs headers "
                "{'Content-Type': 'application/json'}"
            )
        wanted = {"greeting": f"Hello, {name}!"}
        if body != wanted:
            diff = difference(body, wanted) if body is not None else "it is not JSON"
            raise NotYet(
                f"for {event!r} the body is {got['body']!r}; expected the JSON of {wanted!r}"
                + (f": {diff}" if diff else "")
            )
    event = {}
    bad, body = _api_response(fn, event)
    _status(bad, event, 400)
    if not isinstance(body, dict) or "error" not in body:
        raise NotYet(
            f"for an event without a name the body is {bad['body']!r}; the 400 response's "
            "body should be JSON with an 'error' key"
        )


@exercise("01.5", deployed="batch-worker")
def stop_before_timeout(fn: Deployed) -> None:
    small = {"items": [1, 2, 3]}
    got = _batch_result(fn.call(small), small)
    if got != {"processed": [2, 4, 6], "unprocessed": []}:
        said = f"a short batch {small!r} should be processed completely; got {got!r}"
        if got.get("processed") == [] and got.get("unprocessed") == small["items"]:
            said += _margin_too_large(fn, small)
        raise NotYet(said)
    learners = fn.config["Timeout"]
    done = _long_batch(fn, learners)
    if done == 40:
        raise NotYet(
            f"the function had time for all 40 items: its timeout is {learners} s. Deploy it "
            "with Timeout=1, as the cell does, so that it must stop early"
        )
    # The same batch with a longer timeout: a handler that reads the time left goes on
    # longer; one that stops after a fixed count or a fixed time does the same again.
    longer = learners + 1
    with configured(fn.name, Timeout=longer):
        done_longer = _long_batch(fn, longer)
    if done_longer <= done:
        raise NotYet(
            f"with 40 items the function processed {done} item(s) with a {learners} s "
            f"timeout, and {done_longer} with {longer} s: it should use the time it has. Stop "
            "when context.get_remaining_time_in_millis() is below the margin, not after a "
            "fixed number of items or a fixed time"
        )


#: Lambda's longest timeout, in seconds (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
LONGEST_TIMEOUT_S = 900


def _margin_too_large(fn: Deployed, small: dict[str, Any]) -> str:
    """Why a worker stopped before the first item of a short batch, found by calling it
    again with Lambda's longest timeout: a margin counted in the wrong unit (it then goes
    on), or a stop test that is true at once (it stops again)."""
    timeout = fn.config["Timeout"]
    with configured(fn.name, Timeout=LONGEST_TIMEOUT_S):
        longer = fn.call(small)
    if isinstance(longer, dict) and longer.get("processed") == [2, 4, 6]:
        return (
            f": it stopped before the first item with about {timeout * 1000:,} ms left (its "
            f"timeout is {timeout} s), yet processed the batch when given {LONGEST_TIMEOUT_S} "
            f"s: its safety margin is more than {timeout} s. "
            "get_remaining_time_in_millis() counts milliseconds: a margin of 300 is 0.3 s "
            "(300000 would be 300 s)"
        )
    if isinstance(longer, dict) and longer.get("processed") == []:
        return (
            f": even with {LONGEST_TIMEOUT_S} s left (Lambda's longest timeout) it stopped "
            "before the first item, so its stop test is true at once: stop only when the time "
            "left is below the margin (remaining < margin)"
        )
    return ""


def _long_batch(fn: Deployed, timeout: int) -> int:
    """How many of 40 items the worker processed with ``timeout``; a NotYet if it failed."""
    event = {"items": list(range(40))}
    invoked = fn.invoke(event)
    if invoked.function_error:
        error = invoked.error
        if error.get("errorType") == "Sandbox.Timedout":
            where = running_note(invoked.log)  # the line it was on, when the sandbox saw it
            raise NotYet(
                f"with 40 items the function was killed at its {timeout} s timeout"
                f"{' (' + where + ')' if where else ''}: the work done was lost. Check the "
                "remaining time before each item and stop in time "
                "(get_remaining_time_in_millis() counts milliseconds: 300 is 0.3 s; each item "
                "takes about 100 ms)"
            )
        raise NotYet("with 40 items " + function_error(invoked))
    got = _batch_result(invoked.payload, {"items": "40 items"})
    if not got["processed"]:
        raise NotYet(
            f"with 40 items the function returned {_short_batch(got)}: it stopped before "
            "processing anything; stop only when less than the safety margin is left"
        )
    done = len(got["processed"])
    if got["processed"] != [2 * i for i in range(done)] or got["unprocessed"] != list(
        range(done, 40)
    ):
        raise NotYet(
            f"with 40 items the function returned {_short_batch(got)}: processed and "
            "unprocessed items should add up to the batch, in order"
        )
    return done


def _short_batch(got: dict[str, Any]) -> str:
    return f"{len(got['processed'])} processed and {len(got['unprocessed'])} unprocessed item(s)"


@exercise("01.4")
def handler_string(answer: Any) -> None:
    expect_kind(answer, str, "a handler string 'module.function'")
    if "." not in answer:
        raise NotYet(
            f"your answer is {describe(answer)}; a handler string looks like 'app.handler': "
            "'module.function', the file name without .py, a dot, then the function's name"
        )
    config = function_config("orders", "the cell after this one, which deploys it,")
    if config["Handler"] != answer:
        raise NotYet(
            "deploy the orders function with your handler string (run the cell "
            "after this one), then check again"
        )
    event = {"item": "book"}
    got = call_function("orders", event)
    if not isinstance(got, dict) or got.get("item") != "book":
        raise NotYet(f"the orders function returned {describe(got)}")


@exercise("01.3", deployed="greeter-env")
def environment_variable(fn: Deployed) -> None:
    """The greeting word is read from GREETING (configured 'Hej'), 'Hello' when it is unset."""
    event = {"name": "Ada"}
    original = (fn.config.get("Environment") or {}).get("Variables", {})
    got = fn.call(event)
    wanted = {"greeting": "Hej, Ada!"}
    if got != wanted:
        said = f"with GREETING=Hej it should return {wanted!r}; it returned {short(got)}"
        if "GREETING" not in original:
            raise NotYet(
                f"{said}, and the function's configuration has no GREETING variable (its "
                f"variables: {original}): deploy it with GREETING set to 'Hej'"
            )
        if original["GREETING"] != "Hej":
            raise NotYet(
                f"the function is configured with GREETING={original['GREETING']!r}; the "
                "exercise sets it to 'Hej'"
            )
        diff = difference(got, wanted)
        raise NotYet(f"{said}" + (f": {diff}" if diff else ""))
    if original.get("GREETING") != "Hej":
        raise NotYet(
            "the function should be configured with the environment variable "
            "GREETING=Hej, not have 'Hej' written in its code"
        )
    # Change the configuration: a handler that reads the variable follows it.
    with configured(fn.name, Environment={"Variables": {**original, "GREETING": "Hola"}}):
        got = fn.call(event)
    if got != {"greeting": "Hola, Ada!"}:
        same = " (the same as with Hej: read the variable, don't hard-code the word)"
        raise NotYet(
            f"with GREETING=Hola the function returned {short(got)}; expected "
            "{'greeting': 'Hola, Ada!'}" + (same if got == wanted else "")
        )
    # Without the variable, the function must fall back on 'Hello', not crash.
    unset = {name: value for name, value in original.items() if name != "GREETING"}
    with configured(fn.name, Environment={"Variables": unset}):
        invoked = fn.invoke(event)
    if invoked.function_error:
        raise NotYet(
            f"with GREETING not set, {function_error(invoked, event)}: give the variable "
            "a default, 'Hello', for when it is missing"
        )
    if invoked.payload != {"greeting": "Hello, Ada!"}:
        raise NotYet(
            f"with GREETING not set the function returned {invoked.payload!r}; the default "
            "greeting is 'Hello': expected {'greeting': 'Hello, Ada!'}"
        )
