"""Lesson 03, round 3 (eval-c): what really happened before a guess (a deploy that did not
happen, a layer holding another package, a ZipFile refused at the call as AWS refuses it,
a folder that does not exist), and probes that tell a token cache's mistakes apart."""

from mistakes_runner import Mistake

_GET = 'secret = secrets.get_secret_value(SecretId="lesson03/api-token")\n'
_KEEP = 'cached_token = json.loads(secret["SecretString"])["token"]\n'
_DEPLOY = "Layers=[guard_layer_arn] if guard_layer_arn else []"


def _layer(content: str, tail: str = '["LayerVersionArn"]', head: str = "") -> str:
    return (
        head + 'vendor("defusedxml", "build/defusedxml-layer/python")\n'
        "guard_layer_arn = lam.publish_layer_version(\n"
        '    LayerName="defusedxml",\n'
        f'    Content={{"ZipFile": {content}}},\n'
        '    CompatibleRuntimes=["python3.13"],\n'
        f"){tail}"
    )


_RIGHT_ZIP = 'zip_folder("build/defusedxml-layer")'

MISTAKES = {
    "03.1": [
        Mistake(  # eval-c r3-path-relative-to-project
            "zips 'src', a path relative to the project, not to the notebook",
            solution='shipping_zip = zip_folder("src")',
            expect=["the zip is empty", "relative path starts at the notebook's folder"],
        ),
        Mistake(
            "a typo in the folder's name",
            solution='shipping_zip = zip_folder("functions/shipping/scr")',
            expect=["the zip is empty", "functions/shipping/"],
        ),
        Mistake(
            "the folder without functions/ in front",
            solution='shipping_zip = zip_folder("shipping/src")',
            expect=["the zip is empty", "functions/shipping/"],
        ),
    ],
    "03.3": [
        Mistake(  # eval-c c-copy-paste-xmltodict-zip
            "publishes the xmltodict layer's zip as 'defusedxml'",
            solution=_layer("layer_zip"),
            expect=["holds python/xmltodict.py", "not defusedxml at all"],
        ),
        Mistake(
            "publishes the function's folder as the layer",
            solution=_layer('zip_folder("functions/xml-guard")'),
            expect=["holds app.py", "not defusedxml at all"],
        ),
        Mistake(
            "zips the python/ folder itself: defusedxml at the zip's root",
            solution=_layer('zip_folder("build/defusedxml-layer/python")'),
            expect=["holds defusedxml/", "sits at the zip's root, not under python/"],
        ),
        Mistake(  # eval-c c-whole-response
            "keeps the whole response of publish_layer_version, not its LayerVersionArn",
            solution=_layer(_RIGHT_ZIP, tail=""),
            expect=["you published defusedxml:", "the deploy with that layer did not happen"],
        ),
        Mistake(
            "Layers given the ARN itself, not a list",
            solution=_layer(_RIGHT_ZIP),
            replace=((_DEPLOY, "Layers=guard_layer_arn"),),
            expect=["you published defusedxml:", "the deploy with that layer did not happen"],
        ),
        Mistake(
            "the layer's ARN without its version (LayerArn)",
            solution=_layer(_RIGHT_ZIP, tail='["LayerArn"]'),
            expect=["you published defusedxml:", "the deploy with that layer did not happen"],
        ),
        Mistake(  # eval-c r3-zipfile-path-string
            "ZipFile given the folder's path, not the zip's bytes",
            solution=_layer('"build/defusedxml-layer"'),
            expect=["InvalidParameterValueException", "Could not unzip uploaded file"],
        ),
        Mistake(
            "ZipFile given a zip file's path",
            solution=_layer('"build/defusedxml-layer.zip"'),
            expect=["InvalidParameterValueException", "Could not unzip uploaded file"],
        ),
        Mistake(
            "ZipFile base64-encoded by hand (boto3 encodes it already)",
            solution=_layer(f"base64.b64encode({_RIGHT_ZIP})", head="import base64\n\n"),
            expect=["InvalidParameterValueException", "Could not unzip uploaded file"],
        ),
    ],
    "03.5": [
        Mistake(  # eval-c c-return-inside-if
            "returns the token inside the if: None once it is cached",
            solution="if cached_token is None:\n    fetches += 1\n    "
            + _GET.replace("\n", "\n    ")
            + _KEEP.replace("\n", "\n    ")
            + "return cached_token",
            expect=["first (cold) invocation was authorized", "None once it is cached"],
        ),
        Mistake(
            "returns nothing when the token is cached",
            solution="if cached_token is not None:\n    return\nfetches += 1\n"
            + _GET
            + _KEEP
            + "return cached_token",
            expect=["first (cold) invocation was authorized", "None once it is cached"],
        ),
        Mistake(
            "returns the token only from the else branch that fetches it",
            solution="if cached_token:\n    pass\nelse:\n    fetches += 1\n    "
            + _GET.replace("\n", "\n    ")
            + _KEEP.replace("\n", "\n    ")
            + "return cached_token",
            expect=["first (cold) invocation was authorized", "None once it is cached"],
        ),
        Mistake(  # eval-c r3-resets-cache
            "empties the cache at every call",
            solution="cached_token = None\nif cached_token is None:\n    fetches += 1\n    "
            + _GET.replace("\n", "\n    ")
            + _KEEP.replace("\n", "\n    ").rstrip(" ")
            + "return cached_token",
            expect=["fetches went [1, 2, 3, 4, 5]", "fetches at every call"],
        ),
        Mistake(
            "fetches again whenever it fetched before",
            solution="if cached_token is None or fetches:\n    fetches += 1\n    "
            + _GET.replace("\n", "\n    ")
            + _KEEP.replace("\n", "\n    ").rstrip(" ")
            + "return cached_token",
            expect=["fetches went [1, 2, 3, 4, 5]", "fetches at every call"],
        ),
        Mistake(
            "counts every call, not the fetches",
            solution="fetches += 1\nif cached_token is None:\n    "
            + _GET.replace("\n", "\n    ")
            + _KEEP.replace("\n", "\n    ").rstrip(" ")
            + "return cached_token",
            expect=["fetches went [1, 2, 3, 4, 5]", "fetches counts every call"],
        ),
    ],
}
