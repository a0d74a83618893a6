"""Hidden grading tests for lesson 02, Triggers (never in the student bundle).

More requests for the router (02.1), more tricky keys (02.2), more start dates, leap years
and year ends for each schedule, scored one schedule at a time (02.4), and direct batches
for the SQS worker (02.5). 02.3 (a DynamoDB stream, slow to drive) is its public check.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lambdalab.course.checks import NotYet, call_answer, invoke_function
from lambdalab.grading import hidden_test


def _router_answers(answer, cases):
    import lambdalab
    from lambdalab.course.checks.lesson02 import _fetch

    base = lambdalab.sandbox().url(answer)
    for method, path, body, status, wanted in cases:
        got_status, got_body, text = _fetch(base + path, method, body)
        request = f"{method} {path}" + (f" with a JSON body {body!r}" if body is not None else "")
        if got_status != status:
            raise NotYet(f"{request} gave HTTP {got_status}; expected {status}")
        if wanted is None:
            if not isinstance(got_body, dict) or "error" not in got_body:
                raise NotYet(f"{request} answered {text[:120]!r}; expected a JSON 'error'")
        elif got_body != wanted:
            raise NotYet(f"{request} answered {text[:120]!r}; expected {wanted!r}")


@hidden_test("02.1", points=5)
def route_requests(answer, rubric):
    """5 points: the public check (2), more names (1), more 405s (1), more 404s (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("names with spaces or accents, and other parameters", points=1):
        _router_answers(
            answer,
            [
                (
                    "GET",
                    "/greet?name=Grace%20Hopper",
                    None,
                    200,
                    {"greeting": "Hello, Grace Hopper!"},
                ),
                ("GET", "/greet?lang=fr&name=Lin", None, 200, {"greeting": "Hello, Lin!"}),
                ("POST", "/greet", {"name": "Zoë"}, 200, {"greeting": "Hello, Zoë!"}),
                ("POST", "/greet", {"name": "Lin", "lang": "fr"}, 200, {"greeting": "Hello, Lin!"}),
            ],
        )
    with rubric.part("other methods on the known paths", points=1):
        _router_answers(
            answer,
            [
                ("PUT", "/greet", {"name": "Ada"}, 405, None),
                ("PATCH", "/health", {}, 405, None),
                ("DELETE", "/health", None, 405, None),
            ],
        )
    with rubric.part("other unknown paths", points=1):
        _router_answers(
            answer,
            [
                ("GET", "/greet/Ada", None, 404, None),
                ("GET", "/healthz", None, 404, None),
                ("GET", "/api/v1/items?name=Ada", None, 404, None),
            ],
        )


def _decodes(answer, originals):
    from lambdalab.sandbox.events import encode_s3_key

    for original in originals:
        encoded = encode_s3_key(original)
        got = call_answer(answer, encoded, name="decode_key")
        if got != original:
            raise NotYet(f"decode_key({encoded!r}) returned {got!r}; the key is not that")


@hidden_test("02.2", points=5)
def decode_key(answer, rubric):
    """5 points: the public check (2), then one point per kind of key it does not try."""
    rubric.public_check(answer, points=2)
    with rubric.part("keys with plus signs, percent signs and spaces together", points=1):
        _decodes(answer, ["c++ notes/a + b.md", "50%+off sale.txt", "a%2Bb.txt", "%20.txt", "++"])
    with rubric.part("keys in other scripts, with emoji", points=1):
        _decodes(answer, ["日本語 ファイル.txt", "Ünïcödé/ß ç ø.csv", "rocket 🚀 launch.png"])
    with rubric.part("keys with URL punctuation and keys that need no decoding", points=1):
        _decodes(
            answer,
            ["a=b&c=d;e.txt", "x/y/z/~user's file!.txt", "plain-name_1.2.txt", "  two spaces  "],
        )


#: More starting points: leap years (2032, 2036), a non-leap century year (2100), months
#: of every length, year ends, starts right on a fire time, and the days around the
#: clock changes in Europe and the US (a UTC schedule must ignore them).
MORE_STARTS = [
    datetime(2032, 2, 27, 18, 0, tzinfo=UTC),
    datetime(2036, 2, 28, 23, 59, tzinfo=UTC),
    datetime(2100, 2, 26, 0, 0, tzinfo=UTC),
    datetime(2027, 3, 26, 9, 30, tzinfo=UTC),
    datetime(2027, 10, 29, 18, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 3, 0, tzinfo=UTC),
    datetime(2033, 12, 31, 18, 0, tzinfo=UTC),
    datetime(2030, 4, 30, 17, 59, tzinfo=UTC),
    datetime(2029, 9, 1, 2, 59, tzinfo=UTC),
]


@hidden_test("02.4", points=5)
def cron_expressions(answer, rubric):
    """5 points: the public check (2), then each schedule on more dates (1 each)."""
    from lambdalab.course.checks.lesson02 import SCHEDULES, fire_times
    from lambdalab.sandbox.schedules import parse_schedule

    rubric.public_check(answer, points=2)
    for name, (meaning, time_of_day, days) in SCHEDULES.items():
        with rubric.part(f"{name} on more dates", points=1):
            expression = answer.get(name) if isinstance(answer, dict) else None
            if not isinstance(expression, str) or not expression.strip():
                raise NotYet(f"no expression for {name!r} ({meaning})")
            schedule = parse_schedule(expression, service="events")
            for start in MORE_STARTS:
                if schedule.next_times(start, 30) != fire_times(time_of_day, days, start, 30):
                    raise NotYet(
                        f"{name} ({meaning}): after {start:%Y-%m-%d %H:%M} UTC, {expression!r} "
                        "does not fire at the right times"
                    )


@hidden_test("02.3", points=4)
def count_stream_records(answer, rubric):
    """4 points: the public check alone (a stream takes a while to drive)."""
    rubric.public_check(answer, points=4)


def _failures(answer, bodies):
    """The itemIdentifiers the worker reports for a batch of bodies, as a set."""
    from lambdalab.sandbox.events import sqs_event

    arn = "arn:aws:sqs:us-east-1:123456789012:hidden-orders"
    event = sqs_event(arn, bodies)
    invoked = invoke_function(answer, event)
    if invoked.function_error:
        error = invoked.payload if isinstance(invoked.payload, dict) else {}
        raise NotYet(
            f"for a batch of {len(bodies)} messages the worker failed with "
            f"{error.get('errorType')}: {error.get('errorMessage')}"
        )
    payload = invoked.payload or {}
    reported = payload.get("batchItemFailures", []) if isinstance(payload, dict) else None
    if not isinstance(reported, list):
        raise NotYet(f"the worker returned {invoked.payload!r}; expected batchItemFailures")
    ids = [r["messageId"] for r in event["Records"]]
    return ids, {f.get("itemIdentifier") for f in reported if isinstance(f, dict)}


@hidden_test("02.5", points=5)
def batch_item_failures(answer, rubric):
    """5 points: the public check (3), a clean batch (1), a batch of bad messages only (1)."""
    import json

    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("a batch with no bad message reports no failure", points=1):
        bodies = [json.dumps({"id": f"h-{n}", "quantity": n + 1}) for n in range(4)]
        _, failed = _failures(answer, bodies)
        if failed:
            raise NotYet(f"for a batch of {len(bodies)} good orders the worker reported failures")
    with rubric.part("a batch of bad messages only reports each of them", points=1):
        bodies = [json.dumps({"id": "h-0", "quantity": -2}), "{broken", json.dumps({"id": "h-1"})]
        ids, failed = _failures(answer, bodies)
        if failed != set(ids):
            raise NotYet(
                f"for a batch of {len(bodies)} bad messages (a negative quantity, a body that "
                f"is not JSON, no quantity) the worker reported {len(failed)} of them"
            )
