"""The platform's log lines, exactly as Lambda writes them to CloudWatch Logs.

https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html shows them:

    START RequestId: 8f5a... Version: $LATEST
    END RequestId: 8f5a...
    REPORT RequestId: 8f5a...  Duration: 15.74 ms  Billed Duration: 147 ms
        Memory Size: 128 MB  Max Memory Used: 56 MB  Init Duration: 130.49 ms

(one line in CloudWatch)
Fields are separated by tabs. ``Init Duration`` appears on cold starts only, and since
1 August 2025 the INIT phase is billed, so Billed Duration = ceil(Duration + Init Duration).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import sys
from datetime import UTC, datetime

# What the managed runtime logs before the first INIT. AWS writes e.g.
# "INIT_START Runtime Version: python:3.13.v32  Runtime Version ARN: arn:aws:lambda:
# us-east-1::runtime:<64 hex>", the same for every cold start of one runtime version.
# https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html
# The sandbox keeps the shape but says what really runs: the declared runtime, then
# "sandbox" and the kernel's Python (the handler runs on it, whatever Runtime says).
RUNTIME_VERSION = "python:{minor}.sandbox-python{running}"


def start_line(request_id: str, version: str = "$LATEST") -> str:
    return f"START RequestId: {request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


def billed_duration_ms(duration_ms: float, init_duration_ms: float | None = None) -> int:
    """Lambda bills whole milliseconds, rounded up, INIT included (since 2025-08-01)."""
    return max(1, math.ceil(duration_ms + (init_duration_ms or 0.0)))


def report_line(
    request_id: str,
    duration_ms: float,
    memory_size_mb: int,
    max_memory_used_mb: int,
    init_duration_ms: float | None = None,
    status: str | None = None,
    error_type: str | None = None,
) -> str:
    """The REPORT line; ``status`` is ``timeout`` or ``error`` when the invoke failed."""
    fields = [
        f"REPORT RequestId: {request_id}",
        f"Duration: {duration_ms:.2f} ms",
        f"Billed Duration: {billed_duration_ms(duration_ms, init_duration_ms)} ms",
        f"Memory Size: {memory_size_mb} MB",
        f"Max Memory Used: {max_memory_used_mb} MB",
    ]
    if init_duration_ms is not None:
        fields.append(f"Init Duration: {init_duration_ms:.2f} ms")
    if status:
        fields.append(f"Status: {status}")
    if error_type:
        fields.append(f"Error Type: {error_type}")
    return "\t".join(fields)


def runtime_version(runtime: str) -> str:
    """``python:3.13.sandbox-python3.11.9``: the declared runtime and the Python that runs."""
    running = ".".join(str(part) for part in sys.version_info[:3])
    return RUNTIME_VERSION.format(minor=runtime.removeprefix("python"), running=running)


def init_start_line(runtime: str, region: str) -> str:
    """The INIT_START line; its version ARN is stable per runtime version, as on AWS."""
    version = runtime_version(runtime)
    digest = hashlib.sha256(f"{region}/{version}".encode()).hexdigest()
    arn = f"arn:aws:lambda:{region}::runtime:{digest}"
    return f"INIT_START Runtime Version: {version}\tRuntime Version ARN: {arn}"


def timeout_line(request_id: str, timeout_s: float) -> str:
    """``2026-11-29T02:00:03.004Z <id> Task timed out after 3.00 seconds``"""
    return f"{iso_now()} {request_id} Task timed out after {timeout_s:.2f} seconds"


def exit_lines(request_id: str, reason: str) -> list[str]:
    """What Lambda logs when the runtime process dies (exit, signal, out of memory)."""
    return [
        f"RequestId: {request_id} Error: Runtime exited with error: {reason}",
        "Runtime.ExitError",
    ]


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def log_stream_name(version: str = "$LATEST") -> str:
    """AWS names one stream per execution environment: ``2026/11/29/[$LATEST]<32 hex>``."""
    return datetime.now(UTC).strftime("%Y/%m/%d/") + f"[{version}]{secrets.token_hex(16)}"


def split_runtime_output(text: str) -> list[str]:
    """Turn the worker's stdout into log events: one per line; ``\\r`` joins a record's lines."""
    return [line.replace("\r", "\n") for line in text.split("\n") if line.strip()]
