"""Lesson 06, round 3 (eval-d): a wrong answer told by what really happened, the table's
state and the log: a condition that refuses a new payment (no charge in the table) apart
from answers the wrong way round (the charge is there); a log line never reached (nothing
printed) apart from one printed without the refund id."""

from mistakes_runner import Mistake

_CONDITION = 'ConditionExpression="attribute_not_exists(charge_id)",'
_REFUSED = ["holds no charge", "refuses an item that does not exist", "attribute_not_exists"]
_SWAPPED = ["the table holds its charge", "wrong way round"]
_PRINT = (
    "        print(json.dumps({\n"
    '            "level": "ERROR",\n'
    '            "message": "refund above the limit",\n'
    '            "request_id": context.aws_request_id,\n'
    '            "refund_id": event["refund_id"],\n'
    '            "amount": event["amount"],\n'
    "        }))\n"
)


def _refund(body: str) -> str:
    return (
        "%%writefile functions/refund-log/app.py\n"
        "import json\n\n\n"
        "def handler(event, context):\n" + body + '    return {"status": "refunded"}\n'
    )


MISTAKES = {
    "06.5": [
        Mistake(  # eval-d d-attribute-exists
            "the condition attribute_exists: a new payment is refused",
            replace=((_CONDITION, 'ConditionExpression="attribute_exists(charge_id)",'),),
            expect=_REFUSED,
        ),
        Mistake(
            "the condition attribute_exists on payment_id",
            replace=((_CONDITION, 'ConditionExpression="attribute_exists(payment_id)",'),),
            expect=_REFUSED,
        ),
        Mistake(
            "the condition compares charge_id with the payment: false for a new item",
            replace=(
                (
                    _CONDITION,
                    'ConditionExpression="charge_id = :id",\n'
                    '            ExpressionAttributeValues={":id": payment_id},',
                ),
            ),
            expect=_REFUSED,
        ),
        Mistake(  # eval-d r-returns-swapped
            "charge_card's two returns swapped",
            replace=(
                (
                    "        return False  # a retry or a duplicate: charged already\n"
                    "    return True",
                    "        return True\n    return False",
                ),
            ),
            expect=_SWAPPED,
        ),
        Mistake(
            "the handler reads charge_card's answer the wrong way round",
            replace=(("charged = charge_card(", "charged = not charge_card("),),
            expect=_SWAPPED,
        ),
        Mistake(
            "the handler's two statuses swapped",
            replace=(
                (
                    '"charged" if charged else "already charged"',
                    '"already charged" if charged else "charged"',
                ),
            ),
            expect=_SWAPPED,
        ),
    ],
    "06.6": [
        Mistake(  # eval-d r-after-return
            "the log line printed after the return",
            cell=_refund(
                '    if event["amount"] > 1000:\n        return {"status": "rejected"}\n' + _PRINT
            ),
            expect=["wrote nothing at all", "never reached"],
        ),
        Mistake(
            "the log line printed only above a higher limit",
            cell=_refund(
                '    if event["amount"] > 10000:\n'
                + _PRINT
                + '    if event["amount"] > 1000:\n        return {"status": "rejected"}\n'
            ),
            expect=["wrote nothing at all", "never reached"],
        ),
        Mistake(
            "the log line printed without the refund id",
            cell=_refund(
                '    if event["amount"] > 1000:\n'
                + _PRINT.replace('            "refund_id": event["refund_id"],\n', "")
                + '        return {"status": "rejected"}\n'
            ),
            expect=["printed", "without the refund id"],
        ),
    ],
}
