"""Example events of every trigger the course teaches, shaped exactly like AWS's.

When a service invokes a Lambda function it sends one JSON document, the *event*.
Each service has its own shape: S3 and SQS write ``eventSource`` in camelCase, SNS
writes ``EventSource``; S3 writes times as ISO-8601 with milliseconds, SQS as epoch
milliseconds in a string, DynamoDB Streams as epoch seconds in a number. A handler
written against a made-up event breaks on the real one, so every builder here follows
the AWS page that documents its event, key by key:

=====================  ========================================================================
builder                AWS documentation
=====================  ========================================================================
`s3_event`             https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
                       https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
`sns_event`            https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
`sqs_event`            https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
                       (MD5 of attributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html)
`dynamodb_event`       https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
                       https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
`eventbridge_event`    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
`scheduled_event`      https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
`apigw_rest_event`     https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
`apigw_http_event`     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
`function_url_event`   https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
=====================  ========================================================================

Every builder is a plain function that returns a plain, JSON-serialisable ``dict``.
Arguments are keywords with AWS-like defaults (region ``us-east-1``, account
``123456789012``). Values AWS generates (request ids, message ids, signatures, receipt
handles) are generated too: random unless you pass the id, and derived from the ids you
pass, so an event built with fixed ids and a fixed ``time`` is the same every time.
``time`` is a :class:`datetime.datetime` (naive means UTC) or epoch seconds; it defaults
to now.

Two helpers are also what the sandbox's triggers use to fill in real values:
`encode_s3_key` (how S3 writes an object key into an event) and `to_dynamodb_json`
(how DynamoDB Streams write an item).

Example
-------
>>> from lambdalab.sandbox import events
>>> event = events.s3_event("photos", "holiday/red flower.jpg", size=1024)
>>> event["Records"][0]["s3"]["object"]["key"]
'holiday/red+flower.jpg'
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode

from boto3.dynamodb.types import Binary, TypeSerializer

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_REGION",
    "apigw_http_event",
    "apigw_rest_event",
    "dynamodb_event",
    "dynamodb_record",
    "encode_s3_key",
    "eventbridge_event",
    "function_url_event",
    "s3_event",
    "s3_record",
    "s3_records",
    "scheduled_event",
    "sns_event",
    "sns_record",
    "sqs_event",
    "sqs_record",
    "to_dynamodb_json",
]

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"
S3_EVENT_VERSION = "2.5"  # current S3 docs' unified version; see s3_record

#: The API id used when none is given (real ones are 10 lower-case letters and digits).
DEFAULT_API_ID = "k3v9x2p7qa"
#: The user agent of the pretend client when no headers are given.
DEFAULT_USER_AGENT = "curl/8.5.0"
#: The client address when none is given (an address reserved for documentation).
DEFAULT_SOURCE_IP = "203.0.113.10"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------------------
# Times, as each service writes them
# --------------------------------------------------------------------------------------


def _utc(time: datetime | float | None) -> datetime:
    """Return ``time`` as an aware UTC datetime (now when None; naive means UTC)."""
    if time is None:
        return datetime.now(UTC)
    if isinstance(time, datetime):
        return time.replace(tzinfo=UTC) if time.tzinfo is None else time.astimezone(UTC)
    if isinstance(time, int | float) and not isinstance(time, bool):
        return _EPOCH + timedelta(seconds=time)
    raise TypeError(f"time must be a datetime or epoch seconds, not {type(time).__name__}")


def _iso_millis(dt: datetime) -> str:
    """``2026-11-29T02:00:00.123Z``: S3 eventTime, SNS Timestamp."""
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z"


def _iso_seconds(dt: datetime) -> str:
    """``2026-11-29T02:00:00Z``: EventBridge time (no milliseconds)."""
    return f"{dt:%Y-%m-%dT%H:%M:%S}Z"


def _epoch_millis(dt: datetime) -> int:
    """Milliseconds since 1970 as an integer: SQS timestamps, API Gateway epochs."""
    return (dt - _EPOCH) // timedelta(milliseconds=1)


def _epoch_seconds(dt: datetime) -> int:
    """Whole seconds since 1970: DynamoDB ApproximateCreationDateTime."""
    return (dt - _EPOCH) // timedelta(seconds=1)


def _clf_time(dt: datetime) -> str:
    """``09/Apr/2015:12:34:56 +0000``: API Gateway requestTime (English month names)."""
    return f"{dt.day:02d}/{_MONTHS[dt.month - 1]}/{dt.year}:{dt:%H:%M:%S} +0000"


# --------------------------------------------------------------------------------------
# Generated values: random, or derived from the ids the caller gave
# --------------------------------------------------------------------------------------


def _derive(seed: str, size: int) -> bytes:
    """``size`` bytes that look random but depend only on ``seed`` (SHA-256, counter mode)."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}#{counter}".encode()).digest()
        counter += 1
    return out[:size]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _base36(data: bytes, length: int) -> str:
    """Lower-case letters and digits, as AWS writes API ids and URL ids."""
    number = int.from_bytes(data, "big")
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 36)
        chars.append(alphabet[digit])
    return "".join(chars)


def _trace_id(dt: datetime, seed: str) -> str:
    """An X-Ray trace header as API Gateway adds it: ``Root=1-<epoch hex>-<24 hex>``."""
    return f"Root=1-{_epoch_seconds(dt):08x}-{_derive(seed, 12).hex()}"


# --------------------------------------------------------------------------------------
# ARNs
# --------------------------------------------------------------------------------------


def _arn_region(arn: str) -> str | None:
    """The region field of an ARN (``arn:partition:service:region:account:resource``)."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        raise ValueError(f"{arn!r} is not an ARN (arn:aws:service:region:account:resource)")
    return parts[3] or None


def _arn(name_or_arn: str, service: str, prefix: str, region: str, account: str) -> str:
    """Return ``name_or_arn`` when it is an ARN, else build one from the name."""
    if name_or_arn.startswith("arn:"):
        _arn_region(name_or_arn)  # validates
        return name_or_arn
    return f"arn:aws:{service}:{region}:{account}:{prefix}{name_or_arn}"


def _region_of(arn: str, region: str | None) -> str:
    """The ARN's region wins; then the one given; then the default."""
    return _arn_region(arn) or region or DEFAULT_REGION


# --------------------------------------------------------------------------------------
# S3
# --------------------------------------------------------------------------------------


def encode_s3_key(key: str) -> str:
    """Encode an object key the way S3 writes it into an event notification.

    S3 URL-encodes the key *form-style* (``application/x-www-form-urlencoded``): a space
    becomes ``+``, other reserved and non-ASCII characters become ``%XX`` of their UTF-8
    bytes, and ``/`` is left as it is (keys with "folders" stay readable). A handler must
    therefore decode with :func:`urllib.parse.unquote_plus`, never use the key as-is.

    Parameters
    ----------
    key : str
        The object key as it was uploaded.

    Returns
    -------
    str
        The key as it appears in ``Records[].s3.object.key``.

    Example
    -------
    >>> encode_s3_key("uploads/red flower.jpg")
    'uploads/red+flower.jpg'
    >>> encode_s3_key("café.png")
    'caf%C3%A9.png'
    >>> from urllib.parse import unquote_plus
    >>> unquote_plus(encode_s3_key("a+b c.txt"))
    'a+b c.txt'
    """
    return quote_plus(key, safe="/")


def _s3_sequencer(dt: datetime, index: int = 0) -> str:
    """A sequencer as S3 writes them: 18 upper-case hex digits, growing with time.

    Only order matters (compare as hex numbers of equal length). S3's own start with the
    upload time in hex seconds, as these do.
    """
    fraction = dt.microsecond * 1000 + index
    return f"00{_epoch_seconds(dt):08X}{fraction:08X}"


def s3_record(
    bucket: str,
    key: str,
    event_name: str = "ObjectCreated:Put",
    *,
    size: int = 0,
    etag: str | None = None,
    version_id: str | None = None,
    sequencer: str | None = None,
    region: str = DEFAULT_REGION,
    time: datetime | float | None = None,
    request_id: str | None = None,
    source_ip: str = "127.0.0.1",
    principal_id: str = "AWS:AIDA4EXAMPLE3UPLOADER",
    owner_id: str = "A3NL1KOZZKEXAMPLE",
    configuration_id: str = "lambdalab-notification",
) -> dict[str, Any]:
    """One S3 event notification record (``eventVersion`` 2.5).

    ``eventVersion`` is the one S3's current documentation shows: "Starting with version
    2.4, Amazon S3 uses a single unified version for all event types", and its example
    is 2.5 (before that, 2.1 for most events, 2.2 and 2.3 for some). The minor version
    grows as S3 adds fields, so a handler should not test for an exact value.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html

    Parameters
    ----------
    bucket, key : str
        The bucket name and the object key as uploaded; the key is encoded with
        `encode_s3_key`, as S3 does.
    event_name : str
        ``ObjectCreated:Put``, ``ObjectCreated:Post``, ``ObjectCreated:Copy``,
        ``ObjectCreated:CompleteMultipartUpload``, ``ObjectRemoved:Delete``,
        ``ObjectRemoved:DeleteMarkerCreated``... (a leading ``s3:`` is dropped: events
        name them without it). Removal records carry no ``size`` or ``eTag``.
    size : int
        Object size in bytes.
    etag : str, optional
        The object's ETag (the MD5 hex of its bytes for single-part uploads). Defaults to
        the MD5 of an empty object when ``size`` is 0, else an MD5-shaped value derived
        from the bucket, key, size and ``request_id``.
    version_id : str, optional
        Present only for versioned buckets, as in AWS's events.
    sequencer : str, optional
        Hex string ordering events on the same key; derived from ``time`` by default.
    region : str
        The bucket's region (``awsRegion``).
    time : datetime or float, optional
        When the event happened (``eventTime``); now by default.
    request_id : str, optional
        The S3 request id (16 upper-case hex digits); ``x-amz-id-2`` is derived from it.

    Returns
    -------
    dict
        A record for ``{"Records": [...]}``.

    Example
    -------
    >>> record = s3_record("photos", "cat.jpg", size=10, etag="abc", time=0,
    ...                    request_id="C3D13FE58DE4C810")
    >>> record["eventTime"], record["s3"]["object"]["size"]
    ('1970-01-01T00:00:00.000Z', 10)
    """
    dt = _utc(time)
    event_name = event_name.removeprefix("s3:")
    request_id = request_id or uuid.uuid4().hex[:16].upper()
    obj: dict[str, Any] = {"key": encode_s3_key(key)}
    if not event_name.startswith("ObjectRemoved:"):
        if etag is None:
            # Without the object's bytes, an MD5-shaped stand-in tied to this upload.
            stand_in = f"{bucket}/{key}:{size}:{request_id}".encode()
            etag = hashlib.md5(b"" if size == 0 else stand_in).hexdigest()
        obj["size"] = size
        obj["eTag"] = etag
    if version_id is not None:
        obj["versionId"] = version_id
    obj["sequencer"] = sequencer or _s3_sequencer(dt)
    return {
        "eventVersion": S3_EVENT_VERSION,
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": _iso_millis(dt),
        "eventName": event_name,
        "userIdentity": {"principalId": principal_id},
        "requestParameters": {"sourceIPAddress": source_ip},
        "responseElements": {
            "x-amz-request-id": request_id,
            "x-amz-id-2": _b64(_derive(request_id, 48)),
        },
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration_id,
            "bucket": {
                "name": bucket,
                "ownerIdentity": {"principalId": owner_id},
                "arn": f"arn:aws:s3:::{bucket}",
            },
            "object": obj,
        },
    }


def s3_event(bucket: str, key: str, event_name: str = "ObjectCreated:Put", **kwargs: Any) -> dict:
    """The event S3 sends to a function when an object changes: one record.

    S3 invokes the function asynchronously, one object per event. The key arrives
    URL-encoded (see `encode_s3_key`): decode it with ``urllib.parse.unquote_plus``.
    Keyword arguments are those of `s3_record`.

    Example
    -------
    >>> event = s3_event("photos", "red flower.jpg", size=2048)
    >>> record = event["Records"][0]
    >>> record["eventSource"], record["eventName"], record["s3"]["object"]["key"]
    ('aws:s3', 'ObjectCreated:Put', 'red+flower.jpg')
    """
    return {"Records": [s3_record(bucket, key, event_name, **kwargs)]}


def s3_records(
    bucket: str,
    objects: Iterable[str | Mapping[str, Any]],
    event_name: str = "ObjectCreated:Put",
    **kwargs: Any,
) -> dict[str, Any]:
    """An event with one record per object, for handlers that loop over ``Records``.

    S3 itself sends one record per event, but the shape allows many and handlers are
    written (and tested) to loop. Each object is a key, or a mapping of `s3_record`
    arguments (``{"key": "a.jpg", "size": 10}``) that override ``kwargs``.

    Example
    -------
    >>> event = s3_records("photos", ["a.jpg", {"key": "b c.jpg", "size": 5}], time=0)
    >>> [r["s3"]["object"]["key"] for r in event["Records"]]
    ['a.jpg', 'b+c.jpg']
    """
    dt = _utc(kwargs.pop("time", None))
    records = []
    for index, item in enumerate(objects):
        args = {"event_name": event_name, "time": dt, **kwargs}
        args.update({"key": item} if isinstance(item, str) else dict(item))
        args.setdefault("sequencer", _s3_sequencer(_utc(args["time"]), index))
        records.append(s3_record(bucket, **args))
    return {"Records": records}


# --------------------------------------------------------------------------------------
# SNS
# --------------------------------------------------------------------------------------


def _sns_attribute(value: Any) -> dict[str, str]:
    """A message attribute as SNS writes it into the event: ``{"Type", "Value"}``."""
    if isinstance(value, Mapping):
        if "Type" in value and "Value" in value:  # already in the event's form
            return {"Type": str(value["Type"]), "Value": str(value["Value"])}
        if "DataType" in value:  # as given to sns.publish(MessageAttributes=...)
            if "BinaryValue" in value:
                return {"Type": value["DataType"], "Value": _b64(bytes(value["BinaryValue"]))}
            return {"Type": value["DataType"], "Value": str(value["StringValue"])}
    if isinstance(value, bytes | bytearray):
        return {"Type": "Binary", "Value": _b64(bytes(value))}
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return {"Type": "Number", "Value": str(value)}
    if isinstance(value, list | tuple):
        return {"Type": "String.Array", "Value": json.dumps(list(value))}
    return {"Type": "String", "Value": str(value)}


def sns_record(
    topic_arn: str,
    message: str,
    subject: str | None = None,
    message_attributes: Mapping[str, Any] | None = None,
    *,
    message_id: str | None = None,
    subscription_id: str | None = None,
    time: datetime | float | None = None,
    region: str | None = None,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """One SNS notification record (``EventVersion`` 1.0).

    Parameters
    ----------
    topic_arn : str
        The topic ARN, or just its name (the ARN is built from ``region``/``account``).
    message : str
        The message body exactly as published (SNS does not parse it: a JSON message
        arrives as a string, to be ``json.loads``-ed).
    subject : str, optional
        ``Subject``; ``None`` (JSON null) when the publisher gave none, as in AWS.
    message_attributes : mapping, optional
        ``{name: value}``: a str becomes ``String``, a number ``Number``, bytes
        ``Binary`` (base64), a list ``String.Array``; ``{"Type", "Value"}`` or
        ``{"DataType", "StringValue"}`` (boto3's form) are taken as they are.
    message_id, subscription_id : str, optional
        Random UUIDs by default; the signature and URLs are derived from them.

    Example
    -------
    >>> record = sns_record("orders", "hello", message_attributes={"priority": 1}, time=0)
    >>> record["Sns"]["TopicArn"], record["Sns"]["Timestamp"]
    ('arn:aws:sns:us-east-1:123456789012:orders', '1970-01-01T00:00:00.000Z')
    >>> record["Sns"]["MessageAttributes"]
    {'priority': {'Type': 'Number', 'Value': '1'}}
    """
    topic_arn = _arn(topic_arn, "sns", "", region or DEFAULT_REGION, account)
    region = _region_of(topic_arn, region)
    message_id = message_id or str(uuid.uuid4())
    subscription_arn = f"{topic_arn}:{subscription_id or uuid.uuid4()}"
    endpoint = f"https://sns.{region}.amazonaws.com"
    return {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription_arn,
        "Sns": {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": topic_arn,
            "Subject": subject,
            "Message": message,
            "Timestamp": _iso_millis(_utc(time)),
            "SignatureVersion": "1",
            # An RSA-2048 signature is 256 bytes; this one only looks like one.
            "Signature": _b64(_derive(message_id, 256)),
            "SigningCertUrl": (
                f"{endpoint}/SimpleNotificationService-{_derive(region, 16).hex()}.pem"
            ),
            "UnsubscribeUrl": (
                f"{endpoint}/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"
            ),
            "MessageAttributes": {
                name: _sns_attribute(value) for name, value in (message_attributes or {}).items()
            },
        },
    }


def sns_event(
    topic_arn: str,
    message: str,
    subject: str | None = None,
    message_attributes: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """The event SNS sends to a subscribed function: one record per message.

    SNS invokes the function asynchronously with exactly one record. Keyword arguments
    are those of `sns_record`.

    Example
    -------
    >>> event = sns_event("arn:aws:sns:eu-west-1:123456789012:alerts", "disk full",
    ...                   subject="Alarm")
    >>> record = event["Records"][0]
    >>> record["EventSource"], record["Sns"]["Subject"], record["Sns"]["Message"]
    ('aws:sns', 'Alarm', 'disk full')
    """
    return {"Records": [sns_record(topic_arn, message, subject, message_attributes, **kwargs)]}


# --------------------------------------------------------------------------------------
# SQS
# --------------------------------------------------------------------------------------


def _sqs_attribute(value: Any) -> dict[str, Any]:
    """A message attribute as Lambda's SQS poller writes it (camelCase keys)."""
    if isinstance(value, Mapping):
        if "dataType" in value:  # already in the event's form
            return dict(value)
        if "DataType" in value:  # as boto3's send_message / receive_message write it
            data_type = value["DataType"]
            if "BinaryValue" in value:
                return _sqs_attribute_value(data_type, binary=bytes(value["BinaryValue"]))
            return _sqs_attribute_value(data_type, string=str(value["StringValue"]))
        raise ValueError(
            f"SQS message attribute {value!r}: give a str, a number, bytes, or "
            '{"DataType": ..., "StringValue" or "BinaryValue": ...}'
        )
    if isinstance(value, bytes | bytearray):
        return _sqs_attribute_value("Binary", binary=bytes(value))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _sqs_attribute_value("Number", string=str(value))
    return _sqs_attribute_value("String", string=str(value))


def _sqs_attribute_value(
    data_type: str, *, string: str | None = None, binary: bytes | None = None
) -> dict[str, Any]:
    attribute: dict[str, Any] = {}
    if binary is not None:
        attribute["binaryValue"] = _b64(binary)
    else:
        attribute["stringValue"] = string
    attribute["stringListValues"] = []
    attribute["binaryListValues"] = []
    attribute["dataType"] = data_type
    return attribute


def _md5_of_message_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> str:
    """MD5 of message attributes, computed as SQS does.

    For each attribute in name order: name, data type, a transport byte (1 string, 2
    binary) and the value, every string and value prefixed with its length (4 bytes,
    big-endian). The digest of the concatenation is ``md5OfMessageAttributes``.
    """

    def field(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    digest = hashlib.md5()
    for name in sorted(attributes):
        attribute = attributes[name]
        data_type = attribute["dataType"]
        digest.update(field(name.encode()) + field(data_type.encode()))
        if "binaryValue" in attribute:
            digest.update(b"\x02" + field(base64.b64decode(attribute["binaryValue"])))
        else:
            digest.update(b"\x01" + field(attribute["stringValue"].encode()))
    return digest.hexdigest()


def sqs_record(
    queue_arn: str,
    body: str,
    *,
    message_id: str | None = None,
    message_attributes: Mapping[str, Any] | None = None,
    time: datetime | float | None = None,
    receive_count: int = 1,
    sender_id: str = "AIDA4EXAMPLE3SENDER7Q",
    message_group_id: str | None = None,
    message_deduplication_id: str | None = None,
    region: str | None = None,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """One SQS message as Lambda's SQS poller hands it to a function.

    Parameters
    ----------
    queue_arn : str
        The queue ARN, or just its name. A name ending in ``.fifo`` is a FIFO queue:
        its records also carry ``MessageGroupId``, ``MessageDeduplicationId`` and
        ``SequenceNumber``.
    body : str
        The message body as sent (a string: send JSON with ``json.dumps``).
    message_id : str, optional
        A random UUID by default; the receipt handle is derived from it.
    message_attributes : mapping, optional
        ``{name: value}`` (str, number or bytes) or boto3's
        ``{"DataType": ..., "StringValue": ...}``. When present, the record also carries
        ``md5OfMessageAttributes``, computed as SQS does.
    time : datetime or float, optional
        When the message was sent (``SentTimestamp``, epoch milliseconds as a string).
    receive_count : int
        ``ApproximateReceiveCount``: 1 the first time, more after failed attempts.
    message_group_id, message_deduplication_id : str, optional
        FIFO queues only; the deduplication id defaults to the SHA-256 of the body
        (content-based deduplication).

    Example
    -------
    >>> record = sqs_record("jobs", "hello", time=1.5)
    >>> record["md5OfBody"], record["attributes"]["SentTimestamp"]
    ('5d41402abc4b2a76b9719d911017c592', '1500')
    """
    if not isinstance(body, str):
        raise TypeError(
            f"an SQS message body is a string, not {type(body).__name__}: "
            "send JSON with json.dumps(...)"
        )
    queue_arn = _arn(queue_arn, "sqs", "", region or DEFAULT_REGION, account)
    region = _region_of(queue_arn, region)
    dt = _utc(time)
    message_id = message_id or str(uuid.uuid4())
    # The queue takes a few milliseconds to hand the message to the poller.
    first_receive = _epoch_millis(dt) + 1 + _derive(message_id, 1)[0] % 20
    attributes = {
        "ApproximateReceiveCount": str(receive_count),
        "SentTimestamp": str(_epoch_millis(dt)),
        "SenderId": sender_id,
        "ApproximateFirstReceiveTimestamp": str(first_receive),
    }
    if queue_arn.endswith(".fifo"):
        attributes["SequenceNumber"] = str(int.from_bytes(_derive(message_id, 8), "big"))
        attributes["MessageGroupId"] = message_group_id or "default"
        attributes["MessageDeduplicationId"] = (
            message_deduplication_id or hashlib.sha256(body.encode()).hexdigest()
        )
    record: dict[str, Any] = {
        "messageId": message_id,
        "receiptHandle": "AQEB" + _b64(_derive(message_id, 120)),
        "body": body,
        "attributes": attributes,
        "messageAttributes": {
            name: _sqs_attribute(value) for name, value in (message_attributes or {}).items()
        },
    }
    if record["messageAttributes"]:
        record["md5OfMessageAttributes"] = _md5_of_message_attributes(record["messageAttributes"])
    record["md5OfBody"] = hashlib.md5(body.encode()).hexdigest()
    record["eventSource"] = "aws:sqs"
    record["eventSourceARN"] = queue_arn
    record["awsRegion"] = region
    return record


def sqs_event(
    queue_arn: str,
    bodies_or_messages: Iterable[str | Mapping[str, Any]],
    **kwargs: Any,
) -> dict[str, Any]:
    """A batch of SQS messages, as Lambda's poller invokes a function with them.

    Parameters
    ----------
    queue_arn : str
        The queue ARN, or just its name.
    bodies_or_messages : iterable
        Each item is a body (str) or a mapping of `sqs_record` arguments
        (``{"body": "...", "message_id": "...", "message_attributes": {...}}``).
    **kwargs
        `sqs_record` arguments shared by every message (a message's own win).

    Example
    -------
    >>> event = sqs_event("jobs", ["one", {"body": "two", "receive_count": 2}])
    >>> [(r["body"], r["attributes"]["ApproximateReceiveCount"]) for r in event["Records"]]
    [('one', '1'), ('two', '2')]
    """
    if isinstance(bodies_or_messages, str | Mapping):
        raise TypeError("bodies_or_messages is a list of messages: wrap one message in [...]")
    records = []
    for item in bodies_or_messages:
        if isinstance(item, str):
            records.append(sqs_record(queue_arn, item, **kwargs))
        elif isinstance(item, Mapping):
            records.append(sqs_record(queue_arn, **{**kwargs, **item}))
        else:
            raise TypeError(
                f"each SQS message is a body (str) or a mapping of sqs_record arguments, "
                f"not {type(item).__name__}: send JSON with json.dumps(...)"
            )
    return {"Records": records}


# --------------------------------------------------------------------------------------
# DynamoDB Streams
# --------------------------------------------------------------------------------------


def _plain_to_serializable(value: Any) -> Any:
    """Prepare plain Python values for boto3's TypeSerializer (floats become Decimals)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"DynamoDB numbers cannot be {value}")
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {k: _plain_to_serializable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_to_serializable(v) for v in value]
    if isinstance(value, set | frozenset):
        return {_plain_to_serializable(v) for v in value}
    return value


def _to_event_json(typed: Any) -> Any:
    """Write binaries as base64 strings and sets in a stable order, as stream records do."""
    if isinstance(typed, dict):
        out = {}
        for tag, inner in typed.items():
            if tag == "B":
                out[tag] = _b64(bytes(inner.value if isinstance(inner, Binary) else inner))
            elif tag == "BS":
                out[tag] = sorted(_b64(bytes(getattr(b, "value", b))) for b in inner)
            elif tag in ("SS", "NS"):
                out[tag] = sorted(inner)
            elif tag == "L":
                out[tag] = [_to_event_json(v) for v in inner]
            elif tag == "M":
                out[tag] = {k: _to_event_json(v) for k, v in inner.items()}
            else:
                out[tag] = inner
        return out
    return typed


def to_dynamodb_json(value: Any) -> dict[str, Any]:
    """Convert plain Python values to DynamoDB JSON, as stream records write items.

    Uses boto3's own :class:`boto3.dynamodb.types.TypeSerializer`, so the rules are
    boto3's: ``str`` → ``S``, ``int``/``Decimal`` → ``N`` (a string), ``bool`` →
    ``BOOL``, ``None`` → ``NULL``, ``bytes`` → ``B`` (base64 in JSON), ``list`` → ``L``,
    ``dict`` → ``M``, sets → ``SS``/``NS``/``BS``. Unlike boto3, a ``float`` is accepted
    (converted through ``Decimal(str(x))``). A mapping at the top level is an *item*
    (``{attribute: typed value}``, the form of ``Keys``/``NewImage``/``OldImage``); any
    other value gives one typed value.

    Example
    -------
    >>> to_dynamodb_json({"id": 1, "tags": ["a"], "price": 9.5})
    {'id': {'N': '1'}, 'tags': {'L': [{'S': 'a'}]}, 'price': {'N': '9.5'}}
    >>> to_dynamodb_json("hello")
    {'S': 'hello'}
    """
    serializer = TypeSerializer()
    prepared = _plain_to_serializable(value)
    if isinstance(value, Mapping):
        return {k: _to_event_json(serializer.serialize(v)) for k, v in prepared.items()}
    return _to_event_json(serializer.serialize(prepared))


def _number_size(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def _typed_size(typed: Mapping[str, Any]) -> int:
    """Approximate size in bytes of one typed value, by DynamoDB's item size rules."""
    (tag, inner), *_ = typed.items()
    if tag == "S":
        return len(inner.encode())
    if tag == "N":
        return _number_size(inner)
    if tag == "B":
        return len(base64.b64decode(inner))
    if tag in ("BOOL", "NULL"):
        return 1
    if tag == "SS":
        return sum(len(s.encode()) for s in inner)
    if tag == "NS":
        return sum(_number_size(n) for n in inner)
    if tag == "BS":
        return sum(len(base64.b64decode(b)) for b in inner)
    if tag == "L":
        return 3 + sum(1 + _typed_size(v) for v in inner)
    if tag == "M":
        return 3 + sum(1 + len(k.encode()) + _typed_size(v) for k, v in inner.items())
    raise ValueError(f"unknown DynamoDB type {tag!r}")


def _item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    return sum(len(name.encode()) + _typed_size(value) for name, value in item.items())


_STREAM_VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
_RECORD_FIELDS = {
    "eventName",
    "keys",
    "new_image",
    "old_image",
    "event_id",
    "sequence_number",
    "time",
    "ttl_expired",
}


def _stream_arn(table_or_stream: str, dt: datetime, region: str | None, account: str) -> str:
    if "/stream/" in table_or_stream:
        return table_or_stream
    table_arn = _arn(table_or_stream, "dynamodb", "table/", region or DEFAULT_REGION, account)
    # The stream label is the time the stream was enabled, ISO-8601 with milliseconds.
    return f"{table_arn}/stream/{_iso_millis(dt)[:-1]}"


def dynamodb_record(
    stream_arn: str,
    event_name: str,
    keys: Mapping[str, Any],
    new_image: Mapping[str, Any] | None = None,
    old_image: Mapping[str, Any] | None = None,
    *,
    stream_view_type: str = "NEW_AND_OLD_IMAGES",
    event_id: str | None = None,
    sequence_number: str | None = None,
    time: datetime | float | None = None,
    ttl_expired: bool = False,
    region: str | None = None,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """One DynamoDB Streams record (``eventVersion`` 1.1).

    Parameters
    ----------
    stream_arn : str
        The stream ARN (``<table ARN>/stream/<label>``), a table ARN, or a table name.
    event_name : {"INSERT", "MODIFY", "REMOVE"}
        What happened to the item.
    keys, new_image, old_image : mapping
        Plain Python items, converted with `to_dynamodb_json`. Which images appear
        depends on the event and on ``stream_view_type`` (an INSERT has no old image,
        a REMOVE no new image, ``KEYS_ONLY`` neither).
    stream_view_type : str
        ``KEYS_ONLY``, ``NEW_IMAGE``, ``OLD_IMAGE`` or ``NEW_AND_OLD_IMAGES``.
    sequence_number : str, optional
        A numeric string, growing in stream order; derived from ``time`` by default.
    time : datetime or float, optional
        ``ApproximateCreationDateTime`` (epoch seconds, a number).
    ttl_expired : bool
        A REMOVE made by Time to Live carries a ``userIdentity`` naming DynamoDB.

    Example
    -------
    >>> record = dynamodb_record("orders", "INSERT", {"id": 1}, {"id": 1, "total": 9.5},
    ...                          time=0)
    >>> record["dynamodb"]["NewImage"]
    {'id': {'N': '1'}, 'total': {'N': '9.5'}}
    >>> record["eventSourceARN"]
    'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/1970-01-01T00:00:00.000'
    """
    if event_name not in ("INSERT", "MODIFY", "REMOVE"):
        raise ValueError(f"eventName must be INSERT, MODIFY or REMOVE, not {event_name!r}")
    if stream_view_type not in _STREAM_VIEW_TYPES:
        raise ValueError(f"stream_view_type must be one of {', '.join(_STREAM_VIEW_TYPES)}")
    if not isinstance(keys, Mapping) or not keys:
        raise ValueError("keys is the item's primary key, e.g. {'id': 1}")
    dt = _utc(time)
    arn = _stream_arn(stream_arn, dt, region, account)
    stream: dict[str, Any] = {
        "ApproximateCreationDateTime": _epoch_seconds(dt),
        "Keys": to_dynamodb_json(keys),
    }
    size = _item_size(stream["Keys"])
    with_new = stream_view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
    with_old = stream_view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")
    if with_new and event_name != "REMOVE" and new_image is not None:
        stream["NewImage"] = to_dynamodb_json(new_image)
        size += _item_size(stream["NewImage"])
    if with_old and event_name != "INSERT" and old_image is not None:
        stream["OldImage"] = to_dynamodb_json(old_image)
        size += _item_size(stream["OldImage"])
    stream["SequenceNumber"] = sequence_number or f"{_epoch_seconds(dt)}{dt.microsecond:018d}"
    stream["SizeBytes"] = size
    stream["StreamViewType"] = stream_view_type
    record: dict[str, Any] = {
        "eventID": event_id or uuid.uuid4().hex,
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": _region_of(arn, region),
    }
    if ttl_expired:
        record["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    record["dynamodb"] = stream
    record["eventSourceARN"] = arn
    return record


def dynamodb_event(
    table_arn_or_stream_arn: str,
    records: Iterable[Mapping[str, Any]],
    stream_view_type: str = "NEW_AND_OLD_IMAGES",
    *,
    time: datetime | float | None = None,
    region: str | None = None,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """A batch of DynamoDB Streams records, as Lambda's poller invokes a function.

    Parameters
    ----------
    table_arn_or_stream_arn : str
        A stream ARN, a table ARN or a table name (the stream ARN is built from it).
    records : iterable of mapping
        ``{"eventName": "INSERT" | "MODIFY" | "REMOVE", "keys": {...},
        "new_image": {...}, "old_image": {...}}`` with plain Python values; optionally
        ``event_id``, ``sequence_number``, ``time``, ``ttl_expired``.
    stream_view_type : str
        What the stream writes: ``KEYS_ONLY``, ``NEW_IMAGE``, ``OLD_IMAGE`` or
        ``NEW_AND_OLD_IMAGES``.

    Example
    -------
    >>> event = dynamodb_event("orders", [
    ...     {"eventName": "INSERT", "keys": {"id": 1}, "new_image": {"id": 1, "n": 1}},
    ...     {"eventName": "REMOVE", "keys": {"id": 1}, "old_image": {"id": 1, "n": 1}},
    ... ], time=0)
    >>> [sorted(r["dynamodb"]) for r in event["Records"]][1]
    ['ApproximateCreationDateTime', 'Keys', 'OldImage', 'SequenceNumber', 'SizeBytes', \
'StreamViewType']
    """
    dt = _utc(time)
    stream_arn = _stream_arn(table_arn_or_stream_arn, dt, region, account)
    out = []
    for index, spec in enumerate(records):
        unknown = set(spec) - _RECORD_FIELDS
        if unknown:
            raise TypeError(
                f"unknown DynamoDB record field(s) {sorted(unknown)}; use {sorted(_RECORD_FIELDS)}"
            )
        if "eventName" not in spec or "keys" not in spec:
            raise ValueError('each record needs "eventName" and "keys"')
        record_time = _utc(spec.get("time", dt))
        out.append(
            dynamodb_record(
                stream_arn,
                spec["eventName"],
                spec["keys"],
                spec.get("new_image"),
                spec.get("old_image"),
                stream_view_type=stream_view_type,
                event_id=spec.get("event_id"),
                sequence_number=spec.get("sequence_number")
                or f"{_epoch_seconds(record_time)}{record_time.microsecond * 1000 + index:018d}",
                time=record_time,
                ttl_expired=spec.get("ttl_expired", False),
                region=region,
                account=account,
            )
        )
    return {"Records": out}


# --------------------------------------------------------------------------------------
# EventBridge
# --------------------------------------------------------------------------------------


def eventbridge_event(
    source: str,
    detail_type: str,
    detail: Mapping[str, Any],
    resources: Iterable[str] = (),
    time: datetime | float | None = None,
    *,
    event_id: str | None = None,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """An EventBridge event, as a rule delivers it to a function.

    Parameters
    ----------
    source : str
        Who sent it: ``aws.s3``, ``aws.events`` or your own, e.g. ``com.example.orders``.
    detail_type : str
        What it is (``detail-type``), e.g. ``"Order Placed"``.
    detail : mapping
        The event's own data: a JSON object (AWS rejects anything else).
    resources : iterable of str
        ARNs the event is about.
    time : datetime or float, optional
        ``time``, ISO-8601 to the second with ``Z`` (no milliseconds).

    Example
    -------
    >>> event = eventbridge_event("com.example.orders", "Order Placed", {"id": 7}, time=0)
    >>> event["version"], event["detail-type"], event["time"]
    ('0', 'Order Placed', '1970-01-01T00:00:00Z')
    """
    if not isinstance(detail, Mapping):
        raise TypeError("detail is a JSON object (a dict); EventBridge rejects other values")
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": account,
        "time": _iso_seconds(_utc(time)),
        "region": region,
        "resources": list(resources),
        "detail": dict(detail),
    }


def scheduled_event(
    rule_arn: str,
    time: datetime | float | None = None,
    *,
    event_id: str | None = None,
    region: str | None = None,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """The event an EventBridge schedule rule (``rate(...)``/``cron(...)``) sends.

    ``source`` is ``aws.events``, ``detail-type`` ``Scheduled Event``, ``detail`` empty
    and ``resources`` the rule's ARN; ``time`` is the scheduled time.

    Example
    -------
    >>> event = scheduled_event("nightly-report", time=0)
    >>> event["resources"], event["detail"]
    (['arn:aws:events:us-east-1:123456789012:rule/nightly-report'], {})
    """
    rule_arn = _arn(rule_arn, "events", "rule/", region or DEFAULT_REGION, account)
    parts = rule_arn.split(":")
    return eventbridge_event(
        "aws.events",
        "Scheduled Event",
        {},
        [rule_arn],
        time,
        event_id=event_id,
        region=_region_of(rule_arn, region),
        account=parts[4] or account,
    )


# --------------------------------------------------------------------------------------
# HTTP: API Gateway REST and HTTP APIs, function URLs
# --------------------------------------------------------------------------------------

Headers = Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]] | None
Query = str | Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]] | None


def _pairs(values: Headers | Query) -> list[tuple[str, str]]:
    """(name, value) pairs from a mapping (values may be lists) or from pairs."""
    if values is None:
        return []
    items = values.items() if isinstance(values, Mapping) else values
    pairs = []
    for name, value in items:
        if isinstance(value, list | tuple):
            pairs.extend((name, str(v)) for v in value)
        else:
            pairs.append((name, str(value)))
    return pairs


def _query_pairs(query: Query) -> tuple[list[tuple[str, str]], str]:
    """Decoded (name, value) pairs and the raw query string."""
    if isinstance(query, str):
        raw = query.removeprefix("?")
        return parse_qsl(raw, keep_blank_values=True), raw
    pairs = _pairs(query)
    return pairs, urlencode(pairs)


def _has(pairs: list[tuple[str, str]], name: str) -> bool:
    return any(n.lower() == name.lower() for n, _ in pairs)


def _get(pairs: list[tuple[str, str]], name: str) -> str | None:
    found = [v for n, v in pairs if n.lower() == name.lower()]
    return found[-1] if found else None


def _fold(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Every value of each name, in order: repeated headers and query parameters grouped."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def _joined(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Payload 2.0's view of repeated headers or parameters: values joined with commas."""
    return {name: ",".join(values) for name, values in _fold(pairs).items()}


def _add_missing(
    pairs: list[tuple[str, str]], added: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The client's headers, then those the service adds that the client did not send
    (names compared in any case)."""
    return pairs + [(n, v) for n, v in added if not _has(pairs, n)]


def _cookie_strings(cookies: Iterable[str] | Mapping[str, str]) -> Iterable[str]:
    """``name=value`` strings from a mapping; a list of them is taken as it is."""
    if isinstance(cookies, Mapping):
        return [f"{name}={value}" for name, value in cookies.items()]
    return cookies


def _body(body: str | bytes | Mapping | list | None, is_base64: bool) -> tuple[str | None, bool]:
    """The body as API Gateway passes it: text as is, binary as base64."""
    if body is None:
        return None, is_base64
    if isinstance(body, bytes | bytearray):
        return _b64(bytes(body)), True
    if isinstance(body, Mapping | list):
        return json.dumps(body), is_base64
    return body, is_base64


def _match_route(template: str, path: str) -> dict[str, str] | None:
    """Path parameters of ``path`` under a route like ``/items/{id}`` or ``/{proxy+}``."""
    wanted = template.strip("/").split("/")
    given = path.strip("/").split("/")
    params: dict[str, str] = {}
    for index, segment in enumerate(wanted):
        if segment.startswith("{") and segment.endswith("+}"):
            rest = "/".join(given[index:])
            if not rest:
                break
            params[segment[1:-2]] = rest
            return params
        if index >= len(given):
            break
        if segment.startswith("{") and segment.endswith("}"):
            params[segment[1:-1]] = given[index]
        elif segment != given[index]:
            break
    else:
        if len(given) == len(wanted):
            return params or None
    raise ValueError(
        f"the path {path!r} does not match the route {template!r}: "
        "pass a matching resource/route_key, or path_parameters= explicitly"
    )


def _client_headers(body: str | None, is_base64: bool = False) -> list[tuple[str, str]]:
    """What a command-line client sends when the caller gives no headers."""
    headers = [("Accept", "*/*"), ("User-Agent", DEFAULT_USER_AGENT)]
    if body is None:
        return headers
    if is_base64:
        content_type, raw = "application/octet-stream", base64.b64decode(body)
    else:
        raw = body.encode()
        try:
            json.loads(body)
            content_type = "application/json"
        except ValueError:
            content_type = "text/plain"
    return headers + [("Content-Type", content_type), ("Content-Length", str(len(raw)))]


def _request_id_b64(seed: str) -> str:
    """An id like ``LV7fzho-PHcEJPw=``: HTTP API request ids, REST extended ids."""
    return base64.urlsafe_b64encode(_derive(seed, 11)).decode("ascii")


@dataclass
class _Request:
    """An HTTP request as the service receives it, before it adds headers of its own."""

    method: str  # upper case
    path: str  # as the function sees it (with an HTTP API's named stage)
    headers: list[tuple[str, str]]  # the client's, in its order and case
    query: list[tuple[str, str]]  # decoded
    raw_query: str
    body: str | None  # text, or base64 when is_base64
    is_base64: bool


def _request(
    method: str, path: str, headers: Headers, query: Query, body: Any, is_base64: bool
) -> _Request:
    """The request a client sends; with no headers given, a command-line client's."""
    body_text, is_base64 = _body(body, is_base64)
    pairs = _pairs(headers) if headers is not None else _client_headers(body_text, is_base64)
    query_pairs, raw_query = _query_pairs(query)
    return _Request(method.upper(), path, pairs, query_pairs, raw_query, body_text, is_base64)


@dataclass
class _Endpoint:
    """Where a request arrived: what every payload's ``requestContext`` says about it, and
    the headers the service adds after the client's."""

    account: str
    api_id: str
    domain: str
    stage: str
    source_ip: str
    request_id: str
    time: datetime
    added_headers: list[tuple[str, str]]


def _execute_api(
    api_id: str,
    stage: str,
    source_ip: str,
    region: str,
    account: str,
    time: datetime | float | None,
    request_id: str,
) -> _Endpoint:
    """An API Gateway API at ``https://<api-id>.execute-api.<region>.amazonaws.com``, which
    adds ``Host``, ``X-Amzn-Trace-Id`` and ``X-Forwarded-*`` to the client's headers."""
    dt = _utc(time)
    domain = f"{api_id}.execute-api.{region}.amazonaws.com"
    added_headers = [
        ("Host", domain),
        ("X-Amzn-Trace-Id", _trace_id(dt, request_id)),
        ("X-Forwarded-For", source_ip),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Proto", "https"),
    ]
    return _Endpoint(account, api_id, domain, stage, source_ip, request_id, dt, added_headers)


def _v1_payload(
    request: _Request,
    endpoint: _Endpoint,
    resource: str,
    path_parameters: Mapping[str, str] | None,
    stage_variables: Mapping[str, str] | None,
) -> dict[str, Any]:
    """Payload format 1.0, as HTTP APIs send it; `apigw_rest_event` adds REST's own ids."""
    pairs = _add_missing(request.headers, endpoint.added_headers)
    multi_headers = _fold(pairs)
    multi_query = _fold(request.query)
    return {
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        # Single-value views keep the last value of a repeated header or parameter.
        "headers": {name: values[-1] for name, values in multi_headers.items()},
        "multiValueHeaders": multi_headers,
        "queryStringParameters": (
            {name: values[-1] for name, values in multi_query.items()} or None
        ),
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": dict(stage_variables) if stage_variables else None,
        # extendedRequestId, path and resourceId as an HTTP API writes them; a REST API
        # writes its own (see apigw_rest_event).
        "requestContext": {
            "accountId": endpoint.account,
            "apiId": endpoint.api_id,
            "domainName": endpoint.domain,
            "domainPrefix": endpoint.api_id,
            "extendedRequestId": endpoint.request_id,
            "httpMethod": request.method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": endpoint.source_ip,
                "user": None,
                "userAgent": _get(pairs, "User-Agent"),
                "userArn": None,
            },
            "path": request.path,
            "protocol": "HTTP/1.1",
            "requestId": endpoint.request_id,
            "requestTime": _clf_time(endpoint.time),
            "requestTimeEpoch": _epoch_millis(endpoint.time),
            "resourceId": None,
            "resourcePath": resource,
            "stage": endpoint.stage,
        },
        "body": request.body,
        "isBase64Encoded": request.is_base64,
    }


def apigw_rest_event(
    method: str,
    path: str,
    resource: str = "/{proxy+}",
    headers: Headers = None,
    query: Query = None,
    body: str | bytes | Mapping | list | None = None,
    path_parameters: Mapping[str, str] | None = None,
    stage: str = "prod",
    is_base64: bool = False,
    *,
    stage_variables: Mapping[str, str] | None = None,
    api_id: str = DEFAULT_API_ID,
    source_ip: str = DEFAULT_SOURCE_IP,
    request_id: str | None = None,
    time: datetime | float | None = None,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """A REST API (API Gateway v1) Lambda proxy integration event: payload format 1.0.

    Parameters
    ----------
    method, path : str
        The request, e.g. ``"GET"``, ``"/items/42"`` (without the stage).
    resource : str
        The API resource that matched, e.g. ``/items/{id}``; the greedy ``/{proxy+}`` by
        default (the root path ``/`` is its own resource, ``/``).
    headers : mapping or pairs, optional
        As the client sent them; a list value repeats a header. ``headers`` keeps the
        last value of a repeated header, ``multiValueHeaders`` all of them. API Gateway
        adds ``Host``, ``X-Amzn-Trace-Id`` and ``X-Forwarded-*``; with no headers, the
        request looks like one from ``curl``.
    query : str or mapping, optional
        ``"a=1&a=2"`` or ``{"a": ["1", "2"]}``. Both query fields are ``null`` (None)
        when there is no query string, as in AWS.
    body : str, bytes, dict or list, optional
        Text as is; ``bytes`` are base64-encoded and flagged ``isBase64Encoded``; a dict
        or list is sent as JSON.
    path_parameters : mapping, optional
        Worked out from ``resource`` and ``path`` by default.
    stage : str
        The stage; ``requestContext.path`` starts with it (``/prod/items/42``).
    stage_variables : mapping, optional
        The stage's variables; ``stageVariables`` is null when there are none.
    is_base64 : bool
        Set when ``body`` is a str that is already base64.

    Example
    -------
    >>> event = apigw_rest_event("GET", "/items/42", resource="/items/{id}",
    ...                          query={"full": "yes"}, time=0)
    >>> event["pathParameters"], event["queryStringParameters"], event["body"]
    ({'id': '42'}, {'full': 'yes'}, None)
    >>> event["requestContext"]["path"], event["requestContext"]["requestTime"]
    ('/prod/items/42', '01/Jan/1970:00:00:00 +0000')
    """
    if resource == "/{proxy+}" and path.strip("/") == "":
        resource = "/"
    if path_parameters is None and "{" in resource:
        path_parameters = _match_route(resource, path)
    request_id = request_id or str(uuid.uuid4())
    endpoint = _execute_api(api_id, stage, source_ip, region, account, time, request_id)
    request = _request(method, path, headers, query, body, is_base64)
    event = _v1_payload(request, endpoint, resource, path_parameters, stage_variables)
    # A REST API also gives the request an extended id, shows its stage in
    # requestContext.path (not in path) and names the resource and deployment that served it.
    context = event["requestContext"]
    context["extendedRequestId"] = _request_id_b64(request_id)
    context["path"] = f"/{stage}{path}"
    context["resourceId"] = _base36(_derive(f"{api_id}{resource}", 8), 6)
    context["deploymentId"] = _base36(_derive(f"{api_id}{stage}", 8), 6)
    return event


def _route(route_key: str | None) -> tuple[str, str | None]:
    """The route key and its path template (None for ``$default``)."""
    route_key = route_key or "$default"
    if route_key == "$default":
        return route_key, None
    method, _, template = route_key.partition(" ")
    if not template.startswith("/"):
        raise ValueError(f"a route key is '$default' or 'METHOD /path', not {route_key!r}")
    return route_key, template


def _v2_payload(
    request: _Request,
    endpoint: _Endpoint,
    route_key: str,
    cookies: Iterable[str] | Mapping[str, str] | None,
    path_parameters: Mapping[str, str] | None,
    stage_variables: Mapping[str, str] | None,
) -> dict[str, Any]:
    """Payload format 2.0, shared by HTTP APIs and function URLs."""
    # Header names in lower case; cookies move out of the headers into their own list.
    pairs = _add_missing(request.headers, endpoint.added_headers)
    pairs = [(name.lower(), value) for name, value in pairs]
    cookie_list = [
        part.strip() for name, value in pairs if name == "cookie" for part in value.split(";")
    ]
    if cookies is not None:
        cookie_list += _cookie_strings(cookies)
    joined_headers = _joined((name, value) for name, value in pairs if name != "cookie")
    joined_query = _joined(request.query)

    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.raw_query,
    }
    if cookie_list:
        event["cookies"] = cookie_list
    event["headers"] = joined_headers
    if joined_query:
        event["queryStringParameters"] = joined_query
    event["requestContext"] = {
        "accountId": endpoint.account,
        "apiId": endpoint.api_id,
        "domainName": endpoint.domain,
        "domainPrefix": endpoint.domain.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": request.path,
            "protocol": "HTTP/1.1",
            "sourceIp": endpoint.source_ip,
            "userAgent": joined_headers.get("user-agent", ""),
        },
        "requestId": endpoint.request_id,
        "routeKey": route_key,
        "stage": endpoint.stage,
        "time": _clf_time(endpoint.time),
        "timeEpoch": _epoch_millis(endpoint.time),
    }
    if request.body is not None:
        event["body"] = request.body
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if stage_variables:
        event["stageVariables"] = dict(stage_variables)
    event["isBase64Encoded"] = request.is_base64
    return event


def apigw_http_event(
    method: str,
    path: str,
    route_key: str | None = None,
    headers: Headers = None,
    query: Query = None,
    cookies: Iterable[str] | Mapping[str, str] | None = None,
    body: str | bytes | Mapping | list | None = None,
    path_parameters: Mapping[str, str] | None = None,
    stage: str = "$default",
    is_base64: bool = False,
    version: str = "2.0",
    *,
    stage_variables: Mapping[str, str] | None = None,
    api_id: str = DEFAULT_API_ID,
    source_ip: str = DEFAULT_SOURCE_IP,
    request_id: str | None = None,
    time: datetime | float | None = None,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """An HTTP API (API Gateway v2) Lambda proxy event: payload format 2.0 (or 1.0).

    Payload 2.0 is flatter than REST's: the method is ``requestContext.http.method``,
    header names are lower case and repeated headers or query parameters are joined
    with commas, cookies get their own list, and the optional keys (``cookies``,
    ``queryStringParameters``, ``pathParameters``, ``body``, ``stageVariables``) are
    *absent*, not null, when empty. With a named stage, ``rawPath`` starts with it.

    Parameters
    ----------
    method, path : str
        The request, e.g. ``"POST"``, ``"/orders"``.
    route_key : str, optional
        The route that matched: ``"$default"`` (the default) or ``"POST /orders/{id}"``;
        path parameters are worked out from it.
    headers, query, body, path_parameters, is_base64
        As for `apigw_rest_event`.
    cookies : list of str or mapping, optional
        ``["theme=dark"]`` or ``{"theme": "dark"}``; a ``Cookie`` header is split too.
    stage_variables : mapping, optional
        The stage's variables (``stageVariables``, absent when there are none).
    version : {"2.0", "1.0"}
        The integration's payload format version; ``"1.0"`` gives the REST-like
        payload with ``"version": "1.0"``.

    Example
    -------
    >>> event = apigw_http_event("GET", "/items/42", route_key="GET /items/{id}",
    ...                          query="tag=a&tag=b", time=0)
    >>> event["routeKey"], event["pathParameters"], event["queryStringParameters"]
    ('GET /items/{id}', {'id': '42'}, {'tag': 'a,b'})
    >>> "body" in event, "cookies" in event
    (False, False)
    """
    route_key, template = _route(route_key)
    if path_parameters is None and template is not None and "{" in template:
        path_parameters = _match_route(template, path)
    if version not in ("2.0", "1.0"):
        raise ValueError(f"HTTP APIs send payload format '2.0' or '1.0', not {version!r}")
    request_id = request_id or _request_id_b64(str(uuid.uuid4()))
    endpoint = _execute_api(api_id, stage, source_ip, region, account, time, request_id)
    # The function sees a named stage in the path (/dev/items/42), not the $default stage.
    request_path = path if stage == "$default" else f"/{stage}{path}"
    request = _request(method, request_path, headers, query, body, is_base64)
    if version == "2.0":
        return _v2_payload(request, endpoint, route_key, cookies, path_parameters, stage_variables)
    if cookies:  # payload 1.0 has no cookies list: they stay in the Cookie header
        request.headers.append(("Cookie", "; ".join(_cookie_strings(cookies))))
    resource = template or "$default"
    event = _v1_payload(request, endpoint, resource, path_parameters, stage_variables)
    # HTTP APIs lowercase every header name, in payload 1.0 as in 2.0 ("All header
    # names are lowercased"), unlike REST APIs, which keep the client's case.
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
    _lowercase_v1_headers(event)
    return {"version": "1.0", **event}


def _lowercase_v1_headers(event: dict[str, Any]) -> None:
    """Lower-case the names in ``headers`` and ``multiValueHeaders`` (HTTP API 1.0)."""
    multi: dict[str, list[str]] = {}
    for name, values in (event.get("multiValueHeaders") or {}).items():
        multi.setdefault(name.lower(), []).extend(values)
    single: dict[str, str] = {}
    for name, value in (event.get("headers") or {}).items():
        key = name.lower()
        single[key] = multi[key][-1] if key in multi else value
    if event.get("headers") is not None:
        event["headers"] = single
    if event.get("multiValueHeaders") is not None:
        event["multiValueHeaders"] = multi


def function_url_event(
    method: str,
    path: str = "/",
    headers: Headers = None,
    query: Query = None,
    cookies: Iterable[str] | Mapping[str, str] | None = None,
    body: str | bytes | Mapping | list | None = None,
    is_base64: bool = False,
    *,
    auth_type: str = "NONE",
    url_id: str | None = None,
    source_ip: str = DEFAULT_SOURCE_IP,
    request_id: str | None = None,
    time: datetime | float | None = None,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """A Lambda function URL request: payload format 2.0 with route ``$default``.

    Like `apigw_http_event` with one route and one stage, both ``$default``, served at
    ``https://<url-id>.lambda-url.<region>.on.aws``. With ``auth_type="NONE"`` the
    caller is unknown: ``requestContext.accountId`` is ``"anonymous"`` and there is no
    ``authorizer``; with ``"AWS_IAM"`` the account is the signer's and
    ``requestContext.authorizer.iam`` describes them.

    Example
    -------
    >>> event = function_url_event("POST", "/hook", body={"ok": True}, url_id="abc", time=0)
    >>> event["requestContext"]["domainName"], event["requestContext"]["accountId"]
    ('abc.lambda-url.us-east-1.on.aws', 'anonymous')
    >>> event["body"], "authorizer" in event["requestContext"]
    ('{"ok": true}', False)
    """
    if auth_type not in ("NONE", "AWS_IAM"):
        raise ValueError(f"a function URL's AuthType is NONE or AWS_IAM, not {auth_type!r}")
    url_id = url_id or _base36(_derive(f"{account}{region}", 24), 32)
    request_id = request_id or str(uuid.uuid4())
    dt = _utc(time)
    domain = f"{url_id}.lambda-url.{region}.on.aws"
    added_headers = [
        ("x-amzn-tls-version", "TLSv1.3"),
        ("x-amzn-tls-cipher-suite", "TLS_AES_128_GCM_SHA256"),
        ("x-amzn-trace-id", _trace_id(dt, request_id)),
        ("x-forwarded-proto", "https"),
        ("host", domain),
        ("x-forwarded-port", "443"),
        ("x-forwarded-for", source_ip),
    ]
    caller_account = "anonymous" if auth_type == "NONE" else account
    endpoint = _Endpoint(
        caller_account, url_id, domain, "$default", source_ip, request_id, dt, added_headers
    )
    request = _request(method, path, headers, query, body, is_base64)
    event = _v2_payload(request, endpoint, "$default", cookies, None, None)
    if auth_type == "AWS_IAM":
        event["requestContext"]["authorizer"] = {
            "iam": {
                "accessKey": "AKIA" + _base36(_derive(account, 16), 16).upper(),
                "accountId": account,
                "callerId": "AIDA" + _base36(_derive(account + "u", 16), 17).upper(),
                "cognitoIdentity": None,
                "principalOrgId": None,
                "userArn": f"arn:aws:iam::{account}:user/learner",
                "userId": "AIDA" + _base36(_derive(account + "u", 16), 17).upper(),
            }
        }
    return event
