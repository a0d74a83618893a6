"""Provisioned concurrency: environments initialised in advance, after an allocation.

``PutProvisionedConcurrencyConfig`` does not make environments ready at once. AWS answers
with ``Status: IN_PROGRESS`` (``AllocatedProvisionedConcurrentExecutions`` still 0 for a
new configuration) and allocates the environments in the background, running their
init code; the status becomes ``READY`` once they are all initialised, or ``FAILED``
(with a ``StatusReason``) when the init code fails. Until then invocations are served by
on-demand environments, cold starts included. AWS gives no figure for how long
allocation takes (minutes, in practice); the sandbox takes :data:`ALLOCATION_TIME` on
the *sandbox clock*, so ``sb.clock.advance(minutes=2)`` or ``sb.wait()`` moves it on
without waiting in real time (and it happens by itself after 2 real minutes).

- https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
- https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html
  (Status: IN_PROGRESS | READY | FAILED)

Provisioned concurrency is billed per GB-second of the configured concurrency while it
is enabled, that time rounded up to 5 minutes (see :mod:`lambdalab.pricing`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .clock import SandboxClock, Timer

ALLOCATION_TIME = timedelta(minutes=2)


class ProvisionedConcurrency:
    """The provisioned concurrency configurations of one account, keyed (name, qualifier).

    ``provision(config, count)`` is the engine's: it initialises ``count`` environments
    and returns the error types of those whose init failed.
    """

    def __init__(self, clock: SandboxClock, provision: Callable[[Any, int], list[str]]) -> None:
        self._clock = clock
        self._provision = provision
        self._configs: dict[tuple[str, str], dict[str, Any]] = {}
        self._allocations: dict[tuple[str, str], Timer] = {}
        self._lock = threading.Lock()

    def _stamp(self) -> str:
        return self._clock.now().strftime("%Y-%m-%dT%H:%M:%S.000+0000")

    def get(self, key: tuple[str, str]) -> dict[str, Any] | None:
        """GetProvisionedConcurrencyConfig: a copy of the record, None if there is none."""
        with self._lock:
            record = self._configs.get(key)
            return dict(record) if record else None

    def put(self, key: tuple[str, str], config: Any, requested: int) -> dict[str, Any]:
        """PutProvisionedConcurrencyConfig: IN_PROGRESS now, READY after the allocation."""
        with self._lock:
            self._cancel(key)
            before = self._configs.get(key, {})
            allocated = before.get("AllocatedProvisionedConcurrentExecutions", 0)
            record = {
                "RequestedProvisionedConcurrentExecutions": requested,
                "AvailableProvisionedConcurrentExecutions": min(allocated, requested),
                "AllocatedProvisionedConcurrentExecutions": min(allocated, requested),
                "Status": "IN_PROGRESS",
                "LastModified": self._stamp(),
            }
            self._configs[key] = record
            when = self._clock.now() + ALLOCATION_TIME
            self._allocations[key] = self._clock.call_at(
                when, self._allocate, key, config, requested
            )
            return dict(record)

    def delete(self, key: tuple[str, str], config: Any) -> None:
        """DeleteProvisionedConcurrencyConfig: the environments are no longer kept."""
        with self._lock:
            self._cancel(key)
            self._configs.pop(key, None)
        self._provision(config, 0)

    def next_due(self) -> datetime | None:
        """When the next allocation completes on the sandbox clock (for ``sb.wait()``)."""
        with self._lock:
            pending = [t.when for t in self._allocations.values() if not t.cancelled]
        return min(pending) if pending else None

    def clear(self) -> None:
        """Forget every configuration (a reset account)."""
        with self._lock:
            for key in list(self._allocations):
                self._cancel(key)
            self._configs.clear()

    def _cancel(self, key: tuple[str, str]) -> None:
        timer = self._allocations.pop(key, None)
        if timer is not None:
            timer.cancel()

    def _allocate(self, key: tuple[str, str], config: Any, requested: int) -> None:
        """The allocation ends: initialise the environments, then READY or FAILED."""
        with self._lock:
            if key not in self._allocations:
                return  # deleted or replaced meanwhile
            del self._allocations[key]
        errors = self._provision(config, requested)
        ready = requested - len(errors)
        with self._lock:
            record = self._configs.get(key)
            if record is None or record["RequestedProvisionedConcurrentExecutions"] != requested:
                return
            record.update(
                AvailableProvisionedConcurrentExecutions=ready,
                AllocatedProvisionedConcurrentExecutions=ready,
                Status="FAILED" if errors else "READY",
            )
            if errors:
                record["StatusReason"] = f"FUNCTION_ERROR_INIT_FAILURE: {errors[0]}"
