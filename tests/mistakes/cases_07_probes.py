"""Lesson 07, round 3 (eval-d): a failed run named by its own error, not by a guess from
what the other runs wrote; probes that tell a wrong answer from the right one (signatures
computed another way, a report's keys, a pair returned in another shape)."""

from mistakes_runner import Mistake

_TOP = "top = min(counts, key=lambda product: (-counts[product], product)) if counts else None"
_HEAD = (
    "sku = (row.get('sku') or '').strip()\n"
    "name = (row.get('name') or '').strip()\n"
    "text = (row.get('price') or '').strip()\n"
)
_GOOD = (
    "try:\n"
    "    price = Decimal(text)\n"
    "except InvalidOperation:\n"
    "    price = None\n"
    "ok = bool(sku and name) and price is not None and price.is_finite() and price >= 0\n"
)


def _signature(expected: str) -> str:
    return (
        "if not signature:\n"
        "    return False\n"
        f"expected = 'sha256=' + {expected}\n"
        "return hmac.compare_digest(expected.encode(), signature.encode())"
    )


MISTAKES = {
    "07.2": [
        Mistake(  # eval-d r-pair-swapped
            "validate_row returns the pair the wrong way round (the reason first)",
            solution=_HEAD
            + _GOOD
            + "if not ok:\n    return 'bad row', None\n"
            + "return {'sku': sku, 'name': name, 'price': price}, None",
            expect=["validate_row did not raise", "the wrong way round"],
        ),
        Mistake(  # eval-d r-empty-problem
            "validate_row gives an empty reason for a bad row",
            solution=_HEAD
            + _GOOD
            + "if not ok:\n    return None, ''\n"
            + "return {'sku': sku, 'name': name, 'price': price}, None",
            expect=["validate_row did not raise", "reads as 'no problem'"],
        ),
        Mistake(
            "validate_row gives None as the reason for a bad row",
            solution=_HEAD
            + _GOOD
            + "if not ok:\n    return None, None\n"
            + "return {'sku': sku, 'name': name, 'price': price}, None",
            expect=["validate_row did not raise", "reads as 'no problem'"],
        ),
        Mistake(
            "validate_row returns only the reason for a bad row, not a pair",
            solution=_HEAD
            + _GOOD
            + "if not ok:\n    return 'this row is bad'\n"
            + "return {'sku': sku, 'name': name, 'price': price}, None",
            expect=["validate_row did not raise", "did not return a pair"],
        ),
    ],
    "07.3": [
        Mistake(  # eval-d d-key-body-swapped
            "the HMAC's key and message swapped",
            solution=_signature("hmac.new(body, secret, hashlib.sha256).hexdigest()"),
            expect=["the key and the message swapped", "was accepted", "hmac.new(secret, body"],
        ),
        Mistake(  # eval-d d-plain-sha256
            "a plain sha256 of the secret and the body",
            solution=_signature("hashlib.sha256(secret + body).hexdigest()"),
            expect=["a plain hash of the secret and the body", "was accepted"],
        ),
        Mistake(
            "a plain sha256 of the body and the secret",
            solution=_signature("hashlib.sha256(body + secret).hexdigest()"),
            expect=["a plain hash of the body and the secret", "was accepted"],
        ),
        Mistake(
            "an HMAC with SHA-1",
            solution=_signature("hmac.new(secret, body, hashlib.sha1).hexdigest()"),
            expect=["an HMAC with SHA-1", "was accepted"],
        ),
    ],
    "07.4": [
        Mistake(  # eval-d d-empty-day
            "most_common(1)[0] on a day without sales",
            replace=((_TOP, "top = counts.most_common(1)[0][0]"),),
            expect=["a day without sales", "failed", "IndexError", "top_product None"],
        ),
        Mistake(
            "max() of the counts on a day without sales",
            replace=((_TOP, "top = max(counts, key=counts.get)"),),
            expect=["a day without sales", "failed", "ValueError", "max()"],
        ),
        Mistake(
            "the revenue divided by the orders (an average) on a day without sales",
            replace=(
                (
                    '"revenue": float(round(revenue, 2))',
                    '"revenue": float(round(revenue / len(sales) * len(sales), 2))',
                ),
            ),
            expect=["a day without sales", "failed", "division"],
        ),
        Mistake(  # eval-d r-top-key-name
            "top_product written under the key 'top'",
            replace=(('"top_product": top', '"top": top'),),
            expect=["has the keys", "missing top_product", "not expected top"],
        ),
        Mistake(
            "the date written under the key 'day'",
            replace=(('"date": day', '"day": day'),),
            expect=["has the keys", "missing date", "not expected day"],
        ),
        Mistake(
            "the orders written under the key 'count'",
            replace=(('"orders": len(sales)', '"count": len(sales)'),),
            expect=["has the keys", "missing orders", "not expected count"],
        ),
    ],
}
