"""API Gateway and Lambda function URLs, served over real HTTP on 127.0.0.1.

moto keeps the *configuration* of REST APIs (API Gateway v1), HTTP APIs (API Gateway
v2) and function URLs, but nothing answers their URLs: a Lambda proxy integration
raises NotImplementedError and an HTTP API invokes nothing. This module is the data
plane that is missing. ``sandbox.url(api_id_or_function_name)`` starts one small HTTP
server per API or function URL, on its own free port, and returns its base URL; any
client (urllib, requests, curl, a browser) can then call it.

For every request the server does what API Gateway does:

1. **Routing.** REST APIs: the request path, after the stage (``/prod/items/42``), is
   matched against the API's resources (``/items/{id}``, ``/{proxy+}``), then the method
   (or ``ANY``). Nothing matches: 403 ``{"message":"Missing Authentication Token"}``,
   the famous answer of REST APIs to an unknown path *or* method. HTTP APIs: the most
   specific route wins (exact path, then path variables, then greedy ``{proxy+}``, then
   ``$default``); nothing matches: 404 ``{"message":"Not Found"}``. Routes and stages
   are read from moto on every request, so a route added later works at once.
2. **Permission.** The function's resource-based policy must allow
   ``apigateway.amazonaws.com`` (:mod:`lambdalab.sandbox.triggers.permissions`), unless the
   integration has credentials (an IAM role). A function URL with ``AuthType=NONE``
   needs public access granted with add_permission; ``AWS_IAM`` needs a signed request.
3. **The event.** The request becomes a proxy event, built by :mod:`lambdalab.sandbox.events`:
   payload format 1.0 for REST APIs (``headers`` and ``multiValueHeaders``, ``null``
   when empty), 2.0 for HTTP APIs (or 1.0 when the integration's
   ``PayloadFormatVersion`` is ``"1.0"``) and for function URLs (``cookies`` list,
   comma-joined repeated headers and query parameters). A binary body arrives
   base64-encoded with ``isBase64Encoded: true``.
4. **A synchronous invocation** through the sandbox, with the API's time limit: 29 s for
   REST APIs (504 ``{"message": "Endpoint request timed out"}``), 30 s for HTTP APIs
   (503 ``{"message":"Service Unavailable"}``). Function URLs wait as long as the
   function's own timeout.
5. **The response mapping.** ``statusCode``, ``headers``, ``multiValueHeaders``,
   ``cookies`` (2.0: each one a ``Set-Cookie`` header), ``body`` and
   ``isBase64Encoded``. Payload 2.0 also accepts a plain value: a dict without
   ``statusCode`` or a string becomes a 200 JSON response. A function error or a
   malformed response gives REST's 502 ``{"message": "Internal server error"}``, an
   HTTP API's 500 ``{"message":"Internal Server Error"}``, a function URL's 502.

AWS documentation followed here:

* https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
* https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
* https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
* https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
* https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
* https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (29 s / 30 s)

What differs from AWS: plain HTTP on 127.0.0.1 instead of HTTPS on
``<api-id>.execute-api.<region>.amazonaws.com``; the request's ``Host`` header is
replaced by that AWS domain name in the event, so handlers see what they would in AWS.
Authorizers, API keys, usage plans, CORS and non-proxy integrations are not served.

Example
-------
>>> api = boto3.client("apigatewayv2").create_api(                 # doctest: +SKIP
...     Name="hello", ProtocolType="HTTP", Target=function_arn)
>>> url = sb.url(api["ApiId"])                                      # doctest: +SKIP
>>> urllib.request.urlopen(url + "/hello?name=Ada").read()         # doctest: +SKIP
b'{"greeting": "Hello, Ada!"}'
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import events
from ..local_server import LocalServer
from . import permissions

# API Gateway's integration time limits, in seconds (module constants so tests can lower
# them). https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
REST_INTEGRATION_TIMEOUT = 29.0
HTTP_API_INTEGRATION_TIMEOUT = 30.0

# What API Gateway answers, byte for byte where we could check it.
MISSING_AUTHENTICATION_TOKEN = (403, {"message": "Missing Authentication Token"})
REST_INTERNAL_ERROR = (500, {"message": "Internal server error"})  # invocation refused
REST_BAD_GATEWAY = (502, {"message": "Internal server error"})  # function error, bad response
REST_TIMEOUT = (504, {"message": "Endpoint request timed out"})
HTTP_NOT_FOUND = (404, {"message": "Not Found"})
HTTP_INTERNAL_ERROR = (500, {"message": "Internal Server Error"})
HTTP_TIMEOUT = (503, {"message": "Service Unavailable"})
URL_FORBIDDEN = (403, {"Message": "Forbidden"})
URL_BAD_GATEWAY = (502, {"Message": "Internal Server Error"})


@dataclass(frozen=True)
class ProxyErrors:
    """One kind of endpoint's error answers, each a (status, body).

    ``timeout``: the integration timed out; ``refused``: Lambda refused the invocation
    (permissions, throttling); ``failed``: the function failed or answered malformed.
    """

    timeout: tuple[int, dict]
    refused: tuple[int, dict]
    failed: tuple[int, dict]


REST_ERRORS = ProxyErrors(REST_TIMEOUT, refused=REST_INTERNAL_ERROR, failed=REST_BAD_GATEWAY)
HTTP_API_ERRORS = ProxyErrors(HTTP_TIMEOUT, refused=HTTP_INTERNAL_ERROR, failed=HTTP_INTERNAL_ERROR)
URL_ERRORS = ProxyErrors(URL_BAD_GATEWAY, refused=URL_BAD_GATEWAY, failed=URL_BAD_GATEWAY)

# Content types an HTTP API or a function URL passes as text; any other body is
# base64-encoded (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html).
TEXT_CONTENT_TYPES = re.compile(
    r"^(text/.*|application/(json|javascript|xml|.*\+json|.*\+xml))$", re.IGNORECASE
)
LAMBDA_URI = re.compile(r"functions/(?P<arn>arn:[^/]+)/invocations")
HOP_BY_HOP = {"host", "connection", "keep-alive", "transfer-encoding"}


class EndpointError(LookupError):
    """``sandbox.url(...)`` was given something that is not served; the message says why."""


@dataclass
class HttpRequest:
    """One request as the listener received it."""

    method: str
    path: str  # raw, without the query string
    query: str  # raw query string, without "?"
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str

    def header(self, name: str) -> str | None:
        found = [v for n, v in self.headers if n.lower() == name.lower()]
        return found[-1] if found else None


@dataclass
class HttpResponse:
    """What the listener sends back."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def json(cls, status_and_body: tuple[int, dict], *extra: tuple[str, str]) -> HttpResponse:
        status, body = status_and_body
        return cls(
            status, [("Content-Type", "application/json"), *extra], json.dumps(body).encode()
        )


class MalformedResponse(ValueError):
    """The function's answer is not a valid proxy integration response."""


# ---------------------------------------------------------------------------------------
# Routing
# ---------------------------------------------------------------------------------------


def match_path(template: str, path: str) -> dict[str, str] | None:
    """Path parameters if ``path`` matches ``template`` (``/items/{id}``, ``/{proxy+}``).

    Example
    -------
    >>> match_path("/items/{id}", "/items/42")
    {'id': '42'}
    >>> match_path("/{proxy+}", "/a/b/c")
    {'proxy': 'a/b/c'}
    >>> match_path("/items/{id}", "/items") is None
    True
    """
    wanted = [s for s in template.strip("/").split("/") if s]
    given = [unquote(s) for s in path.strip("/").split("/") if s]
    params: dict[str, str] = {}
    for index, part in enumerate(wanted):
        if part.startswith("{") and part.endswith("+}"):
            rest = given[index:]
            if not rest:
                return None
            params[part[1:-2]] = "/".join(rest)
            return params
        if index >= len(given):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = given[index]
        elif part != given[index]:
            return None
    return params if len(given) == len(wanted) else None


def _specificity(template: str) -> tuple[int, int, int]:
    """Sort key: literal segments beat variables, which beat a greedy ``{proxy+}``."""
    parts = [s for s in template.strip("/").split("/") if s]
    greedy = any(p.endswith("+}") for p in parts)
    literal = sum(1 for p in parts if not p.startswith("{"))
    return (0 if greedy else 1, literal, len(parts))


def match_rest_resource(api: Any, method: str, path: str) -> tuple[Any, Any, dict] | None:
    """The REST API resource and method for ``method path``, with its path parameters."""
    best = None
    for resource in api.resources.values():
        template = resource.get_path()
        params = match_path(template, path)
        if params is None:
            continue
        found = resource.resource_methods.get(method) or resource.resource_methods.get("ANY")
        if found is None:
            continue
        key = _specificity(template)
        if best is None or key > best[0]:
            best = (key, resource, found, params)
    return None if best is None else best[1:]


def match_http_route(api: Any, method: str, path: str) -> tuple[Any, dict] | None:
    """The HTTP API route for ``method path`` (most specific first, ``$default`` last)."""
    best = None
    default = None
    for route in api.routes.values():
        if route.route_key == "$default":
            default = route
            continue
        route_method, _, template = route.route_key.partition(" ")
        if route_method not in (method, "ANY"):
            continue
        params = match_path(template, path)
        if params is None:
            continue
        key = (*_specificity(template), route_method == method)
        if best is None or key > best[0]:
            best = (key, route, params)
    if best is not None:
        return best[1], best[2]
    if default is not None:
        return default, {}
    return None


def lambda_arn_of(uri: str | None) -> str | None:
    """The function ARN in an integration URI (REST style or a bare ARN, as HTTP APIs allow).

    Example
    -------
    >>> lambda_arn_of("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    ...               "arn:aws:lambda:us-east-1:123456789012:function:hi/invocations")
    'arn:aws:lambda:us-east-1:123456789012:function:hi'
    """
    if not uri:
        return None
    match = LAMBDA_URI.search(uri)
    if match:
        return match["arn"]
    return uri if uri.startswith("arn:") and ":lambda:" in uri else None


# ---------------------------------------------------------------------------------------
# Response mapping
# ---------------------------------------------------------------------------------------


def _decode_body(body: Any, is_base64: Any) -> bytes:
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedResponse("body must be a string (json.dumps your data)")
    if is_base64:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise MalformedResponse("isBase64Encoded is true but body is not base64") from None
    return body.encode()


def _status(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedResponse(f"statusCode must be a number, not {value!r}")
    try:
        status = int(value)
    except ValueError:
        raise MalformedResponse(f"statusCode must be a number, not {value!r}") from None
    if not 100 <= status <= 599:
        raise MalformedResponse(f"statusCode {status} is not an HTTP status")
    return status


def _with_content_type(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return headers


def map_v1_response(payload: bytes) -> HttpResponse:
    """Payload format 1.0 (REST APIs, HTTP APIs at 1.0): ``statusCode`` is required.

    ``headers`` and ``multiValueHeaders`` are merged; where both name the same header,
    the values of ``multiValueHeaders`` win.

    Example
    -------
    >>> r = map_v1_response(b'{"statusCode": 201, "headers": {"X-A": "1"}, "body": "ok"}')
    >>> r.status, r.headers, r.body
    (201, [('X-A', '1'), ('Content-Type', 'application/json')], b'ok')
    """
    try:
        data = json.loads(payload)
    except ValueError:
        raise MalformedResponse("the function's response is not JSON") from None
    if not isinstance(data, dict) or "statusCode" not in data:
        raise MalformedResponse("a proxy response is an object with a statusCode")
    status = _status(data["statusCode"])
    single = data.get("headers") or {}
    multi = data.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        raise MalformedResponse("headers and multiValueHeaders must be objects")
    headers: list[tuple[str, str]] = []
    multi_names = {name.lower() for name in multi}
    for name, value in single.items():
        if name.lower() not in multi_names:
            headers.append((name, str(value)))
    for name, values in multi.items():
        if not isinstance(values, list):
            raise MalformedResponse("multiValueHeaders values must be lists")
        headers += [(name, str(v)) for v in values]
    body = _decode_body(data.get("body"), data.get("isBase64Encoded"))
    return HttpResponse(status, _with_content_type(headers), body)


def map_v2_response(payload: bytes) -> HttpResponse:
    """Payload format 2.0 (HTTP APIs, function URLs), with its inferred response.

    A JSON object *with* ``statusCode`` is read like 1.0, plus ``cookies`` (one
    ``Set-Cookie`` header each). Anything else (an object without ``statusCode``, a
    string, a number) is the body of a 200 response with ``content-type:
    application/json``.

    Example
    -------
    >>> r = map_v2_response(b'{"greeting": "hi"}')
    >>> r.status, r.headers, r.body
    (200, [('Content-Type', 'application/json')], b'{"greeting": "hi"}')
    >>> map_v2_response(b'"plain text"').body
    b'plain text'
    """
    try:
        data = json.loads(payload)
    except ValueError:
        raise MalformedResponse("the function's response is not JSON") from None
    if not (isinstance(data, dict) and "statusCode" in data):
        body = data.encode() if isinstance(data, str) else bytes(payload)
        return HttpResponse(200, [("Content-Type", "application/json")], body)
    status = _status(data["statusCode"])
    raw_headers = data.get("headers") or {}
    cookies = data.get("cookies") or []
    if not isinstance(raw_headers, dict) or not isinstance(cookies, list):
        raise MalformedResponse("headers must be an object and cookies a list")
    headers = [(name, str(value)) for name, value in raw_headers.items()]
    headers += [("Set-Cookie", str(cookie)) for cookie in cookies]
    body = _decode_body(data.get("body"), data.get("isBase64Encoded"))
    return HttpResponse(status, _with_content_type(headers), body)


# ---------------------------------------------------------------------------------------
# The gateway: listeners, and what happens to each request
# ---------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    """One listener: a REST API, an HTTP API or a function URL, on its own port."""

    kind: str  # "rest", "http" or "url"
    target: str  # the API id, or the function's ARN
    server: LocalServer

    @property
    def base_url(self) -> str:
        return self.server.url


def _handler_class(gateway: HttpGateway, kind: str, target: str) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def version_string(self) -> str:
            return "lambdalab"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = HttpRequest(
                method=self.command,
                path=parts.path or "/",
                query=parts.query,
                headers=[(n, v) for n, v in self.headers.items()],
                body=body,
                source_ip=self.client_address[0],
            )
            try:
                response = gateway.handle(kind, target, request)
            except Exception as error:  # noqa: BLE001 - a bug must not hang the client
                gateway.log(f"error while serving {self.command} {self.path}: {error!r}")
                response = HttpResponse.json((500, {"message": "Internal server error"}))
            self.send_response(response.status)
            for name, value in response.headers:
                if name.lower() not in ("content-length", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: Any) -> None:  # no access log
            pass

    return Handler


class HttpGateway:
    """API Gateway's and function URLs' data plane for one sandbox.

    Parameters
    ----------
    sandbox : Sandbox
        Its ``_invoke``, ``clock``, ``account_id`` and ``region`` are used.
    """

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self._endpoints: dict[tuple[str, str], Endpoint] = {}
        self._lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=32, thread_name_prefix="lambdalab-http"
        )

    # -- moto lookups --------------------------------------------------------------------
    @property
    def _account(self) -> str:
        return self.sandbox.account_id

    @property
    def _region(self) -> str:
        return self.sandbox.region

    def _rest_api(self, api_id: str) -> Any:
        from moto.apigateway.models import apigateway_backends

        return apigateway_backends[self._account][self._region].apis.get(api_id)

    def _http_api(self, api_id: str) -> Any:
        from moto.apigatewayv2.models import apigatewayv2_backends

        return apigatewayv2_backends[self._account][self._region].apis.get(api_id)

    def _function(self, name_or_arn: str) -> Any:
        """moto's LambdaFunction, or None."""
        from moto.awslambda.models import lambda_backends

        try:
            return lambda_backends[self._account][self._region].get_function(name_or_arn)
        except Exception:  # noqa: BLE001 - moto raises its own not-found errors
            return None

    def log(self, line: str) -> None:
        permissions._write_sandbox_log(self._account, self._region, f"[http] {line}")

    # -- listeners -------------------------------------------------------------------------
    def url(self, api_id_or_function_name: str, stage: str | None = None) -> str:
        """The base URL of a REST API stage, an HTTP API stage or a function URL.

        Parameters
        ----------
        api_id_or_function_name : str
            A REST or HTTP API's id (``ApiId`` / ``id``), or the name or ARN of a
            function that has a function URL.
        stage : str, optional
            The stage. Left out: the only stage of a REST API, an HTTP API's
            ``$default`` stage (served at the root, as in AWS).

        Returns
        -------
        str
            For example ``http://127.0.0.1:PORT/prod`` (REST, stage prod),
            ``http://127.0.0.1:PORT`` (HTTP API ``$default`` stage, function URL).
            Append the path: ``url + "/items"``.

        Raises
        ------
        EndpointError
            If nothing by that name can be served yet; the message says what to create.

        Example
        -------
        >>> sb.url("a1b2c3d4e5", stage="prod")         # doctest: +SKIP
        'http://127.0.0.1:50123/prod'
        """
        name = api_id_or_function_name
        if self._rest_api(name) is not None:
            return self._listener("rest", name).base_url + "/" + self._rest_stage(name, stage)
        api = self._http_api(name)
        if api is not None:
            if api.protocol_type != "HTTP":
                raise EndpointError(
                    f"API {name} is a {api.protocol_type} API; the sandbox serves HTTP APIs"
                    " and REST APIs."
                )
            chosen = self._http_stage(api, stage)
            base = self._listener("http", name).base_url
            return base if chosen == "$default" else f"{base}/{chosen}"
        fn = self._function(name)
        if fn is None:
            raise EndpointError(
                f"{name!r} is neither a REST API id, an HTTP API id nor a function name."
                " Pass the id that create_rest_api / create_api returned, or a function"
                " with a function URL."
            )
        if getattr(fn, "url_config", None) is None:
            raise EndpointError(
                f"Function {fn.function_name} has no function URL. Create one first:"
                f" boto3.client('lambda').create_function_url_config("
                f"FunctionName={fn.function_name!r}, AuthType='NONE')"
            )
        return self._listener("url", fn.function_arn).base_url

    def _rest_stage(self, api_id: str, stage: str | None) -> str:
        stages = sorted(self._rest_api(api_id).stages)
        chosen = _pick_stage(stages, stage)
        if chosen is not None:
            return chosen
        if not stages:
            raise EndpointError(
                f"REST API {api_id} has no stage yet: deploy it first, for example"
                f" boto3.client('apigateway').create_deployment(restApiId={api_id!r},"
                " stageName='prod')"
            )
        raise EndpointError(
            f"REST API {api_id} has the stages {', '.join(stages)}: pass one of them,"
            f" for example sandbox.url({api_id!r}, stage={stages[0]!r})"
        )

    def _http_stage(self, api: Any, stage: str | None) -> str:
        stages = sorted(api.stages)
        chosen = _pick_stage(stages, stage, default="$default")
        if chosen is not None:
            return chosen
        if not stages:
            raise EndpointError(
                f"HTTP API {api.api_id} has no stage yet. Create its default stage:"
                f" boto3.client('apigatewayv2').create_stage(ApiId={api.api_id!r},"
                " StageName='$default', AutoDeploy=True)"
            )
        raise EndpointError(
            f"HTTP API {api.api_id} has the stages {', '.join(stages)}: pass one of them"
            " as stage=..."
        )

    def _listener(self, kind: str, target: str) -> Endpoint:
        with self._lock:
            endpoint = self._endpoints.get((kind, target))
            if endpoint is None:
                server = LocalServer(
                    _handler_class(self, kind, target),
                    name=f"lambdalab-{kind}-{target[-12:]}",
                    role="api",
                )
                endpoint = Endpoint(kind, target, server)
                self._endpoints[(kind, target)] = endpoint
            return endpoint

    def endpoints(self) -> list[Endpoint]:
        """The listeners started so far."""
        with self._lock:
            return list(self._endpoints.values())

    def stop(self) -> None:
        """Stop every listener (in parallel: each takes up to its poll interval)."""
        with self._lock:
            endpoints = list(self._endpoints.values())
            self._endpoints.clear()
        stoppers = [threading.Thread(target=e.server.shutdown) for e in endpoints]
        for stopper in stoppers:
            stopper.start()
        for stopper, endpoint in zip(stoppers, endpoints, strict=True):
            stopper.join()
            endpoint.server.server_close()

    def reset(self) -> None:
        """Forget every listener (the APIs are gone with moto's reset)."""
        self.stop()

    def shutdown(self) -> None:
        self.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- requests --------------------------------------------------------------------------
    def handle(self, kind: str, target: str, request: HttpRequest) -> HttpResponse:
        """Answer one request as API Gateway or the function URL service would."""
        if kind == "rest":
            return self._handle_rest(target, request)
        if kind == "http":
            return self._handle_http_api(target, request)
        return self._handle_function_url(target, request)

    def _invoke(self, fn: Any, event: dict, timeout: float | None) -> Any:
        """Invoke synchronously, as Sandbox._invoke does for RequestResponse.

        Raises ``concurrent.futures.TimeoutError`` after ``timeout`` seconds; the
        invocation itself goes on, as it does in AWS after API Gateway gives up.
        """
        payload = json.dumps(event).encode()
        future = self._pool.submit(self.sandbox._invoke, fn, payload, "RequestResponse", None)
        return future.result(timeout=timeout)

    def _client_headers(self, request: HttpRequest) -> list[tuple[str, str]]:
        return [(n, v) for n, v in request.headers if n.lower() not in HOP_BY_HOP]

    def _allowed_by_policy(self, fn: Any, source_arn: str, who: str) -> bool:
        if permissions.is_allowed(
            fn, permissions.API_GATEWAY, source_arn, source_account=self._account
        ):
            return True
        hint = permissions.add_permission_hint(
            fn.function_name,
            permissions.API_GATEWAY,
            source_arn.rsplit("/", 3)[0] + "/*",
            "lambda:InvokeFunction",
        )
        permissions.report_denied(
            fn,
            who,
            "its resource-based policy does not allow apigateway.amazonaws.com"
            f" (Invalid permissions on Lambda function). Grant it: {hint}",
        )
        return False

    def _handle_rest(self, api_id: str, request: HttpRequest) -> HttpResponse:
        api = self._rest_api(api_id)
        stage_name, _, rest = request.path.lstrip("/").partition("/")
        path = "/" + rest
        if api is None or stage_name not in api.stages:
            return HttpResponse.json(MISSING_AUTHENTICATION_TOKEN)
        found = match_rest_resource(api, request.method, path)
        if found is None:
            return HttpResponse.json(MISSING_AUTHENTICATION_TOKEN)
        resource, method, params = found
        label = f"REST API {api_id}"
        request_id = str(uuid.uuid4())
        extra = [("x-amzn-RequestId", request_id)]
        integration = method.method_integration
        fn_arn = lambda_arn_of(getattr(integration, "uri", None))
        fn = self._proxy_function(
            label, f"{request.method} {resource.get_path()}", integration, fn_arn
        )
        if fn is None:
            return HttpResponse.json(REST_INTERNAL_ERROR, *extra)
        source_arn = (
            f"arn:aws:execute-api:{self._region}:{self._account}:{api_id}/{stage_name}"
            f"/{request.method}{resource.get_path()}"
        )
        if not getattr(integration, "credentials", None) and not self._allowed_by_policy(
            fn, source_arn, label
        ):
            return HttpResponse.json(REST_INTERNAL_ERROR, *extra)
        content_type = request.header("Content-Type") or ""
        binary = any(
            _media_type_matches(pattern, content_type)
            for pattern in api.binaryMediaTypes or []
            if isinstance(pattern, str)
        )
        stage = api.stages[stage_name]
        event = events.apigw_rest_event(
            request.method,
            path,
            resource=resource.get_path(),
            query=request.query or None,
            body=_request_body(request.body, binary),
            path_parameters=params,
            stage=stage_name,
            stage_variables=getattr(stage, "variables", None) or None,
            api_id=api_id,
            **self._request_context(request, request_id),
        )
        limit = min(REST_INTEGRATION_TIMEOUT, (integration.timeout_in_millis or 29000) / 1000)
        return self._proxy(fn, event, limit, map_v1_response, label, extra, REST_ERRORS)

    def _handle_http_api(self, api_id: str, request: HttpRequest) -> HttpResponse:
        api = self._http_api(api_id)
        if api is None:
            return HttpResponse.json(HTTP_NOT_FOUND)
        first, _, rest = request.path.lstrip("/").partition("/")
        if first and first != "$default" and first in api.stages:
            stage_name, path = first, "/" + rest
        elif "$default" in api.stages:
            stage_name, path = "$default", request.path
        else:
            return HttpResponse.json(HTTP_NOT_FOUND)
        found = match_http_route(api, request.method, path)
        if found is None:
            return HttpResponse.json(HTTP_NOT_FOUND)
        route, params = found
        label = f"HTTP API {api_id}"
        request_id = base64.urlsafe_b64encode(uuid.uuid4().bytes[:11]).decode()
        extra = [("apigw-requestid", request_id)]
        integration_id = (route.target or "").removeprefix("integrations/")
        integration = api.integrations.get(integration_id)
        fn_arn = lambda_arn_of(getattr(integration, "integration_uri", None))
        fn = self._proxy_function(label, f"route {route.route_key}", integration, fn_arn)
        if fn is None:
            return HttpResponse.json(HTTP_INTERNAL_ERROR, *extra)
        route_part = (
            "$default" if route.route_key == "$default" else route.route_key.replace(" ", "", 1)
        )
        source_arn = (
            f"arn:aws:execute-api:{self._region}:{self._account}:{api_id}/{stage_name}/{route_part}"
        )
        if not integration.credentials_arn and not self._allowed_by_policy(fn, source_arn, label):
            return HttpResponse.json(HTTP_INTERNAL_ERROR, *extra)
        version = integration.payload_format_version or "2.0"
        stage = api.stages[stage_name]
        event = events.apigw_http_event(
            request.method,
            path,
            route_key=route.route_key,
            query=request.query,
            body=_request_body(request.body, not _is_text(request.header("Content-Type"))),
            path_parameters=params,
            stage=stage_name,
            version=version,
            stage_variables=getattr(stage, "stage_variables", None) or None,
            api_id=api_id,
            **self._request_context(request, request_id),
        )
        limit = min(HTTP_API_INTEGRATION_TIMEOUT, (integration.timeout_in_millis or 30000) / 1000)
        mapper = map_v1_response if version == "1.0" else map_v2_response
        return self._proxy(fn, event, limit, mapper, label, extra, HTTP_API_ERRORS)

    def _handle_function_url(self, function_arn: str, request: HttpRequest) -> HttpResponse:
        fn = self._function(function_arn)
        config = getattr(fn, "url_config", None)
        if fn is None or config is None:
            return HttpResponse.json(URL_FORBIDDEN)
        request_id = str(uuid.uuid4())
        extra = [("x-amzn-RequestId", request_id)]
        auth_type = config.config.get("AuthType") or "NONE"
        if auth_type == "NONE" and not self._public_url_allowed(fn):
            return HttpResponse.json(URL_FORBIDDEN, *extra)
        if auth_type == "AWS_IAM" and not (request.header("Authorization") or "").startswith(
            "AWS4-HMAC-SHA256"
        ):
            return HttpResponse.json(URL_FORBIDDEN, *extra)
        url_id = (urlsplit(config.url).hostname or "").split(".")[0]
        event = events.function_url_event(
            request.method,
            request.path,
            query=request.query,
            body=_request_body(request.body, not _is_text(request.header("Content-Type"))),
            auth_type=auth_type,
            url_id=url_id,
            **self._request_context(request, request_id),
        )
        label = f"function URL of {fn.function_name}"
        return self._proxy(fn, event, None, map_v2_response, label, extra, URL_ERRORS)

    def _proxy_function(self, label: str, route: str, integration: Any, fn_arn: str | None) -> Any:
        """The function a Lambda proxy integration points to, or None (said in the sandbox log).

        The sandbox serves Lambda proxy integrations (type ``AWS_PROXY``) only; for another
        integration, or a function that is gone, API Gateway answers with an error.
        """
        if integration is None or integration.integration_type != "AWS_PROXY" or not fn_arn:
            self.log(
                f"{label} {route}: the sandbox serves Lambda proxy integrations"
                " (type AWS_PROXY) only"
            )
            return None
        fn = self._function(fn_arn)
        if fn is None:
            self.log(f"{label}: integration points to a missing function {fn_arn}")
        return fn

    def _request_context(self, request: HttpRequest, request_id: str) -> dict[str, Any]:
        """What every proxy event says of the request and of where it was served."""
        return {
            "headers": self._client_headers(request),
            "source_ip": request.source_ip,
            "request_id": request_id,
            "time": self.sandbox.clock.now(),
            "region": self._region,
            "account": self._account,
        }

    def _proxy(
        self,
        fn: Any,
        event: dict,
        limit: float | None,
        mapper: Any,
        label: str,
        extra: list,
        errors: ProxyErrors,
    ) -> HttpResponse:
        """Invoke for a proxy integration and map the result back, as API Gateway does.

        ``errors`` are this kind of endpoint's answers when the invocation times out, is
        refused or fails.
        """
        try:
            result = self._invoke(fn, event, limit)
        except concurrent.futures.TimeoutError:
            return HttpResponse.json(errors.timeout, *extra)
        except Exception as error:  # noqa: BLE001 - Lambda refused the invocation
            self.log(f"{label}: Lambda refused the invocation: {error}")
            return HttpResponse.json(errors.refused, *extra)
        if result.function_error:
            return HttpResponse.json(errors.failed, *extra)
        try:
            response = mapper(result.payload)
        except MalformedResponse as error:
            self.log(f"{label}: malformed Lambda proxy response: {error}")
            return HttpResponse.json(errors.failed, *extra)
        response.headers += extra
        return response

    def _public_url_allowed(self, fn: Any) -> bool:
        """AuthType NONE: public access granted by two add_permission statements."""
        missing = []
        if not permissions.is_allowed(
            fn,
            "*",
            action="lambda:InvokeFunctionUrl",
            function_url_auth_type="NONE",
        ):
            missing.append("lambda:InvokeFunctionUrl")
        if not permissions.is_allowed(
            fn, "*", action="lambda:InvokeFunction", invoked_via_function_url=True
        ):
            missing.append("lambda:InvokeFunction")
        if not missing:
            return True
        hints = "; ".join(
            permissions.add_permission_hint(fn.function_name, "*", None, action)
            for action in missing
        )
        permissions.report_denied(
            fn,
            "Its function URL (AuthType NONE)",
            "the resource-based policy does not grant public access ("
            + " and ".join(missing)
            + f" for Principal '*'), so the URL answers 403 Forbidden. Grant it: {hints}",
        )
        return False


def _pick_stage(stages: list[str], stage: str | None, default: str | None = None) -> str | None:
    """The stage asked for if the API has it; none asked for: ``default`` if the API has it
    (an HTTP API's ``$default``), else its only stage. None when that does not settle it."""
    if stage is not None:
        return stage if stage in stages else None
    if default in stages:
        return default
    return stages[0] if len(stages) == 1 else None


def _is_text(content_type: str | None) -> bool:
    if not content_type:
        return True
    return bool(TEXT_CONTENT_TYPES.match(content_type.split(";")[0].strip()))


def _media_type_matches(pattern: str, content_type: str) -> bool:
    """REST APIs' binaryMediaTypes: ``image/png``, ``image/*`` or ``*/*``."""
    wanted = pattern.strip().lower()
    given = content_type.split(";")[0].strip().lower()
    if wanted == "*/*":
        return True
    if wanted.endswith("/*"):
        return given.startswith(wanted[:-1])
    return wanted == given


def _request_body(body: bytes, binary: bool) -> str | bytes | None:
    """bytes are base64-encoded by the event builders; text goes as it is."""
    if not body:
        return None
    if binary:
        return body
    return body.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------
# moto internals: HTTP API "quick create"
# ---------------------------------------------------------------------------------------
# moto 5.2.5 accepts CreateApi's Target and RouteKey but ignores them. AWS's quick create
# makes a Lambda proxy integration (payload 2.0), a route (RouteKey, or $default) and a
# $default stage that deploys automatically:
# https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop.html
# This is the one function that touches moto's API Gateway v2 internals; the test
# tests/functional/sandbox/test_http.py::test_moto_internals_for_quick_create names them.

_original_create_api: Any = None


def _quick_create_api(self: Any) -> Any:
    """Replacement for ``ApiGatewayV2Response.create_api``: honour ``Target``."""
    status, headers, body = _original_create_api(self)
    params = json.loads(self.body or "{}")
    target = params.get("target")
    if not target or params.get("protocolType") != "HTTP":
        return status, headers, body
    api = self.apigatewayv2_backend.get_api(json.loads(body)["apiId"])
    integration = api.create_integration(
        connection_type="INTERNET",
        description="",
        integration_method="POST",
        integration_type="AWS_PROXY",
        integration_uri=target,
        credentials_arn=params.get("credentialsArn"),
        payload_format_version="2.0",
    )
    api.create_route(
        api_key_required=False,
        authorization_scopes=[],
        route_key=params.get("routeKey") or "$default",
        target=f"integrations/{integration.id}",
    )
    api.create_stage(config={"stageName": "$default", "autoDeploy": True})
    return status, headers, body


# moto 5.2.5 accepts a Lambda proxy integration of an HTTP API without
# PayloadFormatVersion (and the sandbox then sent 2.0); AWS refuses it: "Required for
# HTTP APIs" (CreateIntegration, PayloadFormatVersion; the developer guide's
# http-api-develop-integrations-lambda.html). The message below is the sandbox's.
_original_create_integration: Any = None
PAYLOAD_FORMAT_REQUIRED = (
    "PayloadFormatVersion is required for an AWS_PROXY (Lambda proxy) integration of an "
    "HTTP API: pass PayloadFormatVersion='2.0' (or '1.0' for the REST-like payload)."
)


def _checked_create_integration(self: Any) -> Any:
    """Replacement for ``ApiGatewayV2Response.create_integration``: AWS's validation."""
    from moto.apigatewayv2.exceptions import BadRequestException

    params = json.loads(self.body or "{}")
    if params.get("integrationType") == "AWS_PROXY" and not params.get("payloadFormatVersion"):
        api = self.apigatewayv2_backend.get_api(self.path.split("/")[-2])
        if getattr(api, "protocol_type", None) == "HTTP":
            raise BadRequestException(PAYLOAD_FORMAT_REQUIRED)
    return _original_create_integration(self)


def install() -> None:
    """Make moto's CreateApi do AWS's quick create, and CreateIntegration validate."""
    global _original_create_api, _original_create_integration
    from moto.apigatewayv2.responses import ApiGatewayV2Response

    if _original_create_api is None:
        _original_create_api = ApiGatewayV2Response.create_api
        ApiGatewayV2Response.create_api = _quick_create_api
    if _original_create_integration is None:
        _original_create_integration = ApiGatewayV2Response.create_integration
        ApiGatewayV2Response.create_integration = _checked_create_integration


def uninstall() -> None:
    """Give moto its own CreateApi and CreateIntegration back."""
    global _original_create_api, _original_create_integration
    from moto.apigatewayv2.responses import ApiGatewayV2Response

    if _original_create_api is not None:
        ApiGatewayV2Response.create_api = _original_create_api
        _original_create_api = None
    if _original_create_integration is not None:
        ApiGatewayV2Response.create_integration = _original_create_integration
        _original_create_integration = None
