"""Lesson 07, wrong answers a new learner writes that the catalogue (cases_07.py) does
not hold: the lesson's example hard-coded, wrong types and encodings, partial checks,
swallowed errors, days and sums of the daily report. Each must be named by what the
system did with the check's input."""

from mistakes_runner import Mistake

_SUMMARIZE = """\
revenue = sum(sale["amount"] for sale in sales)
counts = Counter(sale["product"] for sale in sales)
top = min(counts, key=lambda product: (-counts[product], product)) if counts else None
return {"date": day, "orders": len(sales), "revenue": float(round(revenue, 2)),
        "top_product": top}
"""
_REPORT_DAY = """\
run = datetime.fromisoformat(event_time)
return (run - timedelta(days=1)).date().isoformat()
"""


def _report(report_day: str = _REPORT_DAY, summarize: str = _SUMMARIZE) -> str:
    return f'''%%writefile functions/daily-report/summary.py
"""What the daily report says."""

from collections import Counter
from datetime import UTC, datetime, timedelta


def report_day(event_time):
    """The day a run reports on (the day before the run), as "YYYY-MM-DD"."""
{_indent(report_day)}

def summarize(day, sales):
    """The report: date, number of orders, revenue, the product with the most orders."""
{_indent(summarize)}
'''


def _indent(code: str) -> str:
    return "\n".join("    " + line if line else "" for line in code.splitlines()) + "\n"


_VALIDATE = """\
sku = (row.get("sku") or "").strip()
name = (row.get("name") or "").strip()
text = (row.get("price") or "").strip()
if not sku:
    return None, "sku is empty"
if not name:
    return None, "name is empty"
try:
    price = Decimal(text)
except InvalidOperation:
    return None, f"price {text!r} is not a number"
if not price.is_finite() or price < 0:
    return None, f"price {text!r} must be a number, 0 or more"
return {"sku": sku, "name": name, "price": price}, None
"""

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
            solution=_VALIDATE.replace("price < 0", "price <= 0"),
            expect=["Free sample", "validate_row refused it"],
        ),
        Mistake(
            "accepts a negative price",
            solution=_VALIDATE.replace(" or price < 0", ""),
            expect=["Saucer", "reached the table"],
        ),
        Mistake(
            "keeps the name's spaces",
            solution=_VALIDATE.replace(
                'name = (row.get("name") or "").strip()', 'name = row.get("name") or ""'
            ).replace("if not name:", "if not name.strip():"),
            expect=["Tea cup", "strip"],
        ),
        Mistake(
            "int() for the price: '24.90' raises",
            solution=_VALIDATE.replace("price = Decimal(text)", "price = Decimal(int(text))"),
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
            solution="""\
if not signature:
    return False
expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
return signature in expected
""",
            expect=["a forgery got through", "without its 'sha256=' prefix"],
        ),
        Mistake(
            "SHA-1 instead of SHA-256",
            solution="""\
if not signature:
    return False
expected = "sha256=" + hmac.new(secret, body, hashlib.sha1).hexdigest()
return hmac.compare_digest(expected.encode(), signature.encode())
""",
            expect=["a delivery signed with the secret", "must get 200"],
        ),
        Mistake(
            "signs the body decoded as ASCII: a non-ASCII body crashes",
            solution="""\
if not signature:
    return False
text = body.decode("ascii")
expected = "sha256=" + hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()
return hmac.compare_digest(expected.encode(), signature.encode())
""",
            expect=["non-ASCII", "UnicodeDecodeError"],
        ),
    ],
    "07.4": [
        Mistake(
            "counts products, not orders",
            cell=_report(
                summarize=_SUMMARIZE.replace('"orders": len(sales)', '"orders": len(counts)')
            ),
            expect=["orders=", "the day's sales"],
        ),
        Mistake(
            "the top product by revenue, not by number of orders",
            cell=_report(
                summarize=_SUMMARIZE.replace(
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
            cell=_report(summarize=_SUMMARIZE.replace("float(round(revenue, 2))", "int(revenue)")),
            expect=["revenue=", "the day's sales"],
        ),
        Mistake(
            "strptime without the 'Z': every run fails",
            cell=_report(
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
            solution="decisions = {w: True for w in ['thumbnails', 'video-transcode', "
            "'game-server', 'ad-bidder', 'steady-api', 'nightly-import']}",
            expect=["True is not an answer"],
        ),
        Mistake(
            "'not-lambda' with a hyphen",
            solution="decisions = {w: 'not-lambda' for w in ['thumbnails', 'video-transcode', "
            "'game-server', 'ad-bidder', 'steady-api', 'nightly-import']}",
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
            solution="decisions = {w: 'not lambda' for w in ['thumbnails', 'video-transcode', "
            "'game-server', 'ad-bidder', 'steady-api', 'nightly-import']}",
            expect=["2 of 6 not right yet"],
        ),
    ],
}
