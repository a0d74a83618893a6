"""Concurrency: how many invocations may run at once, and what happens beyond that.

Lambda counts *concurrent executions*: invocations running at the same moment. An
account has a limit per Region (1,000 by default), shared by every function. A function
can *reserve* part of it with ``put_function_concurrency``: that many executions are
kept for it alone, and it may never run more (0 switches the function off). Functions
without a reservation share what is left, the *unreserved* pool.

An invocation beyond the limit is *throttled*: a synchronous caller gets
``TooManyRequestsException`` (HTTP 429, message ``Rate Exceeded.``) with a ``Reason``
saying which limit was hit; asynchronous events and polled batches are retried later.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (TooManyRequestsException)

Example
-------
>>> limits = ConcurrencyLimits(account_limit=2)
>>> limits.acquire("resize")
>>> limits.acquire("resize")
>>> limits.acquire("resize")
Traceback (most recent call last):
...
lambdalab.sandbox.runtime.concurrency.Throttled: Rate Exceeded. (ConcurrentInvocationLimitExceeded)
>>> limits.release("resize")
>>> limits.concurrent_executions()
1
"""

from __future__ import annotations

import threading
from collections import Counter

DEFAULT_ACCOUNT_CONCURRENCY = 1000  # per account per Region (a soft quota)
CONCURRENT_LIMIT = "ConcurrentInvocationLimitExceeded"
RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded"


class Throttled(Exception):
    """An invocation Lambda refused because a concurrency limit was reached (HTTP 429).

    Attributes
    ----------
    reason : str
        ``ConcurrentInvocationLimitExceeded`` (the account's unreserved pool is used up)
        or ``ReservedFunctionConcurrentInvocationLimitExceeded`` (the function's own
        reserved concurrency is).
    """

    message = "Rate Exceeded."

    def __init__(self, reason: str) -> None:
        super().__init__(f"{self.message} ({reason})")
        self.reason = reason


class ConcurrencyLimits:
    """Counts running invocations and refuses those beyond the account's or function's limit.

    Parameters
    ----------
    account_limit : int
        The account's concurrency limit in this Region (1,000 unless a lesson lowers it).

    Example
    -------
    >>> limits = ConcurrencyLimits()
    >>> limits.acquire("orders", reserved=0)
    Traceback (most recent call last):
    ...
    lambdalab.sandbox.runtime.concurrency.Throttled: Rate Exceeded. \
(ReservedFunctionConcurrentInvocationLimitExceeded)
    """

    def __init__(self, account_limit: int = DEFAULT_ACCOUNT_CONCURRENCY) -> None:
        self.account_limit = account_limit
        self._running: Counter[str] = Counter()
        self._reserved: dict[str, int] = {}  # last reservation seen, per function
        self._lock = threading.Lock()
        self.peak: Counter[str] = Counter()  # highest concurrency seen, per function

    def set_reservations(self, reserved: dict[str, int]) -> None:
        """Every function's reservation, as configured now (the others have none)."""
        with self._lock:
            self._reserved = dict(reserved)

    def unreserved_limit(self) -> int:
        """What functions without a reservation share: the account limit minus reservations."""
        with self._lock:
            return self._unreserved_limit()

    def _unreserved_limit(self) -> int:
        return max(0, self.account_limit - sum(self._reserved.values()))

    def acquire(self, function_name: str, reserved: int | None = None) -> int:
        """Count one more running invocation of ``function_name``, or raise Throttled.

        Returns
        -------
        int
            The function's concurrent executions, this one included.
        """
        with self._lock:
            if reserved is None:
                self._reserved.pop(function_name, None)
                unreserved_running = sum(
                    n for name, n in self._running.items() if name not in self._reserved
                )
                if unreserved_running >= self._unreserved_limit():
                    raise Throttled(CONCURRENT_LIMIT)
            else:
                self._reserved[function_name] = int(reserved)
                if self._running[function_name] >= int(reserved):
                    raise Throttled(RESERVED_LIMIT)
            self._running[function_name] += 1
            count = self._running[function_name]
            self.peak[function_name] = max(self.peak[function_name], count)
            return count

    def release(self, function_name: str) -> None:
        """One invocation of ``function_name`` has ended."""
        with self._lock:
            self._running[function_name] -= 1
            if self._running[function_name] <= 0:
                del self._running[function_name]

    def concurrent_executions(self, function_name: str | None = None) -> int:
        """Invocations running now: of one function, or of the whole account."""
        with self._lock:
            if function_name is not None:
                return self._running[function_name]
            return sum(self._running.values())
