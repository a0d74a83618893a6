"""CloudFormation with SAM templates against the sandbox: each trigger deployed, then driven.

Every test deploys a small template with plain ``boto3.client("cloudformation")``, as a
learner's integration test would, and checks that a handler really ran.
"""

from __future__ import annotations

import io
import json
import urllib.request
import uuid
import zipfile

import boto3
import pytest
from botocore.exceptions import ClientError

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]

RECORDER = """
import json
def handler(event, context):
    print("EVENT " + json.dumps(event))
    answer = {"version": "VERSION", "arn": context.invoked_function_arn}
    return {"statusCode": 200, "body": json.dumps(answer)}
"""


@pytest.fixture(autouse=True, scope="module")
def delete_stacks_at_the_end(sb):
    """The session's sandbox is shared: leave no stack (and its triggers) to other modules."""
    yield
    cfn = boto3.client("cloudformation")
    for stack in cfn.describe_stacks()["Stacks"]:
        if stack["StackStatus"] == "DELETE_COMPLETE":
            continue
        for resource in cfn.describe_stack_resources(StackName=stack["StackId"])["StackResources"]:
            if resource["ResourceType"] == "AWS::S3::Bucket":  # empty it, or it stays
                bucket = boto3.resource("s3").Bucket(resource["PhysicalResourceId"])
                bucket.objects.all().delete()
        cfn.delete_stack(StackName=stack["StackId"])
    sb.wait()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def sam(resources: str, outputs: str = "", version: str = "one") -> str:
    """A SAM template: a recorder function ``Fn`` (inline code) plus ``resources``."""
    code = "\n".join(
        "          " + line for line in RECORDER.replace("VERSION", version).splitlines()
    )
    return f"""
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      InlineCode: |
{code}
{resources}
Outputs:
  FunctionName:
    Value: !Ref Fn
{outputs}
"""


def deploy(template: str, name: str | None = None) -> tuple[str, dict[str, str]]:
    """Create the stack; its name and outputs. Fails the test with the stack's events."""
    cfn = boto3.client("cloudformation")
    name = name or unique("stack")
    cfn.create_stack(StackName=name, TemplateBody=template, Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", failed_events(name)
    return name, {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def failed_events(name: str) -> list[tuple[str, str, str]]:
    events = boto3.client("cloudformation").describe_stack_events(StackName=name)["StackEvents"]
    return [
        (e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", ""))
        for e in events
        if e["ResourceStatus"].endswith("FAILED")
    ]


def seen(sb, function_name: str) -> list[dict]:
    sb.wait()
    return [
        json.loads(line.split("EVENT ", 1)[1])
        for line in sb.logs(function_name).lines
        if line.startswith("EVENT ")
    ]


def physical_id(stack: str, logical_id: str) -> str:
    resource = boto3.client("cloudformation").describe_stack_resource(
        StackName=stack, LogicalResourceId=logical_id
    )
    return resource["StackResourceDetail"]["PhysicalResourceId"]


def with_events(resources: str, events: str, outputs: str = "", version: str = "one") -> str:
    template = sam(resources, outputs, version)
    head, _, rest = template.partition("      InlineCode: |\n")
    code, _, tail = rest.partition("\n\n")
    return head + "      InlineCode: |\n" + code + "\n" + events.rstrip("\n") + "\n" + tail


# -- the stack's life: create, template stages, events, update, delete ---------------------


def test_sam_stack_is_created_updated_and_deleted_as_on_aws(sb):
    cfn, lam = boto3.client("cloudformation"), boto3.client("lambda")
    name, outputs = deploy(sam(""))
    function = outputs["FunctionName"]
    answer = json.loads(lam.invoke(FunctionName=function)["Payload"].read())
    assert json.loads(answer["body"])["version"] == "one"

    original = cfn.get_template(StackName=name, TemplateStage="Original")["TemplateBody"]
    processed = cfn.get_template(StackName=name, TemplateStage="Processed")["TemplateBody"]
    assert "AWS::Serverless::Function" in str(original)
    assert "AWS::Lambda::Function" in str(processed)
    assert "AWS::Serverless::Function" not in str(processed)

    steps = [
        (e["LogicalResourceId"], e["ResourceStatus"])
        for e in reversed(cfn.describe_stack_events(StackName=name)["StackEvents"])
    ]
    assert steps.index(("FnRole", "CREATE_COMPLETE")) < steps.index(("Fn", "CREATE_COMPLETE"))
    assert steps[-1] == (name, "CREATE_COMPLETE")

    cfn.update_stack(StackName=name, TemplateBody=sam("", version="two"), Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE", failed_events(name)
    answer = json.loads(lam.invoke(FunctionName=function)["Payload"].read())
    assert json.loads(answer["body"])["version"] == "two"

    with pytest.raises(ClientError) as same:
        cfn.update_stack(
            StackName=name, TemplateBody=sam("", version="two"), Capabilities=CAPABILITIES
        )
    assert same.value.response["Error"]["Message"] == "No updates are to be performed."

    stack_id = stack["StackId"]
    cfn.delete_stack(StackName=name)
    assert cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=function)


def test_code_from_an_uploaded_zip_as_sam_package_leaves_it(sb):
    s3 = boto3.client("s3")
    bucket = unique("artifacts")
    s3.create_bucket(Bucket=bucket)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("app.py", "def handler(event, context):\n    return {'from': 'zip'}\n")
    s3.put_object(Bucket=bucket, Key="app.zip", Body=archive.getvalue())
    template = f"""
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://{bucket}/app.zip
      MemorySize: 256
Outputs:
  Name:
    Value: !Ref Fn
"""
    _, outputs = deploy(template)
    lam = boto3.client("lambda")
    assert json.loads(lam.invoke(FunctionName=outputs["Name"])["Payload"].read()) == {"from": "zip"}
    assert lam.get_function_configuration(FunctionName=outputs["Name"])["MemorySize"] == 256


def test_capabilities_are_required_as_on_aws(sb):
    cfn = boto3.client("cloudformation")
    with pytest.raises(ClientError) as refused:
        cfn.create_stack(
            StackName=unique("s"), TemplateBody=sam(""), Capabilities=["CAPABILITY_IAM"]
        )
    assert refused.value.response["Error"]["Code"] == "InsufficientCapabilitiesException"
    assert "CAPABILITY_AUTO_EXPAND" in refused.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as refused:
        cfn.create_stack(
            StackName=unique("s"), TemplateBody=sam(""), Capabilities=["CAPABILITY_AUTO_EXPAND"]
        )
    assert "CAPABILITY_IAM" in refused.value.response["Error"]["Message"]


# -- (a) S3 ----------------------------------------------------------------------------------


def test_s3_event_of_a_sam_function_really_fires(sb):
    template = with_events(
        resources="""
  Uploads:
    Type: AWS::S3::Bucket
""",
        events="""
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: {S3Key: {Rules: [{Name: prefix, Value: incoming/}]}}
""",
        outputs="""
  Bucket:
    Value: !Ref Uploads
""",
    )
    _, outputs = deploy(template)
    s3 = boto3.client("s3")
    s3.put_object(Bucket=outputs["Bucket"], Key="incoming/cat.jpg", Body=b"meow")
    s3.put_object(Bucket=outputs["Bucket"], Key="elsewhere/dog.jpg", Body=b"woof")
    records = [r for e in seen(sb, outputs["FunctionName"]) for r in e["Records"]]
    assert [r["s3"]["object"]["key"] for r in records] == ["incoming/cat.jpg"]
    assert records[0]["eventName"] == "ObjectCreated:Put"


# -- (b) SQS and DynamoDB streams -------------------------------------------------------------


def test_sqs_event_mapping_keeps_filter_and_batching_and_delivers(sb):
    template = with_events(
        resources="""
  Orders:
    Type: AWS::SQS::Queue
""",
        events="""
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Orders.Arn
            BatchSize: 5
            MaximumBatchingWindowInSeconds: 2
            FilterCriteria:
              Filters:
                - Pattern: '{"body": {"kind": ["order"]}}'
""",
        outputs="""
  Queue:
    Value: !Ref Orders
""",
    )
    _, outputs = deploy(template)
    mapping = boto3.client("lambda").list_event_source_mappings(
        FunctionName=outputs["FunctionName"]
    )["EventSourceMappings"][0]
    assert mapping["BatchSize"] == 5
    assert mapping["MaximumBatchingWindowInSeconds"] == 2
    assert mapping["FilterCriteria"] == {"Filters": [{"Pattern": '{"body": {"kind": ["order"]}}'}]}
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=outputs["Queue"], MessageBody=json.dumps({"kind": "order", "n": 1}))
    sqs.send_message(QueueUrl=outputs["Queue"], MessageBody=json.dumps({"kind": "spam", "n": 2}))
    bodies = [
        json.loads(r["body"]) for e in seen(sb, outputs["FunctionName"]) for r in e["Records"]
    ]
    assert bodies == [{"kind": "order", "n": 1}]


def test_dynamodb_stream_event_mapping_delivers_filtered_records(sb):
    template = with_events(
        resources="""
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
""",
        events="""
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Items.StreamArn
            StartingPosition: LATEST
            BatchSize: 10
            FilterCriteria:
              Filters:
                - Pattern: '{"eventName": ["INSERT"]}'
""",
        outputs="""
  Table:
    Value: !Ref Items
""",
    )
    _, outputs = deploy(template)
    mapping = boto3.client("lambda").list_event_source_mappings(
        FunctionName=outputs["FunctionName"]
    )["EventSourceMappings"][0]
    assert mapping["BatchSize"] == 10
    table = boto3.resource("dynamodb").Table(outputs["Table"])
    table.put_item(Item={"id": "a", "n": 1})
    table.put_item(Item={"id": "a", "n": 2})  # a MODIFY: filtered out
    records = [r for e in seen(sb, outputs["FunctionName"]) for r in e["Records"]]
    assert [r["eventName"] for r in records] == ["INSERT"]
    assert records[0]["dynamodb"]["NewImage"]["n"] == {"N": "1"}


# -- (c) HTTP API ---------------------------------------------------------------------------


def test_http_api_invoke_url_output_answers(sb):
    template = with_events(
        resources="",
        events="""
      Events:
        Hello:
          Type: HttpApi
          Properties:
            Path: /hello
            Method: GET
""",
        outputs="""
  ApiUrl:
    Value: !Sub "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"
""",
    )
    _, outputs = deploy(template)
    with urllib.request.urlopen(outputs["ApiUrl"] + "hello?name=Ada", timeout=30) as answer:
        assert answer.status == 200
        assert json.loads(answer.read())["version"] == "one"
    event = seen(sb, outputs["FunctionName"])[-1]
    assert event["routeKey"] == "GET /hello"
    assert event["queryStringParameters"] == {"name": "Ada"}
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(outputs["ApiUrl"] + "nowhere", timeout=30)
    assert missing.value.code == 404


# -- (d) schedules and EventBridge rules ----------------------------------------------------


@pytest.fixture
def no_leftover_schedules(sb):
    """Rules and schedules of one test must not fire in the next test's simulated day."""
    created: list[str] = []
    yield created
    cfn = boto3.client("cloudformation")
    for name in created:
        cfn.delete_stack(StackName=name)
    sb.wait()


def test_schedule_schedulev2_and_eventbridge_rule_fire(sb, no_leftover_schedules):
    template = with_events(
        resources="",
        events="""
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 2 * * ? *)
            Input: '{"from": "rule schedule"}'
        Hourly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(6 hours)
            Input: '{"from": "scheduler"}'
        Orders:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [shop.orders]
""",
    )
    name, outputs = deploy(template)
    no_leftover_schedules.append(name)
    boto3.client("events").put_events(
        Entries=[{"Source": "shop.orders", "DetailType": "OrderPlaced", "Detail": '{"id": 7}'}]
    )
    got = seen(sb, outputs["FunctionName"])
    assert [e["detail"] for e in got if e.get("source") == "shop.orders"] == [{"id": 7}]
    sb.clock.advance(days=1)
    got = seen(sb, outputs["FunctionName"])
    assert got.count({"from": "rule schedule"}) == 1
    assert got.count({"from": "scheduler"}) == 4


# -- (e) AutoPublishAlias ----------------------------------------------------------------


def test_auto_publish_alias_publishes_a_version_per_code_change(sb):
    alias = "      AutoPublishAlias: live\n"
    lam, cfn = boto3.client("lambda"), boto3.client("cloudformation")
    name, outputs = deploy(with_events("", alias))
    function = outputs["FunctionName"]
    assert lam.get_alias(FunctionName=function, Name="live")["FunctionVersion"] == "1"
    answer = json.loads(lam.invoke(FunctionName=function, Qualifier="live")["Payload"].read())
    assert json.loads(answer["body"])["arn"].endswith(f"{function}:live")

    cfn.update_stack(
        StackName=name,
        TemplateBody=with_events("", alias, version="two"),
        Capabilities=CAPABILITIES,
    )
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE", (
        failed_events(name)
    )
    assert lam.get_alias(FunctionName=function, Name="live")["FunctionVersion"] == "2"
    answer = json.loads(lam.invoke(FunctionName=function, Qualifier="live")["Payload"].read())
    assert json.loads(answer["body"])["version"] == "two"


# -- what the sandbox cannot do fails the whole stack, said ------------------------------


def test_unsupported_resource_fails_the_stack_before_anything_is_created(sb):
    cfn, lam = boto3.client("cloudformation"), boto3.client("lambda")
    before = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    template = sam(
        """
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/pipe
      Source: arn:aws:sqs:us-east-1:123456789012:in
      Target: arn:aws:sqs:us-east-1:123456789012:out
"""
    )
    name = unique("half")
    cfn.create_stack(StackName=name, TemplateBody=template, Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "[Pipe]" in stack["StackStatusReason"]
    (failed,) = failed_events(name)
    assert failed[:2] == ("Pipe", "CREATE_FAILED")
    assert "AWS::Pipes::Pipe" in failed[2]
    assert {f["FunctionName"] for f in lam.list_functions()["Functions"]} == before
    assert "Outputs" not in stack


def test_a_resource_that_fails_midway_rolls_back_what_was_created(sb):
    cfn, s3 = boto3.client("cloudformation"), boto3.client("s3")
    buckets_before = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    template = """
Transform: AWS::Serverless-2016-10-31
Resources:
  First:
    Type: AWS::S3::Bucket
  Fn:
    Type: AWS::Serverless::Function
    DependsOn: First
    Properties:
      Runtime: python3.13
      Handler: index.handler
      MemorySize: 20480
      InlineCode: "def handler(event, context): pass"
"""
    name = unique("rollback")
    cfn.create_stack(StackName=name, TemplateBody=template, Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "[Fn]" in stack["StackStatusReason"]
    reasons = dict((e[0], e[2]) for e in failed_events(name))
    assert "MemorySize" in reasons["Fn"] or "memorySize" in reasons["Fn"], reasons
    steps = [
        (e["LogicalResourceId"], e["ResourceStatus"])
        for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
    ]
    assert ("First", "DELETE_COMPLETE") in steps
    assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == buckets_before
    cfn.delete_stack(StackName=name)


def test_an_invalid_sam_template_fails_with_the_translators_words(sb):
    cfn = boto3.client("cloudformation")
    template = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
"""
    name = unique("invalid")
    cfn.create_stack(StackName=name, TemplateBody=template, Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert stack["StackStatusReason"].startswith("Transform AWS::Serverless-2016-10-31 failed")
    assert "[Fn]" in stack["StackStatusReason"]


def test_sqs_batching_window_gathers_a_full_batch(sb):
    template = with_events(
        resources="""
  Jobs:
    Type: AWS::SQS::Queue
""",
        events="""
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 3
            MaximumBatchingWindowInSeconds: 60
""",
        outputs="""
  Queue:
    Value: !Ref Jobs
""",
    )
    _, outputs = deploy(template)
    sqs = boto3.client("sqs")
    for n in range(3):
        sqs.send_message(QueueUrl=outputs["Queue"], MessageBody=str(n))
    batches = [[r["body"] for r in e["Records"]] for e in seen(sb, outputs["FunctionName"])]
    assert batches == [["0", "1", "2"]]  # one invocation: the window waited for a full batch


# -- function URLs and SNS --------------------------------------------------------------


def test_function_url_output_answers(sb):
    template = with_events(
        resources="",
        events="""
      FunctionUrlConfig:
        AuthType: NONE
""",
        outputs="""
  Url:
    Value: !GetAtt FnUrl.FunctionUrl
""",
    )
    _, outputs = deploy(template)
    with urllib.request.urlopen(outputs["Url"] + "?q=1", timeout=30) as answer:
        assert json.loads(answer.read())["version"] == "one"
    assert seen(sb, outputs["FunctionName"])[-1]["queryStringParameters"] == {"q": "1"}


def test_sns_event_subscribes_the_function(sb):
    template = with_events(
        resources="""
  Alerts:
    Type: AWS::SNS::Topic
""",
        events="""
      Events:
        Alert:
          Type: SNS
          Properties:
            Topic: !Ref Alerts
            FilterPolicy: {severity: [high]}
""",
        outputs="""
  Topic:
    Value: !Ref Alerts
""",
    )
    _, outputs = deploy(template)
    sns = boto3.client("sns")
    for severity in ("low", "high"):
        sns.publish(
            TopicArn=outputs["Topic"],
            Message=f"disk {severity}",
            MessageAttributes={"severity": {"DataType": "String", "StringValue": severity}},
        )
    messages = [
        r["Sns"]["Message"] for e in seen(sb, outputs["FunctionName"]) for r in e["Records"]
    ]
    assert messages == ["disk high"]


def test_rest_api_event_and_its_prod_url_output_answer(sb):
    template = with_events(
        resources="",
        events="""
      Events:
        Items:
          Type: Api
          Properties:
            Path: /items/{id}
            Method: GET
""",
        outputs="""
  ApiUrl:
    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/"
""",
    )
    _, outputs = deploy(template)
    with urllib.request.urlopen(outputs["ApiUrl"] + "items/42", timeout=30) as answer:
        assert json.loads(answer.read())["version"] == "one"
    event = seen(sb, outputs["FunctionName"])[-1]
    assert event["pathParameters"] == {"id": "42"}
    assert event["requestContext"]["stage"] == "Prod"


def test_a_local_code_uri_fails_saying_to_upload_the_code(sb):
    cfn = boto3.client("cloudformation")
    template = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: ./src
"""
    name = unique("local")
    cfn.create_stack(StackName=name, TemplateBody=template, Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "s3://bucket/key" in stack["StackStatusReason"]
    assert "sam package" in stack["StackStatusReason"]


# -- change sets (what `sam deploy` uses), a failed update --------------------------------


def test_change_sets_create_then_update_a_sam_stack(sb):
    cfn, lam = boto3.client("cloudformation"), boto3.client("lambda")
    name = unique("changes")
    cfn.create_change_set(
        StackName=name,
        ChangeSetName="first",
        ChangeSetType="CREATE",
        TemplateBody=sam(""),
        Capabilities=CAPABILITIES,
    )
    described = cfn.describe_change_set(StackName=name, ChangeSetName="first")
    assert described["Status"] == "CREATE_COMPLETE"
    assert {"Fn", "FnRole"} <= {
        c["ResourceChange"]["LogicalResourceId"] for c in described["Changes"]
    }
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "REVIEW_IN_PROGRESS"
    cfn.execute_change_set(StackName=name, ChangeSetName="first")
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", failed_events(name)
    function = stack["Outputs"][0]["OutputValue"]
    assert "one" in lam.invoke(FunctionName=function)["Payload"].read().decode()

    cfn.create_change_set(
        StackName=name, ChangeSetName="same", TemplateBody=sam(""), Capabilities=CAPABILITIES
    )
    same = cfn.describe_change_set(StackName=name, ChangeSetName="same")
    assert same["Status"] == "FAILED"
    assert "didn't contain changes" in same["StatusReason"]

    cfn.create_change_set(
        StackName=name,
        ChangeSetName="second",
        TemplateBody=sam("", version="two"),
        Capabilities=CAPABILITIES,
    )
    cfn.execute_change_set(StackName=name, ChangeSetName="second")
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    assert "two" in lam.invoke(FunctionName=function)["Payload"].read().decode()


def test_a_failed_update_rolls_back_to_the_previous_template(sb):
    cfn, lam = boto3.client("cloudformation"), boto3.client("lambda")
    name, outputs = deploy(sam(""))
    broken = sam("", version="two").replace(
        "Runtime: python3.13", "Runtime: python3.13\n      MemorySize: 20480"
    )
    cfn.update_stack(StackName=name, TemplateBody=broken, Capabilities=CAPABILITIES)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert "[Fn]" in stack["StackStatusReason"]
    assert [e[:2] for e in failed_events(name)] == [("Fn", "UPDATE_FAILED")]
    answer = lam.invoke(FunctionName=outputs["FunctionName"])["Payload"].read().decode()
    assert "one" in answer
    original = cfn.get_template(StackName=name, TemplateStage="Original")["TemplateBody"]
    assert "MemorySize" not in str(original)


def test_deleting_a_stack_whose_bucket_holds_objects_fails_as_on_aws(sb):
    cfn, s3 = boto3.client("cloudformation"), boto3.client("s3")
    template = """
Resources:
  Photos:
    Type: AWS::S3::Bucket
Outputs:
  Bucket:
    Value: !Ref Photos
"""
    name, outputs = deploy(template)
    s3.put_object(Bucket=outputs["Bucket"], Key="cat.jpg", Body=b"meow")
    cfn.delete_stack(StackName=name)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "DELETE_FAILED"
    assert "[Photos]" in stack["StackStatusReason"]
    assert "not empty" in stack["StackStatusReason"]
    s3.delete_object(Bucket=outputs["Bucket"], Key="cat.jpg")
    cfn.delete_stack(StackName=name)
    assert outputs["Bucket"] not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def test_parameters_reach_the_transform_and_the_function(sb):
    cfn, lam = boto3.client("cloudformation"), boto3.client("lambda")
    template = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Globals:
  Function:
    Environment:
      Variables:
        STAGE: !Ref Stage
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      AutoPublishAlias: !Ref Stage
      InlineCode: |
        import os
        def handler(event, context):
            return os.environ["STAGE"]
Outputs:
  Name:
    Value: !Ref Fn
"""
    name = unique("params")
    cfn.create_stack(
        StackName=name,
        TemplateBody=template,
        Parameters=[{"ParameterKey": "Stage", "ParameterValue": "prod"}],
        Capabilities=CAPABILITIES,
    )
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", failed_events(name)
    function = stack["Outputs"][0]["OutputValue"]
    assert lam.invoke(FunctionName=function, Qualifier="prod")["Payload"].read() == b'"prod"'


def test_event_invoke_config_sends_a_failed_event_to_its_destination(sb):
    template = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Failures:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            raise ValueError("no thanks")
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: !GetAtt Failures.Arn
Outputs:
  Name:
    Value: !Ref Fn
  Queue:
    Value: !Ref Failures
"""
    _, outputs = deploy(template)
    boto3.client("lambda").invoke(
        FunctionName=outputs["Name"], InvocationType="Event", Payload=b'{"n": 1}'
    )
    sb.wait()
    sb.recover(outputs["Name"])
    messages = boto3.client("sqs").receive_message(QueueUrl=outputs["Queue"])["Messages"]
    record = json.loads(messages[0]["Body"])
    assert record["requestPayload"] == {"n": 1}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["requestContext"]["approximateInvokeCount"] == 1


def test_moto_still_has_what_the_sandboxs_cloudformation_relies_on():
    from lambdalab.sandbox.cloudformation import stacks

    assert stacks.missing_moto_names() == []
