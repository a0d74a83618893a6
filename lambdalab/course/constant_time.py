"""Whether a deployed function compares signatures in constant time (hmac.compare_digest).

A signature compared with ``==`` gives the right answers, and still leaks: the comparison
stops at the first character that differs, so the time it takes tells a forger how much
of a guess was right. https://docs.python.org/3/library/hmac.html#hmac.compare_digest

:func:`compare_digest_calls` watches the function itself rather than timing it: for the
time of the check, the function gets a layer holding ``compare_counter.py`` as its
handler, which counts the calls of ``hmac.compare_digest`` (see that module). Its settings
are set back afterwards and the layer deleted, as :mod:`client_reuse` does.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from lambdalab.course.probe import Deployed, client, payload_of

LAYER = "lambdalab-compare-counter"
COUNTER = "lambdalab_compare_counter"
MARK = "LAMBDALAB-COMPARES"
HANDLER_VARIABLE = "LAMBDALAB_COMPARED_HANDLER"


def _counter_layer() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = Path(__file__).with_name("compare_counter.py").read_text()
        archive.writestr(f"python/{COUNTER}.py", source)
    return buffer.getvalue()


def _calls(log: str) -> int | None:
    for line in reversed(log.splitlines()):
        at = line.find(MARK + " ")
        if at >= 0:
            try:
                return int(json.loads(line[at + len(MARK) + 1 :]).get("calls", 0))
            except (ValueError, AttributeError):
                return None
    return None


def compare_digest_calls(fn: Deployed, event: Any) -> int | None:
    """How often one invocation of ``fn`` with ``event`` called hmac.compare_digest
    (None when it could not be counted)."""
    lam = client("lambda")
    before = lam.get_function_configuration(FunctionName=fn.name)
    layers = [layer["Arn"] for layer in before.get("Layers", [])]
    variables = (before.get("Environment") or {}).get("Variables", {})
    version = lam.publish_layer_version(
        LayerName=LAYER,
        Description="Counts calls of hmac.compare_digest (a check of Lambda Lab)",
        Content={"ZipFile": _counter_layer()},
    )
    try:
        lam.update_function_configuration(
            FunctionName=fn.name,
            Handler=f"{COUNTER}.handler",
            Layers=[*layers, version["LayerVersionArn"]],
            Environment={"Variables": {**variables, HANDLER_VARIABLE: before["Handler"]}},
        )
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
        invoked = fn.invoke(event)
        payload_of(invoked, event)  # a function error is a NotYet quoting it
        return _calls(invoked.log)
    finally:
        lam.update_function_configuration(
            FunctionName=fn.name,
            Handler=before["Handler"],
            Layers=layers,
            Environment={"Variables": variables},
        )
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
        lam.delete_layer_version(LayerName=LAYER, VersionNumber=version["Version"])
