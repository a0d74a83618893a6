"""Lesson 06, wrong answers a new learner writes that the catalogue (cases_06.py) does
not hold: state kept in module memory between execution environments, a read-then-write
that is not atomic, duplicates under retries and at the same time, units, swallowed
exceptions, the lesson's example hard-coded. Each must be named by what the function did."""

from mistakes_runner import Mistake
from snippets_06 import (
    CHARGE,
    COUNTER,
    DUPLICATE,
    LOG,
    LOG_FIELDS,
    PARTNER,
    SECONDS_LEFT,
    reserve,
)

_PUT = (
    "payments.put_item(Item={'charge_id': payment_id, 'payment_id': payment_id, 'amount': amount})"
)

MISTAKES = {
    "06.1": [
        Mistake(
            "imports through importlib at module level: still INIT",
            replace=(
                (
                    "### STUB: import reports",
                    "import importlib\nreports = importlib.import_module('reports')  #",
                ),
            ),
            expect=["paid the 1-second import"],
        ),
        Mistake(
            "moves the import to the bottom of the module: still INIT",
            replace=(
                (
                    '    return {"status": "ok"}  # common: many times a minute',
                    '    return {"status": "ok"}\n\n\nimport reports  # noqa',
                ),
            ),
            expect=["paid the 1-second import"],
        ),
        Mistake(
            "exports the whole event, not its rows",
            replace=(('reports.export(event["rows"])', "reports.export(event)"),),
            expect=["an export returned", "1,a"],
        ),
        Mistake(
            "answers status with another word",
            replace=(('return {"status": "ok"}', 'return {"status": "OK"}'),),
            expect=["{'status': 'OK'}"],
        ),
    ],
    "06.2": [
        Mistake(
            "a fixed 5-second timeout: longer than the function's 1 s",
            solution=PARTNER.replace(SECONDS_LEFT, "").replace("timeout=seconds_left", "timeout=5"),
            expect=["killed the function at its 1 s timeout"],
        ),
        Mistake(
            "another status word",
            solution=PARTNER.replace('"partner-timeout"', '"timeout"'),
            expect=["{'status': 'timeout'}", "partner-timeout"],
        ),
        Mistake(
            "swallows the timeout as a success",
            solution=PARTNER.replace("(TimeoutError, urllib.error.URLError)", "Exception").replace(
                '{"status": "partner-timeout"}', '{"status": "ok", "quote": None}'
            ),
            expect=["'quote': None", "partner-timeout"],
        ),
        Mistake(
            "returns the partner's quote without the envelope",
            solution=PARTNER.replace(
                '{"status": "ok", "quote": json.load(response)}', "json.load(response)"
            ),
            expect=["returned {'price': 42}", "delay 0"],
        ),
    ],
    "06.3": [
        Mistake(
            "reads, adds one, writes back: not atomic",
            solution="""\
item = counters.get_item(Key={"page": "home"}).get("Item") or {}
new = int(item.get("visits", 0)) + 1
counters.put_item(Item={"page": "home", "visits": new})
return {"visits": new}
""",
            expect=["more than one visit", "not atomic"],
        ),
        Mistake(
            "counts in module memory and writes that count to the table",
            solution="""\
global visits
visits += 1
counters.put_item(Item={"page": "home", "visits": visits})
return {"visits": visits}
""",
            expect=["new execution environment", "module memory"],
        ),
        Mistake(
            "writes 1 every time",
            solution='counters.put_item(Item={"page": "home", "visits": 1})\nreturn {"visits": 1}',
            expect=["returned 1, 1, 1"],
        ),
        Mistake(
            "counts under another key: 'Home'",
            solution=COUNTER.replace('"page": "home"', '"page": "Home"'),
            expect=["{'page': 'home'}", "'Home'"],
        ),
    ],
    "06.4": [
        Mistake(
            "reserves 1",
            solution=reserve(1),
            expect=["1 invocations ran", "reserved concurrency is 1"],
        ),
        Mistake(
            "reserves 5: as many as the burst",
            solution=reserve(5),
            expect=["reserved concurrency is 5"],
        ),
        Mistake(
            "reserves 100",
            solution=reserve(100),
            expect=["reserved concurrency is 100"],
        ),
        Mistake(
            "reserves 2, then deletes the reservation",
            solution=reserve(2) + '\nlam.delete_function_concurrency(FunctionName="noisy")',
            expect=["no reserved concurrency"],
        ),
    ],
    "06.5": [
        Mistake(
            "remembers payments in module memory",
            solution="""\
seen = globals().setdefault("CHARGED", set())
if payment_id in seen:
    return False
seen.add(payment_id)
payments.put_item(Item={"charge_id": str(uuid.uuid4()), "payment_id": payment_id,
                        "amount": amount})
return True
""",
            expect=["another execution environment", "module memory"],
        ),
        Mistake(
            "the payment id as the key, without the condition: a duplicate overwrites",
            solution=_PUT + "\nreturn True",
            expect=["second", "'charged'"],
        ),
        Mistake(
            "reads, then writes: two deliveries at the same time both charge",
            solution="""\
if payments.get_item(Key={"charge_id": payment_id}).get("Item"):
    return False
"""
            + _PUT
            + "\nreturn True",
            expect=["at the same time", "'charged'"],
        ),
        Mistake(
            "the condition, its failure swallowed as a charge",
            solution=CHARGE.replace(f"{DUPLICATE}:\n    return False", "Exception:\n    pass"),
            expect=["second", "'charged'"],
        ),
        Mistake(
            "keyed on the amount: another payment of the same amount is never charged",
            solution=CHARGE.replace('"charge_id": payment_id', '"charge_id": f"amount-{amount}"'),
            expect=["different payments"],
        ),
    ],
    "06.6": [
        Mistake(
            "hard-codes the lesson's example refund id",
            solution=LOG.replace('event["refund_id"]', '"r-1"'),
            expect=["no line with the refund id"],
        ),
        Mistake(
            "logs through logging: the runtime prefixes the line",
            solution="import logging\n" + LOG.replace("print(", "logging.getLogger().error("),
            expect=["not JSON"],
        ),
        Mistake(
            "prints the dict itself (Python's repr, not JSON)",
            solution="print({" + LOG_FIELDS + "})",
            expect=["not JSON", "json.dumps"],
        ),
        Mistake(
            "level 'Error'",
            solution=LOG.replace('"level": "ERROR"', '"level": "Error"'),
            expect=["'Error'", "'ERROR'"],
        ),
        Mistake(
            "a request id of its own",
            solution="import uuid\n"
            + LOG.replace("refund above the limit", "refund").replace(
                "context.aws_request_id", "str(uuid.uuid4())"
            ),
            expect=["context.aws_request_id"],
        ),
    ],
}
