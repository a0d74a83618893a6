"""The sandbox refuses what AWS refuses, with AWS's error code, HTTP status and message.

Each refusal has a wrong case (refused, in AWS's words) and a right case (accepted).
The fuzz at the end sends malformed names and ARNs to every Lambda API the lessons use:
none may reach moto as an HTTP 500, or show moto's traceback.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

APP = "def handler(event, context):\n    return 'ok'\n"
MINIMUM = (
    "Specified ReservedConcurrentExecutions for function decreases account's "
    "UnreservedConcurrentExecution below its minimum value of [{}]."
)


def error_of(call, **kwargs) -> tuple[int, str, str]:
    """(HTTP status, error code, message) of a call that must fail."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


@pytest.fixture
def lam(sb):
    """A client that shows the first answer (no retries of 429 or 500)."""
    return sb.client("lambda", config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def reserved_functions(sb, lam, write_function):
    """Two functions, their reservations removed and the account limit reset after."""
    folder = write_function(app=APP)
    for name in ("reserve-a", "reserve-b"):
        sb.deploy(name, folder)
    yield "reserve-a", "reserve-b"
    for name in ("reserve-a", "reserve-b"):
        lam.delete_function_concurrency(FunctionName=name)
    sb.set_account_concurrency(1000)


# -- reserved concurrency: AWS keeps 100 unreserved (the whole limit below 100) -----------


def test_reserving_more_than_the_account_minus_100_is_refused(lam, reserved_functions):
    a, b = reserved_functions
    lam.put_function_concurrency(FunctionName=a, ReservedConcurrentExecutions=900)  # right
    assert error_of(
        lam.put_function_concurrency, FunctionName=b, ReservedConcurrentExecutions=1
    ) == (
        400,
        "InvalidParameterValueException",
        MINIMUM.format(100),
    )
    # Changing a's own reservation does not count it twice.
    lam.put_function_concurrency(FunctionName=a, ReservedConcurrentExecutions=850)
    lam.put_function_concurrency(FunctionName=b, ReservedConcurrentExecutions=50)
    status, code, _ = error_of(
        lam.put_function_concurrency, FunctionName=a, ReservedConcurrentExecutions=851
    )
    assert (status, code) == (400, "InvalidParameterValueException")
    assert lam.get_function_concurrency(FunctionName=a)["ReservedConcurrentExecutions"] == 850


def test_a_small_account_cannot_reserve_anything_but_zero(sb, lam, reserved_functions):
    a, _ = reserved_functions
    sb.set_account_concurrency(10)  # a new AWS account's limit
    assert error_of(lam.put_function_concurrency, FunctionName=a, ReservedConcurrentExecutions=1)[
        2
    ] == MINIMUM.format(10)
    lam.put_function_concurrency(FunctionName=a, ReservedConcurrentExecutions=0)  # switched off


def test_account_limit_below_reservations_plus_100_is_refused(sb, lam, reserved_functions):
    a, _ = reserved_functions
    lam.put_function_concurrency(FunctionName=a, ReservedConcurrentExecutions=2)
    with pytest.raises(ValueError, match=r"Lambda keeps at least 2: .*reserve-a \(2\)") as caught:
        sb.set_account_concurrency(2)
    assert "delete_function_concurrency" in str(caught.value)
    assert sb.engine.concurrency.account_limit == 1000  # unchanged
    with pytest.raises(ValueError, match="keeps at least 100"):
        sb.set_account_concurrency(101)
    sb.set_account_concurrency(102)  # 100 left unreserved: right
    lam.delete_function_concurrency(FunctionName=a)
    sb.set_account_concurrency(2)  # nothing reserved: a lesson's small account


# -- versions and aliases ------------------------------------------------------------------


def test_a_version_an_alias_points_to_cannot_be_deleted(sb, lam, write_function):
    sb.deploy("versions-fn", write_function(app=APP))
    v1 = lam.publish_version(FunctionName="versions-fn")["Version"]
    lam.update_function_configuration(FunctionName="versions-fn", Description="two")
    v2 = lam.publish_version(FunctionName="versions-fn")["Version"]
    lam.create_alias(FunctionName="versions-fn", Name="live", FunctionVersion=v1)
    lam.create_alias(FunctionName="versions-fn", Name="prod", FunctionVersion=v1)
    expected = (
        409,
        "ResourceConflictException",
        "Unable to delete version because the following aliases reference it: [live, prod]",
    )
    assert error_of(lam.delete_function, FunctionName="versions-fn", Qualifier=v1) == expected
    assert error_of(lam.delete_function, FunctionName=f"versions-fn:{v1}") == expected
    # An alias routing part of its traffic to a version references it too.
    lam.update_alias(
        FunctionName="versions-fn",
        Name="live",
        FunctionVersion=v2,
        RoutingConfig={"AdditionalVersionWeights": {v1: 0.1}},
    )
    lam.update_alias(FunctionName="versions-fn", Name="prod", FunctionVersion=v2)
    assert error_of(lam.delete_function, FunctionName="versions-fn", Qualifier=v1)[2].endswith(
        "[live]"
    )
    lam.update_alias(FunctionName="versions-fn", Name="live", FunctionVersion=v2, RoutingConfig={})
    lam.delete_function(FunctionName="versions-fn", Qualifier=v1)  # right: nothing uses it
    versions = [
        v["Version"] for v in lam.list_versions_by_function(FunctionName="versions-fn")["Versions"]
    ]
    assert v1 not in versions and v2 in versions
    assert lam.invoke(FunctionName="versions-fn", Qualifier="live")["StatusCode"] == 200
    status, code, _ = error_of(lam.list_versions_by_function, FunctionName="no-such-fn")
    assert (status, code) == (404, "ResourceNotFoundException")


def test_latest_and_aliases_are_not_deleted_as_versions(sb, lam, write_function):
    sb.deploy("versions-latest", write_function(app=APP))
    v1 = lam.publish_version(FunctionName="versions-latest")["Version"]
    lam.create_alias(FunctionName="versions-latest", Name="live", FunctionVersion=v1)
    assert error_of(lam.delete_function, FunctionName="versions-latest", Qualifier="$LATEST") == (
        400,
        "InvalidParameterValueException",
        "$LATEST version cannot be deleted without deleting the function.",
    )
    assert error_of(lam.delete_function, FunctionName="versions-latest", Qualifier="live")[1] == (
        "InvalidParameterValueException"
    )
    assert lam.get_alias(FunctionName="versions-latest", Name="live")["FunctionVersion"] == v1
    lam.delete_function(FunctionName="versions-latest")  # the whole function: right


# -- names and ARNs ------------------------------------------------------------------------


def test_function_arns_of_another_region_or_account_are_refused(sb, lam, write_function):
    sb.deploy("arn-fn", write_function(app=APP))
    arn = lam.get_function(FunctionName="arn-fn")["Configuration"]["FunctionArn"]
    account = arn.split(":")[4]
    assert lam.get_function(FunctionName=arn)["Configuration"]["FunctionName"] == "arn-fn"
    partial = f"{account}:function:arn-fn"  # a partial ARN, as AWS accepts
    assert lam.get_function(FunctionName=partial)["Configuration"]["FunctionName"] == "arn-fn"
    assert lam.invoke(FunctionName=f"{partial}:$LATEST")["StatusCode"] == 200
    elsewhere = arn.replace(sb.region, "eu-west-3")
    assert error_of(lam.delete_function, FunctionName=elsewhere) == (
        404,
        "ResourceNotFoundException",
        f"Functions from 'eu-west-3' are not reachable in this region ('{sb.region}')",
    )
    status, code, message = error_of(lam.invoke, FunctionName=arn.replace(account, "999999999999"))
    assert (status, code) == (403, "AccessDeniedException") and "999999999999" in message
    assert lam.get_function(FunctionName="arn-fn")  # nothing was deleted


@pytest.mark.parametrize(
    "bad",
    ["my function", "functions/resize", "a.py:1:2", "arn-fn:live:extra", "arn:aws:lambda", ""],
)
def test_malformed_function_names_get_a_validation_error(sb, lam, write_function, bad):
    if not bad:
        pytest.skip("botocore refuses an empty name before sending")
    status, code, message = error_of(lam.invoke, FunctionName=bad)
    assert (status, code) == (400, "ValidationException")
    assert message.startswith(f"1 validation error detected: Value '{bad}' at 'functionName'")


def test_alias_names_layers_and_event_source_arns_are_validated(sb, lam, write_function):
    sb.deploy("validate-fn", write_function(app=APP))
    v1 = lam.publish_version(FunctionName="validate-fn")["Version"]
    status, code, message = error_of(
        lam.create_alias, FunctionName="validate-fn", Name="1", FunctionVersion=v1
    )
    assert (status, code) == (400, "ValidationException") and "at 'name'" in message
    lam.create_alias(FunctionName="validate-fn", Name="v1-live", FunctionVersion=v1)  # right
    status, code, message = error_of(
        lam.update_function_configuration, FunctionName="validate-fn", Layers=["my-layer"]
    )
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: Value '[my-layer]' at 'layers'")
    status, code, message = error_of(
        lam.create_event_source_mapping, FunctionName="validate-fn", EventSourceArn="orders-queue"
    )
    assert (status, code) == (400, "ValidationException") and "at 'eventSourceArn'" in message
    status, code, message = error_of(
        lam.update_function_configuration,
        FunctionName="validate-fn",
        Environment={"Variables": {"stage-name": "dev"}},
    )
    assert (status, code) == (400, "ValidationException") and "Map keys" in message


def test_an_internal_failure_is_one_short_service_exception(
    sb, lam, write_function, monkeypatch, capfd
):
    from moto.awslambda import models

    sb.deploy("internal-fn", write_function(app=APP))

    def broken(self, *args, **kwargs):
        raise KeyError("a moto gap")

    monkeypatch.setattr(models.LambdaBackend, "list_aliases", broken)
    status, code, message = error_of(lam.list_aliases, FunctionName="internal-fn")
    assert (status, code) == (500, "ServiceException")
    assert "KeyError" in message and "not in your code" in message
    assert "Traceback" not in message and "<html" not in message.lower()
    assert "Traceback" not in capfd.readouterr().err


# -- a little fuzz: every Lambda API a lesson uses, with bad names and ARNs -----------------

BAD_NAMES = [
    "arn:aws:lambda:eu-west-3:123456789012:function:fuzz-fn",
    "arn:aws:lambda:us-east-1:999999999999:function:fuzz-fn",
    "arn:aws:lambda:us-east-1:123456789012:fuzz-fn",
    "arn:aws:lambda:us-east-1:123456789012:function:",
    "arn:aws:s3:::fuzz-bucket",
    "arn:aws:lambda",
    "123456789012:function:nope",
    "fuzz-fn:nope",
    "fuzz-fn:live:extra",
    "fuzz-fn:99",
    "fuzz fn",
    "functions/fuzz-fn",
    "fuzz-fn/",
    "fuzz-fn%2F",
    "x" * 300,
    "fuzz-fn:$LATEST:1",
    "ÿ-fuzz",
    "fuzz-fn:",
]

CALLS = {
    "invoke": {},
    "get_function": {},
    "get_function_configuration": {},
    "update_function_configuration": {"Timeout": 5},
    "update_function_code": {"ZipFile": b"PK"},
    "put_function_concurrency": {"ReservedConcurrentExecutions": 1},
    "delete_function_concurrency": {},
    "publish_version": {},
    "create_alias": {"Name": "fuzz-alias", "FunctionVersion": "1"},
    "update_alias": {"Name": "fuzz-alias", "FunctionVersion": "1"},
    "list_versions_by_function": {},
    "list_aliases": {},
    "add_permission": {
        "StatementId": "s3",
        "Action": "lambda:InvokeFunction",
        "Principal": "s3.amazonaws.com",
    },
    "get_policy": {},
    "create_event_source_mapping": {"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:q"},
    "create_function_url_config": {"AuthType": "NONE"},
    "put_provisioned_concurrency_config": {
        "Qualifier": "1",
        "ProvisionedConcurrentExecutions": 1,
    },
    "put_function_event_invoke_config": {"MaximumRetryAttempts": 0},
    "delete_function": {},
}


def test_no_malformed_name_reaches_moto_as_a_500(sb, lam, write_function, capfd):
    sb.deploy("fuzz-fn", write_function(app=APP))
    answers = {}
    for bad in BAD_NAMES:
        for call, extra in CALLS.items():
            try:
                getattr(lam, call)(FunctionName=bad, **extra)
                answers[(bad, call)] = (200, "", "")
            except ClientError as error:
                response = error.response
                answers[(bad, call)] = (
                    response["ResponseMetadata"]["HTTPStatusCode"],
                    response["Error"]["Code"],
                    response["Error"]["Message"],
                )
    broken = {
        k: v for k, v in answers.items() if v[0] >= 500 or (v[0] >= 400 and not v[1][:1].isalpha())
    }
    assert broken == {}
    assert not [k for k, v in answers.items() if "Traceback" in v[2] or "<html" in v[2].lower()]
    assert "Traceback" not in capfd.readouterr().err
    # Another Region's ARN names no function here, whatever the API.
    elsewhere = {v[:2] for k, v in answers.items() if k[0] == BAD_NAMES[0]}
    assert elsewhere == {(404, "ResourceNotFoundException")}


def test_layer_version_arns_are_checked(sb, lam):
    status, code, _ = error_of(lam.get_layer_version_by_arn, Arn="arn:aws:lambda:layer:nope")
    assert (status, code) == (400, "ValidationException")
    # moto lacks GetLayerVersionByArn: one short ServiceException, no traceback.
    status, code, message = error_of(
        lam.get_layer_version_by_arn, Arn="arn:aws:lambda:us-east-1:123456789012:layer:none:1"
    )
    assert (status, code) == (500, "ServiceException") and "does not implement" in message


def test_code_that_is_not_a_zip_is_refused(sb, lam, write_function):
    sb.deploy("zip-fn", write_function(app=APP))
    expected = (
        400,
        "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
    )
    assert error_of(lam.update_function_code, FunctionName="zip-fn", ZipFile=b"PK") == expected
    assert lam.invoke(FunctionName="zip-fn")["StatusCode"] == 200  # the old code stays


@pytest.mark.parametrize(
    "content",
    [b"build/defusedxml-layer", b"PK", b"UEsDBBQAAAAIAA=="],  # a path, a stub, base64 text
)
def test_a_layer_that_is_not_a_zip_is_refused_at_publish(sb, lam, content):
    """AWS refuses PublishLayerVersion with ZipFile bytes that are not a zip, at the call;
    moto stored them and failed later, when a function mounted the layer."""
    expected = (
        400,
        "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
    )
    publish = lam.publish_layer_version
    assert error_of(publish, LayerName="not-a-zip", Content={"ZipFile": content}) == expected
    right = publish(LayerName="not-a-zip", Content={"ZipFile": layer_zip({"python/m.py": ""})})
    assert right["Version"] >= 1


def test_layer_files_lists_what_a_published_layer_holds(sb, lam):
    from lambdalab.sandbox.moto_patch import layer_files

    arn = lam.publish_layer_version(
        LayerName="listed", Content={"ZipFile": layer_zip({"python/xmltodict.py": "x = 1\n"})}
    )["LayerVersionArn"]
    assert layer_files(arn) == ["python/xmltodict.py"]
    assert layer_files(arn.rsplit(":", 1)[0] + ":999") is None  # no such version


# -- layers in AWS's documented layout -------------------------------------------------


def layer_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("python/greeting.py", True),
        ("python/lib/python3.13/site-packages/greeting.py", True),  # the runtime's version
        ("python/lib/python3.9/site-packages/greeting.py", False),  # another runtime's
        ("greeting.py", False),  # /opt is not on the path
    ],
)
def test_layers_in_the_documented_layout_are_importable(sb, lam, write_function, path, found):
    arn = lam.publish_layer_version(
        LayerName="layout-" + str(abs(hash(path)) % 10_000),
        Content={"ZipFile": layer_zip({path: "WORD = 'hello'\n"})},
        CompatibleRuntimes=["python3.13"],
    )["LayerVersionArn"]
    app = "def handler(event, context):\n    import greeting\n    return greeting.WORD\n"
    sb.deploy("layout-fn", write_function(app=app), runtime="python3.13", Layers=[arn])
    response = lam.invoke(FunctionName="layout-fn")
    payload = response["Payload"].read().decode()
    if found:
        assert "FunctionError" not in response and payload == '"hello"'
    else:
        assert response.get("FunctionError") == "Unhandled" and "No module named" in payload


def test_an_alias_points_at_versions_that_exist(sb, lam, write_function):
    sb.deploy("alias-fn", write_function(app=APP))
    v1 = lam.publish_version(FunctionName="alias-fn")["Version"]
    status, code, message = error_of(
        lam.create_alias, FunctionName="alias-fn", Name="live", FunctionVersion="9"
    )
    assert (status, code) == (404, "ResourceNotFoundException") and message.endswith(":9")
    weights = {"RoutingConfig": {"AdditionalVersionWeights": {"9": 0.2}}}
    status, code, message = error_of(
        lam.create_alias, FunctionName="alias-fn", Name="live", FunctionVersion=v1, **weights
    )
    assert (status, code) == (404, "ResourceNotFoundException") and message.endswith(":9")
    split = {"RoutingConfig": {"AdditionalVersionWeights": {v1: 0.2}}}
    status, code, _ = error_of(
        lam.create_alias, FunctionName="alias-fn", Name="live", FunctionVersion="$LATEST", **split
    )
    assert (status, code) == (400, "InvalidParameterValueException")
    heavy = {"RoutingConfig": {"AdditionalVersionWeights": {v1: 1.5}}}
    status, code, message = error_of(
        lam.create_alias, FunctionName="alias-fn", Name="live", FunctionVersion=v1, **heavy
    )
    assert (status, code) == (400, "ValidationException") and "less than or equal to 1.0" in message
    lam.create_alias(FunctionName="alias-fn", Name="live", FunctionVersion=v1)  # right


def test_environment_variables_over_4_kb_are_refused(sb, lam, write_function):
    sb.deploy("env-size-fn", write_function(app=APP))
    status, code, message = error_of(
        lam.update_function_configuration,
        FunctionName="env-size-fn",
        Environment={"Variables": {"BIG": "x" * 4100}},
    )
    assert (status, code) == (400, "InvalidParameterValueException") and "4KB limit" in message
    lam.update_function_configuration(
        FunctionName="env-size-fn", Environment={"Variables": {"BIG": "x" * 4000}}
    )  # right: under 4 KB with its name and braces
