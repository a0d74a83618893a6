"""Checks for lesson 06, Pitfalls: each fix is proven by measuring the deployed function.

A pitfall is fixed when the sandbox shows it: a cold start without the heavy import in its
Init Duration, no ``Sandbox.Timedout`` when a partner is slow, a DynamoDB total that is
right across environments, 429s beyond a reserved concurrency, one charge however many
attempts, a JSON log line that ``filter_log_events`` finds. So these checks invoke the
functions you deployed, in the sandbox, and read logs, tables and metrics.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
"""

from __future__ import annotations

import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    Deployed,
    NotYet,
    client,
    configured,
    dynamodb_table,
    function_error,
    parse_json,
    payload_of,
    scan,
)

#: What importing reports.py costs in lesson 06 (it sleeps this long): an INIT that
#: imports it can never be shorter.
REPORTS_IMPORT_MS = 1000.0


@exercise("06.1", deployed="report-export")
def lazy_import(fn: Deployed) -> None:
    """Status requests start cold without the 1-second import; exports still work."""
    status = {"action": "status"}
    got = fn.call(status)
    if got != {"status": "ok"}:
        raise NotYet(f"a status request returned {got!r}; expected {{'status': 'ok'}}")
    variables = (fn.config.get("Environment") or {}).get("Variables") or {}
    cold: list[tuple[float, float]] = []  # (Init Duration, Duration) of each cold start
    with configured(fn.name) as update:
        for _ in range(2):  # a second try: a cold start can be slow on a busy machine
            # A new configuration: Lambda replaces the environments, the next call is cold.
            update(Environment={"Variables": {**variables, "LAMBDALAB_CHECK": uuid.uuid4().hex}})
            invoked = fn.invoke(status)
            payload_of(invoked, status)
            report = invoked.report()
            if report is not None and report.init_duration_ms is not None:
                cold.append((report.init_duration_ms, report.duration_ms))
                if report.init_duration_ms + report.duration_ms < REPORTS_IMPORT_MS:
                    break
        else:
            if all(init >= REPORTS_IMPORT_MS for init, _ in cold):
                shown = ", ".join(f"{init:,.0f} ms" for init, _ in cold)
                raise NotYet(
                    f"two cold starts of status requests had an Init Duration of {shown}: "
                    "each paid the 1-second import of reports, so it still runs at INIT"
                )
            shown = ", ".join(f"{duration:,.0f} ms" for _, duration in cold)
            raise NotYet(
                f"INIT is quick now, but the first status request of each new environment "
                f"took {shown} in the handler: the import of reports still runs for status "
                "requests (at the first invocation of each environment). Move it inside the "
                "export branch, so that only exports pay for it"
            )
        export = {"action": "export", "rows": [[1, "a"], [2, "b"]]}
        got = fn.call(export)
        if got != {"csv": "1,a\n2,b"}:
            raise NotYet(
                f"an export returned {got!r}; expected {{'csv': '1,a\\n2,b'}} from "
                "reports.export(event['rows'])"
            )


@exercise("06.2", deployed="partner-quote")
def partner_timeout(fn: Deployed) -> None:
    """A quick partner gives a quote; a 3-second one gives partner-timeout, not a kill."""
    if fn.config.get("Timeout") != 1:
        raise NotYet(
            f"{fn.name} has a timeout of {fn.config.get('Timeout')} s; deploy it with "
            "Timeout=1, as the cell does: the exercise is to answer within that second"
        )
    got = fn.call({"delay": 0})
    if got != {"status": "ok", "quote": {"price": 42}}:
        raise NotYet(
            f"with a quick partner (delay 0) the function returned {got!r}; expected "
            "{'status': 'ok', 'quote': {'price': 42}}. If the partner is not running, run "
            "the cell that starts SlowPartner; otherwise, is your timeout too short?"
        )
    invoked = fn.invoke({"delay": 3})
    if invoked.function_error:
        error = invoked.error
        if error.get("errorType") == "Sandbox.Timedout":
            raise NotYet(
                "with a partner that takes 3 s, Lambda killed the function at its 1 s timeout "
                f"({error.get('errorMessage')}): the call waited longer than the time left"
            )
        raise NotYet(
            f"with a partner that takes 3 s, {function_error(invoked)}. Catch the timeout "
            "(TimeoutError, and urllib.error.URLError) and answer {'status': 'partner-timeout'}"
        )
    if invoked.payload != {"status": "partner-timeout"}:
        raise NotYet(
            f"with a partner that takes 3 s the function returned {invoked.payload!r}; "
            "expected {'status': 'partner-timeout'}"
        )


INVOCATIONS_06_3 = 10


@exercise("06.3", deployed="visit-counter")
def shared_counter(fn: Deployed) -> None:
    """Ten invocations, several at a time, leave visits = 10 in the counters table."""
    table = dynamodb_table("counters")
    table.delete_item(Key={"page": "home"})
    lam = client("lambda")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: fn.invoke({}, client=lam), range(10)))
    for invoked in results:
        if invoked.function_error:
            raise NotYet(f"one of the {INVOCATIONS_06_3} invocations: {function_error(invoked)}")
    returned = [
        r.payload.get("visits") if isinstance(r.payload, dict) else r.payload for r in results
    ]
    item = table.get_item(Key={"page": "home"}).get("Item") or {}
    total = int(item.get("visits", 0))
    if total != INVOCATIONS_06_3:
        raise NotYet(
            f"after {INVOCATIONS_06_3} invocations the table says {total} visits, and the function "
            f"returned the counts {returned}: "
            + (
                "nothing reached the table, so each environment counted on its own"
                if total == 0
                else "some updates were lost; let DynamoDB add (ADD) instead of reading and writing"
            )
        )
    if sorted(v for v in returned if isinstance(v, int)) != list(range(1, INVOCATIONS_06_3 + 1)):
        raise NotYet(
            f"the table's count is right, but the function returned {returned}; return the new "
            "value that update_item gives back: {'visits': int(result['Attributes']['visits'])}"
        )


RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded"


def _peak_concurrency(name: str, start: Any, end: Any) -> float:
    points = client("cloudwatch").get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="ConcurrentExecutions",
        Dimensions=[{"Name": "FunctionName", "Value": name}],
        StartTime=start,
        EndTime=end,
        Period=60,
        Statistics=["Maximum"],
    )["Datapoints"]
    return max((p["Maximum"] for p in points), default=0.0)


@exercise("06.4", deployed="noisy")
def reserved_concurrency(fn: Deployed) -> None:
    """Five invocations at once: 2 run, 3 are throttled, CloudWatch peaks at 2."""
    name, sb = fn.name, fn.sb
    concurrency = client("lambda").get_function_concurrency(FunctionName=name)
    reserved = concurrency.get("ReservedConcurrentExecutions")
    if reserved == 0:
        raise NotYet(
            "noisy has a reserved concurrency of 0, which switches it off: every invocation is "
            "throttled. Reserve 2"
        )
    once = client("lambda", retries=False)
    client("lambda").invoke(FunctionName=name, Payload=b"{}")  # code unpacked, one at a time

    def attempt(_: int) -> str:
        try:
            once.invoke(FunctionName=name, Payload=b"{}")
            return "ok"
        except once.exceptions.TooManyRequestsException as error:
            return error.response.get("Reason") or "throttled"

    # CloudWatch reads whole seconds: start this check's window on a second of its own, so
    # an earlier attempt's executions (a moment ago) are not counted as this one's.
    sb.clock.advance(seconds=1 - sb.clock.now().microsecond / 1e6)
    start = sb.clock.now()
    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = list(pool.map(attempt, range(5)))
    peak = _peak_concurrency(name, start, sb.clock.now() + timedelta(minutes=1))
    ran = outcomes.count("ok")
    throttled = outcomes.count(RESERVED_LIMIT)
    if ran == 5:
        raise NotYet(
            f"all 5 invocations ran at once (CloudWatch's ConcurrentExecutions peaked at "
            f"{peak:.0f}): nothing caps noisy yet"
        )
    if (ran, throttled) != (2, 3):
        others = sorted({o for o in outcomes if o not in ("ok", RESERVED_LIMIT)})
        raise NotYet(
            f"{ran} invocations ran and {throttled} were throttled by the reservation"
            + (f" (others: {', '.join(others)})" if others else "")
            + f"; noisy's reserved concurrency is {reserved}. With 2, 2 run and 3 are throttled"
        )
    if peak > 2:
        raise NotYet(
            f"CloudWatch saw {peak:.0f} concurrent executions of noisy; expected 2 at most"
        )


def _charges(table: Any, payment_id: str) -> int:
    from boto3.dynamodb.conditions import Attr

    return len(scan(table, Attr("payment_id").eq(payment_id)))


@exercise("06.5", deployed="pay-safe")
def charge_once(fn: Deployed) -> None:
    """The same payment twice, and an async payment tried three times: one charge each."""
    table = dynamodb_table("payments")

    twice = {"payment_id": f"check-{uuid.uuid4().hex[:8]}", "amount": 12}
    for n in (1, 2):
        invoked = fn.invoke(twice)
        if invoked.function_error:
            when = "the first time" if n == 1 else "the second time (a duplicate)"
            raise NotYet(
                f"sent {when}, the payment {twice!r}: {function_error(invoked)}. A duplicate "
                "must not fail: return False"
            )
    charged = _charges(table, twice["payment_id"])
    if charged != 1:
        raise NotYet(
            f"the same payment sent twice was charged {charged} times; expected once. Use the "
            "payment_id as the charge_id and write with ConditionExpression"
        )

    retried = {"payment_id": f"check-{uuid.uuid4().hex[:8]}", "amount": 7, "receipts_down": True}
    run = fn.after(
        lambda: client("lambda").invoke(
            FunctionName=fn.name, InvocationType="Event", Payload=json.dumps(retried).encode()
        )
    )
    attempts = sum(line.startswith("REPORT ") for line in run.lines)
    charged = _charges(table, retried["payment_id"])
    if charged != 1:
        raise NotYet(
            f"an asynchronous payment whose receipt failed ran {attempts} times and was charged "
            f"{charged} times; expected once"
        )

    fresh = {"payment_id": f"check-{uuid.uuid4().hex[:8]}", "amount": 3}
    fn.call(fresh)
    if _charges(table, fresh["payment_id"]) != 1:
        raise NotYet(
            "a new payment was not charged: the key must be the payment's own payment_id, "
            "so that different payments are charged once each"
        )


START = re.compile(r"^START RequestId: (\S+)", re.MULTILINE)


@exercise("06.6", deployed="refund-log")
def findable_log_line(fn: Deployed) -> None:
    """A rejected refund writes a JSON ERROR line that filter_log_events finds."""
    refund_id = f"refund-{uuid.uuid4().hex[:10]}"
    event = {"refund_id": refund_id, "amount": 5000}
    invoked = fn.invoke(event)
    got = payload_of(invoked, event)
    if got != {"status": "rejected"}:
        raise NotYet(f"a refund of 5,000 returned {got!r}; expected {{'status': 'rejected'}}")
    match = START.search(invoked.log)
    request_id = match.group(1) if match else None
    found = client("logs").filter_log_events(
        logGroupName=f"/aws/lambda/{fn.name}", filterPattern=f'"{refund_id}"'
    )["events"]
    lines = [e["message"] for e in found if not e["message"].startswith(("START", "END", "REPORT"))]
    if not lines:
        raise NotYet(
            f"filter_log_events found no line with the refund id {refund_id!r}: write it in "
            "the log line"
        )
    records = [record for record in map(parse_json, lines) if isinstance(record, dict)]
    if not records:
        raise NotYet(
            f"the line found is not JSON: {lines[0]!r}. Print json.dumps({{...}}) of a dict"
        )
    record = records[-1]
    if record.get("level") != "ERROR":
        raise NotYet(f"the JSON line has level {record.get('level')!r}; expected 'ERROR'")
    if not record.get("message"):
        raise NotYet("the JSON line needs a 'message' saying what happened")
    if record.get("refund_id") != refund_id:
        raise NotYet(
            f"the JSON line's refund_id is {record.get('refund_id')!r}; expected {refund_id!r}"
        )
    if record.get("request_id") != request_id:
        raise NotYet(
            f"the JSON line's request_id is {record.get('request_id')!r}, but the invocation's "
            f"request id is {request_id!r}: use context.aws_request_id"
        )
