"""Hidden grading tests for lesson 07, Use cases (never in the student bundle).

Each capstone check drives a whole system; these tests send a few more requests, rows,
days or messages through the same system, and score the Lambda-or-not decisions one
workload at a time (07.6).
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

from lambdalab.course.checks import NotYet
from lambdalab.course.checks import lesson07 as c
from lambdalab.course.probe import Deployed, client, http, parse_json, running_sandbox
from lambdalab.grading import hidden_test


@hidden_test("07.1", points=4)
def read_one_item(answer, rubric):
    """4 points: the public check (3), a 404 that says what is wrong (1)."""
    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("the 404 answer's body has an 'error'", points=1):
        import lambdalab

        url = lambdalab.sandbox().url(answer)
        path = f"/items/hidden-{secrets.token_hex(3)}"
        got = http("GET", url + path)
        if got.status != 404 or not isinstance(got.json, dict) or not got.json.get("error"):
            raise NotYet(f"GET {path} answered {got}; expected 404, error")


@hidden_test("07.2", points=5)
def validate_rows(answer, rubric):
    """5 points: the public check (3), more bad rows (1), more good rows (1)."""
    import boto3

    if not rubric.public_check(answer, points=3):
        return
    sb = running_sandbox()
    table = boto3.resource("dynamodb").Table(c._import_target(answer).env("TABLE"))
    s3 = client("s3")
    token = secrets.token_hex(3)
    rows = [  # sku, name, price, the item expected or None
        (f"hid{token}-1", "Lamp", "Infinity", None),
        (f"hid{token}-2", "Rug", "-0.01", None),
        ("   ", "Chair", "10", None),
        (f"hid{token}-4", "Desk", "1,5", None),
        (f"hid{token}-5", "Shelf", " 12.50 ", {"name": "Shelf", "price": Decimal("12.50")}),
        (
            f"hid{token}-6",
            "  Big  Sofa ",
            "999999.99",
            {"name": "Big  Sofa", "price": Decimal("999999.99")},
        ),
    ]
    lines = ["sku,name,price"] + [f'{s},{n},"{p}"' for s, n, p, _ in rows]
    key = f"incoming/hidden {token}.csv"
    s3.put_object(Bucket=answer, Key=key, Body=("\n".join(lines) + "\n").encode())
    try:
        sb.wait()
        stored = {}
        for sku, _, _, _ in rows:
            if sku.strip():
                item = table.get_item(Key={"sku": sku.strip()}).get("Item")
                if item is not None:
                    stored[sku.strip()] = item
    finally:
        with table.batch_writer() as batch:
            for sku, _, _, _ in rows:
                if sku.strip():
                    batch.delete_item(Key={"sku": sku.strip()})
        s3.delete_object(Bucket=answer, Key=key)
        s3.delete_object(Bucket=answer, Key=f"errors/hidden {token}.csv.json")
    with rubric.part("more bad rows are refused", points=1):
        for sku, name, price, want in rows:
            if want is None and sku.strip() in stored:
                raise NotYet(f"the bad row {sku},{name},{price!r} reached the table")
    with rubric.part("more good rows are stored, spaces stripped", points=1):
        for sku, name, price, want in rows:
            if want is None:
                continue
            got = stored.get(sku)
            if got is None or {"name": got.get("name"), "price": got.get("price")} != want:
                raise NotYet(f"the good row {sku},{name!r},{price!r} was stored as {got!r}")


@hidden_test("07.3", points=5)
def verify_signature(answer, rubric):
    """5 points: the public check (3), more genuine deliveries (1), more forgeries (1)."""
    import hashlib
    import hmac

    if not rubric.public_check(answer, points=3):
        return
    sb = running_sandbox()
    fn = Deployed(answer, clean=False)
    secret = (
        client("secretsmanager")
        .get_secret_value(SecretId=fn.env("SECRET_ID"))["SecretString"]
        .encode()
    )
    url = sb.url(answer)

    def sign(body):
        return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()

    def status(body, signature):
        headers = {} if signature is None else {"X-Signature-256": signature}
        return http("POST", url, body, headers).status

    one = json.dumps({"id": f"evt_{secrets.token_hex(4)}", "type": "ping"}).encode()
    two = json.dumps({"id": f"evt_{secrets.token_hex(4)}", "amount": 1}).encode()
    with rubric.part("other genuine deliveries", points=1):
        for body in [one, two, json.dumps({"text": "ünïcödé ✓"}, ensure_ascii=False).encode()]:
            if status(body, sign(body)) != 200:
                raise NotYet("a genuine delivery signed with the secret was not answered 200")
    with rubric.part("other forgeries", points=1):
        for what, body, signature in [
            ("another delivery's signature", one, sign(two)),
            ("a signature with a space after it", one, sign(one) + " "),
            ("the right digest with 'sha1=' instead of 'sha256='", one, "sha1=" + sign(one)[7:]),
            ("the body with a space added", one + b" ", sign(one)),
        ]:
            got = status(body, signature)
            if got != 401:
                raise NotYet(f"a forgery ({what}) was answered {got}; expected 401")


def summary(day: str, sales: list[dict[str, Any]]) -> dict[str, Any]:
    """07.4: the report on ``day`` of its ``sales`` (DynamoDB items): the reference the
    hidden test grades with, and the answer key makes the check's digests with."""
    revenue = sum((s["amount"] for s in sales), Decimal(0))
    counts = Counter(s["product"] for s in sales)
    top = min(counts, key=lambda p: (-counts[p], p)) if counts else None
    return {
        "date": day,
        "orders": len(sales),
        "revenue": float(revenue.quantize(Decimal("0.01"))),
        "top_product": top,
    }


@hidden_test("07.4", points=5)
def daily_report(answer, rubric):
    """5 points: the public check (4), one more day (1)."""
    import boto3
    from boto3.dynamodb.conditions import Key

    if not rubric.public_check(answer, points=4):
        return
    with rubric.part("one more day's report, whose top product is not first by name", points=1):
        fn = Deployed(answer, clean=False)
        sb = fn.sb
        table = boto3.resource("dynamodb").Table(fn.env("TABLE"))
        bucket = fn.env("BUCKET")
        s3 = client("s3")
        run = c._next_runs(sb.clock.now(), 1)[0]
        day = (run - timedelta(days=1)).date().isoformat()
        token = secrets.token_hex(3)
        sales = [("zebra mug", "0.335"), ("apple tea", "1.10"), ("zebra mug", "2.005")]
        sales += [("zebra mug", "10")]
        written = [{"day": day, "order_id": f"hidden-{token}-{n}"} for n in range(len(sales))]
        with table.batch_writer() as batch:
            for item, (product, amount) in zip(written, sales, strict=True):
                batch.put_item(Item={**item, "product": product, "amount": Decimal(amount)})
        report_key = f"reports/{day}.json"
        s3.delete_object(Bucket=bucket, Key=report_key)
        try:
            sb.clock.advance(days=1)
            sb.wait()
            items = table.query(KeyConditionExpression=Key("day").eq(day))["Items"]
            want = summary(day, items)
            try:
                got = parse_json(
                    s3.get_object(Bucket=bucket, Key=report_key)["Body"].read().decode()
                )
            except s3.exceptions.NoSuchKey:
                got = None
        finally:
            with table.batch_writer() as batch:
                for item in written:
                    batch.delete_item(Key=item)
            s3.delete_object(Bucket=bucket, Key=report_key)
        if not isinstance(got, dict):
            raise NotYet(f"after one more run there is no report {report_key}")
        for field in ("date", "orders", "top_product"):
            if got.get(field) != want[field]:
                raise NotYet(f"{report_key} says {field}={got.get(field)!r}; not the right one")
        revenue = got.get("revenue")
        if not isinstance(revenue, int | float) or abs(revenue - want["revenue"]) > 0.001:
            raise NotYet(f"{report_key} says revenue={revenue!r}; not the right total")


@hidden_test("07.5", points=4)
def unwrap_message(answer, rubric):
    """4 points: the public check (3), an order with nested data and quotes (1)."""
    import boto3

    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("an order with nested data, quotes and no subject", points=1):
        fn = Deployed(answer, clean=False)
        sb, topic = fn.sb, c._pipeline(answer)
        table = boto3.resource("dynamodb").Table(fn.env("TABLE"))
        order = {
            "order_id": f"hidden-{secrets.token_hex(3)}",
            "address": 'c/o "Bob", 5 Quai d\'Orsay, Paris',
            "lines": [{"sku": "A-1", "qty": 2}],
        }
        client("sns").publish(TopicArn=topic, Message=json.dumps(order))
        try:
            sb.wait()
            stored = table.get_item(Key={"order_id": order["order_id"]}).get("Item")
        finally:
            table.delete_item(Key={"order_id": order["order_id"]})
        if stored is None or stored.get("address") != order["address"]:
            raise NotYet(f"the order {order['order_id']} was stored as {stored!r}")


#: The 07.6 answer key (the kit's check holds only hashes of it).
DECISIONS = {
    "thumbnails": "lambda",
    "video-transcode": "not lambda",
    "game-server": "not lambda",
    "ad-bidder": "not lambda",
    "steady-api": "not lambda",
    "nightly-import": "lambda",
}
WORKLOADS = list(DECISIONS)


@hidden_test("07.6", points=8)
def lambda_or_not(answer, rubric):
    """8 points: the public check (2), then one point per workload decided right."""
    rubric.public_check(answer, points=2)
    for workload in WORKLOADS:
        with rubric.part(f"the decision for {workload}", points=1):
            value = answer.get(workload) if isinstance(answer, dict) else None
            text = value.strip().lower() if isinstance(value, str) else value
            if text != DECISIONS[workload]:
                raise NotYet(
                    f"{workload}: not right yet; weigh it against the numbers (duration limit, "
                    "connections, cold starts, the monthly bill)"
                )
