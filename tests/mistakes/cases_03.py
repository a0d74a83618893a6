"""Typical wrong answers to lesson 03's exercises (packaging), and what each check must say."""

from mistakes_runner import Mistake, indented, with_themes
from snippets_03 import TOKEN, layer

NOTEBOOK = "03-packaging.ipynb"

MISTAKES = {
    "03.1": [
        Mistake(
            "zips the project folder: the code sits under src/",
            solution='shipping_zip = zip_folder("functions/shipping")',
            expect=["It is at 'src/shipping/rates.py'", "zip the contents of 'src/'"],
        ),
        Mistake(
            "a path, not the zip's bytes",
            solution='shipping_zip = "functions/shipping/src"',
            expect=["expected the bytes of a zip file"],
        ),
        Mistake(
            "zips the package folder itself: rates.py at the root",
            solution='shipping_zip = zip_folder("functions/shipping/src/shipping")',
            expect=["Lambda looks for shipping/rates.py at its root"],
        ),
    ],
    "03.2": [
        Mistake(
            "a new client on every invocation (the stub)",
            stub=True,
            expect=["creates the client on every invocation"],
        ),
        Mistake(
            "no client at all: NameError",
            replace=(
                (
                    's3 = boto3.client("s3")  # once per execution environment, reused by warm '
                    "invocations",
                    "pass",
                ),
            ),
            expect=["NameError", "'s3' is not defined"],
        ),
    ],
    "03.3": [
        Mistake(
            "no layer (the stub)",
            solution="guard_layer_arn = None",
            expect=["the function has no layer"],
        ),
        Mistake(
            "the layer without its python/ folder",
            solution=indented(layer("flat-layer", packages="")),
            expect=["cannot import defusedxml", "python/defusedxml"],
        ),
    ],
    "03.4": [
        Mistake("nothing moved (the stub)", solution="pass", expect=["still points at version 3"]),
        Mistake(
            "rolled back too far",
            solution='lam.update_alias(FunctionName="checkout", Name="live", FunctionVersion="1")',
            expect=["roll back to the *last* version that worked"],
        ),
        Mistake(
            "points live at $LATEST",
            solution='lam.update_alias(FunctionName="checkout", Name="live", FunctionVersion="$LATEST")',  # noqa: E501
            expect=["live points at $LATEST"],
        ),
    ],
    "03.5": [
        Mistake(
            "caches the token but never counts the fetch",
            solution=indented(TOKEN.replace("    fetches += 1\n", "")),
            expect=["fetches stayed at 0", "count each call to Secrets Manager"],
        ),
        Mistake(
            "fetches on every call (no cache)",
            solution="""
            fetches += 1
            secret = secrets.get_secret_value(SecretId="lesson03/api-token")
            return json.loads(secret["SecretString"])["token"]
            """,
            expect=["fetches went", "it should stay at 1"],
        ),
        Mistake(
            "the wrong secret's name: the function fails",
            solution=indented(TOKEN.replace("lesson03/api-token", "lesson03/token")),
            expect=["ResourceNotFoundException", "app.py, line"],
        ),
        Mistake(
            "caches the whole secret string, not the token",
            solution=indented(
                TOKEN.replace(
                    'json.loads(secret["SecretString"])["token"]', 'secret["SecretString"]'
                )
            ),
            expect=["authorized=False"],
        ),
    ],
}
MISTAKES = with_themes("03", MISTAKES)

#: Cells whose output may differ between two runs of the lesson in one kernel, and why.
VARYING: dict[str, str] = {}
