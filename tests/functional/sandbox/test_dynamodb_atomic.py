"""DynamoDB item writes are atomic, as on AWS: of several conditional puts of one item at
the same instant exactly one succeeds, and ADDs at the same instant lose no update.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
"""

from __future__ import annotations

import threading

import boto3


def _table(sb, name):
    ddb = sb.client("dynamodb")
    try:
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    except ddb.exceptions.ResourceInUseException:
        pass
    # One client per thread: boto3's default session is not thread-safe.
    return [boto3.session.Session().client("dynamodb") for _ in range(8)]


def _at_once(clients, write):
    start = threading.Barrier(len(clients))
    results = []

    def one(client):
        start.wait(timeout=30)
        results.append(write(client))

    threads = [threading.Thread(target=one, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_conditional_puts_at_the_same_instant_let_exactly_one_through(sb):
    clients = _table(sb, "atomic-put")

    def put(key):
        def write(client):
            try:
                client.put_item(
                    TableName="atomic-put",
                    Item={"k": {"S": key}},
                    ConditionExpression="attribute_not_exists(k)",
                )
                return True
            except client.exceptions.ConditionalCheckFailedException:
                return False

        return write

    for n in range(20):
        assert _at_once(clients, put(f"key-{n}")).count(True) == 1


def test_adds_at_the_same_instant_lose_no_update(sb):
    clients = _table(sb, "atomic-add")

    def add(client):
        return client.update_item(
            TableName="atomic-add",
            Key={"k": {"S": "counter"}},
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )["Attributes"]["n"]["N"]

    returned = []
    for _ in range(10):
        returned += _at_once(clients, add)
    assert sorted(map(int, returned)) == list(range(1, 81))
