"""Lesson 03's answers, once: the wrong answers of cases_03*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_03_*.py``): the theme files import
from here, never from cases_03.py (which imports them).
"""

#: 03.3's answer: defusedxml vendored under python/ and published as a layer.
LAYER = """\
vendor("defusedxml", "build/defusedxml-layer/python")
guard_layer_arn = lam.publish_layer_version(
    LayerName="defusedxml",
    Content={"ZipFile": zip_folder("build/defusedxml-layer")},
    CompatibleRuntimes=["python3.13"],
)["LayerVersionArn"]
"""
#: LAYER's runtimes line, which some wrong answers leave out.
RUNTIMES = '    CompatibleRuntimes=["python3.13"],\n'


def layer(folder: str, packages: str = "python") -> str:
    """LAYER built in ``build/<folder>``, the package vendored into ``<folder>/<packages>``
    (into ``<folder>`` itself if ``packages`` is empty)."""
    target = f"{folder}/{packages}" if packages else folder
    return LAYER.replace("defusedxml-layer/python", target).replace("defusedxml-layer", folder)


#: 03.5's answer: the token fetched once, each fetch counted.
TOKEN = """\
if cached_token is None:
    fetches += 1
    secret = secrets.get_secret_value(SecretId="lesson03/api-token")
    cached_token = json.loads(secret["SecretString"])["token"]
return cached_token
"""
