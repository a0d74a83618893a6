"""Where download-link creates its S3 client (03.2): the check counts them, it does not time.

Each wrong answer creates an S3 client again in warm invocations, in another shape; the
feedback names the line that does it. A client created lazily on the first invocation and
kept in a global is right (the walk's right answer is the module-level client; the other
right shapes are in tests/unit/course/test_reuse_the_client.py).
"""

from mistakes_runner import Mistake

PRESIGN = """
    key = event.get("key", "daily.csv")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "reports", "Key": key}, ExpiresIn=300
    )
    return {"url": url}
"""


def _app(code: str) -> str:
    """The answer cell: download-link's app.py with ``code`` before the presigning."""
    return "%%writefile functions/download-link/app.py\n" + code.lstrip("\n") + PRESIGN


MISTAKES = {
    "03.2": [
        Mistake(
            "a client per invocation",
            cell=_app("""
import boto3


def handler(event, context):
    s3 = boto3.client("s3")"""),
            expect=[
                "creates the client on every invocation",
                "2 warm invocations created 2 new S3 clients",
                'app.py line 5: s3 = boto3.client("s3")',
                "create it once, outside the handler",
            ],
        ),
        Mistake(
            "a resource at module level, and still a client per invocation",
            cell=_app("""
import boto3

reports = boto3.resource("s3").Bucket("reports")


def handler(event, context):
    s3 = boto3.client("s3")"""),
            expect=[
                "creates the client on every invocation",
                "app.py line 7",
                "S3 resource created at init (at app.py line 3",
                "never used",
            ],
        ),
        Mistake(
            "the client made by a helper the handler calls on every invocation",
            cell=_app("""
import boto3


def s3_client():
    return boto3.client("s3")


def handler(event, context):
    s3 = s3_client()"""),
            expect=[
                "creates the client on every invocation",
                'app.py line 5: return boto3.client("s3")',
            ],
        ),
        Mistake(
            "a new session, and its client, on every invocation",
            cell=_app("""
import boto3


def handler(event, context):
    session = boto3.session.Session()
    s3 = session.client("s3")"""),
            expect=[
                "creates the client on every invocation",
                'app.py line 6: s3 = session.client("s3")',
            ],
        ),
        Mistake(
            "a client at module level that the handler ignores for a new one",
            cell=_app("""
import boto3

s3_client = boto3.client("s3")


def handler(event, context):
    s3 = boto3.client("s3")"""),
            expect=[
                "creates the client on every invocation",
                "S3 client created at init (at app.py line 3",
                "never used",
            ],
        ),
    ],
}
