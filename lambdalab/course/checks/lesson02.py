"""Checks for lesson 02, Triggers: each check fires the trigger for real.

A handler written for a trigger is only right when that trigger can run it, so these
checks go through the sandbox as AWS would: real HTTP requests through the HTTP API
(02.1), S3's own key encoding (02.2), writes to a DynamoDB table whose stream feeds the
function (02.3), EventBridge's schedule rules (02.4), and messages on an SQS queue
polled by an event source mapping (02.5).

https://docs.aws.amazon.com/lambda/latest/dg/lambda-invocation.html
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    Deployed,
    NotYet,
    api_function,
    call_answer,
    client,
    describe,
    expect_each,
    expect_function,
    expect_kind,
    function_error,
    http,
    invoke_function,
    log_length,
    raise_if_failed,
    refused_invocations,
    running_sandbox,
    short,
    start_clean,
)


def _fetch(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any, str]:
    """(status, decoded JSON body or None, raw body) of a real HTTP request."""
    got = http(method, url, body)
    return got.status, got.json, got.text


def _last_error(sb: Any, function_name: str | None, since: int) -> str | None:
    """The last "[ERROR] ..." line the function logged since line ``since`` (this check's).

    An error logged by an earlier attempt is not quoted: that code may be fixed already.
    """
    if function_name is None:
        return None
    try:
        lines = sb.logs(function_name).lines[since:]
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    errors = [line for line in lines if line.startswith("[ERROR]")]
    return errors[-1].splitlines()[0].removeprefix("[ERROR] ") if errors else None


def _noted(error: str) -> str:
    """ " (the rule behind it)" for a logged error line, from lambdalab.course.python_notes."""
    from lambdalab.course.python_notes import log_note

    note = log_note(error)
    return f" ({note})" if note else ""


def _is(wanted: Any) -> Callable[[Any], bool]:
    return lambda body: body == wanted


def _has_error(body: Any) -> bool:
    return isinstance(body, dict) and "error" in body


ERROR_BODY = 'a JSON body with an "error" key'
# method, path, JSON body, status wanted, test of the decoded body, what it should be
ROUTER_CASES: list[tuple[str, str, Any, int, Callable[[Any], bool], str]] = [
    ("GET", "/health", None, 200, _is({"status": "ok"}), '{"status": "ok"}'),
    ("GET", "/greet?name=Ada", None, 200, _is({"greeting": "Hello, Ada!"}),
     '{"greeting": "Hello, Ada!"}'),
    ("GET", "/greet?name=Zo%C3%AB", None, 200, _is({"greeting": "Hello, Zoë!"}),
     '{"greeting": "Hello, Zoë!"} (API Gateway decodes the query string for you)'),
    ("GET", "/greet", None, 200, _is({"greeting": "Hello, world!"}),
     '{"greeting": "Hello, world!"}: without a query string, payload 2.0 has no '
     "queryStringParameters key at all"),
    ("POST", "/greet", {"name": "Grace"}, 200, _is({"greeting": "Hello, Grace!"}),
     '{"greeting": "Hello, Grace!"}: the name comes from the JSON body, a string in '
     'event["body"]'),
    ("DELETE", "/greet", None, 405, _has_error, ERROR_BODY),
    ("POST", "/health", {}, 405, _has_error, ERROR_BODY),
    ("GET", "/nowhere", None, 404, _has_error, ERROR_BODY),
    ("DELETE", "/nowhere", None, 404, _has_error, ERROR_BODY),
    ("GET", "/greetings", None, 404, _has_error, ERROR_BODY),
]  # fmt: skip

#: Why a status is wanted, where a router that is nearly right answers another one.
ROUTER_WHY = {
    ("DELETE", "/nowhere"): "a path that does not exist is 404 whatever the method; 405 is for "
    "another method on /health or /greet",
    ("GET", "/greetings"): "only the path /greet itself is served, not every path that starts "
    "with it (compare the whole path)",
}


@exercise("02.1")
def route_requests(answer: Any) -> None:
    expect_kind(answer, str, "the HTTP API's id, router_api_id")
    sb = running_sandbox()
    start_clean(sb)
    try:
        base = sb.url(answer)
    except LookupError as error:
        raise NotYet(f"the sandbox serves no API with the id {answer!r}: {error}") from None
    function_name = api_function(answer)
    since = log_length(sb, function_name)
    refused = len(refused_invocations(function_name))
    for method, path, body, status, good, wanted in ROUTER_CASES:
        got_status, got_body, text = _fetch(base + path, method, body)
        request = f"{method} {path}" + (f" with the body {json.dumps(body)}" if body else "")
        if got_status == 500 and got_body == {"message": "Internal Server Error"}:
            new = refused_invocations(function_name)[refused:] if function_name else []
            if new:  # the function never ran: why, as the sandbox reported it
                raise NotYet(
                    f"{request} gave HTTP 500 Internal Server Error and the function never "
                    f"ran: {new[-1]}. (Run the deploy cell's allow(...) line: API Gateway "
                    "needs the function's permission to invoke it)"
                )
            error = _last_error(sb, function_name, since)
            raise NotYet(
                f"{request} gave HTTP 500 Internal Server Error: "
                + (
                    f"the function failed with {error}" + _noted(error)
                    if error
                    else "the function logged no error, so what it returned is not a "
                    "response API Gateway can send: a dict with statusCode and a body that "
                    "is a string (json.dumps(...))"
                )
            )
        if text.strip() == "null":
            raise NotYet(
                f"{request} answered null: the handler returned None; return response(...)"
            )
        if got_status != status:
            why = ROUTER_WHY.get((method, path))
            raise NotYet(
                f"{request} gave HTTP {got_status}; expected {status}" + (f": {why}" if why else "")
            )
        if not good(got_body):
            raise NotYet(f"{request} answered {text[:120]!r}; expected {wanted}")


#: Keys as they were uploaded; the check encodes them the way S3 writes them in events.
TRICKY_KEYS = [
    "red flower.jpg",
    "a+b.txt",
    "photos/2026/summer trip/IMG 0042.JPG",
    "café menu.pdf",
    "100% done.txt",
    "reports/Q1 & Q2 (final).csv",
    "λ/ελληνικά αρχεία.txt",
    "plain.png",
    "what?=yes #1.txt",
    " draft  v2 .txt ",  # spaces at both ends and doubled: a key keeps them all
]


@exercise("02.2")
def decode_key(answer: Any) -> None:
    """decode_key(k) gives back the uploaded key, for every key as S3 encodes it in events."""
    from lambdalab.sandbox.events import encode_s3_key

    expect_function(answer, "decode_key", ("key",))
    _uses_its_key(answer, [encode_s3_key(k) for k in TRICKY_KEYS[:3]])
    expect_each(
        "",
        (
            (
                f"decode_key({encode_s3_key(original)!r})",
                lambda original=original: call_answer(
                    answer, encode_s3_key(original), name="decode_key"
                ),
                original,
            )
            for original in TRICKY_KEYS
        ),
    )


def _uses_its_key(answer: Any, keys: list[str]) -> None:
    """Different keys must not all give one same answer: that answer ignores its key."""
    try:
        got = [call_answer(answer, key, name="decode_key") for key in keys]
    except NotYet:
        return  # its error is said by the check's own cases
    if got[0] is not None and all(g == got[0] for g in got):
        raise NotYet(
            f"decode_key returned {short(got[0])} for each of the keys "
            f"{', '.join(map(repr, keys))}: it does not use its argument key (a name "
            "from the notebook, such as the sample event, is the same whatever the key). "
            "Decode the key it is given"
        )


STREAM_TABLE = "inventory"
TALLY_TABLE = "inventory-tally"
TALLY_KEY = {"id": {"S": "tally"}}


def _tally(ddb: Any) -> dict[str, int]:
    item = ddb.get_item(TableName=TALLY_TABLE, Key=TALLY_KEY, ConsistentRead=True).get("Item", {})
    return {
        name: int(item[name]["N"]) if name in item else 0
        for name in ("INSERT", "MODIFY", "REMOVE", "restocks")
    }


@exercise("02.3", deployed="stream-counter")
def count_stream_records(fn: Deployed) -> None:
    sb = fn.sb
    ddb, lam = client("dynamodb"), client("lambda")
    try:
        table = ddb.describe_table(TableName=STREAM_TABLE)["Table"]
        ddb.describe_table(TableName=TALLY_TABLE)
    except ddb.exceptions.ResourceNotFoundException:
        raise NotYet(
            f"the tables {STREAM_TABLE!r} and {TALLY_TABLE!r} are missing: run the cell that "
            "creates them and the mapping"
        ) from None
    mappings = lam.list_event_source_mappings(
        EventSourceArn=table.get("LatestStreamArn", "-"), FunctionName=fn.name
    )["EventSourceMappings"]
    if not mappings:
        raise NotYet(
            f"no event source mapping connects the {STREAM_TABLE!r} stream to {fn.name!r}: "
            "run the cell that creates it"
        )
    start_clean(sb)  # what an earlier answer left failing cannot fail this attempt
    fn.settle()
    ddb.delete_item(TableName=TALLY_TABLE, Key=TALLY_KEY)  # count from zero

    run = uuid.uuid4().hex[:6]
    # Fixed stock values that a comparison of the strings in DynamoDB JSON gets wrong:
    # as text, "19" < "9" and "12" < "8" (two restocks missed) and "9" > "10" (a sale
    # counted as a restock), so no text comparison reaches the right count by luck.
    items = {f"check-{run}-{n}": stock for n, stock in enumerate([9, 8, 10, 4, 7])}
    changes = [(9, 19), (8, 12), (10, 9)]  # two restocks, then a sale: less stock
    expected = {"INSERT": 0, "MODIFY": 0, "REMOVE": 0, "restocks": 0}

    def put(key: str, stock: int) -> None:
        ddb.put_item(
            TableName=STREAM_TABLE,
            Item={"id": {"S": key}, "stock": {"N": str(stock)}, "note": {"S": "check"}},
        )

    for key, stock in items.items():
        put(key, stock)
        expected["INSERT"] += 1
    keys = list(items)
    for key, (old, new) in zip(keys, changes, strict=False):
        put(key, new)
        expected["MODIFY"] += 1
        expected["restocks"] += new > old
    unchanged = [(items[keys[3]], items[keys[3]]), (19, 19)]
    ddb.update_item(  # stock unchanged: neither a sale nor a restock
        TableName=STREAM_TABLE,
        Key={"id": {"S": keys[3]}},
        UpdateExpression="SET note = :n",
        ExpressionAttributeValues={":n": {"S": "updated"}},
    )
    ddb.put_item(  # the same stock, another note: a MODIFY record, not a restock
        TableName=STREAM_TABLE,
        Item={"id": {"S": keys[0]}, "stock": {"N": "19"}, "note": {"S": "recounted"}},
    )
    expected["MODIFY"] += 2
    for key in keys[-2:]:
        ddb.delete_item(TableName=STREAM_TABLE, Key={"id": {"S": key}})
        expected["REMOVE"] += 1
    fn.settle()  # a batch that keeps failing: the handler's error, at once

    got = _tally(ddb)
    if got != expected:
        raise_if_failed(sb, fn.name, f"the tally says {got}, not {expected}")
    if got == {name: 0 for name in got}:
        raise NotYet(
            f"the check wrote {sum(expected.values()) - expected['restocks']} changes to "
            f"{STREAM_TABLE!r} but the tally stayed at zero: count the records of each "
            "batch in `counts` (look at sb.logs('stream-counter') for errors)"
        )
    for name in ("INSERT", "MODIFY", "REMOVE"):
        if got[name] != expected[name]:
            _one_batch(fn.name, ddb, name, table["TableArn"])
            raise NotYet(
                f"after {expected['INSERT']} inserts, {expected['MODIFY']} modifications "
                f"and {expected['REMOVE']} removals, the tally says "
                f"{name} = {got[name]}; expected {expected[name]} (whole tally: {got})"
            )
    if got["restocks"] != expected["restocks"]:
        stocks = ", ".join(f"{old} -> {new}" for old, new in changes)
        modified = [*changes, *unchanged]
        readings = _restock_readings(modified, expected["INSERT"])
        said = [why for count, why in readings if count == got["restocks"]]
        raise NotYet(
            f"the check changed stock {stocks} and left {len(unchanged)} item(s)' stock "
            f"unchanged; the tally says restocks = {got['restocks']}, expected "
            f"{expected['restocks']}"
            + (
                f": that is what {' or '.join(said)} gives"
                if said
                else ": a restock is a MODIFY record whose NewImage stock is above its OldImage's"
            )
        )


def _one_batch(function_name: str, ddb: Any, name: str, table_arn: str) -> None:
    """A tally that is off, probed with one batch of 3 records of one kind, as the stream
    delivers them: a batch that adds 1, not 3, is counted with = 1, not += 1."""
    from lambdalab.sandbox.events import dynamodb_event

    run = uuid.uuid4().hex[:6]
    other = "REMOVE" if name != "REMOVE" else "INSERT"
    records = []
    for n, kind in enumerate([name] * 3 + [other] * 2):
        key = {"id": f"check-{run}-probe-{n}"}
        image = {**key, "stock": 5, "note": "check"}
        records.append(
            {
                "eventName": kind,
                "keys": key,
                "new_image": None if kind == "REMOVE" else image,
                "old_image": None if kind == "INSERT" else image,
            }
        )
    before = _tally(ddb)
    invoked = invoke_function(function_name, dynamodb_event(table_arn, records))
    if invoked.function_error:
        return  # the check's own words say what failed
    after = _tally(ddb)
    added = {kind: after[kind] - before[kind] for kind in (name, other)}
    # Confirmed: each kind of the batch got exactly 1 (the first record alone gives 0 to
    # the other kind: a different mistake, said by the check's own words).
    if added == {name: 1, other: 1}:
        raise NotYet(
            f"one batch of 3 {name} and 2 {other} records added 1 to the tally's {name} and 1 "
            f"to its {other}, not 3 and 2: each batch counts at most 1 record of a kind. "
            "counts[record['eventName']] = 1 sets the count; add 1 to it for each record (+= 1)"
        )


def _restock_readings(modified: list[tuple[int, int]], inserts: int) -> list[tuple[int, str]]:
    """How many restocks other readings of the exercise count, on the check's own changes.

    A message names a reading only when the learner's tally equals its count: the cause
    said is the one the output shows, not a foreseen one.
    """

    def count(test: Callable[[int, int], bool]) -> int:
        return sum(bool(test(old, new)) for old, new in modified)

    restocks = count(lambda old, new: new > old)
    return [
        (
            count(lambda old, new: str(new) > str(old)),
            "comparing the stocks as text ('19' < '9' as text; compare them as numbers: "
            "DynamoDB JSON keeps them as strings)",
        ),
        (count(lambda old, new: new >= old), "counting a stock unchanged as a restock (>=)"),
        (count(lambda old, new: new < old), "counting the sales (stock going down)"),
        (count(lambda old, new: new != old), "counting every stock change, sales too"),
        (len(modified), "counting every MODIFY record"),
        (restocks + inserts, "counting each INSERT as a restock (a new item has no OldImage)"),
    ]


#: What each schedule means, as fire-time facts: (hour, minute) UTC and which days. The
#: learner's expression is judged by the times it fires, not compared with a stored one.
SCHEDULES: dict[str, tuple[str, tuple[int, int], str]] = {
    "standup": ("9:30 AM UTC, Monday to Friday", (9, 30), "weekdays"),
    "weekend_backup": ("3:00 AM UTC on Saturdays and Sundays", (3, 0), "weekend"),
    "month_end": ("6:00 PM UTC on the last day of every month", (18, 0), "last day of month"),
}
_DAYS: dict[str, Callable[[date], bool]] = {
    "weekdays": lambda day: day.weekday() < 5,
    "weekend": lambda day: day.weekday() >= 5,
    "last day of month": lambda day: (day + timedelta(days=1)).month != day.month,
}


def fire_times(time_of_day: tuple[int, int], days: str, start: datetime, count: int) -> list:
    """The first ``count`` times after ``start`` at ``time_of_day`` (UTC) on ``days``.

    Example
    -------
    >>> fire_times((9, 30), "weekdays", datetime(2030, 1, 4, tzinfo=UTC), 2)[1]
    datetime.datetime(2030, 1, 7, 9, 30, tzinfo=datetime.timezone.utc)
    """
    hour, minute = time_of_day
    times, day = [], start.date()
    while len(times) < count:
        moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
        if moment > start and _DAYS[days](day):
            times.append(moment)
        day += timedelta(days=1)
    return times


#: Starting points for comparing fire times: ordinary days, a leap year, a year's end.
STARTS = [
    datetime(2030, 1, 1, tzinfo=UTC),
    datetime(2028, 2, 27, 12, 0, tzinfo=UTC),
    datetime(2031, 12, 30, 23, 59, tzinfo=UTC),
    datetime(2029, 6, 14, 9, 30, tzinfo=UTC),
]


@exercise("02.4")
def cron_expressions(answer: Any) -> None:
    from lambdalab.sandbox.schedules import ScheduleExpressionError, parse_schedule

    expect_kind(answer, dict, "a dict {name: expression}")
    for name, (meaning, time_of_day, days) in SCHEDULES.items():
        expression = answer.get(name)
        if name not in answer:
            raise NotYet(
                f"your dict has no key {name!r} ({meaning}); its keys are "
                f"{', '.join(map(repr, answer)) or 'none'}"
            )
        if not isinstance(expression, str) or not expression.strip():
            raise NotYet(
                f"{name!r} is {describe(expression)}: write an expression for it ({meaning})"
            )
        try:
            schedule = parse_schedule(expression, service="events")
        except ScheduleExpressionError as error:
            raise NotYet(
                f"{name}: EventBridge would reject {expression!r} ({error}) because {error.reason}"
            ) from None
        for start in STARTS:
            got_times = schedule.next_times(start, 12)
            want_times = fire_times(time_of_day, days, start, 12)
            if got_times != want_times:
                first = next(
                    (g, w)
                    for g, w in zip(got_times + [None] * 12, want_times, strict=False)
                    if g != w
                )
                shown = "never" if first[0] is None else first[0].strftime("%A %Y-%m-%d %H:%M")
                raise NotYet(
                    f"{name} ({meaning}): after {start:%Y-%m-%d %H:%M} UTC, {expression!r} "
                    f"fires on {shown} UTC; expected {first[1]:%A %Y-%m-%d %H:%M} UTC"
                )


def _queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return url, found["Attributes"]["QueueArn"]


def _drain(sqs: Any, url: str) -> list[str]:
    bodies: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _check_batch_response(answer: str) -> None:
    """Invoke the worker with one good and one bad message; its response must name the bad.

    Lambda reads the response of a function with ReportBatchItemFailures: a malformed one
    (not a dict, entries that are not {"itemIdentifier": id}) fails the whole batch.
    https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    """
    from lambdalab.sandbox.events import sqs_event

    event = sqs_event("check-orders", [json.dumps({"id": "probe-good", "quantity": 1}), "not JSON"])
    good_id, bad_id = (record["messageId"] for record in event["Records"])
    invoked = invoke_function(answer, event)
    if invoked.function_error:
        _good_alone(answer)
        raise NotYet(
            "given a batch of one good and one bad message, "
            + function_error(invoked)
            + ": an exception that escapes the handler fails the whole batch, good "
            "messages too; catch it for each record and report that record"
        )
    got = invoked.payload
    shape = "{'batchItemFailures': [{'itemIdentifier': record['messageId']}, ...]}"
    if not isinstance(got, dict) or "batchItemFailures" not in got:
        raise NotYet(
            f"given a batch of one good and one bad message, the function returned "
            f"{describe(got)}; return {shape}: without it, Lambda deletes every message "
            "of a successful batch, the bad one too"
        )
    entries = got["batchItemFailures"]
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and "itemIdentifier" in entry for entry in entries
    ):
        raise NotYet(
            f"the function returned {{'batchItemFailures': {short(entries)}}}: each entry "
            f"must be a dict {{'itemIdentifier': message_id}}, as in {shape}. Lambda treats "
            "a malformed response as a failure of the whole batch: every message comes back"
        )
    reported = [entry["itemIdentifier"] for entry in entries]
    handles = {record["receiptHandle"] for record in event["Records"]}
    if handles & set(map(str, reported)):
        raise NotYet(
            "given a batch of one good and one bad message, you reported the receipt handle; "
            "batchItemFailures wants each failed record's messageId: "
            "{'itemIdentifier': record['messageId']}"
        )
    if good_id in reported:
        said = [line.strip() for line in invoked.log.splitlines() if good_id in line]
        raise NotYet(
            f"given a batch of one good and one bad message, the function reported the "
            f"good one ({good_id}) as failed too"
            + (
                f": its log says {said[0][:300]!r}. A good message fails too, so the bug is "
                "in how each record is processed: fix that error first"
                if said
                else ": report only the records that failed"
            )
        )
    if bad_id not in reported:
        raise NotYet(
            "given a batch of one good and one bad message (a body that is not JSON), the "
            f"function reported {reported or 'no failure'}; it must report the bad "
            f"message's id, {bad_id}"
        )


def _good_alone(answer: str) -> None:
    """A batch failed: when a batch of one good message fails too, the error is in the
    processing of every record, and that error is the cause to name (catching it for each
    record would report the good messages as failed)."""
    from lambdalab.sandbox.events import sqs_event

    body = json.dumps({"id": "probe-good", "quantity": 1})
    invoked = invoke_function(answer, sqs_event("check-orders", [body]))
    if invoked.function_error:
        raise NotYet(
            f"given a batch of one good message alone ({body}), "
            + function_error(invoked)
            + ": good messages fail too, so the bug is in how each record is processed, "
            "before any catching: an SQS record's body is the message as a JSON string"
        )


def _processed_once(sb: Any, answer: str, since: int, ids: list[str]) -> None:
    """A NotYet when a good order was processed more than once during the check.

    The lesson's process(order) logs "processed order <id>"; SQS may deliver a message
    twice, but a batch that succeeds is deleted, so here each good order runs once.
    """
    lines = sb.logs(answer).lines[since:]
    times = {
        order: sum(line.strip() == f"processed order {order}" for line in lines) for order in ids
    }
    if not any(times.values()):
        return  # process() no longer logs: nothing to count
    never = [order for order, count in times.items() if not count]
    if never:
        raise NotYet(
            f"the good order(s) {', '.join(never)} were never processed (the function's log "
            f"has no 'processed order {never[0]}'), and they are gone from the queue: Lambda "
            "deletes every message of a batch that the response does not report as failed"
        )
    again = {order: count for order, count in times.items() if count > 1}
    if again:
        order, count = next(iter(again.items()))
        raise NotYet(
            f"the good order {order} was processed {count} times (the function's log says "
            f"'processed order {order}' {count} times): process each record once, and "
            "report only the failed ones"
        )


@exercise("02.5", deployed="order-worker")
def batch_item_failures(fn: Deployed) -> None:
    sb, since = fn.sb, fn.since
    start_clean(sb)
    _check_batch_response(fn.name)
    sqs, lam = client("sqs"), client("lambda")
    run = uuid.uuid4().hex[:8]
    dlq_url, dlq_arn = _queue(sqs, f"check-orders-dlq-{run}")
    url, arn = _queue(
        sqs,
        f"check-orders-{run}",
        VisibilityTimeout="30",
        RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}),
    )
    good = [json.dumps({"id": f"{run}-{n}", "quantity": n + 1}) for n in range(6)]
    poison = [json.dumps({"id": f"{run}-bad", "quantity": 0}), f"not JSON {run}"]
    bodies = good[:3] + [poison[0]] + good[3:] + [poison[1]]
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(n), "MessageBody": body} for n, body in enumerate(bodies)],
    )
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName=fn.name,
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    try:
        fn.settle()
        dead = sorted(_drain(sqs, dlq_url))
        left = _drain(sqs, url)
    finally:
        lam.delete_event_source_mapping(UUID=mapping["UUID"])  # its poller stops by itself
        for queue_url in (url, dlq_url):
            sqs.delete_queue(QueueUrl=queue_url)
    good_dead = [body for body in dead if body in good]
    if good_dead:
        raise NotYet(
            fn.explain(
                f"{len(good_dead)} good message(s) ended in the dead-letter queue, e.g. "
                f"{good_dead[0]}: their batch failed as a whole"
            )
        )
    if left:
        raise NotYet(f"{len(left)} message(s) were still in the queue after the retries")
    _processed_once(sb, fn.name, since, [json.loads(body)["id"] for body in good])
    if sorted(poison) != dead:
        missing = [body for body in poison if body not in dead]
        raise NotYet(
            f"the bad message(s) {missing} did not reach the dead-letter queue: the worker "
            "must report each failed record in batchItemFailures, or Lambda deletes it "
            "as processed"
        )
