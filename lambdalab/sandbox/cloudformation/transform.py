"""The ``AWS::Serverless-2016-10-31`` transform, applied server-side as CloudFormation does.

On AWS, a template whose ``Transform`` names the Serverless transform (a SAM template) is
expanded by CloudFormation itself, with AWS's own translator (aws-sam-translator, the
library inside the AWS::Serverless macro and the ``sam`` CLI), before any resource is
created: ``AWS::Serverless::Function`` becomes a function, its role, its permissions,
event source mappings, rules, an HTTP API... The stack then keeps both templates:
``GetTemplate(TemplateStage="Original")`` returns what was sent, ``"Processed"`` the
expansion. Creating such a stack needs ``CAPABILITY_AUTO_EXPAND``.

https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-serverless.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
(Capabilities)

What differs from AWS: the translator runs in the sandbox, at the version pinned in
requirements.txt, which may be older or newer than the one AWS runs today. A local
``CodeUri: ./src`` is not accepted (CloudFormation never reads the learner's disk; ``sam
package`` uploads it first): use ``s3://bucket/key`` of an uploaded zip or ``InlineCode``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import boto3

SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31"


class TransformFailed(ValueError):
    """The translator refused the template; the message is the one AWS shows."""


def declared_transforms(template: dict[str, Any]) -> list[str]:
    """The template's ``Transform`` as a list (it may be a string or a list)."""
    value = template.get("Transform") if isinstance(template, dict) else None
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def needs_transform(template: dict[str, Any]) -> bool:
    return SERVERLESS_TRANSFORM in declared_transforms(template)


@functools.cache
def managed_policies() -> dict[str, str]:
    """AWS managed policy names and ARNs (``AmazonS3ReadOnlyAccess`` -> its ARN).

    The translator turns a policy name in ``Policies:`` into an ARN with this map; AWS
    lists IAM's managed policies for it. moto ships the same list, read here instead.
    """
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    policies = json.loads(aws_managed_policies_data)
    return {
        name: f"arn:aws:iam::aws:policy{policy.get('Path', '/')}{name}"
        for name, policy in policies.items()
    }


def expand(template: dict[str, Any], parameters: dict[str, Any], region: str) -> dict[str, Any]:
    """The processed template: the SAM template run through AWS's translator.

    Raises :class:`TransformFailed` with the translator's own words ("Resource with id
    [Fn] is invalid. ...") when the template is not valid SAM.
    """
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=region))
    try:
        processed = translator.translate(
            json.loads(json.dumps(template)),  # the translator edits what it is given
            parameter_values=dict(parameters),
            get_managed_policy_map=managed_policies,
        )
    except InvalidDocumentException as error:
        causes = " ".join(cause.message for cause in error.causes)
        raise TransformFailed(
            with_hint(f"Transform {SERVERLESS_TRANSFORM} failed with: {error.message} {causes}")
        ) from None
    except Exception as error:  # noqa: BLE001 - the translator's bug or ours, said as AWS does
        raise TransformFailed(f"Transform {SERVERLESS_TRANSFORM} failed with: {error}") from None
    finally:
        # The translator counts its work for CloudWatch (a dummy publisher offline) and
        # logs a warning into the notebook if the count is never "published".
        translator.metrics.publish()
    return processed


LOCAL_CODE_HINT = (
    " (Lambda Lab: CloudFormation never reads your disk. Zip the code, upload it with "
    "boto3.client('s3').upload_file(...) and write CodeUri: s3://bucket/key, which is "
    "what `sam package` and `sam deploy` do for you; or use InlineCode for a small handler.)"
)


def with_hint(message: str) -> str:
    """The translator's message, with what to do when the cause is a local CodeUri."""
    if "S3 Uri" in message or "'CodeUri'" in message or "'ContentUri'" in message:
        return message + LOCAL_CODE_HINT
    return message
