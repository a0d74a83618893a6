"""Lambda's CloudWatch metrics, written to the sandbox's CloudWatch as AWS writes them.

Lambda publishes, for each function, in the namespace ``AWS/Lambda`` with the dimension
``FunctionName``: ``Invocations``, ``Errors``, ``Throttles``, ``Duration`` (ms),
``ConcurrentExecutions``, ``DeadLetterErrors``, ``DestinationDeliveryFailures``,
``AsyncEventAge`` (ms), ``AsyncEventsReceived``, ``AsyncEventsDropped`` and
``RecursiveInvocationsDropped``. A lesson can read them with
``cloudwatch.get_metric_statistics`` and alarm on them with ``put_metric_alarm``.
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html

Example
-------
>>> cw = sb.client("cloudwatch")                                    # doctest: +SKIP
>>> cw.get_metric_statistics(Namespace="AWS/Lambda", MetricName="Errors",
...     Dimensions=[{"Name": "FunctionName", "Value": "resize"}],
...     StartTime=sb.clock.now() - timedelta(hours=1), EndTime=sb.clock.now(),
...     Period=60, Statistics=["Sum"])                                # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

NAMESPACE = "AWS/Lambda"
log = logging.getLogger(__name__)


class LambdaMetrics:
    """Writes Lambda's metrics into moto's CloudWatch backend, in-process.

    Parameters
    ----------
    account_id, region : str
        Where the metrics go.
    now : callable
        Returns the sandbox time (an aware datetime): metrics carry sandbox-clock times.
    """

    def __init__(self, account_id: str, region: str, now: Callable[[], datetime]) -> None:
        self.account_id = account_id
        self.region = region
        self.now = now

    def put(self, function_name: str, **values: float | tuple[float, str]) -> None:
        """Put metrics of one function.

        Example
        -------
        >>> metrics.put("resize", Invocations=1, Duration=(12.3, "Milliseconds"))  # doctest: +SKIP
        """
        from moto.cloudwatch.models import cloudwatch_backends

        timestamp = self.now().replace(tzinfo=None)  # moto keeps naive UTC datetimes
        data: list[dict[str, Any]] = []
        for name, value in values.items():
            value, unit = value if isinstance(value, tuple) else (value, "Count")
            data.append(
                {
                    "MetricName": name,
                    "Value": float(value),
                    "Unit": unit,
                    "Timestamp": timestamp,
                    "Dimensions": [{"Name": "FunctionName", "Value": function_name}],
                }
            )
        try:
            cloudwatch_backends[self.account_id][self.region].put_metric_data(NAMESPACE, data)
        except Exception:  # noqa: BLE001 - metrics must never break an invocation
            log.exception("could not put Lambda metrics for %s", function_name)

    def invocation(self, function_name: str, result: Any, concurrent: int) -> None:
        """One invocation ran: Invocations, Errors, Duration and ConcurrentExecutions."""
        self.put(
            function_name,
            Invocations=1,
            Errors=1 if result.function_error else 0,
            Duration=(result.duration_ms, "Milliseconds"),
            ConcurrentExecutions=concurrent,
        )
