"""Where code can tell, the sandbox answers as AWS does (issue 16).

Each test names the AWS behaviour it holds the sandbox to; each failed on the sandbox
before the fix that made it pass.
"""

from __future__ import annotations

import base64
import json
import re

import boto3
import pytest
from botocore.exceptions import ClientError

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

CONTEXT_APP = """
def handler(event, context):
    if event.get("fail"):
        raise ValueError("bad")
    return {"request_id": context.aws_request_id, "arn": context.invoked_function_arn}
"""


def test_invoke_response_request_id_is_the_invocations_uuid(sb, write_function):
    """AWS: x-amzn-RequestId of Invoke = context.aws_request_id = START/END/REPORT id."""
    sb.deploy("request-id-fn", write_function(app=CONTEXT_APP))
    lam = boto3.client("lambda")
    response = lam.invoke(FunctionName="request-id-fn", Payload=b"{}", LogType="Tail")
    request_id = response["ResponseMetadata"]["RequestId"]
    assert UUID.match(request_id), request_id
    assert json.loads(response["Payload"].read())["request_id"] == request_id
    tail = base64.b64decode(response["LogResult"]).decode()
    for kind in ("START", "END", "REPORT"):
        assert f"{kind} RequestId: {request_id}" in tail
    failed = lam.invoke(FunctionName="request-id-fn", Payload=b'{"fail": true}')
    error = json.loads(failed["Payload"].read())
    assert error["requestId"] == failed["ResponseMetadata"]["RequestId"]
    queued = lam.invoke(FunctionName="request-id-fn", InvocationType="Event", Payload=b"{}")
    assert UUID.match(queued["ResponseMetadata"]["RequestId"])
    sb.wait()
    assert any(
        queued["ResponseMetadata"]["RequestId"] in line for line in sb.logs("request-id-fn").lines
    )


def test_alias_invoke_gives_the_alias_arn_to_the_handler(sb, write_function):
    """AWS: context.invoked_function_arn is the ARN the caller used, alias included."""
    sb.deploy("alias-arn-fn", write_function(app=CONTEXT_APP))
    lam = boto3.client("lambda")
    version = lam.publish_version(FunctionName="alias-arn-fn")["Version"]
    lam.create_alias(FunctionName="alias-arn-fn", Name="live", FunctionVersion=version)
    base = lam.get_function(FunctionName="alias-arn-fn")["Configuration"]["FunctionArn"]
    base = base.removesuffix(":$LATEST")

    def arn(**kw):
        payload = lam.invoke(FunctionName="alias-arn-fn", Payload=b"{}", **kw)["Payload"]
        return json.loads(payload.read())["arn"]

    assert arn(Qualifier="live") == f"{base}:live"
    assert arn(Qualifier=version) == f"{base}:{version}"
    assert arn() == base
    assert (
        json.loads(lam.invoke(FunctionName=f"{base}:live", Payload=b"{}")["Payload"].read())["arn"]
        == f"{base}:live"
    )


HEADERS_APP = """
import json

def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({
        "headers": event.get("headers"),
        "multi": event.get("multiValueHeaders"),
    })}
"""


def test_http_api_payload_1_0_lowercases_header_names(sb, write_function):
    """AWS: HTTP APIs lowercase every header name, in payload 1.0 as in 2.0."""
    import urllib.request

    fn = sb.deploy("headers-v1-fn", write_function(app=HEADERS_APP))
    v2 = boto3.client("apigatewayv2")
    api_id = v2.create_api(Name="headers-v1", ProtocolType="HTTP")["ApiId"]
    integration = v2.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=fn["FunctionArn"],
        PayloadFormatVersion="1.0",
    )
    v2.create_route(
        ApiId=api_id, RouteKey="GET /h", Target=f"integrations/{integration['IntegrationId']}"
    )
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    boto3.client("lambda").add_permission(
        FunctionName="headers-v1-fn",
        StatementId="api",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
    )
    request = urllib.request.Request(sb.url(api_id) + "/h", headers={"X-Custom-Thing": "yes"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    for field in ("headers", "multi"):
        names = list(body[field])
        assert names == [n.lower() for n in names], names
    assert body["headers"]["x-custom-thing"] == "yes"
    assert body["multi"]["x-custom-thing"] == ["yes"]
    assert "x-forwarded-for" in body["headers"]


def test_http_api_lambda_proxy_integration_needs_a_payload_format_version(sb):
    """AWS: PayloadFormatVersion is required for HTTP API Lambda proxy integrations."""
    v2 = boto3.client("apigatewayv2")
    api_id = v2.create_api(Name="no-format", ProtocolType="HTTP")["ApiId"]
    with pytest.raises(v2.exceptions.BadRequestException, match="PayloadFormatVersion"):
        v2.create_integration(
            ApiId=api_id,
            IntegrationType="AWS_PROXY",
            IntegrationUri="arn:aws:lambda:us-east-1:123456789012:function:any",
        )


@pytest.mark.parametrize("name", ["AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "_HANDLER"])
def test_reserved_environment_variables_are_refused(sb, write_function, name):
    """AWS: InvalidParameterValueException naming the reserved keys, at create and update.

    A key that does not start with a letter (``_HANDLER``) breaks the API model's key
    pattern first: ValidationException, as AWS checks the model before anything else.
    """
    from lambdalab.sandbox.account import build_zip

    lam = boto3.client("lambda")
    folder = write_function(app="def handler(e, c):\n    return 1\n")
    message = f"reserved keys .*Reserved keys used in this request: {name}"
    error = lam.exceptions.InvalidParameterValueException
    if name.startswith("_"):
        message, error = r"Map keys must satisfy constraint", ClientError
    with pytest.raises(error, match=message):
        lam.create_function(
            FunctionName="reserved-env-fn",
            Runtime="python3.13",
            Role=sb.role_arn(),
            Handler="app.handler",
            Code={"ZipFile": build_zip(folder)},
            Environment={"Variables": {name: "x", "STAGE": "dev"}},
        )
    sb.deploy("reserved-env-ok", folder, Environment={"Variables": {"STAGE": "dev"}})
    with pytest.raises(error, match=message):
        lam.update_function_configuration(
            FunctionName="reserved-env-ok", Environment={"Variables": {name: "x"}}
        )


def test_init_start_is_stable_per_runtime_and_names_the_python_that_runs():
    """AWS: one Runtime Version ARN per runtime version, the same on every cold start."""
    import platform

    from lambdalab.sandbox.runtime import logs

    first = logs.init_start_line("python3.13", "us-east-1")
    assert first == logs.init_start_line("python3.13", "us-east-1")
    assert first != logs.init_start_line("python3.12", "us-east-1")
    version, arn = first.removeprefix("INIT_START Runtime Version: ").split(
        "\tRuntime Version ARN: "
    )
    assert version.startswith("python:3.13.")
    assert platform.python_version() in version  # the handler really runs on this Python
    assert re.fullmatch(r"arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}", arn)


RECORDER = """
import json

def handler(event, context):
    print("EVENT " + json.dumps(event))
"""


def recorded(sb, name: str) -> list:
    sb.wait()
    return [
        json.loads(line.split("EVENT ", 1)[1])
        for line in sb.logs(name).lines
        if line.startswith("EVENT ")
    ]


def test_scheduler_context_attributes_are_substituted(sb, write_function):
    """AWS: Scheduler fills in <aws.scheduler.*> in the target's Input before invoking."""
    from datetime import datetime

    arn = sb.deploy("scheduler-context-fn", write_function(app=RECORDER))["FunctionArn"]
    template = {
        "arn": "<aws.scheduler.schedule-arn>",
        "time": "<aws.scheduler.scheduled-time>",
        "id": "<aws.scheduler.execution-id>",
        "attempt": "<aws.scheduler.attempt-number>",
    }
    boto3.client("scheduler").create_schedule(
        Name="context-attributes",
        ScheduleExpression="rate(1 hour)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": "arn:aws:iam::123456789012:role/scheduler",
            "Input": json.dumps(template),
        },
    )
    sb.clock.advance(hours=2, minutes=1)
    events = recorded(sb, "scheduler-context-fn")
    assert len(events) == 2
    schedule_arn = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/context-attributes"
    for event in events:
        assert event["arn"] == schedule_arn
        assert event["attempt"] == "1"
        assert re.fullmatch(r"[0-9a-f-]{36}", event["id"])
        assert datetime.strptime(event["time"], "%Y-%m-%dT%H:%M:%SZ")
    assert events[0]["id"] != events[1]["id"] and events[0]["time"] < events[1]["time"]


STREAM_APP = """
import json

def handler(event, context):
    print("EVENT " + json.dumps(event))
    if any(r.get("dynamodb", {}).get("Keys", {}).get("id", {}).get("S") == "bad"
           for r in event["Records"]):
        raise ValueError("bad record")
"""


def make_queue(sb, name: str) -> tuple[str, str]:
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return url, arn["QueueArn"]


def stream_table(sb, name: str) -> dict:
    return sb.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]


def test_sqs_and_dynamodb_times_follow_the_sandbox_clock(sb, write_function):
    """One clock: after sb.clock.advance, SQS and DynamoDB stamp sandbox time, as S3 does."""
    sb.clock.advance(days=3)
    now_ms = sb.clock.now().timestamp() * 1000
    sb.deploy("clock-sqs-fn", write_function(app=RECORDER))
    url, arn = make_queue(sb, "clock-queue")
    sqs = sb.client("sqs")
    sqs.send_message(QueueUrl=url, MessageBody="plain receive")
    (message,) = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"]
    for name in ("SentTimestamp", "ApproximateFirstReceiveTimestamp"):
        assert abs(int(message["Attributes"][name]) - now_ms) < 60_000, name
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    sb.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="clock-sqs-fn")
    sqs.send_message(QueueUrl=url, MessageBody="through lambda")
    (event,) = recorded(sb, "clock-sqs-fn")
    attributes = event["Records"][0]["attributes"]
    for name in ("SentTimestamp", "ApproximateFirstReceiveTimestamp"):
        assert abs(int(attributes[name]) - now_ms) < 60_000, name

    sb.deploy("clock-stream-fn", write_function(app=RECORDER))
    table = stream_table(sb, "clock-table")
    label = table["LatestStreamLabel"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", label), label
    assert label[:10] == sb.clock.now().strftime("%Y-%m-%d")
    assert table["LatestStreamArn"].endswith(f"/stream/{label}")
    sb.client("dynamodb").put_item(TableName="clock-table", Item={"id": {"S": "a"}})
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=table["LatestStreamArn"],
        FunctionName="clock-stream-fn",
        StartingPosition="TRIM_HORIZON",
    )
    (event,) = recorded(sb, "clock-stream-fn")
    created = event["Records"][0]["dynamodb"]["ApproximateCreationDateTime"]
    assert abs(created * 1000 - now_ms) < 60_000


def test_stream_on_failure_record_has_iso_arrival_times(sb, write_function):
    """AWS: DDBStreamBatchInfo.approximateArrivalOf*Record are ISO-8601 strings."""
    sb.deploy("iso-stream-fn", write_function(app=STREAM_APP))
    failures_url, failures_arn = make_queue(sb, "iso-stream-failures")
    table = stream_table(sb, "iso-stream-table")
    sb.client("dynamodb").put_item(TableName="iso-stream-table", Item={"id": {"S": "bad"}})
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=table["LatestStreamArn"],
        FunctionName="iso-stream-fn",
        StartingPosition="TRIM_HORIZON",
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": failures_arn}},
    )
    sb.wait()
    (message,) = sb.client("sqs").receive_message(QueueUrl=failures_url)["Messages"]
    info = json.loads(message["Body"])["DDBStreamBatchInfo"]
    iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.fullmatch(iso, info["approximateArrivalOfFirstRecord"])
    assert re.fullmatch(iso, info["approximateArrivalOfLastRecord"])
    assert info["streamArn"] == table["LatestStreamArn"]


def test_decimal_is_encoded_and_client_context_reaches_the_handler(sb, write_function):
    """AWS: the Python runtime encodes Decimal; any synchronous Invoke may pass ClientContext."""
    app = """
from decimal import Decimal

def handler(event, context):
    custom = context.client_context.custom if context.client_context else None
    return {"price": Decimal("12.50"), "custom": custom}
"""
    sb.deploy("decimal-context-fn", write_function(app=app))
    context = base64.b64encode(json.dumps({"custom": {"tenant": "t1"}}).encode()).decode()
    response = boto3.client("lambda").invoke(
        FunctionName="decimal-context-fn", Payload=b"{}", ClientContext=context
    )
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {"price": 12.5, "custom": {"tenant": "t1"}}


def test_a_learners_error_names_var_task_and_the_line(sb, write_function):
    """AWS: the task root is /var/task, so a trace says File "/var/task/app.py", line 6.

    The sandbox runs the code from a folder of its own; the learner reads AWS's path in
    the error, in the log, and the kit's feedback still finds the line.
    https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    """
    from lambdalab.course.probe import failure_feedback

    app = (
        "def handler(event, context):\n"
        "    total = 0\n"
        "    for key in event:\n"
        "        total += event[key]\n"
        "\n"
        "    return total / len(event)\n"
    )
    sb.deploy("divide-fn", write_function(app=app))
    response = boto3.client("lambda").invoke(FunctionName="divide-fn", Payload=b"{}")
    error = json.loads(response["Payload"].read())
    assert error["errorType"] == "ZeroDivisionError"
    assert error["stackTrace"] == [
        '  File "/var/task/app.py", line 6, in handler\n    return total / len(event)\n'
    ]
    assert 'File "/var/task/app.py", line 6, in handler' in "\n".join(sb.logs("divide-fn").lines)
    failure = sb.failures("divide-fn")[-1]
    assert failure.handler_line == "app.py, line 6: return total / len(event)"
    assert "at app.py, line 6: return total / len(event)" in failure_feedback([failure])
