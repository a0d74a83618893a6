"""Lesson 06: a payment retried until it works, which never does (issue 23)."""

from mistakes_runner import Mistake

MISTAKES = {
    "06.5": [
        Mistake(
            "hangs: retries the conditional write forever on a duplicate",
            solution="""
            while True:
                try:
                    payments.put_item(
                        Item={"charge_id": payment_id, "payment_id": payment_id, "amount": amount},
                        ConditionExpression="attribute_not_exists(charge_id)",
                    )
                    return True
                except payments.meta.client.exceptions.ConditionalCheckFailedException:
                    continue
            """,
            expect=["timed out", "app.py line"],
        ),
    ],
}
