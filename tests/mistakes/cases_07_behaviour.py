"""Lesson 07, wrong answers a new learner writes that the catalogue (cases_07.py) does
not hold: the lesson's example hard-coded, wrong types and encodings, partial checks,
swallowed errors, days and sums of the daily report. Each must be named by what the
system did with the check's input."""

from mistakes_runner import Mistake
from snippets_07 import SIGNATURE, SUMMARIZE, VALIDATE, every_workload, report

MISTAKES = {
    "07.1": [
        Mistake(
            "200 and the item, whatever it is (None for a missing id)",
            solution='return 200, table.get_item(Key={"id": item_id}).get("Item")',
            expect=["does not exist", "expected 404"],
        ),
        Mistake(
            "the item as a JSON string: encoded twice",
            solution="""\
import json
item = table.get_item(Key={"id": item_id}).get("Item")
if item is None:
    return 404, {"error": "not found"}
return 200, json.dumps(item)
""",
            expect=["expected the item itself"],
        ),
        Mistake(
            "a plain-text 404 body",
            solution="""\
item = table.get_item(Key={"id": item_id}).get("Item")
if item is None:
    return 404, "not found"
return 200, item
""",
            expect=["404 answer's body", "not found"],
        ),
        Mistake(
            "the first item of a scan, not the one asked for",
            solution="""\
items = table.scan()["Items"]
if not items:
    return 404, {"error": "empty"}
return 200, items[0]
""",
            expect=["expected 404"],
        ),
    ],
    "07.2": [
        Mistake(
            "refuses a free sample (price 0)",
            solution=VALIDATE.replace("price < 0", "price <= 0"),
            expect=["Free sample", "validate_row refused it"],
        ),
        Mistake(
            "accepts a negative price",
            solution=VALIDATE.replace(" or price < 0", ""),
            expect=["Saucer", "reached the table"],
        ),
        Mistake(
            "keeps the name's spaces",
            solution=VALIDATE.replace(
                'name = (row.get("name") or "").strip()', 'name = row.get("name") or ""'
            ).replace("if not name:", "if not name.strip():"),
            expect=["Tea cup", "strip"],
        ),
        Mistake(
            "int() for the price: '24.90' raises",
            solution=VALIDATE.replace("price = Decimal(text)", "price = Decimal(int(text))"),
            expect=["ValueError", "24.90", "(item, None)"],
        ),
    ],
    "07.3": [
        Mistake(
            "any signature starting with 'sha256='",
            solution="return bool(signature) and signature.startswith('sha256=')",
            expect=["a forgery got through"],
        ),
        Mistake(
            "a prefix of the right signature is taken (substring test)",
            solution=SIGNATURE.replace(
                "hmac.compare_digest(expected.encode(), signature.encode())",
                "signature in expected",
            ),
            expect=["a forgery got through", "without its 'sha256=' prefix"],
        ),
        Mistake(
            "SHA-1 instead of SHA-256",
            solution=SIGNATURE.replace("hashlib.sha256", "hashlib.sha1"),
            expect=["a delivery signed with the secret", "must get 200"],
        ),
        Mistake(
            "signs the body decoded as ASCII: a non-ASCII body crashes",
            solution=SIGNATURE.replace(
                "expected = ", 'text = body.decode("ascii")\nexpected = '
            ).replace("(secret, body,", "(secret, text.encode(),"),
            expect=["non-ASCII", "UnicodeDecodeError"],
        ),
    ],
    "07.4": [
        Mistake(
            "counts products, not orders",
            cell=report(
                summarize=SUMMARIZE.replace('"orders": len(sales)', '"orders": len(counts)')
            ),
            expect=["orders=", "the day's sales"],
        ),
        Mistake(
            "the top product by revenue, not by number of orders",
            cell=report(
                summarize=SUMMARIZE.replace(
                    'counts = Counter(sale["product"] for sale in sales)',
                    "counts = Counter()\n"
                    "for sale in sales:\n"
                    '    counts[sale["product"]] += sale["amount"]',
                )
            ),
            expect=["top_product=", "the day's sales"],
        ),
        Mistake(
            "revenue cut to whole units",
            cell=report(summarize=SUMMARIZE.replace("float(round(revenue, 2))", "int(revenue)")),
            expect=["revenue=", "the day's sales"],
        ),
        Mistake(
            "strptime without the 'Z': every run fails",
            cell=report(
                report_day='run = datetime.strptime(event_time, "%Y-%m-%dT%H:%M:%S")\n'
                "return (run - timedelta(days=1)).date().isoformat()\n"
            ),
            expect=["ValueError", "summary.py, line"],
        ),
    ],
    "07.5": [
        Mistake(
            "one json.loads, then the Message as it is (a str)",
            solution='return json.loads(record["body"])["Message"]',
            expect=["TypeError"],
        ),
        Mistake(
            "reads the record as SNS delivers it to a function directly",
            solution='return json.loads(record["Sns"]["Message"])',
            expect=["KeyError", "'Sns'"],
        ),
        Mistake(
            "indexes the body before decoding it",
            solution='return json.loads(record["body"]["Message"])',
            expect=["TypeError", "string indices"],
        ),
        Mistake(
            "hard-codes the lesson's example order",
            solution='return {"order_id": "o-1", "address": "1 Main St"}',
            expect=["without an error", "'o-1'"],
        ),
    ],
    "07.6": [
        Mistake(
            "True and False instead of words",
            solution=every_workload("True"),
            expect=["True is not an answer"],
        ),
        Mistake(
            "'not-lambda' with a hyphen",
            solution=every_workload("'not-lambda'"),
            expect=["'not-lambda' is not an answer"],
        ),
        Mistake(
            "keys with underscores",
            solution="decisions = {'thumbnails': 'lambda', 'video_transcode': 'not lambda', "
            "'game_server': 'not lambda', 'ad_bidder': 'not lambda', "
            "'steady_api': 'not lambda', 'nightly_import': 'lambda'}",
            expect=["'video_transcode'", "is not a workload"],
        ),
        Mistake(
            "nothing is Lambda",
            solution=every_workload("'not lambda'"),
            expect=["2 of 6 not right yet"],
        ),
    ],
}
