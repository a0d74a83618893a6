"""Checks for lesson 03, Packaging: each check deploys or invokes the function for real.

A package is only right when Lambda can run it, so these checks deploy the learner's zip,
or invoke the deployed function, its layers and its aliases through the sandbox's Lambda
API, and read what came back: payloads, REPORT lines, the function's configuration.
https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from typing import Any

from lambdalab.course.client_reuse import count_clients
from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    Deployed,
    NotYet,
    call_function,
    client,
    configured,
    describe,
    expect_kind,
    package_entries,
    payload_of,
    running_sandbox,
    start_clean,
)
from lambdalab.sandbox.moto_patch import layer_files

#: A function's own package holding defusedxml would weigh tens of KB; app.py alone, < 1 KB.
MAX_GUARD_CODE_SIZE = 8_000
SECRET_ID = "lesson03/api-token"


@exercise("03.1")
def zip_whose_handler_resolves(answer: Any) -> None:
    expect_kind(answer, (bytes, bytearray), "the bytes of a zip file")
    try:
        names = zipfile.ZipFile(io.BytesIO(answer)).namelist()
    except zipfile.BadZipFile:
        raise NotYet("these bytes are not a zip file") from None
    files = [name for name in names if not name.endswith("/")]
    if not files:
        raise NotYet(
            "the zip is empty: zip_folder found no file under the folder you gave it. A "
            "relative path starts at the notebook's folder: the project's code is under "
            "functions/shipping/ (list it with sorted(Path('functions/shipping').rglob('*')))"
        )
    if "shipping/rates.py" not in files:
        nested = [name for name in files if name.endswith("/shipping/rates.py")]
        where = ""
        if nested:
            outer = nested[0][: -len("shipping/rates.py")]
            where = f" It is at {nested[0]!r}: zip the contents of {outer!r} instead."
        raise NotYet(
            f"the zip holds {files[:6]}; Lambda looks for shipping/rates.py at its root.{where}"
        )
    extra = [name for name in files if not name.startswith("shipping/")]
    if extra:
        raise NotYet(
            f"the zip also holds {extra}: the function does not run them; leave tests and "
            "docs out of the package"
        )
    sb, name = running_sandbox(), "shipping"
    start_clean(sb, name)
    sb.deploy(name, bytes(answer), handler="shipping.rates.quote", check=False)
    got = call_function(name, {"kg": 2})
    if got != {"kg": 2.0, "price_eur": 11.0}:
        raise NotYet(f"deployed with handler shipping.rates.quote, the function returned {got!r}")


#: Invocations the check counts clients in: the first may create a client lazily, the
#: warm ones after it must reuse it.
COUNTED_RUNS = 3


@exercise("03.2", deployed="download-link")
def reuse_the_client(fn: Deployed) -> None:
    event = {"key": "monthly.csv"}
    got = fn.call(event)
    url = got.get("url") if isinstance(got, dict) else None
    if not isinstance(url, str) or "reports/monthly.csv" not in url or "Signature" not in url:
        raise NotYet(
            f"for {event!r} the function returned {describe(got)}; expected "
            "{'url': <a presigned URL for reports/monthly.csv>}"
        )
    runs = count_clients(fn, event, COUNTED_RUNS)
    made = [c for c in runs[0].init if c.service == "s3"]
    made += [c for run in runs for c in run.created if c.service == "s3"]
    if not made:
        raise NotYet(
            "the function created no S3 client, at init or in its invocations: presign the "
            "URL with an S3 client's generate_presigned_url"
        )
    seen: set[str] = set()
    warm = []
    for run in runs:
        if run.environment in seen:
            warm.append(run)
        seen.add(run.environment)
    if not warm:  # each invocation in a new environment: nothing reused to judge
        raise NotYet(
            f"the {COUNTED_RUNS} invocations of the check each ran in a new execution "
            "environment (an update or a timeout in between?): run the check again"
        )
    again = [c for run in warm for c in run.created if c.service == "s3"]
    if again:
        first = again[0]
        unused = _unused_at_init(runs)
        raise NotYet(
            f"your handler creates the {first.kind} on every invocation: {len(warm)} warm "
            f"invocations created {len(again)} new S3 {first.kind}s, {first.where()}; create "
            "it once, outside the handler, and reuse it" + (f". {unused}" if unused else "")
        )
    unused = _unused_at_init(runs)
    if unused:
        raise NotYet(unused)


def _unused_at_init(runs: list) -> str:
    """A sentence naming the S3 clients created at init that no invocation used, or ""."""
    used = set().union(*(run.used for run in runs))
    idle = [c for c in runs[0].init if c.service == "s3" and c.n not in used]
    if not idle:
        return ""
    first = idle[0]
    return (
        f"The S3 {first.kind} created at init ({first.where()}) is never used: the handler "
        "should use it instead of creating another"
    )


@exercise("03.3", deployed="xml-guard")
def layer_provides_dependency(fn: Deployed) -> None:
    config = fn.config
    layers = [layer["Arn"] for layer in config.get("Layers", [])]
    if not layers:
        raise NotYet(
            "the function has no layer: deploy it with Layers=[guard_layer_arn]"
            + _published_unused(
                layers,
                ". You did publish {version}, though: if the cell "
                "that deploys stopped at an error, read it: {advice}",
            )
        )
    if not any(":layer:defusedxml:" in arn for arn in layers):
        raise NotYet(f"the function's layers are {layers}; publish the layer as 'defusedxml'")
    newer = _published_unused(
        layers,
        "you published {version}, but the function still uses {uses}: the deploy with that "
        "layer did not happen (the cell that publishes and deploys stopped at an error: read "
        "it above). {advice}",
    )
    if newer:
        raise NotYet(newer)
    if config.get("CodeSize", 0) > MAX_GUARD_CODE_SIZE:
        folder, entries = package_entries(fn.name)
        extra = [entry for entry in entries if entry != "app.py"]
        holds = (
            f": it holds {', '.join(extra)} besides app.py (deployed from {folder}): delete "
            "them from that folder and deploy again"
            if extra
            else ""
        )
        raise NotYet(
            f"the function's own package is {config['CodeSize']} bytes{holds}. defusedxml "
            "should come from the layer, and the package hold app.py only"
        )
    event = {"xml": "<order><item/><item/></order>"}
    invoked = fn.invoke(event)
    error = invoked.error
    if invoked.function_error and "defusedxml" in str(error.get("errorMessage")):
        raise NotYet(
            f"the function cannot import defusedxml ({error.get('errorMessage')}). Lambda "
            "adds /opt/python to sys.path: the layer's zip must hold python/defusedxml/..."
            + _layer_holds(next(arn for arn in layers if ":layer:defusedxml:" in arn))
        )
    got = payload_of(invoked, event)
    if got != {"root": "order", "children": ["item", "item"]}:
        raise NotYet(f"for {event['xml']!r} the function returned {got!r}")
    attack = {"xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&a;</x>'}
    got = fn.call(attack)
    if got != {"rejected": "EntitiesForbidden"}:
        raise NotYet(f"an XML entity declaration should be rejected by defusedxml; got {got!r}")


def _published_unused(layers: list[str], words: str) -> str:
    """``words`` filled in when a 'defusedxml' version was published that the function
    does not use (the deploy that should attach it did not happen), else ""."""
    lam = client("lambda")
    try:
        versions = lam.list_layer_versions(LayerName="defusedxml")["LayerVersions"]
    except Exception:  # noqa: BLE001 - no such layer yet: the checks below say so
        return ""
    if not versions:
        return ""
    newest = max(versions, key=lambda v: v["Version"])
    if newest["LayerVersionArn"] in layers:
        return ""
    return words.format(
        version=f"defusedxml:{newest['Version']}",
        uses=", ".join(arn.split(":", 6)[-1] for arn in layers) or "no layer",
        advice="Layers takes a list of the layer versions' ARNs, strings: "
        "publish_layer_version(...)['LayerVersionArn']",
    )


def _layer_holds(arn: str) -> str:
    """What the layer's zip holds, said when it has no python/defusedxml/."""
    files = layer_files(arn)
    if files is None or any(f.startswith("python/defusedxml/") for f in files):
        return ""
    if not files:
        return f". The layer {arn.split(':', 6)[-1]} is an empty zip"
    tops = sorted(  # its entries two levels down: python/xmltodict.py, python/pkg/
        {"/".join(f.split("/")[:2]) + ("/" if f.count("/") > 1 else "") for f in files},
        key=lambda entry: ("dist-info" in entry, entry),
    )
    shown = ", ".join(tops[:5]) + (f" ... ({len(files)} files)" if len(tops) > 5 else "")
    text = f". The layer {arn.split(':', 6)[-1]} holds {shown}"
    if any(f.startswith("defusedxml/") for f in files):
        text += (
            ": defusedxml sits at the zip's root, not under python/ (zip the folder above python/)"
        )
    elif not any("defusedxml" in f for f in files):
        text += ": not defusedxml at all (which folder did you zip?)"
    return text


@exercise("03.4", deployed="checkout")
def roll_back(fn: Deployed) -> None:
    lam = client("lambda")
    try:
        alias = lam.get_alias(FunctionName=fn.name, Name="live")
    except lam.exceptions.ResourceNotFoundException:
        raise NotYet("the function has no alias 'live': run the cell that creates it") from None
    version = alias["FunctionVersion"]
    if version == "3":
        raise NotYet("live still points at version 3, the one with the bug")
    if version == "$LATEST":
        raise NotYet("live points at $LATEST, which anyone's next deployment changes")
    if version.isdigit() and int(version) > 3:
        raise NotYet(
            f"live points at version {version}, published after the faulty version 3: a "
            "rollback points live at a version that already worked, without deploying any "
            "code (versions are immutable: the one that worked is still there)"
        )
    if version != "2":
        raise NotYet(
            f"live points at version {version}; roll back to the *last* version that worked"
        )
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    if weights:
        shares = ", ".join(f"{float(w):.0%} to version {v}" for v, w in sorted(weights.items()))
        raise NotYet(
            f"live points at version 2, but its routing still sends {shares}: a rollback "
            "sends all the traffic to the version that worked (clear the routing's weights)"
        )
    event = {"prices": [1.1, 2.2]}
    # Invoke through the alias's ARN: what a trigger configured with the alias calls.
    got = call_function(alias["AliasArn"], event)
    if got != {"total": 3.3}:
        raise NotYet(f"invoked through live, the function returned {got!r}")


@exercise("03.5", deployed="token-check")
def cache_the_secret(fn: Deployed) -> None:
    config = fn.config
    token = f"check-{secrets.token_hex(8)}"
    sm = client("secretsmanager")
    try:
        sm.put_secret_value(SecretId=SECRET_ID, SecretString=json.dumps({"token": token}))
    except sm.exceptions.ResourceNotFoundException:
        raise NotYet(f"there is no secret {SECRET_ID!r}: run the cell that creates it") from None
    # A new token, and new execution environments to read it (a configuration change).
    original = config.get("Environment", {}).get("Variables", {})
    runs = []
    rotated = f"check-{secrets.token_hex(8)}"
    with configured(fn.name, Environment={"Variables": {**original, "CHECK_RUN": token[-6:]}}):
        for event in [{"token": token}] * 4 + [{"token": "wrong"}]:
            invoked = fn.invoke(event)
            if token in invoked.log:
                raise NotYet("the secret's value appears in the function's log: never log it")
            runs.append((event, payload_of(invoked, event)))
        # The secret changed behind the warm environment: one that keeps the token still
        # answers with the old one; one that fetches at every call takes the new one.
        sm.put_secret_value(SecretId=SECRET_ID, SecretString=json.dumps({"token": rotated}))
        after = payload_of(fn.invoke({"token": rotated}), {"token": rotated})
    for _event, got in runs:
        if not isinstance(got, dict) or "authorized" not in got or "fetches" not in got:
            raise NotYet(f"the function returned {describe(got)}")
    right = [got["authorized"] for event, got in runs if event["token"] == token]
    if right[0] is True and not any(a is True for a in right[1:]):
        raise NotYet(
            f"with the right token the first (cold) invocation was authorized, the "
            f"{len(right) - 1} warm ones after it were not ({right}): get_token() returns "
            "the token when it fetches it, and None once it is cached. Return cached_token "
            "after the if, on every call"
        )
    for event, got in runs:
        shown = "the right token" if event["token"] == token else "a wrong token"
        if got["authorized"] is not (event["token"] == token):
            raise NotYet(
                f"with {shown} the function answered authorized={got['authorized']!r}: "
                "get_token() must return the secret's token"
            )
    counts = [got["fetches"] for _, got in runs]
    if counts == [0] * 5:
        raise NotYet(
            "the function answered with the secret's token, but fetches stayed at 0: count "
            "each call to Secrets Manager (add 1 to fetches when get_token fetches)"
        )
    fetched_again = isinstance(after, dict) and after.get("authorized") is True
    if counts != [1] * 5 and counts == sorted(set(counts)) and len(counts) > 1:
        if fetched_again:
            raise NotYet(
                f"over 5 warm invocations fetches went {counts}; it should stay at 1. After the "
                "check changed the secret, the next warm invocation already had the new token: "
                "get_token "
                "fetches at every call, so its cache is emptied on every call (is "
                "cached_token set to None inside get_token?). Set it to None once, at "
                "module level"
            )
        raise NotYet(
            f"over 5 warm invocations fetches went {counts}; it should stay at 1. Yet the token "
            "is cached (after the check changed the secret, the warm environment still had the "
            "old one): "
            "fetches counts every call, not the calls to Secrets Manager. Add 1 to fetches "
            "only where get_token fetches the secret"
        )
    if counts != [1] * 5:
        raise NotYet(
            f"over 5 warm invocations fetches went {counts}; it should stay at 1: fetches "
            "counts the calls to Secrets Manager, and an environment that keeps the token "
            "fetches it once"
        )
