"""The resource types a Lambda course deploys that moto's CloudFormation lacks or half does.

CloudFormation creates a resource by calling its service's API (its "resource provider").
So does this module, for the types below: each ``Create``, ``Update`` and ``Delete`` is a
call of the service's API on the sandbox's own endpoint, so a stack's function, HTTP API,
alias or bucket notification is exactly what the same boto3 calls would have made, with
every check and trigger the sandbox has for them (an S3 notification really fires, an
HTTP API is served by ``sb.url``, a schedule fires on the sandbox clock).

=============================== ===========================================================
Type                            What moto 5.2.5's CloudFormation does without this module
=============================== ===========================================================
AWS::Lambda::Function           ignores Layers, Architectures, EphemeralStorage, ...
AWS::S3::Bucket                 ignores NotificationConfiguration (no trigger fires)
AWS::Lambda::Alias              not supported (AutoPublishAlias)
AWS::Lambda::Url                not supported (FunctionUrlConfig)
AWS::ApiGatewayV2::Api, Stage,  not supported (``Type: HttpApi`` events)
Route, Integration
AWS::Scheduler::Schedule        not supported (``Type: ScheduleV2`` events)
AWS::SNS::Subscription          not supported (``Type: SNS`` events)
AWS::ApiGateway::RestApi,       a RestApi needs a Name and ignores its OpenAPI ``Body``
Deployment, Stage               (``Type: Api`` events); no Stage
AWS::Lambda::EventInvokeConfig  not supported (SAM's ``EventInvokeConfig``)
AWS::SQS::QueuePolicy,          not supported
AWS::SNS::TopicPolicy,
AWS::S3::BucketPolicy
AWS::Scheduler::ScheduleGroup,  not supported
AWS::CloudWatch::Alarm
=============================== ===========================================================

Property names are CloudFormation's, which for these types are the APIs' own names;
where they differ (S3's notification configuration) the mapping is written out.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from typing import Any, ClassVar

import boto3
from moto.core.common_models import CloudFormationModel

_clients: dict[tuple[str, str], Any] = {}
_clients_lock = threading.Lock()
_endpoint: dict[str, str] = {}  # "url": the sandbox's endpoint, set by install()


def configure(endpoint_url: str) -> None:
    _endpoint["url"] = endpoint_url
    _clients.clear()


def client(service: str, region: str) -> Any:
    """A boto3 client of the sandbox's endpoint, as CloudFormation's providers call AWS."""
    key = (service, region)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = boto3.client(
                service,
                region_name=region,
                endpoint_url=_endpoint["url"],
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                aws_session_token="testing",
            )
        return _clients[key]


def _tags(tags: Any) -> dict[str, str]:
    """CloudFormation's ``[{"Key": k, "Value": v}]`` as the APIs' ``{k: v}``."""
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {t["Key"]: str(t["Value"]) for t in tags or []}


def _name_of(function: str) -> str:
    """A function's name from its name, ARN or qualified ARN (``...:function:f:live``)."""
    if function.startswith("arn:"):
        return function.split(":")[6]
    return function


def openapi_body(props: dict) -> dict[str, Any]:
    """An API's OpenAPI ``Body`` from the template; one kept in S3 is refused by name."""
    if "BodyS3Location" in props:
        raise ValueError(
            "BodyS3Location is not supported by the sandbox: put the OpenAPI document "
            "in the template (DefinitionBody) instead."
        )
    return props.get("Body") or {}


class ApiResource(CloudFormationModel):
    """A resource made by calling its service's API; subclasses say which calls.

    ``physical_id`` is what ``Ref`` returns; ``attributes`` what ``Fn::GetAtt`` reads.
    """

    TYPE: ClassVar[str] = ""
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, physical_id: str, attributes: dict[str, Any], region: str, props: dict):
        self.physical_id = physical_id
        self.attributes = attributes
        self.region = region
        self.properties = props

    @property
    def physical_resource_id(self) -> str:
        return self.physical_id

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.attributes[attribute_name]

    # -- what each type does ------------------------------------------------------------
    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def update(self, props: dict) -> bool:
        """Update in place; False: the change needs a replacement (create, then delete)."""
        return False

    def remove(self) -> None:
        raise NotImplementedError

    # -- moto's CloudFormation calls these ------------------------------------------------
    @classmethod
    def create_from_cloudformation_json(  # type: ignore[override]
        cls,
        resource_name: str,
        cloudformation_json: dict,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiResource:
        props = cloudformation_json.get("Properties", {})
        physical_id, attributes = cls.create(props, resource_name, region_name)
        return cls(physical_id, attributes, region_name, props)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[override]
        cls,
        original_resource: ApiResource,
        new_resource_name: str,
        cloudformation_json: dict,
        account_id: str,
        region_name: str,
    ) -> ApiResource:
        props = cloudformation_json.get("Properties", {})
        if original_resource.update(props):
            original_resource.properties = props
            return original_resource
        replacement = cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )
        original_resource.remove()
        return replacement

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[override]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> None:
        raise NotImplementedError  # ResourceMap calls delete() on the instance instead

    def delete(self, account_id: str, region_name: str) -> None:
        self.remove()


# -- Lambda ---------------------------------------------------------------------------------
FUNCTION_PROPERTIES = (
    "Description",
    "Handler",
    "Runtime",
    "Role",
    "Timeout",
    "MemorySize",
    "Environment",
    "Layers",
    "Architectures",
    "EphemeralStorage",
    "TracingConfig",
    "DeadLetterConfig",
    "VpcConfig",
    "KMSKeyArn",
    "PackageType",
    "ImageConfig",
    "FileSystemConfigs",
    "SnapStart",
    "LoggingConfig",
)
UPDATABLE_CONFIGURATION = tuple(
    p for p in FUNCTION_PROPERTIES if p not in ("Architectures", "PackageType")
)


def inline_code_zip(source: str, runtime: str | None) -> bytes:
    """``Code.ZipFile``: CloudFormation writes the source to ``index.py`` (``index.js``)."""
    name = "index.js" if (runtime or "").startswith("nodejs") else "index.py"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name)
        info.external_attr = 0o644 << 16
        archive.writestr(info, source)
    return buffer.getvalue()


def _code(props: dict) -> dict:
    code = dict(props.get("Code") or {})
    if "ZipFile" in code:
        code["ZipFile"] = inline_code_zip(code["ZipFile"], props.get("Runtime"))
    return code


class Function(ApiResource):
    """AWS::Lambda::Function through CreateFunction (all of its properties)."""

    TYPE = "AWS::Lambda::Function"
    ATTRIBUTES = ("Arn", "SnapStartResponse")

    @staticmethod
    def cloudformation_name_type() -> str:
        return "FunctionName"

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        lam = client("lambda", region)
        params = {k: props[k] for k in FUNCTION_PROPERTIES if k in props}
        params["FunctionName"] = props.get("FunctionName", name)
        params["Code"] = _code(props)
        if props.get("Tags"):
            params["Tags"] = _tags(props["Tags"])
        created = lam.create_function(**params)
        cls._extras(lam, params["FunctionName"], props)
        return created["FunctionName"], {"Arn": created["FunctionArn"]}

    @staticmethod
    def _extras(lam: Any, name: str, props: dict) -> None:
        if "ReservedConcurrentExecutions" in props:
            lam.put_function_concurrency(
                FunctionName=name,
                ReservedConcurrentExecutions=int(props["ReservedConcurrentExecutions"]),
            )
        elif props.get("_had_reserved"):
            lam.delete_function_concurrency(FunctionName=name)
        if "RecursiveLoop" in props:
            lam.put_function_recursion_config(
                FunctionName=name, RecursiveLoop=props["RecursiveLoop"]
            )

    def update(self, props: dict) -> bool:
        if props.get("FunctionName", self.physical_id) != self.physical_id:
            return False  # a new name is a new function
        lam = client("lambda", self.region)
        config = {k: props[k] for k in UPDATABLE_CONFIGURATION if k in props}
        lam.update_function_configuration(FunctionName=self.physical_id, **config)
        if _code(props) != _code(self.properties):
            lam.update_function_code(FunctionName=self.physical_id, **_code(props))
        props = dict(props, _had_reserved="ReservedConcurrentExecutions" in self.properties)
        self._extras(lam, self.physical_id, props)
        return True

    def remove(self) -> None:
        client("lambda", self.region).delete_function(FunctionName=self.physical_id)


class Version(ApiResource):
    """AWS::Lambda::Version through PublishVersion (SAM's ``AutoPublishAlias``).

    A version is immutable: any change publishes a new one (CloudFormation replaces
    it). Deleting it from a stack keeps it, as ``DeletionPolicy: Retain`` does, only
    when the template says so; otherwise DeleteFunction with its qualifier.
    """

    TYPE = "AWS::Lambda::Version"
    ATTRIBUTES = ("Version", "FunctionArn")

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {"FunctionName": props["FunctionName"]}
        for optional in ("Description", "CodeSha256"):
            if optional in props:
                params[optional] = props[optional]
        made = client("lambda", region).publish_version(**params)
        arn = made["FunctionArn"]
        if not arn.endswith(":" + made["Version"]):
            arn = f"{arn}:{made['Version']}"
        return arn, {"Version": made["Version"], "FunctionArn": arn}

    def remove(self) -> None:
        lam = client("lambda", self.region)
        try:
            lam.delete_function(
                FunctionName=_name_of(self.physical_id), Qualifier=self.attributes["Version"]
            )
        except lam.exceptions.ResourceNotFoundException:
            pass  # its function was deleted first


class Alias(ApiResource):
    """AWS::Lambda::Alias through CreateAlias (SAM's ``AutoPublishAlias``)."""

    TYPE = "AWS::Lambda::Alias"
    ATTRIBUTES = ("AliasArn",)

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {
            "FunctionName": props["FunctionName"],
            "Name": props["Name"],
            "FunctionVersion": str(props["FunctionVersion"]),
        }
        for optional in ("Description", "RoutingConfig"):
            if optional in props:
                params[optional] = props[optional]
        alias = client("lambda", region).create_alias(**params)
        return alias["AliasArn"], {"AliasArn": alias["AliasArn"]}

    def update(self, props: dict) -> bool:
        if (props["Name"], _name_of(props["FunctionName"])) != (
            self.properties["Name"],
            _name_of(self.properties["FunctionName"]),
        ):
            return False
        params = {
            "FunctionName": props["FunctionName"],
            "Name": props["Name"],
            "FunctionVersion": str(props["FunctionVersion"]),
            "RoutingConfig": props.get("RoutingConfig", {"AdditionalVersionWeights": {}}),
        }
        if "Description" in props:
            params["Description"] = props["Description"]
        client("lambda", self.region).update_alias(**params)
        return True

    def remove(self) -> None:
        client("lambda", self.region).delete_alias(
            FunctionName=_name_of(self.properties["FunctionName"]), Name=self.properties["Name"]
        )


class FunctionUrl(ApiResource):
    """AWS::Lambda::Url through CreateFunctionUrlConfig (SAM's ``FunctionUrlConfig``)."""

    TYPE = "AWS::Lambda::Url"
    ATTRIBUTES = ("FunctionArn", "FunctionUrl")

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        target = props["TargetFunctionArn"]
        params = {"FunctionName": _name_of(target), "AuthType": props["AuthType"]}
        for optional in ("Cors", "InvokeMode"):
            if optional in props:
                params[optional] = props[optional]
        url = client("lambda", region).create_function_url_config(**params)
        return url["FunctionArn"], {
            "FunctionArn": url["FunctionArn"],
            "FunctionUrl": url["FunctionUrl"],
        }

    def update(self, props: dict) -> bool:
        if _name_of(props["TargetFunctionArn"]) != _name_of(self.properties["TargetFunctionArn"]):
            return False
        params = {
            "FunctionName": _name_of(props["TargetFunctionArn"]),
            "AuthType": props["AuthType"],
        }
        for optional in ("Cors", "InvokeMode"):
            if optional in props:
                params[optional] = props[optional]
        client("lambda", self.region).update_function_url_config(**params)
        return True

    def remove(self) -> None:
        client("lambda", self.region).delete_function_url_config(
            FunctionName=_name_of(self.properties["TargetFunctionArn"])
        )


# -- S3 ---------------------------------------------------------------------------------------
def notification_configuration(cfn: dict) -> dict:
    """CloudFormation's ``NotificationConfiguration`` in PutBucketNotificationConfiguration's shape.

    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-notificationconfiguration.html
    """

    def each(items: list, arn_in: str, arn_out: str) -> list[dict]:
        out = []
        for item in items or []:
            entry: dict[str, Any] = {arn_out: item[arn_in], "Events": [item["Event"]]}
            rules = ((item.get("Filter") or {}).get("S3Key") or {}).get("Rules")
            if rules:
                entry["Filter"] = {"Key": {"FilterRules": rules}}
            out.append(entry)
        return out

    config: dict[str, Any] = {
        "LambdaFunctionConfigurations": each(
            cfn.get("LambdaConfigurations"), "Function", "LambdaFunctionArn"
        ),
        "QueueConfigurations": each(cfn.get("QueueConfigurations"), "Queue", "QueueArn"),
        "TopicConfigurations": each(cfn.get("TopicConfigurations"), "Topic", "TopicArn"),
    }
    if (cfn.get("EventBridgeConfiguration") or {}).get("EventBridgeEnabled"):
        config["EventBridgeConfiguration"] = {}
    return {k: v for k, v in config.items() if v or k == "EventBridgeConfiguration"}


def _bucket_class() -> type:
    from moto.s3.models import FakeBucket

    class Bucket(FakeBucket):
        """AWS::S3::Bucket: moto's, its NotificationConfiguration and deletion through the
        S3 API."""

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            bucket = FakeBucket.create_from_cloudformation_json(
                resource_name, cloudformation_json, account_id, region_name, **kwargs
            )
            cls._notify(bucket.name, cloudformation_json, region_name, created=True)
            return bucket

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Any:
            bucket = FakeBucket.update_from_cloudformation_json(
                original_resource,
                new_resource_name,
                cloudformation_json,
                account_id,
                region_name,
            )
            cls._notify(bucket.name, cloudformation_json, region_name, created=False)
            return bucket

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> None:
            """DeleteBucket: a bucket that still holds objects is not deleted (AWS:
            DELETE_FAILED, "The bucket you tried to delete is not empty"); moto's
            CloudFormation would leave it behind without a word."""
            client("s3", region_name).delete_bucket(Bucket=resource_name)

        @staticmethod
        def _notify(bucket: str, cloudformation_json: Any, region: str, created: bool) -> None:
            cfn = (cloudformation_json.get("Properties") or {}).get("NotificationConfiguration")
            if cfn is None and created:
                return
            client("s3", region).put_bucket_notification_configuration(
                Bucket=bucket,
                NotificationConfiguration=notification_configuration(cfn or {}),
            )

    return Bucket


# -- API Gateway HTTP APIs -------------------------------------------------------------------
ANY_METHOD = "x-amazon-apigateway-any-method"


def _openapi_routes(body: dict) -> list[tuple[str, dict]]:
    """(route key, x-amazon-apigateway-integration) of each operation of an OpenAPI body."""
    routes = []
    for path, operations in (body.get("paths") or {}).items():
        for method, operation in (operations or {}).items():
            integration = (operation or {}).get("x-amazon-apigateway-integration")
            if integration is None:
                continue
            verb = "ANY" if method == ANY_METHOD else method.upper()
            default = path in ("$default", "/$default")
            routes.append(("$default" if default else f"{verb} {path}", integration))
    return routes


class HttpApi(ApiResource):
    """AWS::ApiGatewayV2::Api through CreateApi, then its integrations and routes.

    SAM writes the API as an OpenAPI ``Body`` (``x-amazon-apigateway-integration``);
    each operation becomes a Lambda proxy integration and its route, as AWS imports it.
    """

    TYPE = "AWS::ApiGatewayV2::Api"
    ATTRIBUTES = ("ApiEndpoint", "ApiId")

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        api_client = client("apigatewayv2", region)
        body = openapi_body(props)
        params: dict[str, Any] = {
            "Name": props.get("Name") or (body.get("info") or {}).get("title") or name,
            "ProtocolType": props.get("ProtocolType", "HTTP"),
        }
        for optional in (
            "Description",
            "CorsConfiguration",
            "RouteSelectionExpression",
            "Target",
            "RouteKey",
            "CredentialsArn",
            "DisableExecuteApiEndpoint",
        ):
            if optional in props:
                params[optional] = props[optional]
        if "x-amazon-apigateway-cors" in body and "CorsConfiguration" not in params:
            params["CorsConfiguration"] = _cors(body["x-amazon-apigateway-cors"])
        if props.get("Tags"):
            params["Tags"] = _tags(props["Tags"])
        api = api_client.create_api(**params)
        for route_key, integration in _openapi_routes(body):
            made = api_client.create_integration(
                ApiId=api["ApiId"],
                IntegrationType=str(integration.get("type", "aws_proxy")).upper(),
                IntegrationUri=integration["uri"],
                IntegrationMethod=integration.get("httpMethod", "POST"),
                PayloadFormatVersion=str(integration.get("payloadFormatVersion", "2.0")),
            )
            api_client.create_route(
                ApiId=api["ApiId"],
                RouteKey=route_key,
                Target=f"integrations/{made['IntegrationId']}",
            )
        return api["ApiId"], {"ApiEndpoint": api["ApiEndpoint"], "ApiId": api["ApiId"]}

    def remove(self) -> None:
        client("apigatewayv2", self.region).delete_api(ApiId=self.physical_id)


def _cors(cors: dict) -> dict:
    names = {
        "allowOrigins": "AllowOrigins",
        "allowMethods": "AllowMethods",
        "allowHeaders": "AllowHeaders",
        "exposeHeaders": "ExposeHeaders",
        "maxAge": "MaxAge",
        "allowCredentials": "AllowCredentials",
    }
    return {names.get(k, k): v for k, v in cors.items()}


class HttpApiStage(ApiResource):
    """AWS::ApiGatewayV2::Stage through CreateStage."""

    TYPE = "AWS::ApiGatewayV2::Stage"

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {"ApiId": props["ApiId"], "StageName": props["StageName"]}
        for optional in (
            "AutoDeploy",
            "Description",
            "StageVariables",
            "DeploymentId",
            "DefaultRouteSettings",
            "RouteSettings",
            "AccessLogSettings",
        ):
            if optional in props:
                params[optional] = props[optional]
        client("apigatewayv2", region).create_stage(**params)
        return props["StageName"], {}

    def update(self, props: dict) -> bool:
        return (props["ApiId"], props["StageName"]) == (
            self.properties["ApiId"],
            self.properties["StageName"],
        )

    def remove(self) -> None:
        try:
            client("apigatewayv2", self.region).delete_stage(
                ApiId=self.properties["ApiId"], StageName=self.properties["StageName"]
            )
        except client("apigatewayv2", self.region).exceptions.NotFoundException:
            pass  # its API was deleted first


class HttpApiIntegration(ApiResource):
    """AWS::ApiGatewayV2::Integration through CreateIntegration."""

    TYPE = "AWS::ApiGatewayV2::Integration"
    ATTRIBUTES = ("IntegrationId",)
    FIELDS = (
        "ApiId",
        "IntegrationType",
        "IntegrationUri",
        "IntegrationMethod",
        "PayloadFormatVersion",
        "CredentialsArn",
        "TimeoutInMillis",
        "Description",
        "ConnectionType",
        "RequestParameters",
    )

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {k: props[k] for k in cls.FIELDS if k in props}
        made = client("apigatewayv2", region).create_integration(**params)
        return made["IntegrationId"], {"IntegrationId": made["IntegrationId"]}

    def remove(self) -> None:
        try:
            client("apigatewayv2", self.region).delete_integration(
                ApiId=self.properties["ApiId"], IntegrationId=self.physical_id
            )
        except client("apigatewayv2", self.region).exceptions.NotFoundException:
            pass


class HttpApiRoute(ApiResource):
    """AWS::ApiGatewayV2::Route through CreateRoute."""

    TYPE = "AWS::ApiGatewayV2::Route"
    ATTRIBUTES = ("RouteId",)
    FIELDS = ("ApiId", "RouteKey", "Target", "AuthorizationType", "OperationName")

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {k: props[k] for k in cls.FIELDS if k in props}
        made = client("apigatewayv2", region).create_route(**params)
        return made["RouteId"], {"RouteId": made["RouteId"]}

    def remove(self) -> None:
        try:
            client("apigatewayv2", self.region).delete_route(
                ApiId=self.properties["ApiId"], RouteId=self.physical_id
            )
        except client("apigatewayv2", self.region).exceptions.NotFoundException:
            pass


# -- API Gateway REST APIs -------------------------------------------------------------------
def _swagger_methods(body: dict) -> dict:
    """An OpenAPI body as moto's PutRestApi reads it.

    ``x-amazon-apigateway-any-method`` is written ``ANY``, an integration's type in
    capitals (AWS accepts ``aws_proxy``), and a Swagger 2.0 document (SAM's) is labelled
    OpenAPI 3: moto refuses 2.0, and the paths and integrations it reads are alike in both.
    """
    if "swagger" in body:
        body = {k: v for k, v in body.items() if k != "swagger"}
        body["openapi"] = "3.0.1"
    paths: dict[str, dict] = {}
    for path, operations in (body.get("paths") or {}).items():
        paths[path] = {}
        for method, operation in (operations or {}).items():
            integration = (operation or {}).get("x-amazon-apigateway-integration")
            if isinstance(integration, dict) and "type" in integration:  # AWS: any case
                integration = dict(integration, type=str(integration["type"]).upper())
                operation = dict(operation, **{"x-amazon-apigateway-integration": integration})
            paths[path]["ANY" if method == ANY_METHOD else method] = operation
    return dict(body, paths=paths)


class RestApi(ApiResource):
    """AWS::ApiGateway::RestApi through CreateRestApi and PutRestApi (its OpenAPI ``Body``).

    SAM writes a ``Type: Api`` event's API as such a body; moto's own CloudFormation
    needs a ``Name`` and ignores the body.
    """

    TYPE = "AWS::ApiGateway::RestApi"
    ATTRIBUTES = ("RootResourceId", "RestApiId")

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        api_client = client("apigateway", region)
        body = openapi_body(props)
        params: dict[str, Any] = {
            "name": props.get("Name") or (body.get("info") or {}).get("title") or name
        }
        if "Description" in props:
            params["description"] = props["Description"]
        if "EndpointConfiguration" in props:
            params["endpointConfiguration"] = {
                "types": props["EndpointConfiguration"].get("Types", ["EDGE"])
            }
        if props.get("BinaryMediaTypes"):
            params["binaryMediaTypes"] = props["BinaryMediaTypes"]
        api = api_client.create_rest_api(**params)
        if body:
            api_client.put_rest_api(
                restApiId=api["id"], mode="overwrite", body=json.dumps(_swagger_methods(body))
            )
        root = api_client.get_resources(restApiId=api["id"])["items"]
        root_id = next((r["id"] for r in root if r["path"] == "/"), "")
        return api["id"], {"RootResourceId": root_id, "RestApiId": api["id"]}

    def remove(self) -> None:
        client("apigateway", self.region).delete_rest_api(restApiId=self.physical_id)


class RestApiDeployment(ApiResource):
    """AWS::ApiGateway::Deployment through CreateDeployment (``Ref`` is its id)."""

    TYPE = "AWS::ApiGateway::Deployment"
    ATTRIBUTES = ("DeploymentId",)

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {"restApiId": props["RestApiId"]}
        if "StageName" in props:
            params["stageName"] = props["StageName"]
        if "Description" in props:
            params["description"] = props["Description"]
        made = client("apigateway", region).create_deployment(**params)
        return made["id"], {"DeploymentId": made["id"]}

    def remove(self) -> None:
        api_client = client("apigateway", self.region)
        try:
            api_client.delete_deployment(
                restApiId=self.properties["RestApiId"], deploymentId=self.physical_id
            )
        except api_client.exceptions.NotFoundException:
            pass  # its API was deleted first
        except api_client.exceptions.BadRequestException:
            pass  # a stage still uses it: deleted with its API


class RestApiStage(ApiResource):
    """AWS::ApiGateway::Stage through CreateStage (SAM's ``Prod`` stage)."""

    TYPE = "AWS::ApiGateway::Stage"

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {
            "restApiId": props["RestApiId"],
            "stageName": props["StageName"],
            "deploymentId": props["DeploymentId"],
        }
        if "Variables" in props:
            params["variables"] = props["Variables"]
        if "Description" in props:
            params["description"] = props["Description"]
        client("apigateway", region).create_stage(**params)
        return props["StageName"], {}

    def update(self, props: dict) -> bool:
        if (props["RestApiId"], props["StageName"]) != (
            self.properties["RestApiId"],
            self.properties["StageName"],
        ):
            return False
        client("apigateway", self.region).update_stage(
            restApiId=props["RestApiId"],
            stageName=props["StageName"],
            patchOperations=[
                {"op": "replace", "path": "/deploymentId", "value": props["DeploymentId"]}
            ],
        )
        return True

    def remove(self) -> None:
        api_client = client("apigateway", self.region)
        try:
            api_client.delete_stage(
                restApiId=self.properties["RestApiId"], stageName=self.properties["StageName"]
            )
        except api_client.exceptions.NotFoundException:
            pass  # its API was deleted first


# -- EventBridge Scheduler, SNS ------------------------------------------------------------
class Schedule(ApiResource):
    """AWS::Scheduler::Schedule through CreateSchedule (SAM's ``ScheduleV2``)."""

    TYPE = "AWS::Scheduler::Schedule"
    ATTRIBUTES = ("Arn",)
    FIELDS = (
        "ScheduleExpression",
        "FlexibleTimeWindow",
        "Target",
        "State",
        "Description",
        "GroupName",
        "StartDate",
        "EndDate",
        "ScheduleExpressionTimezone",
        "KmsKeyArn",
    )

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {k: props[k] for k in cls.FIELDS if k in props}
        params["Name"] = props.get("Name", name)[:64]
        made = client("scheduler", region).create_schedule(**params)
        return params["Name"], {"Arn": made["ScheduleArn"]}

    def update(self, props: dict) -> bool:
        if props.get("Name", self.physical_id) != self.physical_id:
            return False
        params = {k: props[k] for k in self.FIELDS if k in props}
        client("scheduler", self.region).update_schedule(Name=self.physical_id, **params)
        return True

    def remove(self) -> None:
        params = {"Name": self.physical_id}
        if "GroupName" in self.properties:
            params["GroupName"] = self.properties["GroupName"]
        client("scheduler", self.region).delete_schedule(**params)


class Subscription(ApiResource):
    """AWS::SNS::Subscription through Subscribe (SAM's ``Type: SNS`` events)."""

    TYPE = "AWS::SNS::Subscription"
    ATTRIBUTES = ("Arn",)
    ATTRIBUTE_PROPERTIES = (
        "FilterPolicy",
        "FilterPolicyScope",
        "RawMessageDelivery",
        "RedrivePolicy",
        "DeliveryPolicy",
    )

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        attributes = {}
        for key in cls.ATTRIBUTE_PROPERTIES:
            if key in props:
                value = props[key]
                attributes[key] = json.dumps(value) if isinstance(value, dict) else str(value)
        made = client("sns", region).subscribe(
            TopicArn=props["TopicArn"],
            Protocol=props["Protocol"],
            Endpoint=props["Endpoint"],
            Attributes=attributes,
            ReturnSubscriptionArn=True,
        )
        return made["SubscriptionArn"], {"Arn": made["SubscriptionArn"]}

    def remove(self) -> None:
        client("sns", self.region).unsubscribe(SubscriptionArn=self.physical_id)


class EventInvokeConfig(ApiResource):
    """AWS::Lambda::EventInvokeConfig through PutFunctionEventInvokeConfig (SAM's
    ``EventInvokeConfig``: retries, maximum event age, on-success and on-failure
    destinations of asynchronous invocations)."""

    TYPE = "AWS::Lambda::EventInvokeConfig"
    FIELDS = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {k: props[k] for k in cls.FIELDS if k in props}
        params["FunctionName"] = props["FunctionName"]
        if props.get("Qualifier") not in (None, "$LATEST"):
            params["Qualifier"] = props["Qualifier"]
        client("lambda", region).put_function_event_invoke_config(**params)
        return f"{_name_of(props['FunctionName'])}:{props.get('Qualifier', '$LATEST')}", {}

    def update(self, props: dict) -> bool:
        if (_name_of(props["FunctionName"]), props.get("Qualifier")) != (
            _name_of(self.properties["FunctionName"]),
            self.properties.get("Qualifier"),
        ):
            return False
        self.create(props, self.physical_id, self.region)
        return True

    def remove(self) -> None:
        params = {"FunctionName": _name_of(self.properties["FunctionName"])}
        if self.properties.get("Qualifier") not in (None, "$LATEST"):
            params["Qualifier"] = self.properties["Qualifier"]
        lam = client("lambda", self.region)
        try:
            lam.delete_function_event_invoke_config(**params)
        except lam.exceptions.ResourceNotFoundException:
            pass  # its function was deleted first


class QueuePolicy(ApiResource):
    """AWS::SQS::QueuePolicy through SetQueueAttributes (``Policy``) on each queue."""

    TYPE = "AWS::SQS::QueuePolicy"

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        sqs = client("sqs", region)
        for queue_url in props["Queues"]:
            sqs.set_queue_attributes(
                QueueUrl=queue_url, Attributes={"Policy": json.dumps(props["PolicyDocument"])}
            )
        return name, {}

    def update(self, props: dict) -> bool:
        self.remove()
        self.create(props, self.physical_id, self.region)
        return True

    def remove(self) -> None:
        sqs = client("sqs", self.region)
        for queue_url in self.properties["Queues"]:
            try:
                sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": ""})
            except sqs.exceptions.QueueDoesNotExist:
                pass


class TopicPolicy(ApiResource):
    """AWS::SNS::TopicPolicy through SetTopicAttributes (``Policy``) on each topic."""

    TYPE = "AWS::SNS::TopicPolicy"

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        sns = client("sns", region)
        for topic in props["Topics"]:
            sns.set_topic_attributes(
                TopicArn=topic,
                AttributeName="Policy",
                AttributeValue=json.dumps(props["PolicyDocument"]),
            )
        return name, {}

    def update(self, props: dict) -> bool:
        self.create(props, self.physical_id, self.region)
        return True

    def remove(self) -> None:
        """The topic keeps its last policy (AWS puts back its default one)."""


class BucketPolicy(ApiResource):
    """AWS::S3::BucketPolicy through PutBucketPolicy."""

    TYPE = "AWS::S3::BucketPolicy"

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        client("s3", region).put_bucket_policy(
            Bucket=props["Bucket"], Policy=json.dumps(props["PolicyDocument"])
        )
        return props["Bucket"], {}

    def update(self, props: dict) -> bool:
        if props["Bucket"] != self.properties["Bucket"]:
            return False
        self.create(props, self.physical_id, self.region)
        return True

    def remove(self) -> None:
        s3 = client("s3", self.region)
        try:
            s3.delete_bucket_policy(Bucket=self.properties["Bucket"])
        except s3.exceptions.NoSuchBucket:
            pass


class ScheduleGroup(ApiResource):
    """AWS::Scheduler::ScheduleGroup through CreateScheduleGroup."""

    TYPE = "AWS::Scheduler::ScheduleGroup"
    ATTRIBUTES = ("Arn",)

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        group = props.get("Name", name)[:64]
        made = client("scheduler", region).create_schedule_group(Name=group)
        return group, {"Arn": made["ScheduleGroupArn"]}

    def remove(self) -> None:
        client("scheduler", self.region).delete_schedule_group(Name=self.physical_id)


class Alarm(ApiResource):
    """AWS::CloudWatch::Alarm through PutMetricAlarm (CloudFormation's names are the API's)."""

    TYPE = "AWS::CloudWatch::Alarm"
    ATTRIBUTES = ("Arn",)
    FIELDS = (
        "AlarmDescription",
        "ActionsEnabled",
        "OKActions",
        "AlarmActions",
        "InsufficientDataActions",
        "MetricName",
        "Namespace",
        "Statistic",
        "ExtendedStatistic",
        "Dimensions",
        "Period",
        "Unit",
        "EvaluationPeriods",
        "DatapointsToAlarm",
        "Threshold",
        "ComparisonOperator",
        "TreatMissingData",
        "Metrics",
    )

    @classmethod
    def create(cls, props: dict, name: str, region: str) -> tuple[str, dict[str, Any]]:
        params = {k: props[k] for k in cls.FIELDS if k in props}
        params["AlarmName"] = props.get("AlarmName", name)
        for number in ("Period", "EvaluationPeriods", "DatapointsToAlarm"):
            if number in params:
                params[number] = int(params[number])
        if "Threshold" in params:
            params["Threshold"] = float(params["Threshold"])
        cloudwatch = client("cloudwatch", region)
        cloudwatch.put_metric_alarm(**params)
        arn = cloudwatch.describe_alarms(AlarmNames=[params["AlarmName"]])["MetricAlarms"][0]
        return params["AlarmName"], {"Arn": arn["AlarmArn"]}

    def update(self, props: dict) -> bool:
        if props.get("AlarmName", self.physical_id) != self.physical_id:
            return False
        self.create(dict(props, AlarmName=self.physical_id), self.physical_id, self.region)
        return True

    def remove(self) -> None:
        client("cloudwatch", self.region).delete_alarms(AlarmNames=[self.physical_id])


def provided() -> dict[str, type]:
    """The types this module provides, by CloudFormation type name."""
    types: list[type] = [
        Function,
        Version,
        Alias,
        FunctionUrl,
        HttpApi,
        HttpApiStage,
        HttpApiIntegration,
        HttpApiRoute,
        RestApi,
        RestApiDeployment,
        RestApiStage,
        Schedule,
        Subscription,
        EventInvokeConfig,
        QueuePolicy,
        TopicPolicy,
        BucketPolicy,
        ScheduleGroup,
        Alarm,
    ]
    provided_types = {cls.TYPE: cls for cls in types}
    provided_types["AWS::S3::Bucket"] = _bucket_class()
    return provided_types
