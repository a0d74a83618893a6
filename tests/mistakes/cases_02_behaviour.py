"""Lesson 02 as a new learner gets it wrong (issue 23, deliverable 4): what each check must
say. Each check names the request, record or key it tried, what came back and what was
expected, and a batch that fails names the function's own error."""

from mistakes_runner import Mistake, indented
from snippets_02 import BATCH, RESTOCKS

MISTAKES = {
    "02.1": [
        Mistake(
            "methods compared in lower case",
            replace=(
                (
                    'if method == "GET":\n            return response(200, {"status": "ok"})',
                    'if method == "get":\n            return response(200, {"status": "ok"})',
                ),
            ),
            expect=["GET /health gave HTTP 405; expected 200"],
        ),
        Mistake(
            "400, not 405, for another method",
            replace=(
                (
                    "else:\n            return response(405",
                    "else:\n            return response(400",
                ),
            ),
            expect=["DELETE /greet gave HTTP 400; expected 405"],
        ),
        Mistake(
            "404 without a body",
            replace=(
                (
                    '    return response(404, {"error": f"nothing at {path}"})',
                    '    return {"statusCode": 404}',
                ),
            ),
            expect=["GET /nowhere", 'expected a JSON body with an "error" key'],
        ),
        Mistake(
            "the raw query string parsed by hand",
            replace=(
                (
                    'name = (event.get("queryStringParameters") or {}).get("name", "world")',
                    'query = dict(p.split("=") for p in event.get("rawQueryString", "").split("&") if p)\n'  # noqa: E501
                    '            name = query.get("name", "world")',
                ),
            ),
            expect=["GET /greet?name=Zo%C3%AB", "Hello, Zo%C3%AB!", "Hello, Zoë!"],
        ),
    ],
    "02.2": [
        Mistake(
            "plus signs replaced, nothing else decoded",
            solution='return key.replace("+", " ")',
            expect=["decode_key('a%2Bb.txt') returned 'a%2Bb.txt'", "'a+b.txt'", "passed for"],
        ),
        Mistake(
            "unquote first, then the plus signs",
            solution='return unquote(key).replace("+", " ")',
            expect=["decode_key('a%2Bb.txt') returned 'a b.txt'", "'a+b.txt'"],
        ),
        Mistake(
            "decoded as Latin-1",
            solution='return unquote_plus(key, encoding="latin-1")',
            expect=["caf%C3%A9", "'café menu.pdf'"],
        ),
        Mistake(
            "spaces at the ends stripped",
            solution="return unquote_plus(key).strip()",
            expect=["+draft++v2+.txt+')", "spaces at the ends"],
        ),
        Mistake(
            "bytes, not a str",
            solution="from urllib.parse import unquote_to_bytes\nreturn unquote_to_bytes(key.replace('+', ' '))",  # noqa: E501
            expect=["returned b'red flower.jpg'", "return a str, not a bytes"],
        ),
    ],
    "02.3": [
        Mistake(
            "an unchanged stock counted as a restock (>=)",
            solution=indented(RESTOCKS.replace("new > old", "new >= old")),
            expect=["restocks = 4, expected 2", "counting a stock unchanged as a restock"],
        ),
        Mistake(
            "restocks looked for in UPDATE records",
            solution=indented(RESTOCKS.replace('== "MODIFY"', '== "UPDATE"')),
            expect=["restocks = 0, expected 2", "a restock is a MODIFY record"],
        ),
        Mistake(
            "the stock's DynamoDB JSON not unwrapped",
            solution=indented(RESTOCKS.replace('["stock"]["N"]', '["stock"]')),
            expect=["TypeError", "app.py, line"],
        ),
        Mistake(
            "an insert counted as a restock",
            solution="""
            for record in event["Records"]:
                counts[record["eventName"]] += 1
                images = record["dynamodb"]
                if "NewImage" in images:
                    old = int(images.get("OldImage", {"stock": {"N": "0"}})["stock"]["N"])
                    if int(images["NewImage"]["stock"]["N"]) > old:
                        counts["restocks"] += 1
            """,
            expect=["restocks = 7, expected 2"],
        ),
    ],
    "02.4": [
        Mistake(
            "local time, not UTC",
            replace=(
                ('"standup": "cron(30 9 ? * MON-FRI *)"', '"standup": "cron(30 10 ? * MON-FRI *)"'),
            ),
            expect=["standup", "10:30 UTC", "expected", "09:30 UTC"],
        ),
        Mistake(
            "the 28th to the 31st, not the last day",
            replace=(
                ('"month_end": "cron(0 18 L * ? *)"', '"month_end": "cron(0 18 28-31 * ? *)"'),
            ),
            expect=["month_end", "fires on", "expected"],
        ),
        Mistake(
            "a key misspelt",
            replace=(('"weekend_backup":', '"weekend-backup":'),),
            expect=["no key 'weekend_backup'", "'weekend-backup'"],
        ),
        Mistake(
            "6 PM written as 6",
            replace=(('"month_end": "cron(0 18 L * ? *)"', '"month_end": "cron(0 6 L * ? *)"'),),
            expect=["month_end", "06:00 UTC", "18:00 UTC"],
        ),
    ],
    "02.5": [
        Mistake(
            "only the JSON error caught",
            replace=(("except ValueError as error:", "except json.JSONDecodeError as error:"),),
            expect=["ValueError", "has no quantity", "app.py, line"],
        ),
        Mistake(
            "returns at the first failure",
            replace=(
                (
                    'failures.append({"itemIdentifier": record["messageId"]})',
                    'failures.append({"itemIdentifier": record["messageId"]})\n'
                    '            return {"batchItemFailures": failures}',
                ),
            ),
            expect=["never processed", "processed order"],
        ),
        Mistake(
            "the record's position, not its messageId",
            solution=indented(
                BATCH.replace(
                    'for record in event["Records"]',
                    'for position, record in enumerate(event["Records"])',
                ).replace('record["messageId"]', "str(position)")
            ),
            expect=["it must report the bad message's id"],
        ),
        Mistake(
            "batchItemFailure, singular",
            replace=(
                ('return {"batchItemFailures": failures}', 'return {"batchItemFailure": failures}'),
            ),
            expect=["'batchItemFailure'", "batchItemFailures"],
        ),
    ],
}
