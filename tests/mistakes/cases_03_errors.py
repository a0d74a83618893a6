"""Lesson 03, round 3 (eval-c): the client bound only in a block that does not run on
Lambda (the main guard, another function, an if branch), and a distribution's name
misspelt for vendor()."""

from mistakes_runner import Mistake

_LINK = """%%writefile functions/download-link/app.py
import os

import boto3

{top}


def handler(event, context):
    key = event.get("key", "daily.csv")
    url = s3.generate_presigned_url(
        "get_object", Params={{"Bucket": "reports", "Key": key}}, ExpiresIn=300
    )
    return {{"url": url}}
"""

_LAYER = (
    'vendor("{name}", "build/defusedxml-layer/python")\n'
    "guard_layer_arn = lam.publish_layer_version(\n"
    '    LayerName="defusedxml",\n'
    '    Content={{"ZipFile": zip_folder("build/defusedxml-layer")}},\n'
    '    CompatibleRuntimes=["python3.13"],\n'
    ')["LayerVersionArn"]'
)

MISTAKES = {
    "03.2": [
        Mistake(
            "r3-main-guard: the client made under if __name__ == '__main__'",
            cell=_LINK.format(top='if __name__ == "__main__":\n    s3 = boto3.client("s3")'),
            expect=['under `if __name__ == "__main__":`', "does not run on Lambda"],
        ),
        Mistake(
            "the client made inside a helper function",
            cell=_LINK.format(top='def make_client():\n    s3 = boto3.client("s3")\n    return s3'),
            expect=["inside the function make_client", "local to make_client"],
        ),
        Mistake(
            "the client made only when a variable is set",
            cell=_LINK.format(top='if os.environ.get("LOCAL_TEST"):\n    s3 = boto3.client("s3")'),
            expect=["`if os.environ.get('LOCAL_TEST'):`", "which did not run"],
        ),
    ],
    "03.3": [
        Mistake(
            "r3-vendor-name-typo: vendor('defused-xml', ...)",
            solution=_LAYER.format(name="defused-xml"),
            expect=[
                "Lambda Lab error PackagingError",
                "but 'defusedxml' is",
                "vendor('defusedxml'",
            ],
        ),
        Mistake(
            "vendor('defusexml', ...): a letter missing",
            solution=_LAYER.format(name="defusexml"),
            expect=["Lambda Lab error PackagingError", "but 'defusedxml' is"],
        ),
    ],
}
