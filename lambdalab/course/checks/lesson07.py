"""Checks for lesson 07, Use cases: each check drives a whole system from outside.

A capstone system is right when it works for its users, so these checks never read the
learner's code. They send HTTP requests to the API and the function URL, upload a CSV
file, let days pass on the sandbox clock, publish to the topic, then read what came out:
HTTP answers, DynamoDB items, S3 objects. When something is wrong they say which request
or which record, and quote the function's last error from its log.

Each check starts clean (``sb.recover()`` for the function it drives, so events left by
an earlier wrong answer cannot fail a fixed one), and cleans up what it created (items,
objects), so the lesson's own demonstrations are not disturbed. A function that failed is
named with its own error: type, message and the line of the handler (``sb.failures()``).

No check computes an answer. 07.4 writes fixed sales on days no other sales use (it sets
the days' other sales aside while it runs, then puts them back), so each report it reads
is fixed, and it holds salted digests of them (:mod:`lambdalab.course.digests`, made from
the instructors' answer key); a message naming the right report recovers it from the
check's own sales (its products, the sums of its amounts).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import product
from typing import Any

from lambdalab.course.digests import is_answer, recover, within
from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    Deployed,
    NotYet,
    Run,
    api_function,
    client,
    describe,
    dynamodb_table,
    failure_feedback,
    function_error,
    http,
    invoke_function,
    logged_error,
    parse_json,
    running_sandbox,
    scan,
    start_clean,
)
from lambdalab.sandbox.failures import handler_line

#: What a check says when the function it drives, or what it uses, is missing.
WIRING = "the cells that wire and deploy it"
WIRING_CELL = "the section's wiring cell"


def _api_function(api_id: str) -> str:
    """The name of the function behind the HTTP API's first Lambda integration."""
    name = api_function(api_id)
    if name is None:
        raise NotYet(f"the HTTP API {api_id} has no Lambda integration: run the wiring cell again")
    return name


@exercise("07.1")
def read_one_item(answer: Any) -> None:
    """GET /items/{id} answers 200 and the item for an id that exists, 404 and a JSON
    object for one that does not (also after DELETE)."""
    from lambdalab.sandbox.triggers import EndpointError

    sb = running_sandbox()
    if not isinstance(answer, str):
        raise NotYet(f"your answer is {describe(answer)}; pass api_id, the HTTP API's id")
    try:
        url = sb.url(answer)
    except EndpointError as error:
        raise NotYet(f"{error}") from None
    fn = Deployed(_api_function(answer), WIRING)
    got = http("POST", url + "/items", {"name": f"check item {secrets.token_hex(3)}"})
    created = got.json
    if got.status != 201 or not isinstance(created, dict) or "id" not in created:
        raise NotYet(
            fn.explain(
                f"POST /items answered {got}; expected 201 and the new item. "
                "Run the section's cells from the top"
            )
        )
    path = f"/items/{created['id']}"
    try:
        got = http("GET", url + path)
        if got.status >= 500:
            raise NotYet(
                fn.explain(
                    f"GET {path} (an item that exists) answered {got}: "
                    "the function failed. get_item must return a pair (status_code, body)"
                )
            )
        if got.status != 200:
            raise NotYet(f"GET {path}, an item that exists, answered {got}; expected 200")
        if got.json != created:
            raise NotYet(f"GET {path} answered {got}; expected the item itself: {created}")
        missing = f"/items/no-such-{secrets.token_hex(3)}"
        got = http("GET", url + missing)
        if got.status != 404:
            raise NotYet(
                fn.explain(
                    f"GET {missing}, an id that does not exist, answered {got}; expected 404 "
                    'and a JSON body such as {"error": "..."}'
                )
            )
        if not isinstance(got.json, dict):
            raise NotYet(
                f"the 404 answer's body is {got.text!r}; return a dict, such as {{'error': ...}}"
            )
        _status_is_int(fn.name, created["id"], missing)
    finally:
        http("DELETE", url + path)
    got = http("GET", url + path)
    if got.status != 404:
        raise NotYet(f"after DELETE {path}, GET {path} answered {got}; expected 404")


def _status_is_int(function: str, item_id: str, missing: str) -> None:
    """The statusCode of the function's own answer is an int, as Lambda's proxy response
    format documents it (https://docs.aws.amazon.com/apigateway/latest/developerguide/
    http-api-develop-integrations-lambda.html): the check invokes the function directly
    with the route's event, so a status such as '200' is seen before any gateway reads it."""
    for path_id in (item_id, missing.rsplit("/", 1)[-1]):
        event = {"routeKey": "GET /items/{id}", "pathParameters": {"id": path_id}}
        answer = invoke_function(function, event).payload
        if not isinstance(answer, dict):
            return
        status = answer.get("statusCode")
        if not isinstance(status, int) or isinstance(status, bool):
            raise NotYet(
                f"for GET /items/{path_id} get_item returned the status {status!r}, "
                f"{type(status).__name__}; a status code is an int, such as 200 or 404"
            )


def _import_target(bucket: str) -> Deployed:
    """The import function wired to the bucket."""
    s3 = client("s3")
    try:
        config = s3.get_bucket_notification_configuration(Bucket=bucket)
    except s3.exceptions.ClientError:
        raise NotYet(f"there is no bucket {bucket!r}: run the section's wiring cell") from None
    functions = config.get("LambdaFunctionConfigurations") or []
    if not functions:
        raise NotYet(f"bucket {bucket} notifies no function: run the section's wiring cell")
    return Deployed(functions[0]["LambdaFunctionArn"].split(":")[6], WIRING)


@exercise("07.2")
def validate_rows(answer: Any) -> None:
    """A CSV of good and bad rows: every good row reaches the table stripped, with a
    Decimal price; no bad row does; the error report lists exactly the bad lines."""

    running_sandbox()
    if not isinstance(answer, str):
        raise NotYet(f"your answer is {describe(answer)}; pass IMPORTS, the bucket's name")
    fn = _import_target(answer)
    table = dynamodb_table(fn.env("TABLE"), WIRING_CELL)
    s3 = client("s3")
    token = secrets.token_hex(3)

    def sku(n: str) -> str:
        return f"chk{token}-{n}"

    rows = [  # (sku, name, price, the item expected or None)
        (sku("1"), "Kettle", "24.90", {"name": "Kettle", "price": Decimal("24.90")}),
        (f"  {sku('2')} ", " Tea cup ", "3", {"name": "Tea cup", "price": Decimal("3")}),
        (sku("3"), "Free sample", "0", {"name": "Free sample", "price": Decimal("0")}),
        (sku("4"), "Teapot", "twelve", None),
        ("", "Mug", "5.00", None),
        (sku("6"), "  ", "1.00", None),
        (sku("7"), "Saucer", "-2", None),
        (sku("8"), "Plate", "NaN", None),
        (sku("9"), "Bowl", "", None),
        (sku("10"), "Spoon", "1e3", {"name": "Spoon", "price": Decimal("1e3")}),
    ]
    texts = [f"{s},{n},{p}" for s, n, p, _ in rows] + [f"{sku('11')},Fork"]
    bad_lines = {n + 2 for n, row in enumerate(rows) if row[3] is None} | {len(rows) + 2}
    key = f"incoming/check {token}.csv"
    report_key = f"errors/check {token}.csv.json"
    s3.put_object(Bucket=answer, Key=key, Body=_csv(texts))
    culprit = None
    try:
        fn.sb.wait()
        stored = _check_items(table, token)
        try:
            report = json.loads(s3.get_object(Bucket=answer, Key=report_key)["Body"].read())
        except s3.exceptions.NoSuchKey:
            report = None
        if fn.failures():
            culprit = _failing_line(answer, fn.name, texts, token)
            start_clean(fn.sb, fn.name)  # the probes' failures are the check's own
    finally:
        with table.batch_writer() as batch:
            for item in _check_items(table, token).values():
                batch.delete_item(Key={"sku": item["sku"]})
        for k in (key, report_key):
            s3.delete_object(Bucket=answer, Key=k)
    if culprit is not None:
        line, text, error, where = culprit
        good = line - 2 < len(rows) and rows[line - 2][3] is not None
        if not good and where.startswith("app.py"):
            advice = _returned_wrong(error)
        elif "Float types are not supported" in error:
            advice = (
                "the item's price is a float, and DynamoDB (through boto3's resource) takes "
                "numbers only as Decimal: keep the Decimal(...) you validated"
            )
        elif good:
            advice = "validate_row must return (item, None) for it, an item DynamoDB accepts"
        else:
            advice = (
                "validate_row must return (None, 'what is wrong') for it, never raise: "
                "one exception stops the whole file"
            )
        raise NotYet(
            f"the import of the check's file ({len(texts)} rows) failed at line {line}, the "
            f"{'good' if good else 'bad'} row {text!r} (S3 then retried the whole file "
            f"twice): {error}. {advice}"
        )
    good = [(s.strip(), want) for s, _, _, want in rows if want is not None]
    if not stored and report is None:
        raise NotYet(
            fn.explain(
                f"the check uploaded {key} (3 good rows, 7 bad); nothing reached the table and no "
                "error report was written: the import failed"
            )
        )
    by_stripped = {raw.strip(): item for raw, item in stored.items()}
    for (s, name, price, _), (wanted_sku, want) in zip(
        [r for r in rows if r[3] is not None], good, strict=True
    ):
        got = stored.get(wanted_sku)
        if got is None and wanted_sku in by_stripped:
            raw = by_stripped[wanted_sku]["sku"]
            raise NotYet(
                f"the good row {s},{name},{price} was stored under the sku {raw!r}, spaces "
                "and all: strip() the sku (and the name) before using them"
            )
        if got is None:
            message = f"the good row {s + ',' + name + ',' + price!r} is not in the table"
            if fn.last_error():
                raise NotYet(fn.explain(message + ": the import failed on the way"))
            raise NotYet(message + "; validate_row refused it")
        got_item = {"name": got.get("name"), "price": got.get("price")}
        if got_item != want:
            raise NotYet(
                f"row {s!r} was stored as {got}; expected name {want['name']!r} and price "
                f"{want['price']!r} (strip spaces; keep the price a Decimal)"
            )
    for s, name, price, want in rows:
        if want is None and s.strip() and s.strip() in by_stripped:
            raise NotYet(
                f"the bad row {s.strip()},{name},{price} reached the table; validate_row must "
                "refuse it" + (" (Decimal('NaN') is not finite)" if price == "NaN" else "")
            )
    if sku("11") in by_stripped:
        raise NotYet(f"the short line '{sku('11')},Fork' (no price: None) reached the table")
    if not isinstance(report, dict):
        raise NotYet(f"no error report {report_key} was written for the bad rows")
    reported = {r.get("line") for r in report.get("rejected", []) if isinstance(r, dict)}
    if reported != bad_lines:
        raise NotYet(
            f"the error report lists lines {sorted(reported)}; the bad lines are "
            f"{sorted(bad_lines)}"
        )
    for entry in report["rejected"]:
        if not isinstance(entry.get("error"), str) or not entry["error"].strip():
            raise NotYet(
                f"line {entry.get('line')} is reported without a reason; return (None, 'what "
                "is wrong')"
            )


def _returned_wrong(error: str) -> str:
    """validate_row returned for a bad row, and app.py failed on what it returned."""
    text = (
        "validate_row did not raise: it returned, and app.py failed on what it returned "
        "for this bad row. For a bad row it must return the pair (None, 'what is wrong'): "
        "None first, then a reason that is not empty"
    )
    if "string indices" in error or "'str' object" in error:
        text += (
            ". Here the item it returned is a str: the pair is the wrong way round (the reason "
            "first)"
        )
    elif "'NoneType'" in error:
        text += (
            ". Here the item is None and the reason reads as 'no problem' (an empty text, or "
            "None), so app.py took the row as good"
        )
    elif "unpack" in error:
        text += ". Here it did not return a pair of two values"
    return text


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(["sku,name,price", *rows]) + "\n").encode()


def _check_items(table: Any, token: str) -> dict[str, dict[str, Any]]:
    """The items the check's rows made, by their sku as stored (spaces and all)."""
    from boto3.dynamodb.conditions import Attr

    return {item["sku"]: item for item in scan(table, Attr("sku").contains(f"chk{token}"))}


def _failing_line(bucket: str, function: str, texts: list[str], token: str):
    """(line, row text, the function's error) of the first row that makes the import fail.

    Each row goes alone into a file outside the trigger's prefix, and the function is
    invoked synchronously with the event S3 would send: one attempt, its error at once.
    """
    from lambdalab.sandbox import events

    s3 = client("s3")
    for n, text in enumerate(texts):
        probe = f"check-probe/{token}-{n}.csv"
        s3.put_object(Bucket=bucket, Key=probe, Body=_csv([text]))
        try:
            invoked = invoke_function(function, events.s3_event(bucket, probe))
        finally:
            s3.delete_object(Bucket=bucket, Key=probe)
            s3.delete_object(Bucket=bucket, Key=f"errors/{token}-{n}.csv.json")
        if invoked.function_error:
            error = invoked.payload if isinstance(invoked.payload, dict) else {}
            where = handler_line(error.get("stackTrace")) or ""
            return n + 2, text, function_error(invoked), where
    return None


@exercise("07.3", deployed="webhook", deploy_cell=WIRING)
def verify_signature(fn: Deployed) -> None:
    """Genuine deliveries (ASCII and UTF-8 bodies) get 200; every forgery gets 401."""
    import hashlib
    import hmac

    from lambdalab.sandbox.triggers import EndpointError

    secret_id = fn.env("SECRET_ID")
    sm = client("secretsmanager")
    try:
        secret = sm.get_secret_value(SecretId=secret_id)["SecretString"].encode()
    except sm.exceptions.ResourceNotFoundException:
        raise NotYet(f"there is no secret {secret_id!r}: run the section's wiring cell") from None
    try:
        url = fn.sb.url(fn.name)
    except EndpointError as error:
        raise NotYet(str(error)) from None

    def sign(body: bytes, key: bytes = secret) -> str:
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    token = secrets.token_hex(4)
    body = json.dumps({"id": f"evt_{token}", "type": "invoice.paid", "amount": 4200}).encode()
    other = json.dumps(  # really non-ASCII on the wire: é as two UTF-8 bytes, not \u00e9
        {"id": f"evt_{token}b", "type": "refund", "note": "café"}, ensure_ascii=False
    ).encode()
    right = sign(body)
    genuine = [
        ("a delivery signed with the secret", body, right),
        ("another signed delivery (with non-ASCII text in the body)", other, sign(other)),
    ]
    # Signatures made in the ways a signature is often misread: one that is_valid accepts
    # names how it computes the signature; each is a forgery the sender never sends.
    misread = [
        (
            "the key and the message swapped, hmac.new(body, secret, hashlib.sha256)",
            "sha256=" + hmac.new(body, secret, hashlib.sha256).hexdigest(),
        ),
        (
            "a plain hash of the secret and the body, hashlib.sha256(secret + body)",
            "sha256=" + hashlib.sha256(secret + body).hexdigest(),
        ),
        (
            "a plain hash of the body and the secret, hashlib.sha256(body + secret)",
            "sha256=" + hashlib.sha256(body + secret).hexdigest(),
        ),
        (
            "a plain hash of the body, hashlib.sha256(body)",
            "sha256=" + hashlib.sha256(body).hexdigest(),
        ),
        (
            "an HMAC with SHA-1, hmac.new(secret, body, hashlib.sha1)",
            "sha256=" + hmac.new(secret, body, hashlib.sha1).hexdigest(),
        ),
    ]
    forged = [
        ("the signed body with one number changed", body.replace(b"4200", b"9999"), right),
        ("a signature made with another secret", body, sign(body, b"guess")),
        ("no X-Signature-256 header", body, None),
        ("an empty signature", body, ""),
        ("the digest without its 'sha256=' prefix", body, right.removeprefix("sha256=")),
        ("'sha256=' and nothing else", body, "sha256="),
        ("a signature cut short", body, right[:-8]),
        ("a signature with a non-ASCII character", body, right[:-1] + "é"),
    ] + [(f"a signature made with {how}", body, wrong) for how, wrong in misread]
    for what, data, signature in genuine:
        got = http("POST", url, data, {} if signature is None else {"X-Signature-256": signature})
        if got.status != 200:
            why = (
                ": is_valid returned a false value for it (None, if it has no return yet)"
                if got.status == 401
                else ""
            )
            for how, wrong in misread:
                if http("POST", url, body, {"X-Signature-256": wrong}).status == 200:
                    raise NotYet(
                        f"{what} was answered {got.status} (a genuine delivery must get 200), "
                        f"but a signature made with {how} was accepted: is_valid computes the "
                        "signature that way. The sender "
                        "signs with an HMAC, the secret as its key and the body as its "
                        "message: hmac.new(secret, body, hashlib.sha256)"
                    )
            raise NotYet(
                fn.explain(
                    f"{what} was answered {got.status} {got.text}{why}; a genuine delivery "
                    "must get 200"
                )
            )
    for what, data, signature in forged:
        got = http("POST", url, data, {} if signature is None else {"X-Signature-256": signature})
        if got.status == 401:
            continue
        if got.status == 200:
            raise NotYet(f"a forgery got through: {what} was answered 200 {got.text}; expected 401")
        message = f"{what} was answered {got.status} {got.text}; expected 401"
        if "é" in (signature or ""):
            message += (
                ". hmac.compare_digest raises TypeError for a str with non-ASCII characters: "
                "compare bytes (.encode() both sides)"
            )
        raise NotYet(fn.explain(message))
    _constant_time(fn, body, right)


def _constant_time(fn: Deployed, body: bytes, signature: str) -> None:
    """The right answers, by a comparison in constant time: hmac.compare_digest is
    called (counted inside the deployed function, see :mod:`constant_time`)."""
    from lambdalab.course.constant_time import compare_digest_calls

    event = {
        "version": "2.0",
        "rawPath": "/",
        "headers": {"x-signature-256": signature, "content-type": "application/json"},
        "body": body.decode(),
        "isBase64Encoded": False,
        "requestContext": {"http": {"method": "POST", "path": "/"}},
    }
    if compare_digest_calls(fn, event) == 0:
        raise NotYet(
            "every delivery got the right answer, but is_valid never called "
            "hmac.compare_digest: == stops at the first character that differs, so the time "
            "it takes tells a forger how much of a guessed signature was right. Compare "
            "with hmac.compare_digest (constant time)"
        )


#: 07.4: the sales the check writes on each of its three days, (product, amount); the
#: second day has none. It writes them on days no other sales use (it sets the table's
#: other sales on those days aside while it runs), so each day's report is fixed.
_SALES_07_4 = [
    [("mug", "12.50"), ("kettle", "30.00"), ("mug", "7.25")],
    [],
    [("tea spoon", "0.10"), ("tea spoon", "0.20"), ("teapot", "19.99")],
]

#: 07.4: for each day of ``_SALES_07_4``, digests of its report's orders, revenue (to the
#: cent) and top product (as JSON: null for none); made from the answer key.
_DIGESTS_07_4 = [
    {
        "orders": "b660455582921315f3d52b380da51ed4931ceb99c5043d92e0ef84c566465659",
        "revenue": "cb798506db0987eeec9e4a162e0e8760915000b36577970907d8e42a859358a5",
        "top_product": "49b1420e791638f9d2c02b3ad7e440b7cc148f96e85d3f1a2d2420b1094eb0e3",
    },
    {
        "orders": "51fdc220c233260817d47984413e5dded997eaee02fbebe878298cf3d40f79dd",
        "revenue": "072b128f39d4898f0c9b7fe4d00af8dda9dec099ed1baec989663021d2cc3fa7",
        "top_product": "305fb59cd5ab173d86484ceb2643bbf4462c3609d19f5593475a5c96bee3cd1c",
    },
    {
        "orders": "42f8b286f891553c42ff8d9f84eff593b8f5d5cf9fc367b2bd0558cfe6f31603",
        "revenue": "28c29a3b0d1021f756027fffe2c184b89dc7a06b86d410ed203131a4b0580039",
        "top_product": "f55063a38679761a5253ddf74ffb01c57ac196069120f336c72f63d05508af54",
    },
]


def _field_is(case: int, field: str, value: Any) -> bool:
    """Whether ``value`` is the ``field`` of the report on the check's day ``case``."""
    stored = _DIGESTS_07_4[case][field]
    if field == "top_product":
        if value is not None and not isinstance(value, str):
            return False
        return is_answer(stored, "07.4", f"{case}:{field}", json.dumps(value))
    if field == "revenue":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return within(stored, "07.4", f"{case}:{field}", value, tolerance=0.001)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return is_answer(stored, "07.4", f"{case}:{field}", value)


def _report_07_4(case: int, day: str) -> dict[str, Any]:
    """The report expected for the check's day ``case``, recovered from its digests: the
    candidates are the case's own (its products, the sums of its amounts)."""
    sales = _SALES_07_4[case]
    amounts = [Decimal(amount) for _, amount in sales]
    sums = {
        f"{sum((a for a, keep in zip(amounts, mask, strict=True) if keep), Decimal(0)):.2f}"
        for mask in product((False, True), repeat=len(amounts))
    }
    products = [json.dumps(p) for p in dict.fromkeys(p for p, _ in sales)] + ["null"]
    digests = _DIGESTS_07_4[case]
    revenue = recover(digests["revenue"], "07.4", f"{case}:revenue", sorted(sums))
    top = recover(digests["top_product"], "07.4", f"{case}:top_product", products)
    return {
        "date": day,
        "orders": recover(digests["orders"], "07.4", f"{case}:orders", range(100)),
        "revenue": None if revenue is None else float(revenue),
        "top_product": None if top is None else json.loads(top),
    }


def _next_runs(now: datetime, count: int) -> list[datetime]:
    """The next ``count`` 02:00 UTC instants after ``now`` (cron(0 2 * * ? *))."""
    run = now.astimezone(UTC).replace(hour=2, minute=0, second=0, microsecond=0)
    if run <= now:
        run += timedelta(days=1)
    return [run + timedelta(days=n) for n in range(count)]


@exercise("07.4", deployed="daily-report", deploy_cell=WIRING)
def daily_report(fn: Deployed) -> None:
    """Three scheduled runs on the sandbox clock each write the report of the day before
    their scheduled time (UTC), with the right orders, revenue and top product."""
    from boto3.dynamodb.conditions import Key

    sb = fn.sb
    table = dynamodb_table(fn.env("TABLE"), WIRING_CELL)
    bucket = fn.env("BUCKET")
    s3 = client("s3")
    runs = _next_runs(sb.clock.now(), 3)
    days = [(run - timedelta(days=1)).date().isoformat() for run in runs]
    token = secrets.token_hex(3)
    # The days' other sales (the lesson's fortnight, say) are set aside while the check
    # runs, and put back after it: each report then holds the check's sales alone. What an
    # interrupted check left (its "check-" orders) is not put back.
    aside = [
        item
        for day in days
        for item in table.query(KeyConditionExpression=Key("day").eq(day))["Items"]
    ]
    written = []
    with table.batch_writer() as batch:
        for item in aside:
            batch.delete_item(Key={"day": item["day"], "order_id": item["order_id"]})
        for day, sales in zip(days, _SALES_07_4, strict=True):
            for n, (product_name, amount) in enumerate(sales):
                order_id = f"check-{token}-{n}"
                written.append({"day": day, "order_id": order_id})
                batch.put_item(
                    Item={
                        "day": day,
                        "order_id": order_id,
                        "product": product_name,
                        "amount": Decimal(amount),
                    }
                )
    keys = [f"reports/{day}.json" for day in days]
    for key in keys:  # an old report must not pass for a new one
        s3.delete_object(Bucket=bucket, Key=key)
    started = datetime.now(UTC) - timedelta(seconds=1)  # S3 stamps objects in real time
    new: list[str] = []
    try:
        sb.clock.advance(days=3)
        sb.wait()
        found = {}
        for key in keys:
            try:
                found[key] = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
            except s3.exceptions.NoSuchKey:
                pass
        new = sorted(  # what the three runs wrote, whatever its name
            o["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])
            if o["LastModified"] >= started
        )
        runs_seen = sum(line.startswith("START ") for line in fn.lines())
        failed = fn.failures()
        # The sandbox forgets a failure at the function's next success: a run that failed
        # before a later run succeeded is found by its own error in the log.
        logged = Run(fn.lines(), []).errors
    finally:
        with table.batch_writer() as batch:
            for key in written:
                batch.delete_item(Key=key)
            for item in aside:
                if not str(item["order_id"]).startswith("check-"):
                    batch.put_item(Item=item)
        for key in sorted(set(keys) | set(new)):  # the check's reports, and its strays
            s3.delete_object(Bucket=bucket, Key=key)
    shown = ", ".join(run.strftime("%d %b %H:%M UTC") for run in runs)
    for case, (key, day) in enumerate(zip(keys, days, strict=True)):
        if key not in found:
            message = f"the clock went through three runs ({shown}), but there is no {key}"
            if failed or logged:
                raise NotYet(_failed_run(message, case, day, failed, logged))
            raise NotYet(_missing_report(message, new, runs, keys, runs_seen))
        got = parse_json(found[key])
        if not isinstance(got, dict):
            raise NotYet(f"{key} holds {found[key][:100]!r}; summarize must return a dict")
        fields = ("date", "orders", "revenue", "top_product")
        if not set(fields) <= set(got):  # its keys first: a value under another name reads None
            raise NotYet(
                f"{key} has the keys {sorted(got)}; a report has the keys "
                f"{list(fields)}" + _key_names(got, fields)
            )
        for field in ("date", "orders", "top_product"):
            value = got.get(field)
            if value == day if field == "date" else _field_is(case, field, value):
                continue
            want = _report_07_4(case, day)
            raise NotYet(
                f"{key} says {field}={value!r}; expected {want[field]!r}. For the day's sales "
                f"{_sales_words(case)} the whole report should be {want}"
            )
        revenue = got.get("revenue")
        if not _field_is(case, "revenue", revenue):
            raise NotYet(
                f"{key} says revenue={revenue!r}; expected "
                f"{_report_07_4(case, day)['revenue']!r} (the sum of the day's amounts, "
                f"rounded to 2 decimals, as a float). The day's sales: {_sales_words(case)}"
            )
    _month_boundaries(fn, bucket, runs[-1])


def _month_boundaries(fn: Deployed, bucket: str, after: datetime) -> None:
    """Runs on the 1st of a month report on the last day of the month before: the check
    invokes the function with a scheduled event's ``time`` on a 1 January and a 1 March
    (a year and a February end), as EventBridge would deliver them
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
    The dates are years after the lesson's, so no report of the lesson's own is touched."""
    s3 = client("s3")
    year = after.year + 3
    for month in (1, 3):
        run = datetime(year, month, 1, 2, 0, tzinfo=UTC)
        time = run.strftime("%Y-%m-%dT%H:%M:%SZ")
        day = (run - timedelta(days=1)).date().isoformat()
        event = {
            "version": "0",
            "id": secrets.token_hex(8),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "time": time,
            "region": "us-east-1",
            "resources": [],
            "detail": {},
        }
        started = datetime.now(UTC) - timedelta(seconds=1)
        invoked = fn.invoke(event)
        new = sorted(
            o["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])
            if o["LastModified"] >= started
        )
        for key in new:
            s3.delete_object(Bucket=bucket, Key=key)
        if invoked.function_error:
            raise NotYet(
                f"a run at {time} (the 1st of a month) failed: "
                f"{function_error(invoked)}. report_day({time!r}) must give {day!r}"
            )
        if f"reports/{day}.json" not in new:
            wrote = ", ".join(new[:3]) or "nothing"
            raise NotYet(
                f"a run at {time} (the 1st of a month) wrote {wrote}; expected "
                f"reports/{day}.json: the day before the 1st is the last day of the month "
                "before. Subtract timedelta(days=1) from the datetime, not 1 from the "
                "day's number"
            )


def _sales_words(case: int) -> str:
    """The check's sales of day ``case``, as a message quotes them (its own input)."""
    sales = _SALES_07_4[case]
    if not sales:
        return "(none)"
    return "[" + ", ".join(f"{product} {amount}" for product, amount in sales) + "]"


def _key_names(got: dict[str, Any], fields: tuple[str, ...]) -> str:
    """The report's keys compared with the expected ones: missing, extra."""
    missing = [f for f in fields if f not in got]
    extra = sorted(k for k in got if k not in fields)
    words = []
    if missing:
        words.append(f"missing {', '.join(missing)}")
    if extra:
        words.append(f"not expected {', '.join(map(str, extra))}")
    return " (" + "; ".join(words) + ")" if words else ""


def _failed_run(message: str, case: int, day: str, failed: list[Any], logged: list[str]) -> str:
    """A report is missing and a run failed: the failed run's own error, and which day."""
    error = failure_feedback(failed) if failed else logged_error(logged[-1])
    if not _SALES_07_4[case]:
        text = (
            f"{message}: the run that reports on {day}, a day without sales (the check wrote "
            f"none for it), failed: {error}. summarize must handle a day without sales too: "
            "0 orders, revenue 0.0, top_product None"
        )
    else:
        text = f"{message}: the run that reports on {day} failed: {error}"
    return text + _error_notes(error)


def _error_notes(error: str) -> str:
    """What two errors of this exercise mean, said after them."""
    text = ""
    if "datetime.date" in error:
        text += (
            ". report_day returned a datetime.date, not text: the table's key and the "
            "report's name are strings 'YYYY-MM-DD': return .date().isoformat()"
        )
    if "JSON serializable" in error:
        text += (
            ". summarize returned a value json.dumps cannot write (a Decimal, as DynamoDB "
            "gives amounts): return float(round(revenue, 2))"
        )
    return text


def _missing_report(
    message: str, new: list[str], runs: list[datetime], keys: list[str], runs_seen: int
) -> str:
    """Why a run's report is missing when no run failed: what the runs wrote instead."""
    wrote = ", ".join(new[:3]) + (" ..." if len(new) > 3 else "")
    if any("None" in key for key in new):
        return (
            f"{message}; the runs wrote {wrote} instead: report_day returned None (it needs "
            "a return statement)"
        )
    walls = {  # the computer's today and yesterday, in UTC and local time
        f"reports/{(now - timedelta(days=back)).date().isoformat()}.json"
        for now in (datetime.now(UTC), datetime.now())
        for back in (0, 1)
    }
    own_days = {f"reports/{run.date().isoformat()}.json" for run in runs}
    if walls & set(new) and len(new) < len(runs):  # one file, written by every run
        return (
            f"{message}; the three runs wrote {wrote}: the day before the computer's clock "
            "(datetime.now()), not the day before each run's scheduled time. Take the day from "
            'event_time, the event\'s "time": a run that starts late (a retry minutes later, '
            "an event replayed the next day) must still report on its own day. (Here the "
            "sandbox clock moved three days ahead, while datetime.now() in your handler reads "
            "the computer's clock.)"
        )
    if any(key.endswith("-00.json") for key in new):
        return (
            f"{message}; the runs wrote {wrote}: there is no day 00. The day before the 1st "
            "is the last day of the month before: subtract timedelta(days=1) from the "
            "datetime, not 1 from the day's number"
        )
    if own_days <= set(new):  # confirmed: every run wrote the report of its own day
        return (
            f"{message}; the runs wrote {wrote}: the day of each run. A run at 02:00 reports "
            "on the day before: subtract timedelta(days=1)"
        )
    if new:
        return (
            f"{message}; the runs wrote {wrote} instead. report_day(event_time) must give the "
            f"day before the run: {(runs[0] - timedelta(days=1)).date().isoformat()} for "
            f"the run of {runs[0]:%Y-%m-%dT%H:%M:%SZ}"
        )
    if not runs_seen:
        return (
            f"{message}: the function did not run at all. Run the section's wiring cell "
            "(the rule and its target) again"
        )
    return f"{message}: the function ran {runs_seen} times without an error, yet wrote nothing"


def _pipeline(function: str) -> str:
    """The ARN of the topic feeding the function's queue, found by following it."""
    lam = client("lambda")
    mappings = lam.list_event_source_mappings(FunctionName=function)["EventSourceMappings"]
    queues = [m["EventSourceArn"] for m in mappings if ":sqs:" in m["EventSourceArn"]]
    if not queues:
        raise NotYet(
            f"{function} reads no SQS queue (no event source mapping): run the wiring cell"
        )
    sns = client("sns")
    topics = [
        sub["TopicArn"]
        for page in sns.get_paginator("list_subscriptions").paginate()
        for sub in page["Subscriptions"]
        if sub["Endpoint"] == queues[0]
    ]
    if not topics:
        raise NotYet(f"no SNS topic sends to {queues[0]}: run the wiring cell")
    return topics[0]


@exercise("07.5", deployed="shipping", deploy_cell=WIRING)
def unwrap_message(fn: Deployed) -> None:
    """Orders published to the topic reach the table through the queue, addresses intact."""

    topic, table_name = _pipeline(fn.name), fn.env("TABLE")
    table = dynamodb_table(table_name, WIRING_CELL)
    sns = client("sns")
    token = secrets.token_hex(3)
    orders = [
        {"order_id": f"check-{token}-1", "address": "7 Rue des Lilas, Lyon", "items": ["mug"]},
        {"order_id": f"check-{token}-2", "address": "Flat 2, 10 Dock Road", "total": 31.5},
        {"order_id": f"check-{token}-3", "address": "Østergade 4, København"},
    ]
    for order in orders:
        sns.publish(TopicArn=topic, Message=json.dumps(order), Subject="order placed")
    try:
        fn.sb.wait()
        stored = {
            o["order_id"]: table.get_item(Key={"order_id": o["order_id"]}).get("Item")
            for o in orders
        }
    finally:
        with table.batch_writer() as batch:
            for order in orders:
                batch.delete_item(Key={"order_id": order["order_id"]})
    missing = [o for o in orders if stored[o["order_id"]] is None]
    if len(missing) == len(orders) and not fn.failures() and not fn.last_error():
        runs = sum(line.startswith("START ") for line in fn.lines())
        others = [
            item
            for item in table.scan(Limit=50).get("Items", [])
            if not str(item.get("order_id", "")).startswith("check-")
        ]
        held = ", ".join(repr(item.get("order_id")) for item in others[:3])
        raise NotYet(
            f"the check published {len(orders)} orders (order_id {orders[0]['order_id']!r}, "
            f"...) to {topic.split(':')[-1]}; the function ran {runs} time(s) without an "
            f"error, yet none of them reached the {table_name} table"
            + (f" (it holds order_id {held})" if held else "")
            + ": order_from must return the order that was published, from the record"
        )
    if len(missing) == len(orders):
        text = fn.explain(
            f"the check published {len(orders)} orders to {topic.split(':')[-1]}; none "
            f"reached the {table_name} table (after three failures each message moves to "
            "the dead-letter queue)"
        )
        if "string indices must be integers" in text:
            text += (
                ". order_from returned a str, the Message as text (the handler then reads "
                "order['order_id'] from a string): the Message is JSON too, json.loads it"
            )
        raise NotYet(text)
    if missing:
        raise NotYet(fn.explain(f"order {missing[0]} did not reach the table"))
    for order in orders:
        item = stored[order["order_id"]]
        if item.get("address") != order["address"]:
            raise NotYet(
                f"order {order['order_id']} was stored with address {item.get('address')!r}; "
                f"expected {order['address']!r}"
            )


def _steady_api_bills() -> tuple[float, float]:
    from lambdalab.calculator import SERVER_PRICES
    from lambdalab.pricing import monthly_cost

    return (
        monthly_cost(300_000_000, duration_ms=100, memory_mb=512).total,
        2 * SERVER_PRICES["m7g.large"].monthly,
    )


#: Workload -> sha256 of "07.6:<workload>:<right choice>": the check knows whether a
#: choice is right without the kit holding the key (tests/grading/lesson07.py has it).
DECISION_HASHES = {
    "thumbnails": "6519a1494f65452433e4149fb53e7f98b52e1bbbcada0d4bc37a5d79dfe7cbe7",
    "video-transcode": "cf44d27fa9d50bf328b36352a3edaf9007f975f1eab910227a4d3700500af8b0",
    "game-server": "fa679595d47c61f95c9eff0b4d4ae3fcfcacb35350eac28c155eafe01b246850",
    "ad-bidder": "6550b621e9f78d0360f34c728f0bb84577e9747b558c08e868db066c9ffa5562",
    "steady-api": "146937cab5c8b11946b6c4e29cd56e38c593ec7900688645e6b2c9b68b15009f",
    "nightly-import": "e9466fd32ab042acf8ebac60ee4ebf6823ddfaca7d6baf41831f55f9f9ac6376",
}


def decision_is_right(workload: str, choice: str) -> bool:
    """Whether ``choice`` ("lambda" or "not lambda") is the right one for ``workload``."""
    digest = hashlib.sha256(f"07.6:{workload}:{choice}".encode()).hexdigest()
    return hmac.compare_digest(digest, DECISION_HASHES[workload])


def _guidance() -> dict[str, str]:
    """Workload -> the question that decides it (it does not say which way)."""
    lambda_bill, servers_bill = _steady_api_bills()
    return {
        "thumbnails": "how long does one resize take against 900 s, and what do about "
        "600,000 a month cost with monthly_cost(...)?",
        "video-transcode": "25 minutes is how many seconds, against a function's 900 s limit?",
        "game-server": "can an invocation hold a client's connection for hours?",
        "ad-bidder": "how long does a cold start take against a 50 ms budget, when bursts "
        "follow quiet gaps?",
        "steady-api": f"Lambda would cost about ${lambda_bill:,.0f} a month; two servers "
        f"${servers_bill:,.0f}: which is cheaper?",
        "nightly-import": "40 s once a night: within 900 s? what does the rest of the day cost?",
    }


@exercise("07.6")
def lambda_or_not(answer: Any) -> None:
    """Each of the six workloads gets the right 'lambda' or 'not lambda'."""
    right = DECISION_HASHES
    if not isinstance(answer, dict):
        raise NotYet(
            f"your answer is {describe(answer)}; expected a dict, such as "
            '{"thumbnails": ..., "video-transcode": ..., ...} with "lambda" or "not lambda"'
        )
    if not answer:
        raise NotYet("decisions is empty: give each of the six workloads an answer")
    unknown = sorted(str(k) for k in answer if k not in right)
    if unknown:
        raise NotYet(
            f"{', '.join(map(repr, unknown))} is not a workload of the table; the keys "
            f"are {', '.join(map(repr, right))}"
        )
    missing = [k for k in right if k not in answer]
    if missing:
        raise NotYet(f"no answer yet for {', '.join(map(repr, missing))}")
    wrong = []
    for workload, value in answer.items():
        text = value.strip().lower() if isinstance(value, str) else value
        if text not in ("lambda", "not lambda"):
            raise NotYet(f"{workload}: {value!r} is not an answer; write 'lambda' or 'not lambda'")
        if not decision_is_right(workload, text):
            wrong.append(f"{workload} is not right yet: {_guidance()[workload]}")
    if wrong:
        raise NotYet(f"{len(wrong)} of 6 not right yet. " + " | ".join(wrong))
