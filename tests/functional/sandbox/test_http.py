"""API Gateway (REST and HTTP APIs) and function URLs, over real HTTP, set up with boto3."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid

import boto3
import pytest

from lambdalab.sandbox.triggers import http, permissions
from lambdalab.sandbox.triggers.http import EndpointError

ACCOUNT = "123456789012"
REGION = "us-east-1"

ECHO = """
import base64, json

def handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Seen": "yes"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": json.dumps(event),
    }
"""

ECHO_V2 = """
import json

def handler(event, context):
    if event.get("rawPath", event.get("path", "")).endswith("/plain"):
        return {"plain": True, "path": event.get("rawPath")}
    return {
        "statusCode": 201,
        "headers": {"content-type": "application/json"},
        "cookies": ["session=abc; HttpOnly", "theme=dark"],
        "body": json.dumps(event),
    }
"""


def fetch(url, method="GET", data=None, headers=None):
    """(status, headers as a list of pairs, body bytes), HTTP errors included."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.items(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.items(), error.read()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def deploy(sb, write_function, source: str, prefix: str) -> tuple[str, str]:
    name = unique(prefix)
    arn = sb.deploy(name, write_function(app=source))["FunctionArn"]
    return name, arn


def allow_api(name: str, api_id: str) -> None:
    boto3.client("lambda").add_permission(
        FunctionName=name,
        StatementId=f"apigw-{api_id}",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*",
    )


def http_api(name: str, arn: str, *, permit: bool = True) -> str:
    api_id = boto3.client("apigatewayv2").create_api(Name=name, ProtocolType="HTTP", Target=arn)[
        "ApiId"
    ]
    if permit:
        allow_api(name, api_id)
    return api_id


def proxy_rest_api(
    name: str,
    arn: str,
    *,
    permit: bool = True,
    resources=(("{proxy+}", "ANY"), ("items", "GET")),
    binary_media_type: str | None = None,
) -> str:
    """A REST API with /{proxy+} (ANY) and /items (GET only), deployed to stage prod."""
    apigw = boto3.client("apigateway")
    api_id = apigw.create_rest_api(name=name)["id"]
    if binary_media_type:
        # AWS reads the type from the path (~1 is "/"); moto 5.2.5 appends "value".
        encoded = binary_media_type.replace("/", "~1")
        apigw.update_rest_api(
            restApiId=api_id,
            patchOperations=[
                {"op": "add", "path": f"/binaryMediaTypes/{encoded}", "value": binary_media_type}
            ],
        )
    root = next(r["id"] for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations"
    for path_part, method in resources:
        resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart=path_part)
        apigw.put_method(
            restApiId=api_id, resourceId=resource["id"], httpMethod=method, authorizationType="NONE"
        )
        apigw.put_integration(
            restApiId=api_id,
            resourceId=resource["id"],
            httpMethod=method,
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=uri,
        )
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    if permit:
        allow_api(name, api_id)
    return api_id


# -- HTTP APIs -------------------------------------------------------------------------------


def test_http_api_quick_create_payload_2_0(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO_V2, "v2echo")
    api_id = http_api(name, arn)
    url = sb.url(api_id)
    assert url.startswith("http://127.0.0.1:") and url.count("/") == 2  # $default: no prefix

    status, headers, body = fetch(
        url + "/orders/7?tag=a&tag=b",
        headers={"Cookie": "k=v; theme=light", "X-Multi": "one", "User-Agent": "lab"},
    )
    assert status == 201
    assert [v for n, v in headers if n == "Set-Cookie"] == ["session=abc; HttpOnly", "theme=dark"]
    assert "apigw-requestid" in {n.lower() for n, _ in headers}
    event = json.loads(body)
    assert event["version"] == "2.0" and event["routeKey"] == "$default"
    assert event["rawPath"] == "/orders/7" and event["rawQueryString"] == "tag=a&tag=b"
    assert event["queryStringParameters"] == {"tag": "a,b"}
    assert event["cookies"] == ["k=v", "theme=light"] and "cookie" not in event["headers"]
    assert event["headers"]["x-multi"] == "one" and event["headers"]["user-agent"] == "lab"
    assert event["headers"]["host"] == f"{api_id}.execute-api.{REGION}.amazonaws.com"
    context = event["requestContext"]
    assert context["apiId"] == api_id and context["stage"] == "$default"
    assert context["http"]["method"] == "GET" and context["http"]["sourceIp"] == "127.0.0.1"
    assert event["isBase64Encoded"] is False and "body" not in event


def test_http_api_inferred_response_for_a_plain_dict(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO_V2, "v2plain")
    url = sb.url(http_api(name, arn))
    status, headers, body = fetch(url + "/plain")
    assert status == 200 and ("Content-Type", "application/json") in headers
    assert json.loads(body) == {"plain": True, "path": "/plain"}


def test_http_api_routes_payload_1_0_and_2_0_side_by_side(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO, "routes")
    v2 = boto3.client("apigatewayv2")
    api_id = v2.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    allow_api(name, api_id)
    url = sb.url(api_id)
    status, _, body = fetch(url + "/v1/42")
    assert (status, json.loads(body)) == (404, {"message": "Not Found"})

    for version in ("1.0", "2.0"):  # routes added after the listener started work at once
        integration = v2.create_integration(
            ApiId=api_id,
            IntegrationType="AWS_PROXY",
            IntegrationUri=arn,
            PayloadFormatVersion=version,
        )
        v2.create_route(
            ApiId=api_id,
            RouteKey=f"GET /v{version[0]}/{{id}}",
            Target=f"integrations/{integration['IntegrationId']}",
        )
    status, headers, body = fetch(url + "/v1/42?x=1&x=2", headers={"X-Rep": "a"})
    assert status == 200
    v1 = json.loads(body)
    assert v1["version"] == "1.0" and v1["resource"] == "/v1/{id}"
    assert v1["pathParameters"] == {"id": "42"} and v1["httpMethod"] == "GET"
    assert v1["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert v1["queryStringParameters"] == {"x": "2"}
    assert v1["multiValueHeaders"]["x-rep"] == ["a"]  # HTTP APIs lowercase names, 1.0 too
    assert [v for n, v in headers if n == "Set-Cookie"] == ["a=1", "b=2"]

    status, _, body = fetch(url + "/v2/42?x=1&x=2")
    v2_event = json.loads(body)
    assert status == 200 and v2_event["version"] == "2.0"
    assert v2_event["routeKey"] == "GET /v2/{id}" and v2_event["pathParameters"] == {"id": "42"}
    assert v2_event["queryStringParameters"] == {"x": "1,2"}

    assert fetch(url + "/v3/42")[0] == 404
    assert fetch(url + "/v2/42", method="POST", data=b"{}")[0] == 404  # no POST route


def test_http_api_binary_body_is_base64_both_ways(sb, write_function):
    source = """
import base64
def handler(event, context):
    data = base64.b64decode(event["body"]) if event["isBase64Encoded"] else b"TEXT"
    return {"statusCode": 200, "headers": {"content-type": "image/png"},
            "isBase64Encoded": True, "body": base64.b64encode(data[::-1]).decode()}
"""
    name, arn = deploy(sb, write_function, source, "binary")
    url = sb.url(http_api(name, arn))
    png = b"\x89PNG\r\n\x1a\n\x00\xff\xfe"
    status, headers, body = fetch(url, "POST", png, {"Content-Type": "image/png"})
    assert status == 200 and body == png[::-1]
    assert ("content-type", "image/png") in headers
    status, _, body = fetch(url, "POST", b'{"a": 1}', {"Content-Type": "application/json"})
    assert body == b"TEXT"[::-1]  # JSON is text: not base64-encoded


def test_http_api_function_error_and_malformed_response_give_500(sb, write_function):
    source = """
def handler(event, context):
    if event["rawPath"] == "/boom":
        raise RuntimeError("boom")
    return {"statusCode": 200, "body": {"not": "a string"}}
"""
    name, arn = deploy(sb, write_function, source, "v2bad")
    url = sb.url(http_api(name, arn))
    for path in ("/boom", "/malformed"):
        status, _, body = fetch(url + path)
        assert (status, json.loads(body)) == (500, {"message": "Internal Server Error"})


def test_http_api_timeout_is_503(sb, write_function, monkeypatch):
    monkeypatch.setattr(http, "HTTP_API_INTEGRATION_TIMEOUT", 0.3)
    source = "import time\ndef handler(e, c):\n    time.sleep(1)\n    return 'late'\n"
    name, arn = deploy(sb, write_function, source, "v2slow")
    status, _, body = fetch(sb.url(http_api(name, arn)))
    assert (status, json.loads(body)) == (503, {"message": "Service Unavailable"})


def test_http_api_without_permission_is_500_and_the_sandbox_says_why(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO_V2, "v2noperm")
    api_id = http_api(name, arn, permit=False)
    with pytest.warns(permissions.InvokePermissionWarning, match="add_permission"):
        status, _, body = fetch(sb.url(api_id))
    assert (status, json.loads(body)) == (500, {"message": "Internal Server Error"})
    assert any(
        name in line and "apigateway.amazonaws.com" in line for line in permissions.sandbox_log()
    )


# -- REST APIs -------------------------------------------------------------------------------


def test_rest_api_proxy_resource_payload_1_0(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO, "restecho")
    api_id = proxy_rest_api(name, arn)
    url = sb.url(api_id)
    assert url.endswith("/prod")
    status, headers, body = fetch(
        url + "/things/42?x=1&x=2", "POST", b"hello", {"X-Rep": "a", "Content-Type": "text/plain"}
    )
    assert status == 200
    assert [v for n, v in headers if n == "Set-Cookie"] == ["a=1", "b=2"]
    assert ("X-Seen", "yes") in headers and "x-amzn-RequestId" in dict(headers)
    event = json.loads(body)
    assert event["resource"] == "/{proxy+}" and event["path"] == "/things/42"
    assert event["httpMethod"] == "POST" and event["body"] == "hello"
    assert event["pathParameters"] == {"proxy": "things/42"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["multiValueHeaders"]["X-Rep"] == ["a"] and event["headers"]["X-Rep"] == "a"
    assert event["requestContext"]["path"] == "/prod/things/42"
    assert event["requestContext"]["stage"] == "prod"
    assert event["requestContext"]["identity"]["sourceIp"] == "127.0.0.1"
    assert event["isBase64Encoded"] is False

    status, _, body = fetch(url + "/items")  # the literal resource wins over {proxy+}
    assert json.loads(body)["resource"] == "/items"


def test_rest_api_unknown_path_or_method_is_403_missing_authentication_token(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO, "rest403")
    api_id = proxy_rest_api(name, arn, resources=[("items", "GET")])
    url = sb.url(api_id)
    expected = (403, {"message": "Missing Authentication Token"})
    for method, path in (("GET", url + "/"), ("POST", url + "/items")):  # no method there
        status, _, body = fetch(path, method, b"" if method == "POST" else None)
        assert (status, json.loads(body)) == expected
    base = url.rsplit("/", 1)[0]
    status, _, body = fetch(base + "/nostage/items")
    assert (status, json.loads(body)) == expected


def test_rest_api_binary_media_types(sb, write_function):
    source = """
def handler(event, context):
    return {"statusCode": 200, "body": event["body"], "isBase64Encoded": event["isBase64Encoded"]}
"""
    name, arn = deploy(sb, write_function, source, "restbin")
    url = sb.url(proxy_rest_api(name, arn, binary_media_type="image/*"))
    data = bytes(range(256))
    status, _, body = fetch(url + "/upload", "PUT", data, {"Content-Type": "image/jpeg"})
    assert status == 200 and body == data


def test_rest_api_errors_502_and_timeout_504(sb, write_function, monkeypatch):
    source = """
import time
def handler(event, context):
    if event["path"] == "/boom":
        raise ValueError("boom")
    if event["path"] == "/slow":
        time.sleep(2)
    return {"body": "no statusCode"}
"""
    name, arn = deploy(sb, write_function, source, "restbad")
    url = sb.url(proxy_rest_api(name, arn))
    for path in ("/boom", "/malformed"):
        status, _, body = fetch(url + path)
        assert (status, json.loads(body)) == (502, {"message": "Internal server error"})
    monkeypatch.setattr(http, "REST_INTEGRATION_TIMEOUT", 0.5)  # 29 s in AWS
    status, _, body = fetch(url + "/slow")
    assert (status, json.loads(body)) == (504, {"message": "Endpoint request timed out"})


def test_rest_api_without_permission_is_500(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO, "restnoperm")
    api_id = proxy_rest_api(name, arn, permit=False)
    with pytest.warns(permissions.InvokePermissionWarning):
        status, _, body = fetch(sb.url(api_id) + "/x")
    assert (status, json.loads(body)) == (500, {"message": "Internal server error"})
    # A permission for another API does not count either (SourceArn is checked).
    allow_api(name, "someotherapi")
    with pytest.warns(permissions.InvokePermissionWarning):
        assert fetch(sb.url(api_id) + "/x")[0] == 500
    allow_api(name, api_id)
    assert fetch(sb.url(api_id) + "/x")[0] == 200


# -- function URLs ---------------------------------------------------------------------------


def test_function_url_needs_public_permissions_then_serves_payload_2_0(sb, write_function):
    name, arn = deploy(sb, write_function, ECHO_V2, "furl")
    lam = boto3.client("lambda")
    lam.create_function_url_config(FunctionName=name, AuthType="NONE")
    url = sb.url(name)
    with pytest.warns(permissions.InvokePermissionWarning, match="InvokeFunctionUrl"):
        status, _, body = fetch(url + "/hook")
    assert (status, json.loads(body)) == (403, {"Message": "Forbidden"})

    lam.add_permission(
        FunctionName=name,
        StatementId="url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    with pytest.warns(permissions.InvokePermissionWarning, match="lambda:InvokeFunction"):
        assert fetch(url + "/hook")[0] == 403  # since October 2025 both are needed
    lam.add_permission(
        FunctionName=name,
        StatementId="invoke",
        Action="lambda:InvokeFunction",
        Principal="*",
        InvokedViaFunctionUrl=True,
    )
    status, headers, body = fetch(
        url + "/hook?a=1",
        "POST",
        b'{"ok": true}',
        {"Cookie": "c=1", "Content-Type": "application/json"},
    )
    assert status == 201
    assert [v for n, v in headers if n == "Set-Cookie"] == ["session=abc; HttpOnly", "theme=dark"]
    event = json.loads(body)
    assert event["version"] == "2.0" and event["routeKey"] == "$default"
    assert event["rawPath"] == "/hook" and event["body"] == '{"ok": true}'
    assert event["cookies"] == ["c=1"] and event["queryStringParameters"] == {"a": "1"}
    context = event["requestContext"]
    assert context["accountId"] == "anonymous" and context["domainName"].endswith(".on.aws")
    assert fetch(url + "/plain")[0:1] == (200,)


def test_url_names_the_fix(sb, write_function):
    with pytest.raises(EndpointError, match="neither a REST API id"):
        sb.url("no-such-thing")
    name, _ = deploy(sb, write_function, ECHO, "nourl")
    with pytest.raises(EndpointError, match="create_function_url_config"):
        sb.url(name)
    api_id = boto3.client("apigateway").create_rest_api(name=unique("undeployed"))["id"]
    with pytest.raises(EndpointError, match="create_deployment"):
        sb.url(api_id)


def test_base64_helpers_and_response_mapping():
    response = http.map_v1_response(
        json.dumps(
            {
                "statusCode": 200,
                "headers": {"X-A": "single", "X-B": "kept"},
                "multiValueHeaders": {"X-A": ["m1", "m2"]},
                "body": base64.b64encode(b"\x00\x01").decode(),
                "isBase64Encoded": True,
            }
        ).encode()
    )
    assert response.headers[:3] == [("X-B", "kept"), ("X-A", "m1"), ("X-A", "m2")]
    assert response.body == b"\x00\x01"
    with pytest.raises(http.MalformedResponse):
        http.map_v1_response(b'{"statusCode": "two hundred"}')
    with pytest.raises(http.MalformedResponse):
        http.map_v2_response(b'{"statusCode": 200, "body": "%%%", "isBase64Encoded": true}')


def test_moto_internals_for_quick_create():
    """lambdalab.sandbox.triggers.http reads these moto 5.2.5 internals; this names what moved."""
    from moto.apigateway.models import RestAPI, apigateway_backends  # noqa: F401
    from moto.apigatewayv2.models import Api, apigatewayv2_backends  # noqa: F401
    from moto.apigatewayv2.responses import ApiGatewayV2Response
    from moto.awslambda.models import LambdaFunction

    assert hasattr(ApiGatewayV2Response, "create_api"), "ApiGatewayV2Response.create_api"
    for method in ("create_integration", "create_route", "create_stage"):
        assert hasattr(Api, method), f"moto.apigatewayv2.models.Api.{method}"
    assert "url_config" in __import__("inspect").getsource(LambdaFunction), (
        "LambdaFunction.url_config"
    )
