"""Exercise 03.2 judges where download-link creates its S3 client, not how fast it runs.

The check counts the clients the deployed function creates at init and in each warm
invocation (lambdalab.course.client_reuse): right answers in several shapes pass, a new
client per invocation in any shape is named with the line that creates it, and the
function is left as it was (handler, layers, variables; no layer left behind).
"""

from __future__ import annotations

import pytest

from lambdalab.course.checks import check
from lambdalab.course.client_reuse import LAYER

PRESIGN = """
    key = event.get("key", "daily.csv")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "reports", "Key": key}, ExpiresIn=300
    )
    return {"url": url}
"""

RIGHT = {
    "a client at module level": """
import boto3

s3 = boto3.client("s3")


def handler(event, context):""",
    "a client created lazily on the first invocation, kept in a global": """
import boto3

s3 = None


def handler(event, context):
    global s3
    if s3 is None:
        s3 = boto3.client("s3")""",
    "a resource at module level, its client used in the handler": """
import boto3

bucket = boto3.resource("s3").Bucket("reports")


def handler(event, context):
    s3 = bucket.meta.client""",
    "a session at module level and its client": """
import boto3

s3 = boto3.session.Session().client("s3")


def handler(event, context):""",
}

#: (code, phrases the feedback must hold)
WRONG = {
    "a client per invocation": (
        """
import boto3


def handler(event, context):
    s3 = boto3.client("s3")""",
        ["creates the client on every invocation", "2 warm invocations created 2 new S3 clients",
         'app.py line 5: s3 = boto3.client("s3")'],
    ),
    "a resource at module level and a client per invocation": (
        """
import boto3

bucket = boto3.resource("s3").Bucket("reports")


def handler(event, context):
    s3 = boto3.client("s3")""",
        ["creates the client on every invocation", "app.py line 7",
         "S3 resource created at init (at app.py line 3", "never used"],
    ),
    "a client made by a helper the handler calls": (
        """
import boto3


def s3_client():
    return boto3.client("s3")


def handler(event, context):
    s3 = s3_client()""",
        ["creates the client on every invocation", 'app.py line 5: return boto3.client("s3")'],
    ),
    "a session per invocation": (
        """
import boto3


def handler(event, context):
    session = boto3.session.Session()
    s3 = session.client("s3")""",
        ["creates the client on every invocation", "app.py line 6"],
    ),
    "a client at init never used, one per invocation used": (
        """
import boto3

s3_unused = boto3.client("s3")


def handler(event, context):
    s3 = boto3.client("s3")""",
        ["creates the client on every invocation", "app.py line 7",
         "S3 client created at init (at app.py line 3", "never used"],
    ),
    "a client at init never used, the lazy one used": (
        """
import boto3

s3_unused = boto3.client("s3")
s3 = None


def handler(event, context):
    global s3
    if s3 is None:
        s3 = boto3.client("s3")""",
        ["S3 client created at init (at app.py line 3", "never used"],
    ),
}  # fmt: skip


def _deploy(sb, write_function, code: str) -> None:
    sb.deploy("download-link", write_function(app=code.lstrip("\n") + PRESIGN))


def _left_as_deployed(sb) -> None:
    lam = sb.client("lambda")
    config = lam.get_function_configuration(FunctionName="download-link")
    assert config["Handler"] == "app.handler"
    assert not config.get("Layers")
    assert not (config.get("Environment") or {}).get("Variables")
    # the session's sandbox may hold other tests' layers: only the counter's must be gone
    assert LAYER not in [layer["LayerName"] for layer in lam.list_layers()["Layers"]]


@pytest.mark.parametrize("shape", sorted(RIGHT))
def test_a_client_created_once_per_environment_passes(sb, write_function, shape):
    _deploy(sb, write_function, RIGHT[shape])
    result = check("03.2", "download-link")
    assert result.passed, str(result)
    _left_as_deployed(sb)
    assert check("03.2", "download-link").passed  # a re-run finds the function as it was


@pytest.mark.parametrize("shape", sorted(WRONG))
def test_a_client_created_again_is_named_with_its_line(sb, write_function, shape):
    code, phrases = WRONG[shape]
    _deploy(sb, write_function, code)
    result = check("03.2", "download-link")
    assert not result.passed
    for phrase in phrases:
        assert phrase in str(result), str(result)
    _left_as_deployed(sb)


def test_a_url_made_without_any_client_is_named(sb, write_function):
    _deploy(
        sb,
        write_function,
        """
import boto3


class Signer:
    def generate_presigned_url(self, operation, Params, ExpiresIn):
        return f"https://reports.s3/{Params['Key']}?X-Amz-Signature=made-up"


def handler(event, context):
    s3 = Signer()""".replace("reports.s3/", "s3.amazonaws.com/reports/"),
    )
    result = check("03.2", "download-link")
    assert not result.passed
    assert "created no S3 client" in str(result), str(result)
    _left_as_deployed(sb)
