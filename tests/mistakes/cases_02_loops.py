"""Loops a learner can build in lesson 02 (issue 23): each must be stopped and named.

A handler that writes into what triggers it calls itself for ever. The feedback must
name the loop in words (who writes into what, which triggers whom) and say whether AWS's
own recursive loop detection would have stopped it.
"""

from mistakes_runner import Mistake

MISTAKES = {
    "02.3": [
        Mistake(
            "the tally written into the inventory table, whose stream triggers the counter",
            solution="""
            for record in event["Records"]:
                counts[record["eventName"]] += 1
                if record["eventName"] == "MODIFY":
                    change = record["dynamodb"]
                    old = int(change.get("OldImage", {}).get("stock", {}).get("N", 0))
                    new = int(change.get("NewImage", {}).get("stock", {}).get("N", 0))
                    if new > old:
                        counts["restocks"] += 1
            """,
            replace=(('Table("inventory-tally")', 'Table("inventory")'),),
            expect=[
                "stream-counter writes into table inventory, whose stream triggers it",
                "AWS would NOT stop it",
            ],
        ),
        Mistake(
            "the tally written into the inventory table: its own records then fail it",
            replace=(('Table("inventory-tally")', 'Table("inventory")'),),
            expect=[
                "KeyError",
                "on events it caused itself, a loop: stream-counter writes into table "
                "inventory, whose stream triggers it",
            ],
        ),
    ],
    "02.5": [
        Mistake(
            "a failed order sent back to its own queue to retry it",
            solution="""
            sqs = boto3.client("sqs")
            for record in event["Records"]:
                try:
                    process(json.loads(record["body"]))
                except ValueError as error:
                    print(f"message {record['messageId']} failed: {error}; trying again")
                    url = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
                    sqs.send_message(QueueUrl=url, MessageBody=record["body"])
            return {"batchItemFailures": []}
            """,
            replace=(("import json\n", "import json\n\nimport boto3\n"),),
            expect=[
                "order-worker sends to orders, the queue that triggers it",
                "AWS's recursive loop detection stops this loop too",
            ],
        ),
    ],
}
