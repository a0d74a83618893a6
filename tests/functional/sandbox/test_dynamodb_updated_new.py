"""UpdateItem with ReturnValues=UPDATED_NEW returns every attribute the SET and ADD
clauses write, even when its value did not change, as AWS does (moto returns only the
values that changed).
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues
"""

from __future__ import annotations

from lambdalab.sandbox.moto_patch import named_in_update


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
    return ddb


def test_a_set_to_the_same_value_is_returned(sb):
    ddb = _table(sb, "updated-new")
    for _ in range(2):
        result = ddb.update_item(
            TableName="updated-new",
            Key={"k": {"S": "home"}},
            UpdateExpression="SET visits = :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        assert result["Attributes"] == {"visits": {"N": "1"}}


def test_only_the_written_attributes_are_returned(sb):
    ddb = _table(sb, "updated-new-2")
    ddb.put_item(
        TableName="updated-new-2",
        Item={"k": {"S": "a"}, "other": {"S": "x"}, "n": {"N": "5"}},
    )
    result = ddb.update_item(
        TableName="updated-new-2",
        Key={"k": {"S": "a"}},
        UpdateExpression="SET #o = :x ADD n :one",
        ExpressionAttributeNames={"#o": "other"},
        ExpressionAttributeValues={":x": {"S": "x"}, ":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW",
    )
    assert result["Attributes"] == {"other": {"S": "x"}, "n": {"N": "6"}}


def test_the_clauses_name_their_attributes():
    names = named_in_update("SET #v = :one, b = if_not_exists(b, :z) ADD c :n", {"#v": "v"})
    assert names == {"v", "b", "c"}
    assert named_in_update("REMOVE a DELETE s :x", {}) == set()
