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
        why = (
            " It gave up on a partner that answers at once: if the partner is not running, "
            "run the cell that starts SlowPartner; otherwise the timeout is too short"
            if isinstance(got, dict) and got.get("status") == "partner-timeout"
            else ""
        )
        raise NotYet(
            f"with a quick partner (delay 0) the function returned {got!r}; expected "
            "{'status': 'ok', 'quote': {'price': 42}}, the partner's quote in its envelope." + why
        )
    invoked = fn.invoke({"delay": 3})
    if invoked.function_error:
        error = invoked.error
        if error.get("errorType") == "Sandbox.Timedout":
            raise NotYet(
                "with a partner that takes 3 s, Lambda killed the function at its 1 s timeout "
                f"({error.get('errorMessage')}): the call waited longer than the time left. "
                "A partner call with no timeout, or with a timeout of all the time left, "
                "runs until Lambda stops the function, before the except branch can answer: "
                "take a safety margin (SAFETY_MS) off the time left"
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


ROUNDS_06_3 = 3  # rounds of visits at the same instant
AT_ONCE_06_3 = 4  # visits in each round


def _visit_counts(fn: Deployed, invocations: list[Any], what: str) -> list[Any]:
    """The visit counts the function returned; its error, with ``what`` it was doing, a NotYet."""
    counts = []
    for invoked in invocations:
        if invoked.function_error:
            raise NotYet(f"{what}: {function_error(invoked)}")
        payload = invoked.payload
        if not isinstance(payload, dict) or "visits" not in payload:
            raise NotYet(f"{what}, the function returned {payload!r}; expected {{'visits': n}}")
        counts.append(payload["visits"])
    return counts


def _stored_visits(table: Any) -> int:
    item = table.get_item(Key={"page": "home"}).get("Item") or {}
    return int(item.get("visits", 0))


def _elsewhere(table: Any) -> str:
    """The counters table's other items, in words (where a count may have gone instead)."""
    others = [item for item in table.scan().get("Items", []) if item.get("page") != "home"]
    if not others:
        return "the table holds no other item either"
    shown = ", ".join(repr({k: str(v) for k, v in item.items()}) for item in others[:3])
    return f"the table holds {shown}"


@exercise("06.3", deployed="visit-counter")
def shared_counter(fn: Deployed) -> None:
    """Visits counted in DynamoDB: right one after the other, across execution
    environments (module memory is per environment), and when several visits come at the
    same instant (a read-then-write loses updates; ADD does not)."""
    table = dynamodb_table("counters")
    table.delete_item(Key={"page": "home"})
    # One after the other: two visits in one environment, then one in a new environment.
    counts = _visit_counts(fn, [fn.invoke({}), fn.invoke({})], "a visit")
    with fn.in_new_environment():
        counts += _visit_counts(fn, [fn.invoke({})], "a visit in a new execution environment")
    total = _stored_visits(table)
    if counts != [1, 2, 3] or total != 3:
        said = (
            "three visits one after the other, the third in a new execution environment (as "
            "after a deploy, after idle time, or for a second request at the same time): the "
            f"function returned {', '.join(map(str, counts))} and the counters table's item "
            f"{{'page': 'home'}} says {total}"
        )
        if counts[1] == counts[0] + 1 and counts[2] <= counts[1] and total != counts[1] + 1:
            raise NotYet(
                f"{said}. The count went up by one in the first environment, then started "
                f"again at {counts[2]} in the new environment: each environment counted on "
                "its own, in its module memory. Keep the count in the table, and let "
                "DynamoDB add (update_item with ADD)"
            )
        if total == 0:
            raise NotYet(f"{said}: nothing reached that item; {_elsewhere(table)}")
        if set(counts) == {total}:
            raise NotYet(
                f"{said}: every visit wrote the same {total}. SET visits = :one writes the "
                "value given each time, it does not add to it: ADD visits :one adds 1 to "
                "what the item holds (starting from 0)"
            )
        raise NotYet(f"{said}; expected 1, 2, 3 and 3")
    # At the same instant: each round's visits run side by side, in environments of their own.
    table.delete_item(Key={"page": "home"})
    returned: list[Any] = []
    for _ in range(ROUNDS_06_3):
        invoked = fn.invoke_at_once([{}] * AT_ONCE_06_3)
        returned += _visit_counts(fn, invoked, "one of the visits at the same time")
    visits = ROUNDS_06_3 * AT_ONCE_06_3
    total = _stored_visits(table)
    twice = sorted({n for n in returned if returned.count(n) > 1})
    if total != visits or sorted(returned) != list(range(1, visits + 1)):
        said = (
            f"{visits} visits, {AT_ONCE_06_3} at a time: the table says {total} and the "
            f"function returned {returned}"
        )
        if twice:
            raise NotYet(
                f"{said}. {', '.join(map(str, twice))} came back from more than one visit "
                "each: they read the same value before either wrote it back, so an update "
                "was lost. "
                "Reading then writing is not atomic: let DynamoDB add in one call (update_item "
                "with ADD) and return the value it gives back"
            )
        raise NotYet(f"{said}; expected {visits}, and each visit its own count from 1 to {visits}")


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
        cap = (
            "noisy has no reserved concurrency: nothing caps noisy yet"
            if reserved is None
            else f"noisy's reserved concurrency is {reserved}: up to {reserved} can run at once"
        )
        raise NotYet(
            f"all 5 invocations ran at once (CloudWatch's ConcurrentExecutions peaked at "
            f"{peak:.0f}): {cap}. With 2, 2 run and 3 are throttled"
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


def _charge_ids(table: Any, payment_id: str) -> list[Any]:
    """The keys (charge_id) of the items the table holds for ``payment_id``."""
    from boto3.dynamodb.conditions import Attr

    items = scan(table, Attr("payment_id").eq(payment_id))
    return sorted({str(item.get("charge_id")) for item in items})


def _status(fn: Deployed, invoked: Any, payment: dict[str, Any], when: str) -> Any:
    """The status the handler answered for ``payment``; a failure is a NotYet."""
    if invoked.function_error:
        raise NotYet(
            f"sent {when}, the payment {payment!r}: {function_error(invoked)}. A duplicate "
            "must not fail: charge_card returns False"
        )
    return invoked.payload.get("status") if isinstance(invoked.payload, dict) else None


def _payment(amount: int, **more: Any) -> dict[str, Any]:
    return {"payment_id": f"check-{uuid.uuid4().hex[:8]}", "amount": amount, **more}


@exercise("06.5", deployed="pay-safe")
def charge_once(fn: Deployed) -> None:
    """Each payment charged once: sent twice, sent again to a new execution environment,
    sent several times at the same instant, retried asynchronously; and a different payment
    of the same amount charged too."""
    table = dynamodb_table("payments")

    twice = _payment(12)
    first = _status(fn, fn.invoke(twice), twice, "the first time")
    after_first = _charges(table, twice["payment_id"])
    second = _status(fn, fn.invoke(twice), twice, "the second time (a duplicate)")
    charged = _charges(table, twice["payment_id"])
    if first != "charged":
        message = f"a new payment {twice!r} was answered {first!r}; expected 'charged'"
        if first == "already charged" and after_first == 0:
            message += (
                ", and the table holds no charge for it: the write of a new payment was "
                "refused. The condition refuses an item that does not exist yet (as "
                "attribute_exists(charge_id) does): write only if the item does NOT exist, "
                "attribute_not_exists(charge_id)"
            )
        elif first == "already charged" and after_first == 1:
            message += (
                f", yet the table holds its charge (written by that call); the duplicate was "
                f"then answered {second!r}. The answers are the wrong way round: charge_card "
                "returns True when the write succeeds (charged now), False in the except "
                "(ConditionalCheckFailedException: charged before), and True is 'charged'"
            )
        raise NotYet(message)
    keys = _charge_ids(table, twice["payment_id"])
    if second == "charged" and len(keys) > 1:
        raise NotYet(
            f"the same payment sent twice was charged {charged} times; expected once. The "
            f"table holds its charges under the keys {', '.join(map(repr, keys[:3]))}: the "
            "charge id differs on every call (a new uuid, a time), so the write never meets "
            "the earlier item and its condition never refuses. The key must be the same for "
            "the same payment: use the payment_id as the charge_id"
        )
    if second != "already charged" or charged != 1:
        raise NotYet(
            f"the same payment sent twice was charged {charged} times; expected once. It was "
            f"answered {first!r}, then {second!r}; expected 'charged', then 'already "
            "charged'. "
            + (
                "charge_card returned True the second time: the card was charged again "
                "(a put_item with the same key replaces the item, it does not refuse it). "
                "Write with a ConditionExpression and return False when it fails"
                if second == "charged"
                else "Use the payment_id as the charge_id and write with ConditionExpression"
            )
        )

    with fn.in_new_environment():
        again = _status(fn, fn.invoke(twice), twice, "again, to a new execution environment")
    charged = _charges(table, twice["payment_id"])
    if again != "already charged" or charged != 1:
        raise NotYet(
            f"the same payment sent again to another execution environment (a retry can land "
            f"on any environment, and a deploy replaces them all) was answered {again!r}, and "
            f"the table now holds {charged} charges for it: the first charge was remembered "
            "only in the first environment's module memory. Remember it in the payments table"
        )

    fresh = _payment(twice["amount"])
    answer = _status(fn, fn.invoke(fresh), fresh, "once")
    if _charges(table, fresh["payment_id"]) != 1 or answer != "charged":
        raise NotYet(
            f"a new payment {fresh!r}, of the same amount as an earlier one, was answered "
            f"{answer!r} and not charged: the key must be the payment's own payment_id, so "
            "that different payments are charged once each"
        )

    for _ in range(2):  # the same payment delivered several times at the same instant
        same = _payment(5)
        answers = [
            _status(fn, invoked, same, "several times at the same time")
            for invoked in fn.invoke_at_once([same] * 4)
        ]
        charged = _charges(table, same["payment_id"])
        if answers.count("charged") == 0:
            raise NotYet(
                f"the payment {same!r} delivered 4 times at the same time was answered "
                f"{answers}, with {charged} charge(s) in the table: none of the deliveries "
                "charged it. The key must be the payment's own payment_id"
            )
        if answers.count("charged") != 1 or charged != 1:
            raise NotYet(
                f"the payment {same!r} delivered 4 times at the same time was answered "
                f"{answers}, with {charged} charge(s) in the table; expected 'charged' once. "
                "Deliveries that each read 'not charged yet' before any of them writes all "
                "charge: checking, then writing, is not atomic. Let the write itself refuse "
                "a duplicate (ConditionExpression)"
            )

    retried = _payment(7, receipts_down=True)
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
        own = ("START ", "END ", "REPORT ", "INIT_START", "INIT_REPORT", "EXTENSION")
        printed = [
            line.strip()
            for line in invoked.log.splitlines()
            if line.strip() and not line.startswith(own)
        ]
        if not printed:
            raise NotYet(
                f"filter_log_events found no line with the refund id {refund_id!r}: the "
                "rejected refund's invocation wrote nothing at all to its log (only START, END "
                "and REPORT), so the line that prints was never reached for it (is it after the "
                "return, or under a test that is false for this refund?): print, then return"
            )
        shown = ", ".join(repr(line[:120]) for line in printed[:2])
        raise NotYet(
            f"filter_log_events found no line with the refund id {refund_id!r}: the rejected "
            f"refund's invocation printed {shown}, without the refund id: write it in the "
            "log line (the event's refund_id)"
        )
    records = [record for record in map(parse_json, lines) if isinstance(record, dict)]
    if not records:
        line = lines[0]
        prefix = re.match(r"\[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\]\t\S+\t\S+\t", line)
        if prefix and isinstance(parse_json(line[prefix.end() :]), dict):
            raise NotYet(
                f"the line found is not JSON: {line!r}. It came through the logging module, "
                "and Lambda's runtime puts the level, the time and the request id in front "
                "of each logging line (the text log format): print the JSON line instead"
            )
        start = line.find("{")
        if start > 0 and isinstance(parse_json(line[start:]), dict):
            raise NotYet(
                f"the line found is not JSON: {line!r}. The line starts with "
                f"{line[:start]!r} before the JSON; a log search that reads JSON (a filter "
                'such as { $.level = "ERROR" }) needs the line to be JSON from its first '
                "character: print json.dumps({...}) alone"
            )
        if re.search(r"^\s*[{\[]\s*$", invoked.log, re.MULTILINE):
            raise NotYet(
                f"the line found is not JSON: {line!r}. The JSON was written over several "
                "lines (json.dumps with indent=...), and each line of the output is a log "
                "event of its own, so no event holds the whole object: print it on one "
                "line, json.dumps without indent"
            )
        raise NotYet(f"the line found is not JSON: {line!r}. Print json.dumps({{...}}) of a dict")
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
