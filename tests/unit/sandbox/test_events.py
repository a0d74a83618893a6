"""Unit tests for lambdalab.sandbox.events: every event keeps AWS's keys, nesting and formats."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote_plus

import pytest

from lambdalab.sandbox import events

T = datetime(2026, 11, 29, 2, 0, 0, 123456, tzinfo=UTC)
ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CLF = re.compile(r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def roundtrip(event: dict) -> dict:
    """The event survives JSON unchanged (what the runtime hands a handler)."""
    assert json.loads(json.dumps(event)) == event
    return event


# --------------------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------------------


def test_times_accept_naive_aware_and_epoch_seconds():
    aware = events.eventbridge_event("s", "d", {}, time=T)["time"]
    naive = events.eventbridge_event("s", "d", {}, time=T.replace(tzinfo=None))["time"]
    other_zone = T.astimezone(timezone(timedelta(hours=2)))
    shifted = events.eventbridge_event("s", "d", {}, time=other_zone)["time"]
    epoch = events.eventbridge_event("s", "d", {}, time=T.timestamp())["time"]
    assert aware == naive == shifted == epoch == "2026-11-29T02:00:00Z"


def test_time_of_the_wrong_type_is_a_clear_error():
    with pytest.raises(TypeError, match="datetime or epoch seconds"):
        events.eventbridge_event("s", "d", {}, time="2026-11-29")


# --------------------------------------------------------------------------------------
# S3
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "encoded"),
    [
        ("red flower.jpg", "red+flower.jpg"),
        ("café.png", "caf%C3%A9.png"),
        ("uploads/2026/red flower.jpg", "uploads/2026/red+flower.jpg"),
        ("a+b.txt", "a%2Bb.txt"),
        ("report=final;v2.csv", "report%3Dfinal%3Bv2.csv"),
        ("plain-name_1.txt", "plain-name_1.txt"),
    ],
)
def test_encode_s3_key_is_form_style_and_keeps_slashes(key, encoded):
    assert events.encode_s3_key(key) == encoded


@pytest.mark.parametrize(
    "key", ["red flower.jpg", "café.png", "a+b c%20d.txt", "dir/sub dir/日本.txt", "100% (1).png"]
)
def test_unquote_plus_recovers_the_original_key(key):
    event = events.s3_event("photos", key)
    assert unquote_plus(event["Records"][0]["s3"]["object"]["key"]) == key


def test_s3_event_shape():
    event = roundtrip(
        events.s3_event(
            "photos",
            "red flower.jpg",
            size=1024,
            etag="d41d8cd98f00b204e9800998ecf8427e",
            time=T,
            request_id="C3D13FE58DE4C810",
            region="eu-west-1",
        )
    )
    assert list(event) == ["Records"]
    (record,) = event["Records"]
    assert set(record) == {
        "eventVersion",
        "eventSource",
        "awsRegion",
        "eventTime",
        "eventName",
        "userIdentity",
        "requestParameters",
        "responseElements",
        "s3",
    }
    # S3's current docs: one unified version for all event types since 2.4; example 2.5
    assert record["eventVersion"] == "2.5"
    assert record["eventSource"] == "aws:s3"
    assert record["awsRegion"] == "eu-west-1"
    assert record["eventTime"] == "2026-11-29T02:00:00.123Z"
    assert record["eventName"] == "ObjectCreated:Put"
    assert set(record["userIdentity"]) == {"principalId"}
    assert set(record["requestParameters"]) == {"sourceIPAddress"}
    assert set(record["responseElements"]) == {"x-amz-request-id", "x-amz-id-2"}
    assert record["responseElements"]["x-amz-request-id"] == "C3D13FE58DE4C810"
    s3 = record["s3"]
    assert set(s3) == {"s3SchemaVersion", "configurationId", "bucket", "object"}
    assert s3["s3SchemaVersion"] == "1.0"
    assert s3["bucket"] == {
        "name": "photos",
        "ownerIdentity": {"principalId": s3["bucket"]["ownerIdentity"]["principalId"]},
        "arn": "arn:aws:s3:::photos",
    }
    assert s3["object"]["key"] == "red+flower.jpg"
    assert s3["object"]["size"] == 1024
    assert isinstance(s3["object"]["size"], int)
    assert s3["object"]["eTag"] == "d41d8cd98f00b204e9800998ecf8427e"
    assert "versionId" not in s3["object"]  # only for versioned buckets
    assert re.fullmatch(r"[0-9A-F]{18}", s3["object"]["sequencer"])


def test_s3_defaults_are_real_looking():
    record = events.s3_event("b", "k")["Records"][0]
    assert ISO_MILLIS.match(record["eventTime"])
    assert re.fullmatch(r"[0-9A-F]{16}", record["responseElements"]["x-amz-request-id"])
    # An empty object's ETag is the MD5 of no bytes.
    assert record["s3"]["object"]["eTag"] == hashlib.md5(b"").hexdigest()
    assert record["awsRegion"] == "us-east-1"


def test_s3_removal_has_no_size_or_etag_and_event_names_drop_the_s3_prefix():
    record = events.s3_event("b", "k", "s3:ObjectRemoved:Delete", size=5)["Records"][0]
    assert record["eventName"] == "ObjectRemoved:Delete"
    assert set(record["s3"]["object"]) == {"key", "sequencer"}


def test_s3_version_id_appears_when_given():
    record = events.s3_event("b", "k", version_id="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH")
    assert record["Records"][0]["s3"]["object"]["versionId"] == "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH"


def test_s3_records_many_objects_with_growing_sequencers():
    event = roundtrip(events.s3_records("b", ["a.jpg", {"key": "b c.jpg", "size": 7}], time=T))
    keys = [r["s3"]["object"]["key"] for r in event["Records"]]
    assert keys == ["a.jpg", "b+c.jpg"]
    assert event["Records"][1]["s3"]["object"]["size"] == 7
    first, second = (int(r["s3"]["object"]["sequencer"], 16) for r in event["Records"])
    assert second > first


# --------------------------------------------------------------------------------------
# SNS
# --------------------------------------------------------------------------------------


def test_sns_event_shape():
    event = roundtrip(
        events.sns_event(
            "arn:aws:sns:eu-west-1:111122223333:alerts",
            '{"disk": "full"}',
            subject="Alarm",
            message_attributes={"priority": 1, "team": "ops", "raw": b"\x00\x01", "tags": ["a"]},
            time=T,
        )
    )
    (record,) = event["Records"]
    assert set(record) == {"EventSource", "EventVersion", "EventSubscriptionArn", "Sns"}
    assert record["EventSource"] == "aws:sns"
    assert record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"].startswith("arn:aws:sns:eu-west-1:111122223333:alerts:")
    sns = record["Sns"]
    assert set(sns) == {
        "Type",
        "MessageId",
        "TopicArn",
        "Subject",
        "Message",
        "Timestamp",
        "SignatureVersion",
        "Signature",
        "SigningCertUrl",
        "UnsubscribeUrl",
        "MessageAttributes",
    }
    assert sns["Type"] == "Notification"
    assert UUID.match(sns["MessageId"])
    assert sns["TopicArn"] == "arn:aws:sns:eu-west-1:111122223333:alerts"
    assert sns["Subject"] == "Alarm"
    assert sns["Message"] == '{"disk": "full"}'
    assert sns["Timestamp"] == "2026-11-29T02:00:00.123Z"
    assert sns["SignatureVersion"] == "1"
    assert base64.b64decode(sns["Signature"])
    assert sns["SigningCertUrl"].startswith("https://sns.eu-west-1.amazonaws.com/")
    assert sns["SigningCertUrl"].endswith(".pem")
    assert record["EventSubscriptionArn"] in sns["UnsubscribeUrl"]
    assert sns["MessageAttributes"] == {
        "priority": {"Type": "Number", "Value": "1"},
        "team": {"Type": "String", "Value": "ops"},
        "raw": {"Type": "Binary", "Value": "AAE="},
        "tags": {"Type": "String.Array", "Value": '["a"]'},
    }


def test_sns_without_subject_or_attributes_and_topic_by_name():
    sns = events.sns_event("orders", "hi")["Records"][0]["Sns"]
    assert sns["Subject"] is None
    assert sns["MessageAttributes"] == {}
    assert sns["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:orders"


def test_sns_accepts_boto3_publish_attributes():
    attributes = {"kind": {"DataType": "String", "StringValue": "order"}}
    sns = events.sns_event("t", "m", message_attributes=attributes)["Records"][0]["Sns"]
    assert sns["MessageAttributes"] == {"kind": {"Type": "String", "Value": "order"}}


# --------------------------------------------------------------------------------------
# SQS
# --------------------------------------------------------------------------------------


def test_sqs_event_shape_and_md5():
    body = '{"order": 42}'
    event = roundtrip(
        events.sqs_event("arn:aws:sqs:us-east-2:111122223333:jobs", [body, "second"], time=T)
    )
    assert len(event["Records"]) == 2
    record = event["Records"][0]
    assert set(record) == {
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    }
    assert UUID.match(record["messageId"])
    assert isinstance(record["receiptHandle"], str) and record["receiptHandle"]
    assert record["body"] == body
    assert record["md5OfBody"] == hashlib.md5(body.encode()).hexdigest()
    assert record["messageAttributes"] == {}
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == "arn:aws:sqs:us-east-2:111122223333:jobs"
    assert record["awsRegion"] == "us-east-2"
    attributes = record["attributes"]
    assert set(attributes) == {
        "ApproximateReceiveCount",
        "SentTimestamp",
        "SenderId",
        "ApproximateFirstReceiveTimestamp",
    }
    assert all(isinstance(v, str) for v in attributes.values())
    assert attributes["ApproximateReceiveCount"] == "1"
    sent_ms = (T - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
    assert attributes["SentTimestamp"] == str(sent_ms)
    assert int(attributes["ApproximateFirstReceiveTimestamp"]) >= sent_ms


def test_sqs_md5_of_non_ascii_body_uses_utf8():
    record = events.sqs_record("q", "héllo ✓")
    assert record["md5OfBody"] == hashlib.md5("héllo ✓".encode()).hexdigest()


def test_sqs_message_attributes_and_their_md5_match_what_moto_computes():
    from moto.sqs.models import Message

    boto_style = {
        "Attribute1": {"DataType": "String", "StringValue": "AttributeValue1"},
        "Attribute2": {"DataType": "Number", "StringValue": "123"},
        "Attribute3": {"DataType": "Binary", "BinaryValue": b"1100"},
    }
    record = events.sqs_record("q", "Message Body", message_attributes=boto_style)
    assert record["messageAttributes"]["Attribute1"] == {
        "stringValue": "AttributeValue1",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    assert record["messageAttributes"]["Attribute3"]["binaryValue"] == "MTEwMA=="
    plain = events.sqs_record(
        "q", "Message Body", message_attributes={"Attribute1": "AttributeValue1"}
    )
    assert plain["messageAttributes"]["Attribute1"]["dataType"] == "String"

    message = Message("id", "Message Body")
    message.message_attributes = boto_style
    assert record["md5OfMessageAttributes"] == message.attribute_md5


def test_sqs_fifo_records_carry_group_and_deduplication_ids():
    record = events.sqs_record("orders.fifo", "x", message_group_id="customer-7")
    attributes = record["attributes"]
    assert attributes["MessageGroupId"] == "customer-7"
    assert attributes["MessageDeduplicationId"] == hashlib.sha256(b"x").hexdigest()
    assert attributes["SequenceNumber"].isdigit()


def test_sqs_batch_items_may_be_argument_mappings():
    event = events.sqs_event("q", [{"body": "b", "message_id": "m-1", "receive_count": 3}])
    (record,) = event["Records"]
    assert record["messageId"] == "m-1"
    assert record["attributes"]["ApproximateReceiveCount"] == "3"


@pytest.mark.parametrize("bad", [{"order": 1}, 42])
def test_sqs_bodies_must_be_strings(bad):
    with pytest.raises(TypeError, match="json.dumps"):
        events.sqs_record("q", bad)


def test_sqs_event_wants_a_list_of_messages():
    with pytest.raises(TypeError, match=r"\[\.\.\.\]"):
        events.sqs_event("q", "just one body")


# --------------------------------------------------------------------------------------
# DynamoDB
# --------------------------------------------------------------------------------------


def test_to_dynamodb_json_conversions():
    item = {
        "id": 101,
        "name": "Joe",
        "price": 9.5,
        "active": True,
        "nothing": None,
        "photo": b"\x00\x01*A",
        "tags": {"b", "a"},
        "sizes": {2, 1},
        "list": ["Cookies", 3.14159],
        "map": {"age": 35},
    }
    assert events.to_dynamodb_json(item) == {
        "id": {"N": "101"},
        "name": {"S": "Joe"},
        "price": {"N": "9.5"},
        "active": {"BOOL": True},
        "nothing": {"NULL": True},
        "photo": {"B": "AAEqQQ=="},
        "tags": {"SS": ["a", "b"]},
        "sizes": {"NS": ["1", "2"]},
        "list": {"L": [{"S": "Cookies"}, {"N": "3.14159"}]},
        "map": {"M": {"age": {"N": "35"}}},
    }
    assert events.to_dynamodb_json("hello") == {"S": "hello"}
    assert events.to_dynamodb_json([1]) == {"L": [{"N": "1"}]}


def test_to_dynamodb_json_rejects_nan():
    with pytest.raises(ValueError, match="nan"):
        events.to_dynamodb_json({"x": float("nan")})


def test_dynamodb_event_shape():
    event = roundtrip(
        events.dynamodb_event(
            "ExampleTable",
            [
                {
                    "eventName": "INSERT",
                    "keys": {"Id": 101},
                    "new_image": {"Message": "New item!", "Id": 101},
                },
                {
                    "eventName": "MODIFY",
                    "keys": {"Id": 101},
                    "new_image": {"Message": "This item has changed", "Id": 101},
                    "old_image": {"Message": "New item!", "Id": 101},
                },
                {
                    "eventName": "REMOVE",
                    "keys": {"Id": 101},
                    "old_image": {"Message": "Bye", "Id": 101},
                },
            ],
            time=T,
        )
    )
    insert, modify, remove = event["Records"]
    assert set(insert) == {
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
        "eventSourceARN",
    }
    assert re.fullmatch(r"[0-9a-f]{32}", insert["eventID"])
    assert insert["eventVersion"] == "1.1"
    assert insert["eventSource"] == "aws:dynamodb"
    assert insert["awsRegion"] == "us-east-1"
    assert insert["eventSourceARN"] == (
        "arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTable/stream/2026-11-29T02:00:00.123"
    )
    stream = insert["dynamodb"]
    assert set(stream) == {
        "ApproximateCreationDateTime",
        "Keys",
        "NewImage",
        "SequenceNumber",
        "SizeBytes",
        "StreamViewType",
    }
    assert stream["ApproximateCreationDateTime"] == int(T.timestamp())
    assert isinstance(stream["ApproximateCreationDateTime"], int)
    assert stream["Keys"] == {"Id": {"N": "101"}}
    assert stream["NewImage"] == {"Message": {"S": "New item!"}, "Id": {"N": "101"}}
    assert stream["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    # DynamoDB's item size rules: names + values, numbers ~1 byte per 2 digits + 1.
    assert stream["SizeBytes"] == 26
    assert set(modify["dynamodb"]) >= {"NewImage", "OldImage"}
    assert modify["dynamodb"]["SizeBytes"] == 59
    assert "NewImage" not in remove["dynamodb"] and "OldImage" in remove["dynamodb"]
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in event["Records"]]
    assert all(isinstance(r["dynamodb"]["SequenceNumber"], str) for r in event["Records"])
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("KEYS_ONLY", {"Keys"}),
        ("NEW_IMAGE", {"Keys", "NewImage"}),
        ("OLD_IMAGE", {"Keys", "OldImage"}),
        ("NEW_AND_OLD_IMAGES", {"Keys", "NewImage", "OldImage"}),
    ],
)
def test_dynamodb_stream_view_types_decide_the_images(view, expected):
    record = events.dynamodb_event(
        "t",
        [
            {
                "eventName": "MODIFY",
                "keys": {"id": 1},
                "new_image": {"id": 1},
                "old_image": {"id": 1},
            }
        ],
        stream_view_type=view,
    )["Records"][0]
    assert expected == set(record["dynamodb"]) & {"Keys", "NewImage", "OldImage"}
    assert record["dynamodb"]["StreamViewType"] == view


def test_dynamodb_stream_arn_is_kept_and_gives_the_region():
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/2026-01-01T00:00:00.000"
    record = events.dynamodb_event(arn, [{"eventName": "INSERT", "keys": {"id": 1}}])["Records"][0]
    assert record["eventSourceARN"] == arn
    assert record["awsRegion"] == "eu-west-1"


def test_dynamodb_ttl_removal_names_the_service():
    record = events.dynamodb_event(
        "t", [{"eventName": "REMOVE", "keys": {"id": 1}, "ttl_expired": True}]
    )["Records"][0]
    assert record["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def test_dynamodb_errors_are_clear():
    with pytest.raises(ValueError, match="INSERT, MODIFY or REMOVE"):
        events.dynamodb_event("t", [{"eventName": "UPDATE", "keys": {"id": 1}}])
    with pytest.raises(TypeError, match="newImage"):
        events.dynamodb_event("t", [{"eventName": "INSERT", "keys": {"id": 1}, "newImage": {}}])
    with pytest.raises(ValueError, match="keys"):
        events.dynamodb_event("t", [{"eventName": "INSERT"}])


# --------------------------------------------------------------------------------------
# EventBridge
# --------------------------------------------------------------------------------------


def test_eventbridge_event_shape():
    event = roundtrip(
        events.eventbridge_event(
            "com.example.orders", "Order Placed", {"id": 7}, ["arn:aws:s3:::b"], time=T
        )
    )
    assert list(event) == [
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    ]
    assert event["version"] == "0"
    assert UUID.match(event["id"])
    assert event["detail-type"] == "Order Placed"
    assert event["source"] == "com.example.orders"
    assert event["account"] == "123456789012"
    assert event["time"] == "2026-11-29T02:00:00Z"
    assert ISO_SECONDS.match(event["time"])
    assert event["region"] == "us-east-1"
    assert event["resources"] == ["arn:aws:s3:::b"]
    assert event["detail"] == {"id": 7}


def test_eventbridge_detail_must_be_an_object():
    with pytest.raises(TypeError, match="JSON object"):
        events.eventbridge_event("s", "d", '{"id": 7}')


def test_scheduled_event():
    event = roundtrip(
        events.scheduled_event("arn:aws:events:eu-west-1:111122223333:rule/nightly", T)
    )
    assert event["source"] == "aws.events"
    assert event["detail-type"] == "Scheduled Event"
    assert event["detail"] == {}
    assert event["resources"] == ["arn:aws:events:eu-west-1:111122223333:rule/nightly"]
    assert event["region"] == "eu-west-1"
    assert event["account"] == "111122223333"
    assert event["version"] == "0"
    by_name = events.scheduled_event("nightly")
    assert by_name["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/nightly"]


# --------------------------------------------------------------------------------------
# API Gateway REST (payload 1.0)
# --------------------------------------------------------------------------------------

IDENTITY_KEYS = {
    "accessKey",
    "accountId",
    "caller",
    "cognitoAuthenticationProvider",
    "cognitoAuthenticationType",
    "cognitoIdentityId",
    "cognitoIdentityPoolId",
    "principalOrgId",
    "sourceIp",
    "user",
    "userAgent",
    "userArn",
}


def test_apigw_rest_event_shape():
    event = roundtrip(
        events.apigw_rest_event(
            "post",
            "/hello/world",
            headers={"Content-Type": "application/json", "X-Tag": ["a", "b"]},
            query="name=me&name=you",
            body='{"a": 1}',
            time=T,
        )
    )
    assert set(event) == {
        "resource",
        "path",
        "httpMethod",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
        "requestContext",
        "body",
        "isBase64Encoded",
    }
    assert "version" not in event
    assert event["resource"] == "/{proxy+}"
    assert event["path"] == "/hello/world"
    assert event["httpMethod"] == "POST"
    assert event["pathParameters"] == {"proxy": "hello/world"}
    assert event["stageVariables"] is None
    assert event["headers"]["X-Tag"] == "b"  # the single-value view keeps the last
    assert event["multiValueHeaders"]["X-Tag"] == ["a", "b"]
    assert event["headers"]["Content-Type"] == "application/json"
    assert event["queryStringParameters"] == {"name": "you"}
    assert event["multiValueQueryStringParameters"] == {"name": ["me", "you"]}
    assert event["body"] == '{"a": 1}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert {
        "accountId",
        "apiId",
        "domainName",
        "domainPrefix",
        "extendedRequestId",
        "httpMethod",
        "identity",
        "path",
        "protocol",
        "requestId",
        "requestTime",
        "requestTimeEpoch",
        "resourceId",
        "resourcePath",
        "stage",
    } <= set(context)
    assert context["accountId"] == "123456789012"
    assert context["domainName"] == f"{context['apiId']}.execute-api.us-east-1.amazonaws.com"
    assert context["domainPrefix"] == context["apiId"]
    assert context["httpMethod"] == "POST"
    assert context["path"] == "/prod/hello/world"
    assert context["protocol"] == "HTTP/1.1"
    assert UUID.match(context["requestId"])
    assert context["requestTime"] == "29/Nov/2026:02:00:00 +0000"
    assert CLF.match(context["requestTime"])
    assert context["requestTimeEpoch"] == 1795917600123
    assert context["resourcePath"] == "/{proxy+}"
    assert context["stage"] == "prod"
    assert set(context["identity"]) == IDENTITY_KEYS
    nulls = IDENTITY_KEYS - {"sourceIp", "userAgent"}
    assert all(context["identity"][k] is None for k in nulls)
    assert context["identity"]["sourceIp"] == event["headers"]["X-Forwarded-For"]


def test_apigw_rest_without_query_has_nulls_as_aws():
    event = events.apigw_rest_event("GET", "/items")
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["body"] is None
    assert event["headers"]["User-Agent"] == event["requestContext"]["identity"]["userAgent"]
    assert {"Host", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"} <= set(
        event["headers"]
    )


def test_apigw_rest_path_parameters_from_the_resource():
    event = events.apigw_rest_event("GET", "/items/42", resource="/items/{id}")
    assert event["pathParameters"] == {"id": "42"}
    assert event["requestContext"]["resourcePath"] == "/items/{id}"
    root = events.apigw_rest_event("GET", "/")
    assert root["resource"] == "/" and root["pathParameters"] is None
    with pytest.raises(ValueError, match="does not match"):
        events.apigw_rest_event("GET", "/orders/1", resource="/items/{id}")


def test_apigw_binary_and_json_bodies():
    binary = events.apigw_rest_event("POST", "/upload", body=b"\x89PNG")
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == b"\x89PNG"
    as_json = events.apigw_rest_event("POST", "/orders", body={"id": 1})
    assert json.loads(as_json["body"]) == {"id": 1}


# --------------------------------------------------------------------------------------
# API Gateway HTTP API (payload 2.0 and 1.0) and function URLs
# --------------------------------------------------------------------------------------


def test_apigw_http_event_minimal_has_optional_keys_absent():
    event = roundtrip(events.apigw_http_event("GET", "/", time=T))
    assert set(event) == {
        "version",
        "routeKey",
        "rawPath",
        "rawQueryString",
        "headers",
        "requestContext",
        "isBase64Encoded",
    }
    for absent in ("cookies", "queryStringParameters", "pathParameters", "body", "stageVariables"):
        assert absent not in event
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/"
    assert event["rawQueryString"] == ""
    assert all(name == name.lower() for name in event["headers"])
    context = event["requestContext"]
    assert set(context) == {
        "accountId",
        "apiId",
        "domainName",
        "domainPrefix",
        "http",
        "requestId",
        "routeKey",
        "stage",
        "time",
        "timeEpoch",
    }
    assert set(context["http"]) == {"method", "path", "protocol", "sourceIp", "userAgent"}
    assert context["http"]["method"] == "GET"
    assert context["stage"] == "$default"
    assert context["time"] == "29/Nov/2026:02:00:00 +0000"
    assert context["timeEpoch"] == 1795917600123
    assert "authorizer" not in context and "authentication" not in context


def test_apigw_http_event_full():
    event = roundtrip(
        events.apigw_http_event(
            "post",
            "/items/42",
            route_key="POST /items/{id}",
            headers={"Header1": "value1", "Header2": ["value1", "value2"], "Cookie": "a=1; b=2"},
            query="parameter1=value1&parameter1=value2&parameter2=value",
            cookies=["c=3"],
            body="hello",
            stage_variables={"env": "test"},
        )
    )
    assert event["routeKey"] == "POST /items/{id}"
    assert event["requestContext"]["routeKey"] == "POST /items/{id}"
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["headers"]["header1"] == "value1"
    assert event["headers"]["header2"] == "value1,value2"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["a=1", "b=2", "c=3"]
    assert event["rawQueryString"] == "parameter1=value1&parameter1=value2&parameter2=value"
    assert event["queryStringParameters"] == {"parameter1": "value1,value2", "parameter2": "value"}
    assert event["pathParameters"] == {"id": "42"}
    assert event["body"] == "hello"
    assert event["stageVariables"] == {"env": "test"}


def test_apigw_http_named_stage_is_in_the_raw_path():
    event = events.apigw_http_event("GET", "/items", stage="prod")
    assert event["rawPath"] == "/prod/items"
    assert event["requestContext"]["http"]["path"] == "/prod/items"
    assert event["requestContext"]["stage"] == "prod"


def test_apigw_http_payload_version_1():
    event = roundtrip(
        events.apigw_http_event(
            "GET", "/items/7", route_key="GET /items/{id}", query={"q": "x"}, version="1.0"
        )
    )
    assert event["version"] == "1.0"
    assert event["httpMethod"] == "GET"
    assert event["path"] == "/items/7"
    assert event["resource"] == "/items/{id}"
    assert event["pathParameters"] == {"id": "7"}
    assert event["multiValueQueryStringParameters"] == {"q": ["x"]}
    assert "multiValueHeaders" in event
    assert set(event["requestContext"]["identity"]) == IDENTITY_KEYS
    with pytest.raises(ValueError, match="payload format"):
        events.apigw_http_event("GET", "/", version="3.0")


def test_function_url_event():
    event = roundtrip(
        events.function_url_event("POST", "/hook", body={"ok": True}, url_id="abc123", time=T)
    )
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    context = event["requestContext"]
    assert context["domainName"] == "abc123.lambda-url.us-east-1.on.aws"
    assert context["domainPrefix"] == context["apiId"] == "abc123"
    assert context["accountId"] == "anonymous"
    assert context["stage"] == "$default"
    assert "authorizer" not in context
    assert event["headers"]["host"] == context["domainName"]
    assert json.loads(event["body"]) == {"ok": True}
    assert "pathParameters" not in event and "stageVariables" not in event
    default_url = events.function_url_event("GET")["requestContext"]["domainPrefix"]
    assert re.fullmatch(r"[0-9a-z]{32}", default_url)


def test_function_url_with_iam_auth_describes_the_caller():
    context = events.function_url_event("GET", auth_type="AWS_IAM")["requestContext"]
    assert context["accountId"] == "123456789012"
    assert set(context["authorizer"]["iam"]) >= {"accessKey", "accountId", "userArn", "userId"}
    with pytest.raises(ValueError, match="NONE or AWS_IAM"):
        events.function_url_event("GET", auth_type="JWT")


# --------------------------------------------------------------------------------------
# Every builder: JSON-serialisable, and deterministic when ids and times are given
# --------------------------------------------------------------------------------------

BUILDERS = {
    "s3": lambda: events.s3_event("b", "a b.jpg", size=3, request_id="0123456789ABCDEF", time=T),
    "s3_records": lambda: events.s3_records(
        "b", ["x", "y"], request_id="0123456789ABCDEF", etag="e", size=1, time=T
    ),
    "sns": lambda: events.sns_event(
        "t", "m", message_id="m-1", subscription_id="s-1", message_attributes={"a": 1}, time=T
    ),
    "sqs": lambda: events.sqs_event(
        "q.fifo", [{"body": "x", "message_id": "m-1", "message_attributes": {"a": "b"}}], time=T
    ),
    "dynamodb": lambda: events.dynamodb_event(
        "t",
        [{"eventName": "INSERT", "keys": {"id": 1}, "new_image": {"id": 1}, "event_id": "e"}],
        time=T,
    ),
    "eventbridge": lambda: events.eventbridge_event("s", "d", {"a": 1}, event_id="e", time=T),
    "scheduled": lambda: events.scheduled_event("r", T, event_id="e"),
    "rest": lambda: events.apigw_rest_event("GET", "/x", request_id="r", time=T),
    "http": lambda: events.apigw_http_event("GET", "/x", request_id="r", time=T),
    "http_v1": lambda: events.apigw_http_event("GET", "/x", request_id="r", time=T, version="1.0"),
    "function_url": lambda: events.function_url_event("GET", "/x", request_id="r", time=T),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_builder_is_json_serialisable_and_deterministic(name):
    first, second = BUILDERS[name](), BUILDERS[name]()
    roundtrip(first)
    assert first == second


def test_without_ids_events_differ():
    assert events.sqs_record("q", "x")["messageId"] != events.sqs_record("q", "x")["messageId"]


def test_default_client_headers_describe_the_body():
    binary = events.apigw_rest_event("POST", "/upload", body=b"\x89PNG")["headers"]
    assert binary["Content-Type"] == "application/octet-stream"
    assert binary["Content-Length"] == "4"
    text = events.apigw_http_event("POST", "/notes", body="héllo")["headers"]
    assert text["content-type"] == "text/plain"
    assert text["content-length"] == "6"


def test_docstring_examples_hold():
    import doctest

    result = doctest.testmod(events)
    assert result.attempted > 20
    assert result.failed == 0
