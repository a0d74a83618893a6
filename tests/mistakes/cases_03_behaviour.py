"""Lesson 03 as a new learner gets it wrong (issue 23, deliverable 4): what each check must
say: the input it tried, what the function or package did, and what was expected."""

from mistakes_runner import Mistake, indented
from snippets_03 import RUNTIMES, TOKEN, layer

#: Release 2's code deployed to checkout's $LATEST (03.4).
_REDEPLOY_2 = """\
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    archive.writestr("app.py", releases[2])
lam.update_function_code(FunctionName="checkout", ZipFile=buffer.getvalue())
lam.get_waiter("function_updated_v2").wait(FunctionName="checkout")
"""


def _alias(version: str, weights: str) -> str:
    """03.4: live moved to ``version``, with these routing ``weights`` (a dict literal)."""
    return (
        "lam.update_alias(\n"
        f'    FunctionName="checkout", Name="live", FunctionVersion="{version}",\n'
        f'    RoutingConfig={{"AdditionalVersionWeights": {weights}}},\n'
        ")\n"
    )


MISTAKES = {
    "03.1": [
        Mistake(
            "the path of a zip written to disk, as a Path",
            solution="""
            Path("build/shipping.zip").write_bytes(zip_folder("functions/shipping/src"))
            shipping_zip = Path("build/shipping.zip")
            """,
            expect=["a PosixPath", "expected the bytes of a zip file", "a path on this machine"],
        ),
        Mistake(
            "the ZipFile object, not its bytes",
            solution='shipping_zip = zipfile.ZipFile(io.BytesIO(zip_folder("functions/shipping/src")))',  # noqa: E501
            expect=["a ZipFile", "expected the bytes of a zip file"],
        ),
        Mistake(
            "the README packaged too",
            solution="""
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.write("functions/shipping/README.md", "README.md")
                for file in Path("functions/shipping/src").rglob("*.py"):
                    archive.write(file, file.relative_to("functions/shipping/src").as_posix())
            shipping_zip = buffer.getvalue()
            """,
            expect=["['README.md']", "leave tests and docs out"],
        ),
        Mistake(
            "the zip's bytes as text",
            solution='shipping_zip = zip_folder("functions/shipping/src").decode("latin-1")',
            expect=["your answer is a str", "expected the bytes of a zip file"],
        ),
    ],
    "03.2": [
        Mistake(
            "the client at module level, and still in the handler",
            replace=(
                (
                    '    key = event.get("key", "daily.csv")',
                    '    s3 = boto3.client("s3")\n    key = event.get("key", "daily.csv")',
                ),
            ),
            expect=["creates the client on every invocation"],
        ),
        Mistake(
            "the lesson's key hard-coded",
            replace=(('key = event.get("key", "daily.csv")', 'key = "daily.csv"'),),
            expect=["{'key': 'monthly.csv'}", "reports/daily.csv", "reports/monthly.csv"],
        ),
        Mistake(
            "the URL without its dict",
            replace=(('    return {"url": url}', "    return url"),),
            expect=["returned a str", "{'url':"],
        ),
        Mistake(
            "boto3.client, not called",
            solution="s3 = boto3.client",
            expect=["AttributeError", "generate_presigned_url", "app.py, line"],
        ),
    ],
    "03.3": [
        Mistake(
            "defusedxml vendored into the function's own package too",
            cell="\n"
            + layer("defusedxml-layer").replace(RUNTIMES, "")
            + 'shutil.copytree("functions/xml-guard", "build/xml-guard-fat", dirs_exist_ok=True)\n'
            + 'vendor("defusedxml", "build/xml-guard-fat")\n'
            + 'sb.deploy("xml-guard", "build/xml-guard-fat", Layers=[guard_layer_arn])\n',
            expect=["own package is", "bytes", "from the layer"],
        ),
        Mistake(
            "the layer published under another name",
            solution=indented(
                layer("defusedxml-layer")
                .replace(RUNTIMES, "")
                .replace('LayerName="defusedxml"', 'LayerName="xml-guard-deps"')
            ),
            expect=["xml-guard-deps", "publish the layer as 'defusedxml'"],
        ),
        Mistake(
            "the earlier xmltodict layer",
            solution="guard_layer_arn = layer_arn",
            expect=["layer:xmltodict", "publish the layer as 'defusedxml'"],
        ),
        Mistake(
            "the package under site-packages/ with no python/ folder",
            solution=indented(layer("site-layer", "site-packages").replace(RUNTIMES, "")),
            expect=["cannot import defusedxml", "python/"],
        ),
    ],
    "03.4": [
        Mistake(
            "half the traffic still on version 3",
            solution=indented(_alias("2", '{"3": 0.5}')),
            expect=["50% to version 3", "clear the routing's weights"],
        ),
        Mistake(
            "the alias's routing sends all traffic to version 3",
            solution=indented(_alias("2", '{"3": 0.99}')),
            expect=["99% to version 3"],
        ),
        Mistake(
            "the code fixed, the alias left alone",
            solution=indented(_alias("3", "{}") + _REDEPLOY_2),
            expect=["still points at version 3"],
        ),
        Mistake(
            "version 2's code deployed again as version 4",
            solution=indented(
                _REDEPLOY_2
                + 'version = lam.publish_version(FunctionName="checkout")["Version"]\n'
                + 'lam.update_alias(FunctionName="checkout", Name="live", '
                + "FunctionVersion=version)\n"
            ),
            expect=["live points at version 4", "without deploying"],
        ),
    ],
    "03.5": [
        Mistake(
            "every call counted, the token cached",
            solution=indented("fetches += 1\n" + TOKEN.replace("    fetches += 1\n", "")),
            expect=["fetches went [1, 2, 3, 4, 5]", "it should stay at 1"],
        ),
        Mistake(
            "the whole secret's dict cached",
            solution=indented(TOKEN.replace('["SecretString"])["token"]', '["SecretString"])')),
            expect=["authorized=False", "the secret's token"],
        ),
        Mistake(
            "the token printed",
            solution=indented(
                TOKEN.replace('["token"]\n', '["token"]\n    print("token:", cached_token)\n')
            ),
            expect=["appears in the function's log"],
        ),
        Mistake(
            "the wrong key in the secret",
            solution=indented(TOKEN.replace('["token"]', '["Token"]')),
            expect=["KeyError: 'Token'", "app.py, line"],
        ),
    ],
}
