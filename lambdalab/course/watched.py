"""A deployed function watched from inside, for the time of one check.

Some properties of a function show only inside its own process: whether it creates an
SDK client on every invocation, whether it compares a signature with
``hmac.compare_digest``. :func:`watched` lends the function a handler from the kit (a
``*_counter.py`` module beside this one), in a layer, as Lambda would load any layer's
code: the lent handler imports the function's own handler (named in an environment
variable), counts what it was written to count, and writes one line of JSON after its
mark in the log. The function's code is never touched; its handler, layers and
variables are set back afterwards and the layer deleted. Only Lambda's API is used, so
the grader, outside the kernel, watches the same way.
https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lambdalab.course.probe import Deployed, client


def _layer_of(counter_file: str, module: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = Path(__file__).with_name(counter_file).read_text()
        archive.writestr(f"python/{module}.py", source)
    return buffer.getvalue()


@contextmanager
def watched(
    fn: Deployed, counter_file: str, layer: str, handler_variable: str, description: str
) -> Iterator[None]:
    """While inside, ``fn`` runs through ``counter_file``'s ``handler`` (see the module)."""
    module = "lambdalab_" + Path(counter_file).stem
    lam = client("lambda")
    before = lam.get_function_configuration(FunctionName=fn.name)
    layers = [entry["Arn"] for entry in before.get("Layers", [])]
    variables = (before.get("Environment") or {}).get("Variables", {})
    version = lam.publish_layer_version(
        LayerName=layer,
        Description=f"{description} (a check of Lambda Lab)",
        Content={"ZipFile": _layer_of(counter_file, module)},
    )
    try:
        lam.update_function_configuration(
            FunctionName=fn.name,
            Handler=f"{module}.handler",
            Layers=[*layers, version["LayerVersionArn"]],
            Environment={"Variables": {**variables, handler_variable: before["Handler"]}},
        )
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
        yield
    finally:
        lam.update_function_configuration(
            FunctionName=fn.name,
            Handler=before["Handler"],
            Layers=layers,
            Environment={"Variables": variables},
        )
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
        lam.delete_layer_version(LayerName=layer, VersionNumber=version["Version"])


def report(log: str, mark: str) -> dict[str, Any] | None:
    """The last JSON object written after ``mark`` in ``log``; None when there is none."""
    for line in reversed(log.splitlines()):
        at = line.find(mark + " ")
        if at < 0:
            continue
        try:
            found = json.loads(line[at + len(mark) + 1 :])
        except ValueError:
            return None
        return found if isinstance(found, dict) else None
    return None
