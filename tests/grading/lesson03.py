"""Hidden grading tests for lesson 03, Packaging (never in the student bundle).

The public checks deploy or invoke the lesson's functions; these tests invoke them with
events the checks do not send. 03.2 (counting the clients the function creates) is its public check.
"""

from __future__ import annotations

import io
import zipfile

from lambdalab.course.checks import NotYet, invoke_function
from lambdalab.grading import hidden_test


def _returns(name, event, wanted):
    invoked = invoke_function(name, event)
    if invoked.function_error:
        error = invoked.payload if isinstance(invoked.payload, dict) else {}
        raise NotYet(
            f"for the event {event!r} the function failed with {error.get('errorType')}: "
            f"{error.get('errorMessage')}"
        )
    if invoked.payload != wanted:
        raise NotYet(
            f"for the event {event!r} the function returned {invoked.payload!r}; "
            f"expected {wanted!r}"
        )


@hidden_test("03.1", points=4)
def zip_whose_handler_resolves(answer, rubric):
    """4 points: the public check (2), a complete package (1), other parcels (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("the package is whole, without caches", points=1):
        names = zipfile.ZipFile(io.BytesIO(bytes(answer))).namelist()
        if "shipping/__init__.py" not in names:
            raise NotYet("the zip lacks shipping/__init__.py: zip the whole package")
        cached = [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        if cached:
            raise NotYet(f"the zip holds compiled caches ({cached[0]}): leave them out")
    with rubric.part("the deployed function quotes other parcels", points=1):
        _returns("shipping", {"kg": 0.5}, {"kg": 0.5, "price_eur": 4.25})
        _returns("shipping", {"kg": "10"}, {"kg": 10.0, "price_eur": 47.0})


@hidden_test("03.2", points=3)
def reuse_the_client(answer, rubric):
    """3 points: the public check alone (it counts the clients each invocation creates)."""
    rubric.public_check(answer, points=3)


@hidden_test("03.3", points=4)
def layer_provides_dependency(answer, rubric):
    """4 points: the public check (2), other documents (1), other attacks (1)."""
    if not rubric.public_check(answer, points=2):
        return
    with rubric.part("other XML documents", points=1):
        _returns(answer, {"xml": "<feed><entry/><entry/><title>x</title></feed>"},
                 {"root": "feed", "children": ["entry", "entry", "title"]})  # fmt: skip
        _returns(answer, {"xml": "<empty/>"}, {"root": "empty", "children": []})
    with rubric.part("other entity attacks", points=1):
        for xml in [
            '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            '<!DOCTYPE x [<!ENTITY a "1"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
        ]:
            _returns(answer, {"xml": xml}, {"rejected": "EntitiesForbidden"})


@hidden_test("03.4", points=4)
def roll_back(answer, rubric):
    """4 points: the public check (2), no version published or deleted (1), other totals (1)."""
    import boto3

    if not rubric.public_check(answer, points=2):
        return
    client = boto3.client("lambda")
    with rubric.part("rolled back by moving the alias only", points=1):
        versions = [
            v["Version"] for v in client.list_versions_by_function(FunctionName=answer)["Versions"]
        ]
        if sorted(versions) != ["$LATEST", "1", "2", "3"]:
            raise NotYet(
                f"the function's versions are {sorted(versions)}: a rollback moves the alias, "
                "it neither publishes nor deletes versions"
            )
    with rubric.part("other orders through the alias", points=1):
        arn = client.get_alias(FunctionName=answer, Name="live")["AliasArn"]
        _returns(arn, {"prices": [0.1, 0.2]}, {"total": 0.3})
        _returns(arn, {"prices": [5]}, {"total": 5})


@hidden_test("03.5", points=4)
def cache_the_secret(answer, rubric):
    """4 points: the public check (3), a new environment that starts with a wrong token (1)."""
    import boto3

    if not rubric.public_check(answer, points=3):
        return
    client = boto3.client("lambda")
    original = (
        client.get_function_configuration(FunctionName=answer)
        .get("Environment", {})
        .get("Variables", {})
    )
    with rubric.part("one fetch, whatever the first token", points=1):
        client.update_function_configuration(
            FunctionName=answer, Environment={"Variables": {**original, "HIDDEN_RUN": "1"}}
        )
        client.get_waiter("function_updated_v2").wait(FunctionName=answer)
        try:
            runs = [invoke_function(answer, e).payload for e in [{"token": "nope"}, {}, {}]]
        finally:
            client.update_function_configuration(
                FunctionName=answer, Environment={"Variables": original}
            )
            client.get_waiter("function_updated_v2").wait(FunctionName=answer)
        if any(not isinstance(r, dict) for r in runs):
            raise NotYet(f"the function returned {runs!r}")
        if [r.get("authorized") for r in runs] != [False] * 3:
            raise NotYet("a wrong token, or none, must not be authorized")
        if [r.get("fetches") for r in runs] != [1, 1, 1]:
            raise NotYet(
                f"in a new environment, fetches went {[r.get('fetches') for r in runs]} over "
                "three invocations; it should stay at 1"
            )
