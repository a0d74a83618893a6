"""Stack operations as CloudFormation runs them: all or nothing, each step an event.

moto's CloudFormation creates what it can and skips the rest: a resource type it does
not know is left out with a warning (a silent half stack), and a failure inside a
resource is an HTTP 500 that leaves the stack ``CREATE_IN_PROGRESS`` forever. AWS does
this instead, and so does the sandbox with this module:

* **CreateStack / UpdateStack / CreateChangeSet** expand a SAM template first
  (:mod:`.transform`), which needs ``CAPABILITY_AUTO_EXPAND``; a template that creates
  IAM resources needs ``CAPABILITY_IAM`` (``CAPABILITY_NAMED_IAM`` when they are
  named). Without them the call fails with ``InsufficientCapabilitiesException``
  ("Requires capabilities : [CAPABILITY_IAM]").
* **Every resource's step is an event** (``DescribeStackEvents``):
  ``CREATE_IN_PROGRESS`` then ``CREATE_COMPLETE`` or ``CREATE_FAILED`` with its reason;
  the same for updates and deletions.
* **A failure rolls the stack back.** The failed resource's event says why; the
  stack's ``StackStatusReason`` names it ("The following resource(s) failed to create:
  [Fn]."), what was created is deleted again, and the stack ends ``ROLLBACK_COMPLETE``
  (an update: ``UPDATE_ROLLBACK_COMPLETE``, the previous template back in place).
  A resource type the sandbox cannot create fails the stack *before* anything is
  created, with a reason that names the resource and its type.
* **Outputs that are an API's or a function URL's address** (``https://<api-id>.
  execute-api.<region>.amazonaws.com/<stage>``, ``https://<id>.lambda-url.<region>.on.aws``)
  are given as the address the sandbox serves them on (``sb.url``), so that a test can
  call what the stack says. (Not AWS: README, "What differs from AWS".)

https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-failure-options.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any

from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation.exceptions import CloudFormationError, ValidationError

from . import resources, transform

IAM_TYPES = (
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::User",
    "AWS::IAM::Group",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::AccessKey",
    "AWS::IAM::UserToGroupAddition",
)
IAM_NAMES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
}
EXECUTE_API = re.compile(
    r"^https://(?P<id>[a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?P<rest>/.*)?$"
)
LAMBDA_URL = re.compile(
    r"^https://(?P<id>[a-z0-9]+)\.lambda-url\.[a-z0-9-]+\.on\.aws(?P<rest>/.*)?$"
)

NO_OUTPUTS = (
    "CREATE_PENDING",
    "CREATE_IN_PROGRESS",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_COMPLETE",
    "ROLLBACK_FAILED",
    "DELETE_IN_PROGRESS",
    "DELETE_COMPLETE",
)
_request = threading.local()  # .capabilities: those of the request being handled
_saved: dict[tuple[Any, str], Any] = {}
_local_url: dict[str, Callable[..., str]] = {}


class InsufficientCapabilities(CloudFormationError):
    code = "InsufficientCapabilitiesException"


class ResourceFailed(Exception):
    """A resource could not be created, updated or deleted; ``reason`` says why."""

    def __init__(self, logical_id: str, resource_type: str, reason: str) -> None:
        super().__init__(f"{logical_id} ({resource_type}): {reason}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.reason = reason


# -- templates ------------------------------------------------------------------------------
def parse(template: Any) -> dict[str, Any]:
    """A template body (YAML with CloudFormation's short forms, or JSON) as a dict."""
    if isinstance(template, dict):
        return template
    try:
        parsed = cfn_models.Stack.parse_template(template)
    except Exception as error:  # noqa: BLE001 - AWS's words for a template it cannot read
        raise ValidationError(message=f"Template format error: {error}") from None
    if not isinstance(parsed, dict):
        raise ValidationError(message="Template format error: JSON not well-formed.")
    return parsed


def required_capabilities(template: dict[str, Any], transformed: bool) -> list[str]:
    """The capabilities AWS requires before it creates this (processed) template."""
    needed = []
    iam = [r for r in (template.get("Resources") or {}).values() if r.get("Type") in IAM_TYPES]
    named = [r for r in iam if IAM_NAMES.get(r["Type"]) in (r.get("Properties") or {})]
    if named:
        needed.append("CAPABILITY_NAMED_IAM")
    elif iam:
        needed.append("CAPABILITY_IAM")
    if transformed:
        needed.append("CAPABILITY_AUTO_EXPAND")
    return needed


def check_capabilities(template: dict[str, Any], transformed: bool) -> None:
    given = set(getattr(_request, "capabilities", None) or ())
    missing = [c for c in required_capabilities(template, transformed) if c not in given]
    if "CAPABILITY_IAM" in missing and "CAPABILITY_NAMED_IAM" in given:
        missing.remove("CAPABILITY_IAM")
    if missing:
        raise InsufficientCapabilities(f"Requires capabilities : [{', '.join(missing)}]")


def unsupported(template: dict[str, Any]) -> tuple[str, str] | None:
    """The first resource (logical id, type) the sandbox cannot create, if any."""
    known = parsing.get_model_map()
    for logical_id, resource in (template.get("Resources") or {}).items():
        kind = resource.get("Type", "")
        if kind in known or kind in parsing.NULL_MODELS or kind.startswith("Custom::"):
            continue
        return logical_id, kind
    return None


def unsupported_reason(kind: str) -> str:
    return (
        f"Lambda Lab's sandbox cannot create resources of type {kind} (moto's CloudFormation "
        "does not support it, nor does the sandbox), so this stack cannot be created offline."
        " Remove the resource, or see README, 'What differs from AWS'."
    )


def prepare(body: Any, parameters: dict[str, Any], region: str) -> tuple[dict, str | None]:
    """(processed template, failure) for a template body: the transform applied.

    Capabilities are checked here (the call fails); a template the transform refuses
    gives a failure reason instead (the stack fails, as on AWS).
    """
    template = parse(body)
    transformed = transform.needs_transform(template)
    if transformed:
        given = set(getattr(_request, "capabilities", None) or ())
        if "CAPABILITY_AUTO_EXPAND" not in given:
            raise InsufficientCapabilities("Requires capabilities : [CAPABILITY_AUTO_EXPAND]")
        try:
            template = transform.expand(template, parameters, region)
        except transform.TransformFailed as failed:
            return template, str(failed)
    check_capabilities(template, transformed)
    return template, None


# -- events -----------------------------------------------------------------------------------
def _event(
    stack: Any,
    logical_id: str,
    kind: str,
    status: str,
    reason: str | None = None,
    physical_id: str = "",
) -> None:
    stack.events.append(
        cfn_models.Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=physical_id,
            resource_type=kind,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
    )


def _stack_of(resources_map: Any) -> Any:
    backend = cfn_models.cloudformation_backends[resources_map._account_id][
        resources_map._region_name
    ]
    return backend.stacks.get(resources_map.stack_id)


def _reason(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    response = getattr(error, "response", None)
    if isinstance(response, dict) and "Error" in response:  # a service's API refused it
        code = response["Error"].get("Code", "")
        said = response["Error"].get("Message", "")
        message = f'Resource handler returned message: "{said}" (ErrorCode: {code})'
    elif not isinstance(error, (CloudFormationError, ValueError)):
        message = (
            f"Lambda Lab's sandbox could not do this ({type(error).__name__}: {message}); "
            "a property it does not support offline is the likely cause."
        )
    return message


def _create_resource(original: Callable) -> Callable:
    def create(
        logical_id: str, resource_json: dict, resources_map: Any, account_id: str, region_name: str
    ) -> Any:
        stack = _stack_of(resources_map)
        kind = resource_json.get("Type", "")
        condition = resource_json.get("Condition")
        if stack is None or (condition and not resources_map.lazy_condition_map[condition]):
            return original(logical_id, resource_json, resources_map, account_id, region_name)
        _event(stack, logical_id, kind, "CREATE_IN_PROGRESS")
        try:
            made = original(logical_id, resource_json, resources_map, account_id, region_name)
        except ResourceFailed:
            raise
        except Exception as error:  # noqa: BLE001 - every failure fails the stack, said
            raise ResourceFailed(logical_id, kind, _reason(error)) from error
        physical = str(getattr(made, "physical_resource_id", "") or "")
        _event(stack, logical_id, kind, "CREATE_COMPLETE", physical_id=physical)
        return made

    return create


def _update_resource(original: Callable) -> Callable:
    def update(
        logical_id: str, resource_json: dict, resources_map: Any, account_id: str, region_name: str
    ) -> Any:
        stack = _stack_of(resources_map)
        kind = resource_json.get("Type", "")
        if stack is not None:
            _event(stack, logical_id, kind, "UPDATE_IN_PROGRESS")
        try:
            made = original(logical_id, resource_json, resources_map, account_id, region_name)
        except ResourceFailed:
            raise
        except Exception as error:  # noqa: BLE001
            raise ResourceFailed(logical_id, kind, _reason(error)) from error
        if stack is not None:
            physical = str(getattr(made, "physical_resource_id", "") or "")
            _event(stack, logical_id, kind, "UPDATE_COMPLETE", physical_id=physical)
        return made

    return update


def _delete_resource(original: Callable) -> Callable:
    def delete(self: Any, parsed_resource: Any, resource_json: dict) -> None:
        stack = _stack_of(self)
        logical_id = getattr(parsed_resource, "logical_resource_id", "")
        kind = resource_json.get("Type", "")
        physical = str(getattr(parsed_resource, "physical_resource_id", "") or "")
        if resource_json.get("DeletionPolicy") == "Retain":  # kept, as AWS keeps it
            if stack is not None:
                _event(stack, logical_id, kind, "DELETE_SKIPPED", physical_id=physical)
            return
        if stack is not None:
            _event(stack, logical_id, kind, "DELETE_IN_PROGRESS", physical_id=physical)
        try:
            original(self, parsed_resource, resource_json)
        except Exception as error:
            if stack is not None:
                _event(stack, logical_id, kind, "DELETE_FAILED", _reason(error), physical)
            raise ResourceFailed(logical_id, kind, _reason(error)) from error
        if stack is not None:
            _event(stack, logical_id, kind, "DELETE_COMPLETE", physical_id=physical)

    return delete


# -- update order ---------------------------------------------------------------------------
def references(value: Any, names: set[str]) -> set[str]:
    """The resources a resource's JSON refers to (Ref, Fn::GetAtt, Fn::Sub's ${X})."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str) and inner in names:
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                if target in names:
                    found.add(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                for name in re.findall(r"\$\{([^}!.]+)", str(text)):
                    if name in names:
                        found.add(name)
                if isinstance(inner, list) and len(inner) > 1:
                    found |= references(inner[1], names)
            else:
                found |= references(inner, names)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner, names)
    return found


def dependency_order(resources_json: dict[str, Any]) -> list[str]:
    """Logical ids, each after the resources it refers to or depends on."""
    names = set(resources_json)
    needs = {}
    for name, resource in resources_json.items():
        depends = resource.get("DependsOn") or []
        depends = [depends] if isinstance(depends, str) else list(depends)
        needs[name] = (references(resource.get("Properties", {}), names) | set(depends)) - {name}
    ordered: list[str] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...]) -> None:
        if name in placed or name in path:
            return
        for dependency in sorted(needs.get(name, ())):
            place(dependency, (*path, name))
        placed.add(name)
        ordered.append(name)

    for name in resources_json:
        place(name, ())
    return ordered


def _update_in_order(self: Any, template: dict[str, Any], parameters: dict | None = None) -> None:
    """ResourceMap.update as CloudFormation orders it: each resource created or updated
    after those it refers to (a new version after its function's new code), and the
    resources no longer in the template deleted last (the cleanup phase)."""
    actions = self.build_resource_diff(template, parameters)
    old_resources = self._resource_json_map
    self._template = template
    if parameters:
        self.input_parameters = parameters
    self.load_mapping()
    self.load_parameters()
    self.load_conditions()
    self._resource_json_map = template["Resources"]
    for logical_id in dependency_order(template["Resources"]):
        if logical_id in actions["Add"]:
            _ = self[logical_id]
        elif logical_id in actions["Modify"]:
            changed = parsing.parse_and_update_resource(
                logical_id,
                template["Resources"][logical_id],
                self,
                account_id=self._account_id,
                region_name=self._region_name,
            )
            if changed is not None:
                self._parsed_resources[logical_id] = changed
    for logical_id in reversed(dependency_order(old_resources)):
        if logical_id in actions["Remove"] and logical_id in self._parsed_resources:
            resource = self._parsed_resources[logical_id]
            if hasattr(resource, "physical_resource_id") or hasattr(resource, "delete"):
                self._delete_resource(resource, old_resources[logical_id])
            self._parsed_resources.pop(logical_id, None)


# -- stack operations ------------------------------------------------------------------------
def failed_to_create(logical_id: str) -> str:
    """The stack's StackStatusReason after a failed create, in AWS's words."""
    return (
        f"The following resource(s) failed to create: [{logical_id}]. Rollback requested by user."
    )


def _set_status(stack: Any, status: str, reason: str | None = None) -> None:
    stack.status = status
    stack.stack_status_reason = reason
    stack._add_stack_event(status, resource_status_reason=reason)


def _roll_back(backend: Any, stack: Any, failure: ResourceFailed) -> None:
    """CREATE_FAILED for the resource, then delete what was created: ROLLBACK_COMPLETE."""
    if not any(
        e.logical_resource_id == failure.logical_id and e.resource_status == "CREATE_FAILED"
        for e in stack.events
    ):
        _event(stack, failure.logical_id, failure.resource_type, "CREATE_FAILED", failure.reason)
    reason = failed_to_create(failure.logical_id)
    _set_status(stack, "ROLLBACK_IN_PROGRESS", reason)
    for name, export in list(backend.exports.items()):
        if export.exporting_stack_id == stack.stack_id:
            backend.exports.pop(name, None)
    try:
        stack.resource_map.delete()
    except Exception as error:  # noqa: BLE001
        _set_status(stack, "ROLLBACK_FAILED", f"{reason} Rollback failed: {_reason(error)}")
        return
    _forget_resources(stack)
    stack.status = "ROLLBACK_COMPLETE"
    stack._add_stack_event("ROLLBACK_COMPLETE")


def _forget_resources(stack: Any) -> None:
    """A rolled-back stack holds no resource; moto would create them again when asked
    for its resources or outputs (its resource map creates what it is asked for)."""
    stack.resource_map._resource_json_map = {}
    stack.resource_map._parsed_resources = {
        k: v
        for k, v in stack.resource_map._parsed_resources.items()
        if not hasattr(v, "physical_resource_id")
    }
    stack.output_map._output_json_map = {}


def _empty_stack(backend: Any, name: str, body: Any, parameters: dict, kwargs: dict) -> Any:
    """A stack that holds no resource: one that failed before any could be created."""
    stack = cfn_models.Stack(
        stack_id=cfn_models.generate_stack_id(name, backend.region_name, backend.account_id),
        name=name,
        template={},
        parameters=parameters,
        account_id=backend.account_id,
        region_name=backend.region_name,
        notification_arns=kwargs.get("notification_arns"),
        tags=kwargs.get("tags"),
        role_arn=kwargs.get("role_arn"),
    )
    stack.template = body
    backend.stacks[stack.stack_id] = stack
    stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
    return stack


def _fail_before_creating(stack: Any, logical_id: str, kind: str, reason: str) -> None:
    _event(stack, logical_id, kind, "CREATE_FAILED", reason)
    summary = (
        f"The following resource(s) failed to create: [{logical_id}]. Rollback requested by user."
    )
    _set_status(stack, "ROLLBACK_IN_PROGRESS", summary)
    stack.status = "ROLLBACK_COMPLETE"
    stack._add_stack_event("ROLLBACK_COMPLETE")


def create_stack(original: Callable) -> Callable:
    def create(self: Any, name: str, template: str, parameters: dict, **kwargs: Any) -> Any:
        if any(s.name == name for s in self.stacks.values()):
            from moto.cloudformation.exceptions import AlreadyExistsException

            raise AlreadyExistsException(f"Stack [{name}] already exists")
        processed, failure = prepare(template, parameters, self.region_name)
        if failure is not None:  # the transform refused the template
            stack = _empty_stack(self, name, template, parameters, kwargs)
            stack.status = "ROLLBACK_IN_PROGRESS"
            stack.stack_status_reason = failure
            stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=failure)
            stack.status = "ROLLBACK_COMPLETE"
            stack._add_stack_event("ROLLBACK_COMPLETE")
            return stack
        missing = unsupported(processed)
        if missing is not None:
            stack = _empty_stack(self, name, template, parameters, kwargs)
            _fail_before_creating(stack, missing[0], missing[1], unsupported_reason(missing[1]))
            return stack
        try:
            stack = original(self, name, json.dumps(processed), parameters, **kwargs)
        except ResourceFailed as failed:
            stack = next((s for s in self.stacks.values() if s.name == name), None)
            if stack is None:
                stack = _empty_stack(self, name, template, parameters, kwargs)
            _roll_back(self, stack, failed)
        stack.processed_template = json.dumps(processed)
        stack.template = template
        return stack

    return create


def update_stack(original: Callable) -> Callable:
    def update(
        self: Any, name: str, template: str, role_arn: Any, parameters: list, tags: Any
    ) -> Any:
        stack = self.get_stack(name)
        values = dict(stack.parameters or {})
        for item in parameters or []:
            if "ParameterValue" in item:
                values[item["ParameterKey"]] = item["ParameterValue"]
        if parse(template) == parse(stack.template) and values == dict(stack.parameters or {}):
            raise ValidationError(name, message="No updates are to be performed.")
        processed, failure = prepare(template, values, self.region_name)
        previous = (stack.template, getattr(stack, "processed_template", stack.template))
        if failure is None:
            missing = unsupported(processed)
            if missing is not None:
                _event(
                    stack, missing[0], missing[1], "UPDATE_FAILED", unsupported_reason(missing[1])
                )
                failure = f"The following resource(s) failed to update: [{missing[0]}]."
        if failure is not None:
            stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
            _set_status(stack, "UPDATE_ROLLBACK_IN_PROGRESS", failure)
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
            return stack
        try:
            try:
                original(self, name, json.dumps(processed), role_arn, parameters, tags)
            except ResourceFailed:
                raise
            except CloudFormationError:
                raise  # refused as a request (a parameter missing...): nothing changed
            except Exception as error:  # noqa: BLE001 - moto's own failure, said
                raise ResourceFailed(name, "AWS::CloudFormation::Stack", _reason(error)) from error
        except ResourceFailed as failed:
            _event(stack, failed.logical_id, failed.resource_type, "UPDATE_FAILED", failed.reason)
            reason = f"The following resource(s) failed to update: [{failed.logical_id}]."
            _set_status(stack, "UPDATE_ROLLBACK_IN_PROGRESS", reason)
            try:
                stack.template = previous[1]
                stack._parse_template()
                stack.resource_map.update(stack.template_dict, None)
                stack.output_map = stack._create_output_map()
            except Exception as error:  # noqa: BLE001
                _set_status(stack, "UPDATE_ROLLBACK_FAILED", f"{reason} {_reason(error)}")
                stack.template = previous[0]
                return stack
            stack.template = previous[0]
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
            return stack
        stack.processed_template = json.dumps(processed)
        stack.template = template
        stack.stack_status_reason = None
        return stack

    return update


def delete_stack(original: Callable) -> Callable:
    def delete(self: Any, name_or_stack_id: str) -> None:
        stack = next(
            (s for s in self.stacks.values() if name_or_stack_id in (s.name, s.stack_id)), None
        )
        try:
            original(self, name_or_stack_id)
        except Exception as error:  # noqa: BLE001 - DELETE_FAILED, the stack kept, as AWS
            if stack is None:
                raise
            self.stacks[stack.stack_id] = stack  # moto took it out before deleting
            self.deleted_stacks.pop(stack.stack_id, None)
            failed = error.reason if isinstance(error, ResourceFailed) else _reason(error)
            where = f" [{error.logical_id}]" if isinstance(error, ResourceFailed) else ""
            _set_status(
                stack,
                "DELETE_FAILED",
                f"The following resource(s) failed to delete:{where}. {failed}",
            )

    return delete


def create_change_set(original: Callable) -> Callable:
    """CreateChangeSet: the transform applied; a template it refuses, or a resource the
    sandbox cannot create, gives a FAILED change set with the reason, as on AWS."""

    def create(
        self: Any,
        stack_name: str,
        change_set_name: str,
        template: str,
        parameters: dict,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        processed, failure = prepare(template, parameters, self.region_name)
        if failure is None and (missing := unsupported(processed)) is not None:
            failure = f"{missing[0]}: {unsupported_reason(missing[1])}"
        body = json.dumps(processed if failure is None else {"Resources": {}})
        change_set_id, stack_id = original(
            self, stack_name, change_set_name, body, parameters, *args, **kwargs
        )
        change_set = self.change_sets[change_set_id]
        change_set.original_template = template
        change_set.capabilities = list(getattr(_request, "capabilities", None) or [])
        stack = self.stacks[stack_id]
        unchanged = (
            change_set.change_set_type == "UPDATE"
            and parse(stack.template) == parse(template)
            and stack.parameters == parameters
        )
        if failure is not None or unchanged:
            change_set.status = "FAILED"
            change_set.execution_status = "UNAVAILABLE"
            change_set.status_reason = failure or (
                "The submitted information didn't contain changes. "
                "Submit different information to create a change set."
            )
        return change_set_id, stack_id

    return create


def execute_change_set(original: Callable) -> Callable:
    """ExecuteChangeSet as CreateStack or UpdateStack run it: events, rollback, outputs."""

    def execute(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.describe_change_set(change_set_name)
        if change_set.execution_status != "AVAILABLE":
            raise ValidationError(
                message=f"ChangeSet [{change_set.change_set_id}] cannot be executed in its "
                f"current status of [{change_set.status}]"
            )
        stack = self.stacks[change_set.stack_id]
        body = getattr(change_set, "original_template", change_set.template)
        _request.capabilities = getattr(change_set, "capabilities", [])
        try:
            if change_set.change_set_type == "CREATE":
                _execute_create(self, stack, change_set, body)
            else:
                values = [
                    {"ParameterKey": k, "ParameterValue": v}
                    for k, v in (change_set.parameters or {}).items()
                ]
                self.update_stack(stack.name, body, change_set.role_arn, values, None)
        finally:
            _request.capabilities = None
        change_set.execution_status = "EXECUTE_COMPLETE"

    return execute


def _execute_create(backend: Any, stack: Any, change_set: Any, body: str) -> None:
    """Create the resources of a stack made in REVIEW_IN_PROGRESS by a change set."""
    stack.template = change_set.template
    stack._parse_template()
    stack.parameters = change_set.parameters
    stack.description = stack.template_dict.get("Description")
    try:
        stack.resource_map = stack._create_resource_map()
        stack.output_map = stack._create_output_map()
        stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
        stack.create_resources()
        for export in stack.exports:
            backend.exports[export.name] = export
    except ResourceFailed as failed:
        _roll_back(backend, stack, failed)
    stack.processed_template = change_set.template
    stack.template = body


def _template_stage(original: Callable) -> Callable:
    """GetTemplate with ``TemplateStage``: ``Original`` (what was sent) or ``Processed``."""

    def get_template(self: Any) -> Any:
        if self._get_param("TemplateStage") == "Processed":
            stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
            body = getattr(stack, "processed_template", None)
            if body is not None:
                from moto.core.responses import ActionResult

                return ActionResult(
                    {"TemplateBody": body, "StagesAvailable": ["Original", "Processed"]}
                )
        return original(self)

    return get_template


def _with_capabilities(original: Callable) -> Callable:
    def handle(self: Any) -> Any:
        _request.capabilities = self._get_param("Capabilities", []) or []
        if original.__name__ == "create_change_set" and not self._get_param("ChangeSetType"):
            # AWS's default is UPDATE (moto's, CREATE: a second stack of the same name)
            get_param = self._get_param
            self._get_param = lambda name, if_none=None: (
                "UPDATE" if name == "ChangeSetType" else get_param(name, if_none)
            )
        try:
            return original(self)
        finally:
            _request.capabilities = None

    return handle


# -- outputs ----------------------------------------------------------------------------------
def local_address(value: Any) -> Any:
    """An API's or function URL's AWS address as the one the sandbox serves, else as is."""
    url = _local_url.get("url")
    if url is None or not isinstance(value, str):
        return value
    match = EXECUTE_API.match(value)
    if match:
        rest = match.group("rest") or ""
        stage = rest.strip("/").split("/", 1)[0] or None
        try:
            base = url(match.group("id"), stage)
        except Exception:  # noqa: BLE001 - not one of the sandbox's APIs: left as is
            try:
                base, stage = url(match.group("id")), None
            except Exception:  # noqa: BLE001
                return value
        tail = rest[len(stage) + 1 :] if stage and base.rstrip("/").endswith(stage) else rest
        return base.rstrip("/") + (tail or "/")
    match = LAMBDA_URL.match(value)
    if match:
        function = _function_with_url(match.group(0).split("/")[2])
        if function is None:
            return value
        try:
            return url(function).rstrip("/") + (match.group("rest") or "/")
        except Exception:  # noqa: BLE001
            return value
    return value


def _function_with_url(host: str) -> str | None:
    from moto.awslambda.models import lambda_backends

    for regions in lambda_backends.values():
        for backend in regions.values():
            for fn in backend.list_functions():
                config = getattr(fn, "url_config", None)
                if config is not None and host in getattr(config, "url", ""):
                    return fn.function_arn
    return None


def _outputs(original: property) -> property:
    def outputs(self: Any) -> Any:
        if self.status in NO_OUTPUTS:
            return None
        found = original.fget(self)
        if not found:
            return found
        return [dict(o, OutputValue=local_address(o.get("OutputValue"))) for o in found]

    return property(outputs)


# -- what this module relies on in moto ------------------------------------------------------
MOTO_NAMES = (
    "moto.cloudformation.parsing.get_model_map",
    "moto.cloudformation.parsing.NULL_MODELS",
    "moto.cloudformation.parsing.parse_and_create_resource",
    "moto.cloudformation.parsing.parse_and_update_resource",
    "moto.cloudformation.parsing.ResourceMap._delete_resource",
    "moto.cloudformation.parsing.ResourceMap.build_resource_diff",
    "moto.cloudformation.parsing.ResourceMap.load_conditions",
    "moto.cloudformation.models.Stack.parse_template",
    "moto.cloudformation.models.Stack.outputs",
    "moto.cloudformation.models.Stack._add_stack_event",
    "moto.cloudformation.models.Event",
    "moto.cloudformation.models.generate_stack_id",
    "moto.cloudformation.models.CloudFormationBackend.create_stack",
    "moto.cloudformation.models.CloudFormationBackend.update_stack",
    "moto.cloudformation.models.CloudFormationBackend.delete_stack",
    "moto.cloudformation.models.CloudFormationBackend.create_change_set",
    "moto.cloudformation.models.CloudFormationBackend.execute_change_set",
    "moto.cloudformation.responses.CloudFormationResponse.get_template",
    "moto.moto_server.werkzeug_app.DomainDispatcherApplication.get_application",
)


def missing_moto_names() -> list[str]:
    """The names above that this moto lacks (tests/unit/sandbox/test_cloudformation.py)."""
    import importlib

    missing = []
    for dotted in MOTO_NAMES:
        parts = dotted.split(".")
        for split in range(len(parts) - 1, 0, -1):
            try:
                found: Any = importlib.import_module(".".join(parts[:split]))
            except ImportError:
                continue
            try:
                for attribute in parts[split:]:
                    found = getattr(found, attribute)
            except AttributeError:
                missing.append(dotted)
            break
        else:
            missing.append(dotted)
    return missing


# -- install ----------------------------------------------------------------------------------
def _patch(owner: Any, name: str, replacement: Any) -> None:
    _saved.setdefault(
        (owner, name), owner.__dict__[name] if name in owner.__dict__ else getattr(owner, name)
    )
    setattr(owner, name, replacement)


def install(endpoint_url: str, local_url: Callable[..., str] | None = None) -> None:
    """Make moto's CloudFormation run stacks as AWS does (see the module's docstring)."""
    uninstall()
    resources.configure(endpoint_url)
    if local_url is not None:
        _local_url["url"] = local_url
    model_map = parsing.get_model_map()
    for kind, cls in resources.provided().items():
        _saved.setdefault(("model_map", kind), model_map.get(kind))
        model_map[kind] = cls
    backend = cfn_models.CloudFormationBackend
    _patch(backend, "create_stack", create_stack(backend.create_stack))
    _patch(backend, "update_stack", update_stack(backend.update_stack))
    _patch(backend, "delete_stack", delete_stack(backend.delete_stack))
    _patch(backend, "create_change_set", create_change_set(backend.create_change_set))
    _patch(backend, "execute_change_set", execute_change_set(backend.execute_change_set))
    _patch(
        parsing, "parse_and_create_resource", _create_resource(parsing.parse_and_create_resource)
    )
    _patch(
        parsing, "parse_and_update_resource", _update_resource(parsing.parse_and_update_resource)
    )
    _patch(
        parsing.ResourceMap,
        "_delete_resource",
        _delete_resource(parsing.ResourceMap._delete_resource),
    )
    _patch(parsing.ResourceMap, "update", _update_in_order)
    _patch(cfn_models.Stack, "outputs", _outputs(cfn_models.Stack.outputs))
    response = cfn_responses.CloudFormationResponse
    for action in ("create_stack", "update_stack", "create_change_set"):
        _patch(response, action, _with_capabilities(getattr(response, action)))
    _patch(response, "get_template", _template_stage(response.get_template))


def uninstall() -> None:
    model_map = parsing.get_model_map()
    for (owner, name), original in list(_saved.items()):
        if owner == "model_map":
            if original is None:
                model_map.pop(name, None)
            else:
                model_map[name] = original
        else:
            setattr(owner, name, original)
    _saved.clear()
    _local_url.clear()
