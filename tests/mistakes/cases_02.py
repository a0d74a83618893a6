"""Typical wrong answers to lesson 02's exercises (triggers), and what each check must say."""

from mistakes_runner import Mistake, indented, with_themes
from snippets_02 import BATCH, RESTOCKS

NOTEBOOK = "02-triggers.ipynb"

MISTAKES = {
    "02.1": [
        Mistake(
            "payload 1.0's httpMethod in a 2.0 event",
            replace=(
                (
                    'method = event["requestContext"]["http"]["method"]',
                    'method = event["httpMethod"]',
                ),
            ),
            expect=["HTTP 500", "KeyError: 'httpMethod'"],
        ),
        Mistake(
            "the query string read when there is none",
            replace=(
                (
                    'name = (event.get("queryStringParameters") or {}).get("name", "world")',
                    'name = event["queryStringParameters"].get("name", "world")',
                ),
            ),
            expect=["GET /greet gave HTTP 500", "KeyError: 'queryStringParameters'"],
        ),
        Mistake(
            "a dict body, after a KeyError was fixed: the old error must not be quoted",
            replace=(('"body": json.dumps(body)}', '"body": body}'),),
            expect=["gave HTTP 500", "the function logged no error", "json.dumps"],
        ),
        Mistake(
            "405 for every method other than GET and POST, even on a missing path",
            replace=(
                (
                    '    return response(404, {"error": f"nothing at {path}"})',
                    '    if method not in ("GET", "POST"):\n'
                    '        return response(405, {"error": f"{method} is not allowed"})\n'
                    '    return response(404, {"error": f"nothing at {path}"})',
                ),
            ),
            expect=["DELETE /nowhere gave HTTP 405; expected 404", "whatever the method"],
        ),
        Mistake(
            "startswith: /greetings is served too",
            replace=(('if path == "/greet":', 'if path.startswith("/greet"):'),),
            expect=["GET /greetings gave HTTP 200; expected 404", "the whole path"],
        ),
        Mistake(
            "the POST body used as a dict",
            replace=(
                (
                    'name = json.loads(event.get("body") or "{}").get("name", "world")',
                    'name = event["body"].get("name", "world")',
                ),
            ),
            expect=["POST /greet", "AttributeError"],
        ),
    ],
    "02.2": [
        Mistake(
            "unquote leaves the '+' signs",
            solution="return unquote(key)",
            expect=["decode_key('red+flower.jpg')", "'red flower.jpg'"],
        ),
        Mistake(
            "no return",
            solution="unquote_plus(key)",
            expect=["returned None"],
        ),
    ],
    "02.3": [
        Mistake(
            "reads OldImage of every record: KeyError on INSERT (the issue's case)",
            solution="""
            for record in event["Records"]:
                counts[record["eventName"]] += 1
                old = int(record["dynamodb"]["OldImage"]["stock"]["N"])
                new = int(record["dynamodb"]["NewImage"]["stock"]["N"])
                if new > old:
                    counts["restocks"] += 1
            """,
            expect=["KeyError", "OldImage", "app.py, line", "DynamoDB stream"],
        ),
        Mistake(
            "counts the first record of each batch only",
            solution="""
            record = event["Records"][0]
            counts[record["eventName"]] += 1
            """,
            expect=["the tally says"],
        ),
        Mistake(
            "counts nothing (the stub)",
            solution="pass",
            expect=["the tally stayed at zero"],
        ),
        Mistake(
            "stocks compared as text (the hint's warning)",
            solution=indented(RESTOCKS.replace("int(", "").replace('["N"])', '["N"]')),
            expect=["restocks = 1, expected 2", "as numbers"],
        ),
    ],
    "02.4": [
        Mistake(
            "five fields, as in crontab",
            replace=(
                ('"standup": "cron(30 9 ? * MON-FRI *)"', '"standup": "cron(30 9 * * MON-FRI)"'),
            ),
            expect=["standup: EventBridge would reject"],
        ),
        Mistake(
            "days of the week counted from Monday",
            replace=(
                (
                    '"weekend_backup": "cron(0 3 ? * SAT,SUN *)"',
                    '"weekend_backup": "cron(0 3 ? * 6,7 *)"',
                ),
            ),
            expect=["weekend_backup (3:00 AM UTC on Saturdays and Sundays)", "fires on"],
        ),
    ],
    "02.5": [
        Mistake(
            "no try/except: the exception escapes",
            solution="""
            for record in event["Records"]:
                process(json.loads(record["body"]))
            """,
            expect=["JSONDecodeError", "escapes the handler fails the whole batch"],
        ),
        Mistake(
            "plain message ids (the issue's case)",
            solution=indented(
                BATCH.replace('{"itemIdentifier": record["messageId"]}', 'record["messageId"]')
            ),
            expect=["must be a dict {'itemIdentifier': message_id}", "malformed response"],
        ),
        Mistake(
            "reports every message of the batch",
            solution="""
            every = [{"itemIdentifier": r["messageId"]} for r in event["Records"]]
            return {"batchItemFailures": every}
            """,
            expect=["reported the good one"],
        ),
        Mistake(
            "catches the error and reports nothing",
            solution=indented(
                BATCH.replace("failures = []\n", "")
                .replace('failures.append({"itemIdentifier": record["messageId"]})', "pass")
                .replace('"batchItemFailures": failures', '"batchItemFailures": []')
            ),
            expect=["it must report the bad message's id"],
        ),
        Mistake(
            "reports the receipt handle, not the message id",
            solution=indented(BATCH.replace('record["messageId"]', 'record["receiptHandle"]')),
            expect=["you reported the receipt handle", "messageId"],
        ),
        Mistake(
            "processes every record twice",
            solution=indented(
                BATCH.replace(
                    'process(json.loads(record["body"]))',
                    'order = json.loads(record["body"])\n'
                    "        process(order)\n"
                    "        process(order)",
                )
            ),
            expect=["was processed 2 times", "process each record once"],
        ),
    ],
}
MISTAKES = with_themes("02", MISTAKES)

#: Cells whose output may differ between two runs of the lesson in one kernel, and why.
VARYING = {
    'api_id = apigw.create_api(Name="echo-api"': "a new API id each run",
    "show(event)": "the request's id and time",
    'FunctionName="echo-stream",': "how the poller groups records in batches",
    'show(events_received("sqs-worker")[-1]["Records"][0])': "message ids and timestamps",
}
