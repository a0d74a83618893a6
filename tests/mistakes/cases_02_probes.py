"""Lesson 02, round 3 (eval-c): a failed run named by its own cause (a trigger the
function's policy refuses, good records failing too), and probes that tell a wrong answer
from the right one (a decode_key that ignores its key, a tally that counts at most 1)."""

from mistakes_runner import Mistake

_BODY = 'process(json.loads(record["body"]))'
_COUNT = 'counts[record["eventName"]] += 1'

MISTAKES = {
    "02.1": [
        Mistake(  # eval-c c-no-permission
            "the allow(...) call left out: API Gateway may not invoke the router",
            replace=(('allow(\n    "router",', 'print(\n    "router",'),),
            expect=["the function never ran", "could not invoke router", "apigateway"],
        ),
        Mistake(
            "the permission granted to another principal",
            replace=(
                ('"apigateway.amazonaws.com",\n    f"arn', '"lambda.amazonaws.com",\n    f"arn'),
            ),
            expect=["the function never ran", "could not invoke router", "apigateway"],
        ),
        Mistake(
            "the permission granted for the echo API's id, not the router's",
            replace=(('{ACCOUNT}:{router_api_id}/*",\n)', '{ACCOUNT}:{api_id}/*",\n)'),),
            expect=["the function never ran", "could not invoke router"],
        ),
    ],
    "02.2": [
        Mistake(  # eval-c r3-uses-notebook-event
            "decodes the notebook's sample event, not its argument",
            solution='return event["Records"][0]["s3"]["object"]["key"]',
            expect=["does not use its argument key"],
        ),
        Mistake(
            "decodes the notebook's sample event's key, not its argument",
            solution='return unquote_plus(event["Records"][0]["s3"]["object"]["key"])',
            expect=["does not use its argument key"],
        ),
        Mistake(
            "returns a fixed key",
            solution='return "red flower.jpg"',
            expect=["does not use its argument key"],
        ),
    ],
    "02.3": [
        Mistake(  # eval-c c-assign-not-add
            "sets the count to 1 instead of adding 1",
            replace=((_COUNT, 'counts[record["eventName"]] = 1'),),
            expect=["one batch of 3", "added 1 to the tally", "+= 1"],
        ),
        Mistake(
            "updates the dict with a count of 1",
            replace=((_COUNT, 'counts.update({record["eventName"]: 1})'),),
            expect=["one batch of 3", "added 1 to the tally", "+= 1"],
        ),
        Mistake(
            "ORs 1 into the count",
            replace=((_COUNT, 'counts[record["eventName"]] |= 1'),),
            expect=["one batch of 3", "added 1 to the tally", "+= 1"],
        ),
    ],
    "02.5": [
        Mistake(  # eval-c r3-no-json-loads
            "passes the body string to process, not the parsed order",
            replace=((_BODY, 'process(record["body"])'),),
            expect=["one good message alone", "good messages fail too", "AttributeError"],
        ),
        Mistake(  # eval-c r3-json-load-typo
            "json.load (a file) instead of json.loads",
            replace=((_BODY, 'process(json.load(record["body"]))'),),
            expect=["one good message alone", "good messages fail too", "AttributeError"],
        ),
        Mistake(
            "reads the body as 'Body', as receive_message spells it",
            replace=((_BODY, 'process(json.loads(record["Body"]))'),),
            expect=["one good message alone", "good messages fail too", "KeyError"],
        ),
        Mistake(
            "passes the whole record to process: every order has no quantity",
            replace=((_BODY, "process(record)"),),
            expect=["reported the good one", "its log says", "has no quantity", "fails too"],
        ),
    ],
}
