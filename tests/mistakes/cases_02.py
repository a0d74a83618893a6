"""Typical wrong answers to lesson 02's exercises (triggers), and what each check must say."""

from mistakes_runner import Mistake

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
            solution="""
            failures = []
            for record in event["Records"]:
                try:
                    process(json.loads(record["body"]))
                except ValueError:
                    failures.append(record["messageId"])
            return {"batchItemFailures": failures}
            """,
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
            solution="""
            for record in event["Records"]:
                try:
                    process(json.loads(record["body"]))
                except ValueError:
                    pass
            return {"batchItemFailures": []}
            """,
            expect=["it must report the bad message's id"],
        ),
    ],
}

#: Cells whose output may differ between two runs of the lesson in one kernel, and why.
VARYING = {
    'api_id = apigw.create_api(Name="echo-api"': "a new API id each run",
    "show(event)": "the request's id and time",
    'FunctionName="echo-stream",': "how the poller groups records in batches",
    'show(events_received("sqs-worker")[-1]["Records"][0])': "message ids and timestamps",
}
