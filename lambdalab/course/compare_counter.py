"""Counts a function's calls of ``hmac.compare_digest`` in each invocation.

Never imported by the kit: the check of exercise 07.3 ("Verify the signature") publishes
this file in a layer (``python/lambdalab_compare_counter.py``) and, for the time of the
check, makes it the function's handler, as :mod:`client_counter` does for SDK clients.
At init it replaces ``hmac.compare_digest`` (and ``secrets.compare_digest``, the same
function) by a counting wrapper, then imports the learner's handler, so that however the
learner's code reaches the function (``hmac.compare_digest``, ``from hmac import
compare_digest``, ``secrets.compare_digest``) its calls are counted. Each invocation logs
one line, ``LAMBDALAB-COMPARES {"calls": n}``. Imported anywhere else (without
LAMBDALAB_COMPARED_HANDLER set), it does nothing.

Why it matters: ``==`` on two strings stops at the first character that differs, so its
duration tells a forger how much of a guessed signature was right; compare_digest takes
the same time whatever the content. https://docs.python.org/3/library/hmac.html
"""

from __future__ import annotations

import hmac
import importlib
import json
import os

MARK = "LAMBDALAB-COMPARES"
#: The variable that names the learner's handler (the function's own Handler setting).
HANDLER_VARIABLE = "LAMBDALAB_COMPARED_HANDLER"
_original = hmac.compare_digest
_calls = [0]


def _counted(a, b):
    _calls[0] += 1
    return _original(a, b)


def _start() -> None:
    """Count from now on, and import the function's own handler."""
    global _handler
    import secrets

    hmac.compare_digest = _counted
    secrets.compare_digest = _counted
    module_name, _, function_name = os.environ[HANDLER_VARIABLE].rpartition(".")
    _handler = getattr(importlib.import_module(module_name), function_name)


_handler = None
if os.environ.get(HANDLER_VARIABLE):  # only as a function's handler: inert when imported
    _start()


def handler(event, context):
    if _handler is None:
        raise RuntimeError(f"{HANDLER_VARIABLE} names no handler to count the calls of")
    _calls[0] = 0
    try:
        return _handler(event, context)
    finally:
        print(MARK, json.dumps({"calls": _calls[0]}), flush=True)
