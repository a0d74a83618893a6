"""Lesson 07: a CSV import that retries a bad price forever, triggered by S3 (issue 23)."""

from mistakes_runner import Mistake

MISTAKES = {
    "07.2": [
        Mistake(
            "hangs: parses the price again and again until it is a number",
            solution="""
            sku = (row.get("sku") or "").strip()
            name = (row.get("name") or "").strip()
            text = (row.get("price") or "").strip()
            if not sku:
                return None, "sku is empty"
            if not name:
                return None, "name is empty"
            while True:
                try:
                    price = Decimal(text)
                    break
                except InvalidOperation:
                    continue
            if not price.is_finite() or price < 0:
                return None, f"price {text!r} is not a valid price"
            return {"sku": sku, "name": name, "price": price}, None
            """,
            expect=["csv-import timed out", "rows.py line", "Its timeout is 60 s", "retried twice"],
        ),
    ],
}
