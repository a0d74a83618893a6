"""Lesson 06's answers, once: the wrong answers of cases_06*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_06_*.py``): the theme files import
from here, never from cases_06.py (which imports them).
"""

import textwrap

#: 06.2: the time the partner call may take, the function's time left less a margin.
SECONDS_LEFT = "seconds_left = (context.get_remaining_time_in_millis() - SAFETY_MS) / 1000\n"
#: 06.2's answer: the partner called with SECONDS_LEFT, its timeout caught.
PARTNER = (
    SECONDS_LEFT
    + """\
try:
    with urllib.request.urlopen(url, timeout=seconds_left) as response:
        return {"status": "ok", "quote": json.load(response)}
except (TimeoutError, urllib.error.URLError):
    return {"status": "partner-timeout"}
"""
)

#: 06.3's answer: an atomic ADD in DynamoDB.
COUNTER = """\
result = counters.update_item(
    Key={"page": "home"},
    UpdateExpression="ADD visits :one",
    ExpressionAttributeValues={":one": 1},
    ReturnValues="UPDATED_NEW",
)
return {"visits": int(result["Attributes"]["visits"])}
"""


def reserve(executions: int) -> str:
    """06.4's answer cell reserving ``executions`` for noisy."""
    return (
        'lam.put_function_concurrency(FunctionName="noisy", '
        f"ReservedConcurrentExecutions={executions})"
    )


#: 06.5: the charge written only if its id is new.
CONDITIONAL_PUT = """\
payments.put_item(
    Item={"charge_id": payment_id, "payment_id": payment_id, "amount": amount},
    ConditionExpression="attribute_not_exists(charge_id)",
)
"""
#: What CONDITIONAL_PUT raises for a duplicate.
DUPLICATE = "payments.meta.client.exceptions.ConditionalCheckFailedException"
#: 06.5's answer: a duplicate is not charged again.
CHARGE = (
    "try:\n"
    + textwrap.indent(CONDITIONAL_PUT, "    ")
    + f"except {DUPLICATE}:\n    return False\nreturn True\n"
)

#: The fields of 06.6's JSON log line.
LOG_FIELDS = (
    '"level": "ERROR", "message": "refund above the limit", '
    '"request_id": context.aws_request_id, "refund_id": event["refund_id"]'
)
#: 06.6's answer: the log line as one line of JSON.
LOG = "print(json.dumps({" + LOG_FIELDS + "}))"
