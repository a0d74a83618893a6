"""Hidden grading tests for lesson 06, Pitfalls (never in the student bundle).

The public checks measure each fix in the sandbox; these tests invoke the same functions
with a few more events. 06.4 (concurrency, timed) is its public check.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

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
    return invoked


@hidden_test("06.1", points=4)
def lazy_import(answer, rubric):
    """4 points: the public check (3), other exports (1)."""
    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("other exports, and status requests after them", points=1):
        export = {"action": "export", "rows": [[3, "c"], [4, "d"], [5, "e"]]}
        got = _ok(answer, export).payload
        if got != {"csv": "3,c\n4,d\n5,e"}:
            raise NotYet(f"an export of three rows returned {got!r}")
        if _ok(answer, {}).payload != {"status": "ok"}:
            raise NotYet("a request without an action should get {'status': 'ok'}")


@hidden_test("06.2", points=4)
def partner_timeout(answer, rubric):
    """4 points: the public check (3), a partner that is slow but in time (1)."""
    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("a partner that answers in 0.2 s still gives its quote", points=1):
        got = _ok(answer, {"delay": 0.2}).payload
        if got != {"status": "ok", "quote": {"price": 42}}:
            raise NotYet(
                f"with a partner that answers in 0.2 s the function returned {got!r}: give up "
                "only when the time left runs out"
            )


@hidden_test("06.3", points=4)
def shared_counter(answer, rubric):
    """4 points: the public check (3), counting on from where the table is (1)."""
    import boto3

    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("five more visits, several at a time, count on", points=1):
        table = boto3.resource("dynamodb").Table("counters")
        before = int((table.get_item(Key={"page": "home"}).get("Item") or {}).get("visits", 0))
        client = boto3.client("lambda")
        with ThreadPoolExecutor(max_workers=3) as pool:
            results = list(pool.map(lambda _: invoke_function(answer, {}, client=client), range(5)))
        returned = sorted(
            r.payload.get("visits", 0) for r in results if isinstance(r.payload, dict)
        )
        after = int((table.get_item(Key={"page": "home"}).get("Item") or {}).get("visits", 0))
        if after != before + 5 or returned != list(range(before + 1, before + 6)):
            raise NotYet(
                f"five more visits took the table from {before} to {after} and the function "
                f"returned {returned}"
            )


@hidden_test("06.4", points=3)
def reserved_concurrency(answer, rubric):
    """3 points: the public check alone (it invokes several at once)."""
    rubric.public_check(answer, points=3)


@hidden_test("06.5", points=5)
def charge_once(answer, rubric):
    """5 points: the public check (3), what duplicates answer (1), payments apart (1)."""
    from lambdalab.course.checks.lesson06 import _charges

    if not rubric.public_check(answer, points=3):
        return
    import boto3

    table = boto3.resource("dynamodb").Table("payments")
    with rubric.part("a payment sent three times: charged, then already charged", points=1):
        event = {"payment_id": f"hidden-{uuid.uuid4().hex[:8]}", "amount": 5}
        statuses = [(_ok(answer, event).payload or {}).get("status") for _ in range(3)]
        if statuses != ["charged", "already charged", "already charged"]:
            raise NotYet(f"the same payment sent three times answered {statuses}")
        if _charges(table, event["payment_id"]) != 1:
            raise NotYet("the same payment sent three times was not charged exactly once")
    with rubric.part("two payments of the same amount are two charges", points=1):
        ids = [f"hidden-{uuid.uuid4().hex[:8]}" for _ in range(2)]
        for payment_id in ids:
            _ok(answer, {"payment_id": payment_id, "amount": 9})
        if [_charges(table, payment_id) for payment_id in ids] != [1, 1]:
            raise NotYet("two different payments of the same amount should be charged once each")


@hidden_test("06.6", points=4)
def findable_log_line(answer, rubric):
    """4 points: the public check (3), another refund at the limit's edge (1)."""
    from lambdalab.course.checks.lesson06 import START

    if not rubric.public_check(answer, points=3):
        return
    import boto3

    logs = boto3.client("logs")
    with rubric.part("a refund just above the limit, and one at it", points=1):
        above = {"refund_id": f"refund-{uuid.uuid4().hex[:10]}", "amount": 1001}
        invoked = _ok(answer, above)
        if invoked.payload != {"status": "rejected"}:
            raise NotYet(f"a refund of 1,001 returned {invoked.payload!r}")
        match = START.search(invoked.log)
        found = logs.filter_log_events(
            logGroupName=f"/aws/lambda/{answer}", filterPattern=f'"{above["refund_id"]}"'
        )["events"]
        records = []
        for event in found:
            try:
                records.append(json.loads(event["message"]))
            except ValueError:
                pass
        records = [r for r in records if isinstance(r, dict)]
        if not records or records[-1].get("request_id") != (match.group(1) if match else None):
            raise NotYet("a refund of 1,001 wrote no JSON line with its refund and request ids")
        at = {"refund_id": f"refund-{uuid.uuid4().hex[:10]}", "amount": 1000}
        if _ok(answer, at).payload != {"status": "refunded"}:
            raise NotYet("a refund of exactly 1,000 is within the limit")
