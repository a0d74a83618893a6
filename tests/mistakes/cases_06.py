"""Typical wrong answers to lesson 06's exercises (the pitfalls), and what each check must
say about them: the measurement that shows the pitfall, or the function's own error."""

from mistakes_runner import Mistake, with_themes
from snippets_06 import CONDITIONAL_PUT, COUNTER, LOG, PARTNER, reserve

NOTEBOOK = "06-pitfalls.ipynb"

MISTAKES = {
    "06.1": [
        Mistake(
            "the import stays at the top (the stub)",
            replace=(("### STUB: import reports", "import reports  #"),),
            expect=["paid the 1-second import", "still runs at INIT"],
        ),
        Mistake(
            "imports at the start of the handler: every environment's first status pays",
            replace=(
                (
                    "def handler(event, context):\n",
                    "def handler(event, context):\n    import reports\n",
                ),
            ),
            expect=["the first status request of each new environment", "inside the export branch"],
        ),
        Mistake(
            "imports the wrong module name in the branch",
            replace=(("        import reports  #", "        import report as reports  #"),),
            expect=["ModuleNotFoundError", "No module named 'report'", "app.py, line"],
        ),
        Mistake(
            "deletes the import without moving it",
            replace=(("        import reports  #", "        pass  #"),),
            expect=["NameError", "name 'reports' is not defined"],
        ),
    ],
    "06.2": [
        Mistake(
            "no timeout at all (the stub)",
            solution='return {"status": "ok", "quote": json.load(urllib.request.urlopen(url))}',
            expect=["killed the function at its 1 s timeout"],
        ),
        Mistake(
            "catches URLError only: a read timeout is a TimeoutError",
            solution=PARTNER.replace(
                "(TimeoutError, urllib.error.URLError)", "urllib.error.URLError"
            ),
            expect=["the function failed with TimeoutError", "Catch the timeout"],
        ),
        Mistake(
            "milliseconds given as seconds",
            solution="""\
try:
    with urllib.request.urlopen(url, timeout=context.get_remaining_time_in_millis()) as r:
        return {"status": "ok", "quote": json.load(r)}
except (TimeoutError, urllib.error.URLError):
    return {"status": "partner-timeout"}
""",
            expect=["killed the function at its 1 s timeout"],
        ),
    ],
    "06.3": [
        Mistake(
            "counts in memory (the stub)",
            solution="global visits\nvisits += 1\nreturn {'visits': visits}",
            expect=["each environment counted on its own"],
        ),
        Mistake(
            "UPDATED_OLD: the first invocation has no old value",
            solution=COUNTER.replace("UPDATED_NEW", "UPDATED_OLD"),
            expect=["KeyError: 'Attributes'", "app.py, line"],
        ),
        Mistake(
            "a reserved word as the attribute's name",
            solution=COUNTER.replace("ADD visits", "ADD total"),
            expect=["the function failed with ClientError", "reserved keyword"],
        ),
    ],
    "06.4": [
        Mistake("no reservation (the stub)", solution="pass", expect=["nothing caps noisy yet"]),
        Mistake(
            "reserves 0: switched off",
            solution=reserve(0),
            expect=["switches it off"],
        ),
        Mistake(
            "reserves 3",
            solution=reserve(3),
            expect=["3 invocations ran and 2 were throttled", "With 2, 2 run and 3 are throttled"],
        ),
    ],
    "06.5": [
        Mistake(
            "a new charge id every time (the stub)",
            solution="payments.put_item(Item={'charge_id': str(uuid.uuid4()), "
            "'payment_id': payment_id, 'amount': amount})\nreturn True",
            expect=["charged 2 times; expected once"],
        ),
        Mistake(
            "the condition, without catching its exception",
            solution=CONDITIONAL_PUT + "return True\n",
            expect=["ConditionalCheckFailedException", "A duplicate must not fail"],
        ),
    ],
    "06.6": [
        Mistake(
            "a plain text line (the stub)",
            solution="print(f\"ERROR: refund {event['refund_id']} rejected\")",
            expect=["is not JSON"],
        ),
        Mistake(
            "JSON without the request id",
            solution=LOG.replace('"request_id": context.aws_request_id, ', ""),
            expect=["use context.aws_request_id"],
        ),
        Mistake(
            "JSON without the refund id",
            solution=LOG.replace(', "refund_id": event["refund_id"]', ""),
            expect=["found no line with the refund id"],
        ),
    ],
}
MISTAKES = with_themes("06", MISTAKES)

#: Cells whose output may differ between two runs, and why (see mistakes_runner.TwiceRun).
VARYING = {
    'invoke_at_once("warm-me"': "which of five simultaneous requests finds the warm "
    "environment depends on timing",
    'invoke_at_once("state-counter"': "which request the warm environment serves varies",
    "def invoke_with_retries": "boto3 retries after a random wait: how many get through varies",
}
