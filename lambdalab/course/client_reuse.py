"""Where a deployed function creates its SDK clients: at init, or in its invocations.

Lambda runs a function's module-level code once per execution environment (its init) and
the handler on every invocation; a client created at init is reused by every warm
invocation, one created in the handler is built again each time.
https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html

:func:`count_clients` watches the function itself rather than timing it: for the time of
the check, the function gets a layer holding ``client_counter.py`` as its handler, which
imports the function's own handler and counts the clients created (see that module). Its
settings are set back afterwards and the layer deleted (:mod:`watched`), so the
grader (outside the kernel) counts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lambdalab.course.probe import Deployed, NotYet, payload_of
from lambdalab.course.watched import report, watched

LAYER = "lambdalab-client-counter"
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


def _counted(log: str) -> Invocation | None:
    found = report(log, MARK)
    if found is None:
        return None
    return Invocation(
        str(found.get("environment", "")),
        [Created.of(r) for r in found.get("init", [])],
        [Created.of(r) for r in found.get("invocation", [])],
        {int(n) for n in found.get("used", [])},
    )


def count_clients(fn: Deployed, event: Any, runs: int = 3) -> list[Invocation]:
    """Invoke ``fn`` ``runs`` times in a row with its clients counted (see the module)."""
    counted = []
    with watched(
        fn,
        "client_counter.py",
        LAYER,
        HANDLER_VARIABLE,
        "Counts the SDK clients a function creates",
    ):
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
