"""CloudFormation in the sandbox: stacks deployed as AWS deploys them, SAM templates included.

moto keeps CloudFormation's stacks, resolves their intrinsic functions and creates the
resources it knows; this package completes it for what a Lambda course deploys:

- :mod:`.transform`: the ``AWS::Serverless-2016-10-31`` transform (a SAM template),
  applied server-side with AWS's own translator (aws-sam-translator);
- :mod:`.stacks`: create, update and delete all or nothing, each resource's step an
  event, a failure rolled back with its reason, capabilities checked, API addresses in
  outputs served by the sandbox;
- :mod:`.resources`: the resource types moto lacks or half does (functions with all
  their properties, bucket notifications, aliases, function URLs, HTTP APIs, Scheduler
  schedules, SNS subscriptions), each created through its service's API.

Example
-------
>>> cfn = boto3.client("cloudformation")                            # doctest: +SKIP
>>> cfn.create_stack(StackName="app", TemplateBody=open("template.yaml").read(),
...                  Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["install", "install_on_first_use", "uninstall"]
SERVICE = "cloudformation"


def install(endpoint_url: str, local_url: Callable[..., str] | None = None) -> None:
    """Complete moto's CloudFormation; ``local_url(api_id_or_function, stage)`` is ``sb.url``."""
    from . import stacks

    stacks.install(endpoint_url, local_url)


def install_on_first_use(
    dispatcher: Any, endpoint_url: str, local_url: Callable[..., str] | None = None
) -> None:
    """Install when moto's server first serves CloudFormation, not before.

    Importing moto's CloudFormation imports some thirty of moto's services (about 1.5 s
    and 120 MB), which a lesson that never deploys a stack should not pay for.
    ``dispatcher`` is moto's ``DomainDispatcherApplication``: it creates each service's
    application on its first request, through ``create_app(service)``.
    """
    create_app = dispatcher.create_app

    def create_app_completed(service: Any) -> Any:
        if service == SERVICE:
            install(endpoint_url, local_url)
        return create_app(service)

    dispatcher.create_app = create_app_completed


def uninstall() -> None:
    stacks = sys.modules.get(f"{__name__}.stacks")
    if stacks is not None:
        stacks.uninstall()
