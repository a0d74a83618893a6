"""Where a deployed function creates its SDK clients: at init, or in its invocations.

Lambda runs a function's module-level code once per execution environment (its init) and
the handler on every invocation; a client created at init is reused by every warm
invocation, one created in the handler is built again each time.
https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html

:func:`count_clients` watches the function itself rather than timing it: for the time of
the check, the function gets a layer holding ``client_counter.py`` as its handler, which
imports the function's own handler and counts the clients created (see that module). Its
settings are set back afterwards and the layer deleted. Only Lambda's API is used, so the
grader (outside the kernel) counts the same way.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambdalab.course.probe import Deployed, NotYet, client, payload_of

LAYER = "lambdalab-client-counter"
COUNTER = "lambdalab_client_counter"
MARK = "LAMBDALAB-CLIENTS"
HANDLER_VARIABLE = "LAMBDALAB_COUNTED_HANDLER"


@dataclass(frozen=True)
class Created:
    """One client the function's code created, and the line that created it."""

    n: int
    phase: str  # "init" or "invocation"
    service: str
    file: str
    line: int
    code: str

    @classmethod
    def of(cls, record: dict[str, Any]) -> Created:
        return cls(
            int(record.get("n", -1)),
            str(record.get("phase", "")),
            str(record.get("service", "")),
            str(record.get("file", "")),
            int(record.get("line") or 0),
            str(record.get("code", "")),
        )

    @property
    def kind(self) -> str:
        """'resource' when the line creates a boto3 resource, else 'client'."""
        return "resource" if "resource(" in self.code else "client"

    def where(self) -> str:
        if not self.file:
            return "outside the function's package"
        code = self.code.split("  #")[0].strip()  # the line as written, without its comment
        return f"at {self.file} line {self.line}" + (f": {code}" if code else "")


@dataclass
class Invocation:
    """One invocation as counted: its environment, the clients created, the ones used."""

    environment: str
    init: list[Created]
    created: list[Created]
    used: set[int] = field(default_factory=set)


def _counter_layer() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = Path(__file__).with_name("client_counter.py").read_text()
        archive.writestr(f"python/{COUNTER}.py", source)
    return buffer.getvalue()


def _counted(log: str) -> Invocation | None:
    for line in reversed(log.splitlines()):
        at = line.find(MARK + " ")
        if at < 0:
            continue
        try:
            report = json.loads(line[at + len(MARK) + 1 :])
        except ValueError:
            return None
        return Invocation(
            str(report.get("environment", "")),
            [Created.of(r) for r in report.get("init", [])],
            [Created.of(r) for r in report.get("invocation", [])],
            {int(n) for n in report.get("used", [])},
        )
    return None


def count_clients(fn: Deployed, event: Any, runs: int = 3) -> list[Invocation]:
    """Invoke ``fn`` ``runs`` times in a row with its clients counted (see the module)."""
    lam = client("lambda")
    before = lam.get_function_configuration(FunctionName=fn.name)
    layers = [layer["Arn"] for layer in before.get("Layers", [])]
    variables = (before.get("Environment") or {}).get("Variables", {})
    version = lam.publish_layer_version(
        LayerName=LAYER,
        Description="Counts the SDK clients a function creates (a check of Lambda Lab)",
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
        counted = []
        for _ in range(runs):
            invoked = fn.invoke(event)
            payload_of(invoked, event)  # a function error is a NotYet quoting it
            invocation = _counted(invoked.log)
            if invocation is None:
                raise NotYet(
                    "the check could not count the function's clients (its log has no "
                    "count): run the lesson's cells from the top, then the check again"
                )
            counted.append(invocation)
        return counted
    finally:
        lam.update_function_configuration(
            FunctionName=fn.name,
            Handler=before["Handler"],
            Layers=layers,
            Environment={"Variables": variables},
        )
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
        lam.delete_layer_version(LayerName=LAYER, VersionNumber=version["Version"])
