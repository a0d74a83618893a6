"""Whether a deployed function compares signatures in constant time (hmac.compare_digest).

A signature compared with ``==`` gives the right answers, and still leaks: the comparison
stops at the first character that differs, so the time it takes tells a forger how much
of a guess was right. https://docs.python.org/3/library/hmac.html#hmac.compare_digest

:func:`compare_digest_calls` watches the function itself rather than timing it: for the
time of the check, the function gets a layer holding ``compare_counter.py`` as its
handler, which counts the calls of ``hmac.compare_digest`` (see that module). Its settings
are set back afterwards and the layer deleted (:mod:`watched`).
"""

from __future__ import annotations

from typing import Any

from lambdalab.course.probe import Deployed, payload_of
from lambdalab.course.watched import report, watched

LAYER = "lambdalab-compare-counter"
MARK = "LAMBDALAB-COMPARES"
HANDLER_VARIABLE = "LAMBDALAB_COMPARED_HANDLER"


def compare_digest_calls(fn: Deployed, event: Any) -> int | None:
    """How often one invocation of ``fn`` with ``event`` called hmac.compare_digest
    (None when it could not be counted)."""
    with watched(
        fn, "compare_counter.py", LAYER, HANDLER_VARIABLE, "Counts calls of hmac.compare_digest"
    ):
        invoked = fn.invoke(event)
        payload_of(invoked, event)  # a function error is a NotYet quoting it
    found = report(invoked.log, MARK)
    try:
        return int(found.get("calls", 0)) if found is not None else None
    except (TypeError, ValueError):
        return None
