"""Hidden grading tests for lesson 01, Handlers (never in the student bundle).

Each exercise deploys a function; the public checks invoke it with a few events. These
tests invoke the same deployed function (``invoke_function``) with events the checks do not
try, so a handler written for the check's events only loses points.
"""

from __future__ import annotations

import json

from lambdalab.course.checks import NotYet, invoke_function
from lambdalab.grading import hidden_test


def _ok(name, event):
    invoked = invoke_function(name, event)
    if invoked.function_error:
        error = invoked.payload if isinstance(invoked.payload, dict) else {}
        raise NotYet(
            f"for the event {event!r} the function failed with {error.get('errorType')}: "
            f"{error.get('errorMessage')}"
        )
    return invoked.payload


def _returns(name, event, wanted):
    got = _ok(name, event)
    if got != wanted:
        raise NotYet(f"for the event {event!r} the function returned {got!r}; expected {wanted!r}")


@hidden_test("01.1", points=4)
def greeting_with_default(answer, rubric):
    """4 points: the public check (2), other names (1), events with other keys (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("names the check does not try", points=1):
        for name in ["O'Brien", "Nkechi Adébáyọ̀", "Grace Hopper"]:
            _returns(answer, {"name": name}, {"greeting": f"Hello, {name}!"})
    with rubric.part("events with other keys, with and without a name", points=1):
        _returns(answer, {"name": "Lin", "id": 7}, {"greeting": "Hello, Lin!"})
        _returns(answer, {"id": 7, "tags": ["a"]}, {"greeting": "Hello, world!"})


def _response(name, event):
    got = _ok(name, event)
    if not isinstance(got, dict) or not isinstance(got.get("body"), str):
        raise NotYet(f"for the event {event!r} the function returned {got!r}")
    try:
        body = json.loads(got["body"])
    except ValueError:
        raise NotYet(f"for the event {event!r} the body {got['body']!r} is not JSON") from None
    return got, body


@hidden_test("01.2", points=5)
def api_style_response(answer, rubric):
    """5 points: the public check (2), other names (1), 400 for other events (1), headers (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("other names, and events with other keys", points=1):
        for event, name in [({"name": "Zoë"}, "Zoë"), ({"name": "Lin", "id": 3}, "Lin")]:
            got, body = _response(answer, event)
            if got.get("statusCode") != 200 or body != {"greeting": f"Hello, {name}!"}:
                raise NotYet(f"for the event {event!r} the function returned {got!r}")
    with rubric.part("a 400 for other events without a name", points=1):
        for event in [{"id": 3}, {"nom": "Ada"}]:
            got, body = _response(answer, event)
            if got.get("statusCode") != 400 or not isinstance(body, dict) or "error" not in body:
                raise NotYet(
                    f"for the event {event!r} (no name) the function returned {got!r}; "
                    "expected status 400 and a JSON body with an 'error'"
                )
    with rubric.part("the JSON content type on the 400 response too", points=1):
        got, _ = _response(answer, {})
        headers = {str(k).lower(): v for k, v in dict(got.get("headers") or {}).items()}
        if str(headers.get("content-type", "")).split(";")[0].strip() != "application/json":
            raise NotYet(
                "the 400 response's body is JSON too: it needs the header "
                "Content-Type: application/json"
            )


@hidden_test("01.3", points=4)
def environment_variable(answer, rubric):
    """4 points: the public check (2), the default word (1), another word (1)."""
    if not rubric.public_check(answer, points=2) or not isinstance(answer, str):
        return
    import boto3

    client = boto3.client("lambda")
    original = (
        client.get_function_configuration(FunctionName=answer)
        .get("Environment", {})
        .get("Variables", {})
    )

    def with_variables(variables, event, wanted):
        client.update_function_configuration(
            FunctionName=answer, Environment={"Variables": variables}
        )
        client.get_waiter("function_updated_v2").wait(FunctionName=answer)
        _returns(answer, event, wanted)

    try:
        with rubric.part("without GREETING, the default word 'Hello'", points=1):
            rest = {k: v for k, v in original.items() if k != "GREETING"}
            with_variables(rest, {"name": "Ada"}, {"greeting": "Hello, Ada!"})
        with rubric.part("another word, another name", points=1):
            with_variables(
                {**original, "GREETING": "Bonjour"}, {"name": "Zoë"}, {"greeting": "Bonjour, Zoë!"}
            )
    finally:
        client.update_function_configuration(
            FunctionName=answer, Environment={"Variables": original}
        )
        client.get_waiter("function_updated_v2").wait(FunctionName=answer)


@hidden_test("01.4", points=3)
def handler_string(answer, rubric):
    """3 points: the public check (2), other orders through the handler (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("other orders", points=1):
        ids = set()
        for item in ["pen", "tea cup"]:
            got = _ok("orders", {"item": item})
            if not isinstance(got, dict) or got.get("item") != item:
                raise NotYet(f"for the item {item!r} the orders function returned {got!r}")
            ids.add(got.get("order_id"))
        if len(ids) != 2:
            raise NotYet("two orders got the same order_id")


@hidden_test("01.5", points=4)
def stop_before_timeout(answer, rubric):
    """4 points: the public check (2), short batches done whole (1), another long batch (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("an empty batch and a batch that fits in the time", points=1):
        _returns(answer, {"items": []}, {"processed": [], "unprocessed": []})
        _returns(
            answer, {"items": [5, 6, 7, 8]}, {"processed": [10, 12, 14, 16], "unprocessed": []}
        )
    with rubric.part("another long batch, stopped in time", points=1):
        items = list(range(100, 125))
        got = _ok(answer, {"items": items})
        done = len(got.get("processed") or []) if isinstance(got, dict) else 0
        if (
            not done
            or got["processed"] != [2 * i for i in items[:done]]
            or got.get("unprocessed") != items[done:]
        ):
            raise NotYet(
                f"for a batch of {len(items)} items the function returned {got!r}: processed "
                "and unprocessed items should add up to the batch, in order"
            )
