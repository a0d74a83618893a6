"""Counts the AWS SDK clients a function creates: during its init, and in each invocation.

Never imported by the kit: the check of exercise 03.2 ("Reuse the client") publishes this
file in a layer (``python/lambdalab_client_counter.py``) and, for the time of the check,
makes it the function's handler. Lambda runs a handler found on ``sys.path``, and puts a
layer's ``python/`` folder there. At init it imports the learner's handler (its module-level
code runs now, as it would at the learner's own init); each invocation calls it, and logs
one line, ``LAMBDALAB-CLIENTS {...}``: the clients created during init and during that
invocation, the line of the learner's code that created each one (from the stack), and
which of them the invocation used (an API call, or a presigned URL). Imported anywhere
else (without LAMBDALAB_COUNTED_HANDLER set), it does nothing.

Every boto3 client, and every resource's client, comes from botocore's
``Session.create_client``: the one place counted.
https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html (initialize SDK clients
outside the function handler)
"""

from __future__ import annotations

import importlib
import json
import os
import threading
import traceback
import uuid

import botocore.session

MARK = "LAMBDALAB-CLIENTS"
#: The variable that names the learner's handler (the function's own Handler setting).
HANDLER_VARIABLE = "LAMBDALAB_COUNTED_HANDLER"
_ROOT = os.path.realpath(os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd())
_SDK = ("boto3", "botocore", "s3transfer")
_environment = uuid.uuid4().hex[:8]
_created: list[dict] = []  # {"n", "phase", "service", "file", "line", "code"}
_used: set[int] = set()
_phase = ["init"]
_local = threading.local()
_create_client = botocore.session.Session.create_client


def _learner_line() -> tuple[str, int, str]:
    """The innermost frame of the function's own package (not the SDK vendored in it)."""
    for frame in reversed(traceback.extract_stack()):
        path = os.path.realpath(frame.filename)
        if not path.startswith(_ROOT + os.sep):
            continue
        relative = os.path.relpath(path, _ROOT)
        if relative.split(os.sep)[0] in _SDK:
            continue
        return relative, frame.lineno or 0, (frame.line or "").strip()
    return "", 0, ""


def _watch(made, n: int):
    """Note ``n`` as used whenever the client calls AWS or presigns a URL."""
    for method in ("_make_api_call", "generate_presigned_url", "generate_presigned_post"):
        original = getattr(made, method, None)
        if original is None:
            continue

        def used(*args, _original=original, **kwargs):
            if _phase[0] == "invocation":
                _used.add(n)
            return _original(*args, **kwargs)

        setattr(made, method, used)
    return made


def create_client(self, service_name, *args, **kwargs):
    depth = getattr(_local, "depth", 0)
    _local.depth = depth + 1
    try:
        made = _create_client(self, service_name, *args, **kwargs)
    finally:
        _local.depth = depth
    if depth or _phase[0] is None:
        return made
    file, line, code = _learner_line()
    n = len(_created)
    _created.append(
        {
            "n": n,
            "phase": _phase[0],
            "service": service_name,
            "file": file,
            "line": line,
            "code": code[:160],
        }  # fmt: skip
    )
    return _watch(made, n)


def _start() -> None:
    """Count from now on, and import the function's own handler: its init, counted."""
    global _handler, _init
    botocore.session.Session.create_client = create_client
    name = os.environ[HANDLER_VARIABLE]
    module_name, _, function_name = name.rpartition(".")
    try:
        _handler = getattr(importlib.import_module(module_name), function_name)
    finally:
        _phase[0] = None
    _init = len(_created)


_handler = None
_init = 0
if os.environ.get(HANDLER_VARIABLE):  # only as a function's handler: inert when imported
    _start()


def handler(event, context):
    if _handler is None:
        raise RuntimeError(f"{HANDLER_VARIABLE} names no handler to count the clients of")
    start = len(_created)
    _used.clear()
    _phase[0] = "invocation"
    try:
        return _handler(event, context)
    finally:
        _phase[0] = None
        report = {
            "environment": _environment,
            "init": _created[:_init],
            "invocation": _created[start:],
            "used": sorted(_used),
        }
        print(MARK, json.dumps(report), flush=True)
