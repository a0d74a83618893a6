"""Every event kind the sandbox delivers validates against Powertools' parser models.

Powertools for AWS Lambda (Python) models AWS's events with pydantic, from AWS's own
documentation and real events; the kit's team did not write them. Here each event is
produced by a real trigger in the sandbox (an upload, a publish, a message, a table
write, put_events, a schedule, HTTP requests to a REST API, an HTTP API at payload 1.0
and 2.0 and a function URL), recorded by the handler that received it, and parsed with
the model Powertools users would use: a drift in the sandbox's events fails here.
https://docs.powertools.aws.dev/lambda/python/latest/utilities/parser/#built-in-models
"""

from __future__ import annotations

import json
import urllib.request
import uuid

import boto3
import pytest
from aws_lambda_powertools.utilities.parser import models  # requirements-dev.txt

REGION, ACCOUNT = "us-east-1", "123456789012"
RECORDER = """
import json

def handler(event, context):
    print("EVENT " + json.dumps(event))
    if isinstance(event, dict) and event.get("Records", [{}])[0].get("eventSource") == (
        "aws:dynamodb"
    ) and event["Records"][0]["dynamodb"]["Keys"]["id"]["S"] == "bad":
        raise ValueError("a record this handler cannot process")
    return {"statusCode": 200, "body": "ok"}
"""


def recorder(sb, write_function, prefix: str) -> tuple[str, str]:
    name = f"pt-{prefix}-{uuid.uuid4().hex[:6]}"
    return name, sb.deploy(name, write_function(app=RECORDER))["FunctionArn"]


def received(sb, name: str) -> list[dict]:
    sb.wait()
    return [
        json.loads(line.split("EVENT ", 1)[1])
        for line in sb.logs(name).lines
        if line.startswith("EVENT ")
    ]


def allow(name: str, principal: str, source_arn: str | None = None, **extra) -> None:
    kwargs = {"SourceArn": source_arn} if source_arn else {}
    boto3.client("lambda").add_permission(
        FunctionName=name,
        StatementId=uuid.uuid4().hex[:8],
        Action=extra.pop("Action", "lambda:InvokeFunction"),
        Principal=principal,
        **kwargs,
        **extra,
    )


def get(url: str) -> int:
    request = urllib.request.Request(url, headers={"X-Custom-Header": "yes"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def only(events: list[dict]) -> dict:
    assert len(events) == 1, events
    return events[0]


def test_s3_notification(sb, write_function):
    name, arn = recorder(sb, write_function, "s3")
    s3 = sb.client("s3")
    bucket = f"pt-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    allow(name, "s3.amazonaws.com", f"arn:aws:s3:::{bucket}")
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    s3.put_object(Bucket=bucket, Key="photos/red flower.jpg", Body=b"x" * 10)
    event = models.S3Model.model_validate(only(received(sb, name)))
    assert event.Records[0].s3.object.key == "photos/red+flower.jpg"


def test_sns_subscription(sb, write_function):
    name, arn = recorder(sb, write_function, "sns")
    sns = sb.client("sns")
    topic = sns.create_topic(Name=f"pt-{uuid.uuid4().hex[:8]}")["TopicArn"]
    allow(name, "sns.amazonaws.com", topic)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(
        TopicArn=topic,
        Message="hello",
        Subject="greeting",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "test"}},
    )
    event = models.SnsModel.model_validate(only(received(sb, name)))
    assert event.Records[0].Sns.Message == "hello"


def test_sqs_mapping(sb, write_function):
    name, _ = recorder(sb, write_function, "sqs")
    sqs = sb.client("sqs")
    url = sqs.create_queue(QueueName=f"pt-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.send_message(
        QueueUrl=url,
        MessageBody="order 1",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "test"}},
    )
    sb.client("lambda").create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=name)
    event = models.SqsModel.model_validate(only(received(sb, name)))
    assert event.Records[0].body == "order 1"


def test_dynamodb_stream_mapping_and_its_on_failure_record(sb, write_function):
    name, _ = recorder(sb, write_function, "ddb")
    sqs = sb.client("sqs")
    failures = sqs.create_queue(QueueName=f"pt-failures-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    failures_arn = sqs.get_queue_attributes(QueueUrl=failures, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    ddb = sb.client("dynamodb")
    table_name = f"pt-{uuid.uuid4().hex[:8]}"
    table = ddb.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    ddb.put_item(TableName=table_name, Item={"id": {"S": "a"}, "n": {"N": "1"}})
    ddb.put_item(TableName=table_name, Item={"id": {"S": "a"}, "n": {"N": "2"}})
    ddb.delete_item(TableName=table_name, Key={"id": {"S": "a"}})
    sb.client("lambda").create_event_source_mapping(
        EventSourceArn=table["LatestStreamArn"],
        FunctionName=name,
        StartingPosition="TRIM_HORIZON",
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": failures_arn}},
    )
    event = models.DynamoDBStreamModel.model_validate(only(received(sb, name)))
    assert [r.eventName for r in event.Records] == ["INSERT", "MODIFY", "REMOVE"]
    ddb.put_item(TableName=table_name, Item={"id": {"S": "bad"}})
    sb.wait()
    (message,) = sqs.receive_message(QueueUrl=failures)["Messages"]
    failure = models.DynamoDBStreamLambdaOnFailureDestinationModel.model_validate(
        json.loads(message["Body"])
    )
    assert failure.ddb_stream_batch_info.batch_size == 1


def test_eventbridge_put_events_rule(sb, write_function):
    name, arn = recorder(sb, write_function, "eb")
    events = boto3.client("events")
    rule = f"pt-{uuid.uuid4().hex[:8]}"
    rule_arn = events.put_rule(
        Name=rule, EventPattern=json.dumps({"source": ["com.example.orders"]})
    )["RuleArn"]
    events.put_targets(Rule=rule, Targets=[{"Id": "fn", "Arn": arn}])
    allow(name, "events.amazonaws.com", rule_arn)
    events.put_events(
        Entries=[
            {
                "Source": "com.example.orders",
                "DetailType": "Order Placed",
                "Detail": json.dumps({"id": 1}),
            }
        ]
    )
    event = models.EventBridgeModel.model_validate(only(received(sb, name)))
    assert event.detail == {"id": 1} and event.detail_type == "Order Placed"


def test_scheduled_rule(sb, write_function):
    name, arn = recorder(sb, write_function, "cron")
    events = boto3.client("events")
    rule = f"pt-{uuid.uuid4().hex[:8]}"
    rule_arn = events.put_rule(Name=rule, ScheduleExpression="rate(1 hour)")["RuleArn"]
    events.put_targets(Rule=rule, Targets=[{"Id": "fn", "Arn": arn}])
    allow(name, "events.amazonaws.com", rule_arn)
    sb.clock.advance(hours=1, minutes=1)
    event = models.EventBridgeModel.model_validate(only(received(sb, name)))
    assert event.detail_type == "Scheduled Event" and event.source == "aws.events"


def test_rest_api_proxy(sb, write_function):
    name, arn = recorder(sb, write_function, "rest")
    apigw = boto3.client("apigateway")
    api_id = apigw.create_rest_api(name=name)["id"]
    root = next(r["id"] for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")
    apigw.put_method(
        restApiId=api_id, resourceId=resource["id"], httpMethod="ANY", authorizationType="NONE"
    )
    apigw.put_integration(
        restApiId=api_id,
        resourceId=resource["id"],
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations",
    )
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    allow(name, "apigateway.amazonaws.com", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*")
    assert get(sb.url(api_id) + "/orders/7?tag=a&tag=b") == 200
    event = models.APIGatewayProxyEventModel.model_validate(only(received(sb, name)))
    assert event.path == "/orders/7" and event.multiValueQueryStringParameters == {
        "tag": ["a", "b"]
    }


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_http_api(sb, write_function, version):
    name, arn = recorder(sb, write_function, "http")
    v2 = boto3.client("apigatewayv2")
    api_id = v2.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    integration = v2.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion=version
    )
    v2.create_route(
        ApiId=api_id,
        RouteKey="GET /orders/{id}",
        Target=f"integrations/{integration['IntegrationId']}",
    )
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    allow(name, "apigateway.amazonaws.com", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*")
    assert get(sb.url(api_id) + "/orders/7?tag=a") == 200
    raw = only(received(sb, name))
    if version == "1.0":  # Powertools parses HTTP API 1.0 with the REST (v1) model
        event = models.APIGatewayProxyEventModel.model_validate(raw)
        assert event.headers["x-custom-header"] == "yes"
    else:
        event = models.APIGatewayProxyEventV2Model.model_validate(raw)
        assert event.requestContext.http.method == "GET"


def test_function_url(sb, write_function):
    name, _ = recorder(sb, write_function, "url")
    lam = boto3.client("lambda")
    lam.create_function_url_config(FunctionName=name, AuthType="NONE")
    allow(name, "*", Action="lambda:InvokeFunctionUrl", FunctionUrlAuthType="NONE")
    allow(name, "*")
    assert get(sb.url(name) + "/hook?x=1") == 200
    event = models.LambdaFunctionUrlModel.model_validate(only(received(sb, name)))
    assert event.rawPath == "/hook"
