"""Lesson 07's answers, once: the wrong answers of cases_07*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_07_*.py``): the theme files import
from here, never from cases_07.py (which imports them).
"""

#: summarize()'s body in the daily report (07.4).
SUMMARIZE = """\
revenue = sum(sale["amount"] for sale in sales)
counts = Counter(sale["product"] for sale in sales)
top = min(counts, key=lambda product: (-counts[product], product)) if counts else None
return {"date": day, "orders": len(sales), "revenue": float(round(revenue, 2)),
        "top_product": top}
"""
#: report_day()'s body in the daily report (07.4).
REPORT_DAY = """\
run = datetime.fromisoformat(event_time)
return (run - timedelta(days=1)).date().isoformat()
"""


def report(report_day: str = REPORT_DAY, summarize: str = SUMMARIZE) -> str:
    """The whole summary.py cell of 07.4, with these two bodies."""
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


#: validate_row()'s body (07.2).
VALIDATE = """\
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
#: VALIDATE's try block, as a line of its own in each variant that changes it.
VALIDATE_TRY = (
    "try:\n    price = Decimal(text)\nexcept InvalidOperation:\n"
    '    return None, f"price {text!r} is not a number"\n'
)


#: is_valid()'s body (07.3).
SIGNATURE = """\
if not signature:
    return False
expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
return hmac.compare_digest(expected.encode(), signature.encode())
"""


def every_workload(answer: str) -> str:
    """07.6's answer cell giving every workload the same ``answer`` (a literal)."""
    return (
        f"decisions = {{w: {answer} for w in ['thumbnails', 'video-transcode', "
        "'game-server', 'ad-bidder', 'steady-api', 'nightly-import']}"
    )
