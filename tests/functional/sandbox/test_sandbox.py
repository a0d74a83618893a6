"""The sandbox through plain boto3, as a lesson uses it."""

from __future__ import annotations

import base64
import io
import json
import os
import zipfile

import boto3
import pytest

from lambdalab.sandbox.account import DeployError, build_zip, check_handler, sandbox

APP = """
import os
import boto3
s3 = boto3.client("s3")

def handler(event, context):
    print("got", event)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    return {"buckets": names, "stage": os.environ.get("STAGE")}
"""


def zip_of(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, source in files.items():
            archive.writestr(name, source)
    return buffer.getvalue()


def test_sandbox_is_a_singleton_with_fake_credentials(sb):
    assert sandbox() is sb
    assert os.environ["AWS_ENDPOINT_URL"] == sb.endpoint_url
    assert sb.endpoint_url.startswith("http://127.0.0.1:")
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert "AWS_PROFILE" not in os.environ
    assert "running" in repr(sb) and "Lambda Lab sandbox running" in sb._repr_html_()


def test_create_function_by_hand_and_invoke_through_boto3(sb):
    iam, lam, s3 = boto3.client("iam"), boto3.client("lambda"), boto3.client("s3")
    s3.create_bucket(Bucket="handmade-bucket")
    role = sb.role_arn()
    lam.create_function(
        FunctionName="handmade",
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zip_of(**{"app.py": APP})},
        Environment={"Variables": {"STAGE": "dev"}},
    )
    response = lam.invoke(FunctionName="handmade", Payload=b'{"hello": 1}', LogType="Tail")
    body = json.loads(response["Payload"].read())
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    assert "handmade-bucket" in body["buckets"]  # the handler's boto3 reached the same moto
    assert body["stage"] == "dev"
    tail = base64.b64decode(response["LogResult"]).decode()
    assert "got {'hello': 1}" in tail and "REPORT RequestId:" in tail
    assert iam.get_role(RoleName="lambdalab-basic-execution")


def test_function_error_is_unhandled_with_runtime_json(sb, write_function):
    folder = write_function(app="def handler(e, c):\n    raise KeyError('name')\n")
    sb.deploy("failing", folder)
    response = boto3.client("lambda").invoke(FunctionName="failing", Payload=b"{}")
    assert response["FunctionError"] == "Unhandled"
    error = json.loads(response["Payload"].read())
    assert error["errorType"] == "KeyError" and set(error) == {
        "errorMessage",
        "errorType",
        "requestId",
        "stackTrace",
    }


def test_logs_land_in_cloudwatch_one_stream_per_environment(sb, write_function):
    folder = write_function(app="def handler(e, c):\n    print('line for', e['n'])\n")
    sb.deploy("logger", folder)
    lam = boto3.client("lambda")
    for n in range(3):
        lam.invoke(FunctionName="logger", Payload=json.dumps({"n": n}))
    logs = boto3.client("logs")
    streams = logs.describe_log_streams(logGroupName="/aws/lambda/logger")["logStreams"]
    assert len(streams) == 1
    assert streams[0]["logStreamName"].split("/")[3].startswith("[$LATEST]")
    messages = [
        e["message"] for e in logs.filter_log_events(logGroupName="/aws/lambda/logger")["events"]
    ]
    assert [m for m in messages if m.startswith("line for")] == [
        "line for 0",
        "line for 1",
        "line for 2",
    ]
    view = sb.logs("logger")
    assert len(view.reports) == 3 and "Init Duration" in view.reports[0]
    assert "Init Duration" not in view.reports[1]
    assert "REPORT" in view._repr_html_()


def test_deploy_updates_code_and_the_next_call_is_cold(sb, write_function):
    lam = boto3.client("lambda")
    sb.deploy("versioned", write_function(app="def handler(e, c):\n    return 1\n"))
    assert lam.invoke(FunctionName="versioned")["Payload"].read() == b"1"
    sb.deploy("versioned", write_function(app="def handler(e, c):\n    return 2\n"), MemorySize=256)
    assert lam.invoke(FunctionName="versioned")["Payload"].read() == b"2"
    assert "Init Duration" in sb.logs("versioned").reports[-1]
    assert "Memory Size: 256 MB" in sb.logs("versioned").reports[-1]


def test_deploy_takes_a_zip_as_bytes_too(sb):
    package = zip_of(**{"shop/rates.py": "def quote(e, c):\n    return e['kg'] * 2\n"})
    sb.deploy("zipped", package, handler="shop.rates.quote")
    lam = boto3.client("lambda")
    assert lam.invoke(FunctionName="zipped", Payload=b'{"kg": 3}')["Payload"].read() == b"6"
    with pytest.raises(DeployError, match="needs app"):
        sb.deploy("zipped", package)  # checked as a folder's zip is


def test_layers_are_on_the_path_as_opt_python(sb, write_function):
    lam = boto3.client("lambda")
    layer = lam.publish_layer_version(
        LayerName="greetings",
        Content={"ZipFile": zip_of(**{"python/greetings.py": "HELLO = 'hi from a layer'\n"})},
        CompatibleRuntimes=["python3.13"],
    )
    folder = write_function(
        app="import greetings\ndef handler(e, c):\n    return greetings.HELLO\n"
    )
    sb.deploy("layered", folder, Layers=[layer["LayerVersionArn"]])
    payload = lam.invoke(FunctionName="layered")["Payload"].read()
    assert json.loads(payload) == "hi from a layer"


def test_code_from_s3(sb):
    s3, lam = boto3.client("s3"), boto3.client("lambda")
    s3.create_bucket(Bucket="artifacts")
    s3.put_object(
        Bucket="artifacts",
        Key="fn.zip",
        Body=zip_of(**{"app.py": "def handler(e, c):\n    return 's3'\n"}),
    )
    lam.create_function(
        FunctionName="from-s3",
        Runtime="python3.13",
        Role=sb.role_arn(),
        Handler="app.handler",
        Code={"S3Bucket": "artifacts", "S3Key": "fn.zip"},
    )
    assert lam.invoke(FunctionName="from-s3")["Payload"].read() == b'"s3"'


def test_payload_over_6_mb_is_refused(sb, write_function):
    sb.deploy("big", write_function(app="def handler(e, c):\n    return 1\n"))
    lam = boto3.client("lambda")
    with pytest.raises(lam.exceptions.ClientError) as error:
        lam.invoke(FunctionName="big", Payload=json.dumps({"x": "a" * 6_300_000}))
    assert error.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "smaller than 6291456 bytes for the InvokeFunction operation" in str(error.value)


def test_response_over_6_mb_is_a_function_error_not_a_refusal(sb, write_function):
    """AWS: a response over the limit is a function error, Function.ResponseSizeTooLarge.

    The request was accepted and the function ran (it is billed); the caller gets HTTP 200
    with ``FunctionError: Unhandled``, not RequestEntityTooLargeException.
    https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
    """
    sb.deploy("too-big", write_function(app="def handler(e, c):\n    return 'a' * 6_300_000\n"))
    response = boto3.client("lambda").invoke(FunctionName="too-big")
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    error = json.loads(response["Payload"].read())
    assert error["errorType"] == "Function.ResponseSizeTooLarge"
    assert error["errorMessage"] == (
        "Response payload size exceeded maximum allowed payload size (6291556 bytes)."
    )


def test_async_invoke_returns_202_and_runs_in_the_background(sb, write_function):
    sb.deploy("background", write_function(app="def handler(e, c):\n    print('ran', e)\n"))
    response = boto3.client("lambda").invoke(
        FunctionName="background", InvocationType="Event", Payload=b'{"job": 7}'
    )
    assert response["StatusCode"] == 202
    sb.wait()
    assert "ran {'job': 7}" in sb.logs("background").lines


def test_dry_run(sb, write_function):
    sb.deploy("dry", write_function(app="def handler(e, c):\n    raise SystemExit(1)\n"))
    response = boto3.client("lambda").invoke(FunctionName="dry", InvocationType="DryRun")
    assert response["StatusCode"] == 204


def test_deploy_refuses_a_package_without_the_handler_module(sb, write_function):
    folder = write_function(main="def handler(e, c):\n    return 1\n")
    with pytest.raises(DeployError, match=r"needs app\.py at the top of the package.*main\.py"):
        sb.deploy("wrong", folder, handler="app.handler")
    with pytest.raises(DeployError, match="must be 'module.function'"):
        check_handler(build_zip(folder), "handler")
    with pytest.raises(DeployError, match="There is no file or folder"):
        sb.deploy("missing", "does/not/exist.py")


def test_reset_forgets_resources_and_ends_workers(write_function):
    box = sandbox()
    box.deploy("to-forget", write_function(app="def handler(e, c):\n    return 1\n"))
    boto3.client("lambda").invoke(FunctionName="to-forget")
    pids = [env.process.pid for env in box.engine.environments("to-forget")]
    box.reset()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert boto3.client("lambda").list_functions()["Functions"] == []


def test_versions_and_aliases_run_their_own_code(sb, write_function):
    lam = boto3.client("lambda")
    sb.deploy("versions-fn", write_function(app="def handler(e, c):\n    return 'one'\n"))
    one = lam.publish_version(FunctionName="versions-fn")["Version"]
    sb.deploy("versions-fn", write_function(app="def handler(e, c):\n    return 'two'\n"))
    two = lam.publish_version(FunctionName="versions-fn")["Version"]
    lam.create_alias(FunctionName="versions-fn", Name="live", FunctionVersion=one)

    def call(qualifier=None):
        extra = {"Qualifier": qualifier} if qualifier else {}
        return json.loads(lam.invoke(FunctionName="versions-fn", **extra)["Payload"].read())

    assert (call(), call(one), call(two), call("live")) == ("two", "one", "two", "one")
    lam.update_alias(FunctionName="versions-fn", Name="live", FunctionVersion=two)
    assert call("live") == "two"
    assert any("Version: 1" in line for line in sb.logs("versions-fn").lines)


def test_a_weighted_alias_splits_invocations_and_says_which_version_ran(sb, write_function):
    """AWS routes each Invoke of a weighted alias to a version at random by weight (moto
    always ran the main one) and returns ExecutedVersion."""
    lam = boto3.client("lambda")
    sb.deploy("weighted-fn", write_function(app="def handler(e, c):\n    return 'one'\n"))
    one = lam.publish_version(FunctionName="weighted-fn")["Version"]
    sb.deploy("weighted-fn", write_function(app="def handler(e, c):\n    return 'two'\n"))
    two = lam.publish_version(FunctionName="weighted-fn")["Version"]
    lam.create_alias(
        FunctionName="weighted-fn",
        Name="live",
        FunctionVersion=one,
        RoutingConfig={"AdditionalVersionWeights": {two: 0.5}},
    )
    seen = []
    for _ in range(40):  # both versions, unless 40 fair coin tosses all land alike (2**-39)
        response = lam.invoke(FunctionName="weighted-fn", Qualifier="live")
        ran = json.loads(response["Payload"].read())
        assert response["ExecutedVersion"] == {"one": one, "two": two}[ran]
        seen.append(ran)
    assert set(seen) == {"one", "two"}
    plain = lam.invoke(FunctionName="weighted-fn")
    assert plain["ExecutedVersion"] == "$LATEST"
    lam.update_alias(FunctionName="weighted-fn", Name="live", RoutingConfig={})
    assert {lam.invoke(FunctionName="weighted-fn:live")["ExecutedVersion"] for _ in range(5)} == {
        one
    }


def test_routed_version_follows_the_weights():
    from lambdalab.sandbox.moto_patch import routed_version

    class Alias:
        routing_config = {"AdditionalVersionWeights": {"3": 0.1}}

    class Storage:
        def _get_function_aliases(self, name):
            return {"live": Alias()} if name == "fn" else {}

        def split_function_arn(self, arn):
            parts = arn.split(":")
            return arn, parts[6], parts[7] if len(parts) > 7 else None

    class Backend:
        _lambdas = Storage()

    backend = Backend()
    assert routed_version(backend, "fn", "live", draw=lambda: 0.05) == ("fn", "3")
    assert routed_version(backend, "fn", "live", draw=lambda: 0.5) is None
    arn = "arn:aws:lambda:us-east-1:123456789012:function:fn:live"
    assert routed_version(backend, arn, None, draw=lambda: 0.0) == ("fn", "3")
    assert routed_version(backend, "fn:live", None, draw=lambda: 0.0) == ("fn", "3")
    assert routed_version(backend, "fn", None, draw=lambda: 0.0) is None
    assert routed_version(backend, "other", "live", draw=lambda: 0.0) is None


def test_package_limits_are_enforced_as_aws_does(sb, write_function):
    lam = boto3.client("lambda")
    layer = lam.publish_layer_version(
        LayerName="tiny", Content={"ZipFile": zip_of(**{"python/tiny.py": "X = 1\n"})}
    )["LayerVersionArn"]
    folder = write_function(app="def handler(e, c):\n    return 1\n")
    with pytest.raises(lam.exceptions.InvalidParameterValueException, match="more than 5 layers"):
        sb.deploy("too-many-layers", folder, Layers=[layer] * 6)
    huge = io.BytesIO()
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("app.py", "def handler(e, c):\n    return 1\n")
        archive.writestr("blob.bin", b"\0" * 262_144_000)  # compresses to a few hundred KB
    with pytest.raises(lam.exceptions.InvalidParameterValueException, match="262144000 bytes"):
        lam.create_function(
            FunctionName="too-big",
            Runtime="python3.13",
            Role=sb.role_arn(),
            Handler="app.handler",
            Code={"ZipFile": huge.getvalue()},
        )


def test_logs_follow_the_sandbox_clock_and_survive_a_deleted_group(sb, write_function):
    lam, logs = boto3.client("lambda"), boto3.client("logs")
    sb.deploy("clocked-logs", write_function(app="def handler(e, c):\n    print('tick')\n"))
    lam.invoke(FunctionName="clocked-logs")
    before = sb.clock.now().timestamp() * 1000
    sb.clock.advance(days=7)
    lam.invoke(FunctionName="clocked-logs")
    events = sb.logs("clocked-logs").events
    assert [e["message"] for e in events].count("tick") == 2
    assert events[-1]["timestamp"] >= before + 7 * 86_400_000  # stamped in sandbox time
    logs.delete_log_group(logGroupName="/aws/lambda/clocked-logs")
    lam.invoke(FunctionName="clocked-logs")  # Lambda recreates the group, as on AWS
    assert "tick" in sb.logs("clocked-logs").lines


def test_concurrent_first_invocations_of_new_code_all_succeed(sb, write_function):
    from concurrent.futures import ThreadPoolExecutor

    from botocore.config import Config

    sb.deploy(
        "race-fn", write_function(app="import time\ndef handler(e, c):\n    time.sleep(0.2)\n")
    )
    lam = boto3.client("lambda", config=Config(retries={"total_max_attempts": 1}))
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _: lam.invoke(FunctionName="race-fn")["StatusCode"], range(6)))
    assert codes == [200] * 6


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"Timeout": 901}, "Member must have value less than or equal to 900"),
        ({"MemorySize": 10241}, "Member must have value less than or equal to 10240"),
    ],
)
def test_timeout_and_memory_are_validated(sb, write_function, setting, message):
    sb.deploy("limits-fn", write_function(app="def handler(e, c):\n    return 1\n"))
    lam = boto3.client("lambda")
    with pytest.raises(lam.exceptions.ClientError, match=message):
        lam.update_function_configuration(FunctionName="limits-fn", **setting)


def test_check_03_4_refuses_a_rollback_that_keeps_a_traffic_split(sb, write_function):
    """Exercise 3.4: live on version 2 with half the traffic still on version 3 is not a
    rollback (the sandbox now routes by weight, as AWS does)."""
    from lambdalab.course.checks import NotYet
    from lambdalab.course.checks.lesson03 import roll_back

    lam = boto3.client("lambda")
    for source in ("sum(e['prices'])", "round(sum(e['prices']), 2)", "sum(e['prices'][1:])"):
        sb.deploy(
            "checkout",
            write_function(app=f"def handler(e, c):\n    return {{'total': {source}}}\n"),
        )
        lam.publish_version(FunctionName="checkout")
    lam.create_alias(
        FunctionName="checkout",
        Name="live",
        FunctionVersion="2",
        RoutingConfig={"AdditionalVersionWeights": {"3": 0.5}},
    )
    with pytest.raises(NotYet, match="its routing still sends 50% to version 3"):
        roll_back("checkout")
    lam.update_alias(
        FunctionName="checkout", Name="live", RoutingConfig={"AdditionalVersionWeights": {}}
    )
    roll_back("checkout")  # passes once all the traffic goes to version 2
