"""Typical wrong answers to lesson 07's exercises (the use cases), and what each check must
say about them: the request or row that went wrong, and the function's own error."""

from mistakes_runner import Mistake, with_themes
from snippets_07 import SUMMARIZE, VALIDATE, VALIDATE_TRY, every_workload, report

NOTEBOOK = "07-use-cases.ipynb"

MISTAKES = {
    "07.1": [
        Mistake(
            "crash: ['Item'] for an id that does not exist",
            solution='item = table.get_item(Key={"id": item_id})["Item"]\nreturn 200, item',
            expect=["expected 404", "KeyError: 'Item'", "read_item.py, line"],
        ),
        Mistake(
            "no 404: 200 and null for a missing item",
            solution='return 200, table.get_item(Key={"id": item_id}).get("Item")',
            expect=["an id that does not exist, answered 200", "expected 404"],
        ),
        Mistake(
            "the wrong key name",
            solution=(
                'item = table.get_item(Key={"item_id": item_id}).get("Item")\n'
                'return (200, item) if item else (404, {"error": "not found"})'
            ),
            expect=["the function failed", "ValidationException"],
        ),
    ],
    "07.2": [
        Mistake(
            "Decimal() without try: 'twelve' raises",
            solution=VALIDATE.replace(VALIDATE_TRY, "price = Decimal(text)\n"),
            expect=["failed at line 5", "Teapot,twelve", "InvalidOperation", "never raise"],
        ),
        Mistake(
            "the sku is not stripped",
            solution=VALIDATE.replace(
                'sku = (row.get("sku") or "").strip()', 'sku = row.get("sku") or ""'
            ),
            expect=["stored under the sku", "spaces and all"],
        ),
        Mistake(
            "no is_finite(): comparing NaN raises",
            solution=VALIDATE.replace("not price.is_finite() or ", ""),
            expect=["failed at line 9", "Plate,NaN", "InvalidOperation"],
        ),
        Mistake(
            "crash on a short line: its price is None",
            solution=VALIDATE.replace(
                'text = (row.get("price") or "").strip()', 'text = row["price"].strip()'
            ),
            expect=["failed at line 12", "Fork", "AttributeError"],
        ),
        Mistake(
            "the price stored as a float: DynamoDB refuses it",
            solution=VALIDATE.replace(
                'return {"sku": sku, "name": name, "price": price}, None',
                'return {"sku": sku, "name": name, "price": float(price)}, None',
            ),
            expect=["Float types are not supported", "the item's price is a float", "Decimal"],
        ),
    ],
    "07.3": [
        Mistake(
            "the stub: is_valid returns nothing",
            stub=True,
            expect=["is_valid returned a false value", "a genuine delivery must get 200"],
        ),
        Mistake(
            "no check for a missing header: compare_digest(str, None) raises",
            solution=(
                'expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()\n'
                "return hmac.compare_digest(expected, signature)"
            ),
            expect=["expected 401", "TypeError", "signature.py, line"],
        ),
        Mistake(
            "forgets the 'sha256=' prefix",
            solution=(
                "if not signature:\n    return False\n"
                "expected = hmac.new(secret, body, hashlib.sha256).hexdigest()\n"
                "return hmac.compare_digest(expected.encode(), signature.encode())"
            ),
            expect=["a genuine delivery must get 200"],
        ),
        Mistake(
            "accepts everything",
            solution="return True",
            expect=["a forgery got through"],
        ),
    ],
    "07.4": [
        Mistake(
            "a Decimal in the report: json.dumps fails at every run",
            cell=report(
                summarize=SUMMARIZE.replace("float(round(revenue, 2))", "round(revenue, 2)"),
            ),
            expect=["TypeError", "not JSON serializable", "float(round(revenue, 2))"],
        ),
        Mistake(
            "datetime.now() instead of the event's time",
            cell=report("return (datetime.now(UTC) - timedelta(days=1)).date().isoformat()\n"),
            expect=["datetime.now()", "event_time", "scheduled time"],
        ),
        Mistake(
            "the day of the run, not the day before",
            cell=report("return datetime.fromisoformat(event_time).date().isoformat()\n"),
            expect=["the day of each run", "timedelta(days=1)"],
        ),
        Mistake(
            "report_day without a return statement",
            cell=report("(datetime.fromisoformat(event_time) - timedelta(days=1)).date()\n"),
            expect=["report_day returned None"],
        ),
    ],
    "07.5": [
        Mistake(
            "one json.loads: the SNS envelope is taken for the order",
            solution='return json.loads(record["body"])',
            expect=["none reached the shipments table", "KeyError"],
        ),
        Mistake(
            "reads the envelope's key from the SQS record",
            solution='return json.loads(record["Message"])',
            expect=["KeyError('Message')"],
        ),
    ],
    "07.6": [
        Mistake(
            "Lambda for everything",
            solution=every_workload("'lambda'"),
            expect=["4 of 6 not right yet", "video-transcode is not right yet"],
        ),
        Mistake(
            "a list, not a dict",
            solution="decisions = ['lambda', 'not lambda']",
            expect=["expected a dict"],
        ),
        Mistake(
            "one workload forgotten",
            solution="decisions = {'thumbnails': 'lambda', 'video-transcode': 'not lambda', "
            "'game-server': 'not lambda', 'ad-bidder': 'not lambda', 'steady-api': 'not lambda'}",
            expect=["no answer yet for 'nightly-import'"],
        ),
    ],
}
MISTAKES = with_themes("07", MISTAKES)

#: Cells whose output may differ between two runs, and why (see mistakes_runner.TwiceRun).
VARYING = {
    'apigw.create_api(Name="items"': "a new API gets a new random id (in its URL)",
    "lam.create_function_url_config": "the function URL's id is random",
}
