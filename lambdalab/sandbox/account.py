"""The offline AWS that every lesson runs against.

``lambdalab.sandbox()`` starts moto's server on 127.0.0.1 inside the notebook's kernel,
points this process's AWS SDK at it (fake credentials, a region, ``AWS_ENDPOINT_URL``)
and wires the local Lambda engine in, so that ``boto3.client("lambda").invoke(...)``
really runs the handler, in its own worker process. No AWS account, no network, no cost.

Example
-------
>>> import lambdalab
>>> sb = lambdalab.sandbox()                      # doctest: +SKIP
>>> s3 = sb.client("s3")                          # same as boto3.client("s3") now
>>> s3.create_bucket(Bucket="photos")             # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import html
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3

from . import cloudformation, moto_patch
from .clock import SandboxClock
from .control import ControlServer
from .deploy_sources import DeploySource
from .failures import (
    Failure,
    FailureLog,
    SandboxStuck,
    describe_trigger,
    recover_hint,
    stuck_message,
)
from .links import EndpointURL
from .local_server import free_port
from .provisioned import ProvisionedConcurrency
from .runtime import stuck
from .runtime.concurrency import DEFAULT_ACCOUNT_CONCURRENCY, Throttled
from .runtime.engine import LambdaEngine
from .runtime.execution_environment import FunctionConfig, InvocationResult
from .triggers import Triggers, recursion
from .triggers.async_invoke import AsyncInvoker
from .triggers.metrics import LambdaMetrics
from .triggers.pollers import Pollers

ACCOUNT_ID = "123456789012"  # moto's default account
DEFAULT_REGION = "us-east-1"
DEFAULT_RUNTIME = "python3.13"
BASIC_ROLE = "lambdalab-basic-execution"
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
# What the sandbox sets for this process while it runs (restored by stop()).
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
RECOVER_WAIT_S = 10.0  # recover() lets running invocations end for up to this long
CONTROL_VARIABLE = "LAMBDALAB_CONTROL_URL"  # see lambdalab.sandbox.control
HIDDEN_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI")

_current: Sandbox | None = None
_lock = threading.Lock()


class SandboxError(RuntimeError):
    """Something a learner can fix; the message says how."""


class DeployError(SandboxError, ValueError):
    """A deployment package that Lambda would not be able to run."""


class AccountConcurrencyError(SandboxError, ValueError):
    """An account limit that reserved concurrency would leave under Lambda's minimum."""


def sandbox(region: str = DEFAULT_REGION, runtime_client: str | None = None) -> Sandbox:
    """Start the offline AWS, or return the one already running in this kernel.

    Parameters
    ----------
    region:
        The AWS Region the sandbox pretends to be.
    runtime_client:
        ``"awslambdaric"`` (AWS's own, the default on Linux) or ``"builtin"``.

    Example
    -------
    >>> sb = sandbox()          # doctest: +SKIP
    >>> sb is sandbox()         # doctest: +SKIP
    True
    """
    global _current
    with _lock:
        if _current is not None and _current.running:
            if region != _current.region:
                raise SandboxError(
                    f"A sandbox for {_current.region} is already running in this kernel. "
                    "Call lambdalab.sandbox().stop() first, or use the running one."
                )
            return _current
        _current = Sandbox(region=region, runtime_client=runtime_client)
        return _current


def _warm_up() -> None:
    """Import moto's slowest services in the background while the learner reads.

    moto's API Gateway validates OpenAPI documents with jsonschema, whose first import
    builds a parser grammar: seconds that would otherwise land on the first API call.
    """
    import importlib

    for module in ("moto.apigatewayv2.models", "moto.apigateway.models", "moto.events.models"):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - only an optimisation
            return


@dataclass
class LogView:
    """Log lines of a function, readable in a notebook (START/END/REPORT highlighted)."""

    group: str
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [e["message"] for e in self.events]

    @property
    def reports(self) -> list[str]:
        """The REPORT lines, for example to price them with lambdalab.pricing."""
        return [line for line in self.lines if line.startswith("REPORT ")]

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return f"{self.group} ({len(self.events)} lines)\n{self}"

    def _repr_html_(self) -> str:
        rows = []
        for line in self.lines:
            text = html.escape(line).replace("\t", "    ")
            if line.startswith(("START", "END", "REPORT", "INIT_")):
                text = f'<span style="color:#6b7280">{text}</span>'
            if "[ERROR]" in line or "Error" in line.split(" ", 1)[0] or "timed out" in line:
                text = f'<span style="color:#b91c1c">{text}</span>'
            rows.append(text)
        body = "\n".join(rows) or "(no log lines yet)"
        return (
            f'<div><b>{html.escape(self.group)}</b><pre style="white-space:pre-wrap;'
            f'font-size:12px;border-left:3px solid #f59e0b;padding-left:8px">{body}</pre></div>'
        )


class Deployment(dict):
    """The function configuration boto3 returned, shown as one line in a notebook."""

    def __repr__(self) -> str:
        return (
            f"Deployed {self.get('FunctionName')} ({self.get('Runtime')}, handler "
            f"{self.get('Handler')}, {self.get('MemorySize')} MB, timeout {self.get('Timeout')} s"
            f"): {self.get('State')}"
        )

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython uses this for dicts
        printer.text(repr(self))


class Sandbox:
    """A running offline AWS: moto's server, the Lambda engine and the sandbox clock.

    Use :func:`sandbox` to get one. ``with lambdalab.sandbox() as sb: ...`` stops it at
    the end of the block.
    """

    def __init__(self, region: str = DEFAULT_REGION, runtime_client: str | None = None):
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log in the notebook
        self.region = region
        self.account_id = ACCOUNT_ID
        self.clock = SandboxClock()
        self._workdir = Path(tempfile.mkdtemp(prefix="lambdalab-"))
        self._saved_env: dict[str, str | None] = {}
        self.recursion = recursion.RecursionGuard()  # RecursiveLoop settings, SQS chains
        self.runaway = recursion.RunawayGuard()  # loops through any trigger (not AWS; README)
        self._loop_code: dict[str, tuple] = {}  # function -> (its code, its loop in words)
        self._paused: dict[str, dict] = {}  # function -> {"code", "loop", "said"} (recover)
        self._loops_said: set[str] = set()  # chains AWS's depth limit stopped, said once
        self._failures = FailureLog()  # sb.failures(), SandboxStuck (lambdalab.sandbox.failures)
        self.metrics = LambdaMetrics(self.account_id, region, self.clock.now)
        port = free_port("endpoint")
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        self.endpoint_url = f"http://127.0.0.1:{port}"
        self._set_environment()
        self.engine = LambdaEngine(
            self._workdir,
            base_env={
                **FAKE_CREDENTIALS,
                "AWS_ENDPOINT_URL": self.endpoint_url,
            },
            log_sink=self._write_logs,
            runtime_client=runtime_client,
        )
        self.engine.now = lambda: self.clock.now().timestamp()  # idle reaping, sandbox time
        self._provisioned = ProvisionedConcurrency(self.clock, self.engine.provision)
        self._sources: dict[str, DeploySource] = {}  # what sb.deploy() zipped, per function
        self.account_concurrency_set_by = ""  # the cell that last set the account's limit
        self._async = AsyncInvoker(self)  # Lambda's queue for asynchronous invocation
        self.pollers = Pollers(self)  # SQS and DynamoDB stream event source mappings
        moto_patch.install(
            self._invoke,
            on_event_source_mapping=lambda esm: self.pollers.sync(),
            on_sqs_message=self._remember_sqs_chain,
            recursion_config=self.recursion,
            provisioned_concurrency=self._provisioned_concurrency,
            account_concurrency=lambda: self.engine.concurrency.account_limit,
            now=self.clock.now,
        )
        self.triggers = Triggers(self)  # API Gateway, function URLs, EventBridge (issue 4)
        self.triggers.start()
        cloudformation.install_on_first_use(  # stacks and SAM templates (issue 25)
            self._server._server.app, self.endpoint_url, self.url
        )
        threading.Thread(target=_warm_up, name="sandbox-warm-up", daemon=True).start()
        self._control = ControlServer(self)  # wait/logs/url/clock for the grader's checks
        self._saved_env.setdefault(CONTROL_VARIABLE, os.environ.get(CONTROL_VARIABLE))
        os.environ[CONTROL_VARIABLE] = self._control.url
        self._stopping = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="sandbox-clock", daemon=True)
        self._ticker.start()
        self.running = True
        atexit.register(self.stop)

    # -- process environment -----------------------------------------------------------
    def _set_environment(self) -> None:
        values = {
            **FAKE_CREDENTIALS,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
            # No real configuration or credentials file is read while the sandbox runs.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        for name in [*values, *HIDDEN_VARIABLES]:
            self._saved_env[name] = os.environ.get(name)
        for name in HIDDEN_VARIABLES:
            os.environ.pop(name, None)
        os.environ.update(values)
        boto3.DEFAULT_SESSION = None  # forget credentials cached before the sandbox

    def _restore_environment(self) -> None:
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        boto3.DEFAULT_SESSION = None

    # -- clients ---------------------------------------------------------------------
    def client(self, service: str, **kwargs: Any):
        """A boto3 client for the sandbox (``boto3.client(service)`` works as well)."""
        kwargs.setdefault("region_name", self.region)
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return boto3.client(service, **kwargs)

    def resource(self, service: str, **kwargs: Any):
        """A boto3 resource for the sandbox, e.g. ``sb.resource("dynamodb")``."""
        kwargs.setdefault("region_name", self.region)
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return boto3.resource(service, **kwargs)

    def url(self, api_id_or_function_name: str, stage: str | None = None) -> str:
        """Base URL of a REST API stage, an HTTP API or a function URL, served on 127.0.0.1.

        Example
        -------
        >>> api = sb.client("apigatewayv2").create_api(                  # doctest: +SKIP
        ...     Name="hello", ProtocolType="HTTP", Target=function_arn)
        >>> urllib.request.urlopen(sb.url(api["ApiId"]) + "/hi").read()  # doctest: +SKIP

        The URL is a plain ``str``; shown in a notebook it also gives a link through the
        learner's own Jupyter server (``.proxy``), which opens in any browser that has
        the notebook open: on a laptop, on Binder, on a JupyterHub (lambdalab.sandbox.links).
        """
        return EndpointURL(self.triggers.url(api_id_or_function_name, stage))

    # -- invocations -----------------------------------------------------------------
    def _config(self, fn: Any) -> FunctionConfig:
        return moto_patch.function_config(fn, self.engine.unpack_code, self.engine.unpack_layers)

    def _invoke(
        self,
        fn: Any,
        payload: bytes,
        invocation_type: str,
        client_context: str | None,
        trigger: str | None = None,
        invoked_arn: str | None = None,
    ) -> InvocationResult | str:
        """Called by moto for every invocation of a function (see moto_patch).

        ``"Event"`` (asynchronous) invocations go to Lambda's internal queue and return
        their request id at once; others run now and may raise ``Throttled`` (429) or
        ``RecursiveLoopDetected``. The chain of the AWS request being handled (see
        :mod:`lambdalab.sandbox.triggers.recursion`) follows the invocation. ``invoked_arn`` is
        the ARN the caller named (an alias's ends in ``:live``), the handler's
        ``context.invoked_function_arn``.
        """
        lineage = recursion.incoming_lineage()
        default = "asynchronous Invoke" if invocation_type == "Event" else "Invoke"
        trigger = trigger or describe_trigger(payload, default)
        if lineage[1] and not recursion.aws_tracks(trigger):
            self.recursion.untracked_hop(lineage)  # a rule, a Kinesis stream: AWS counts anew
        if invocation_type == "Event":
            return self._async.submit(fn, payload, lineage, trigger)
        return self._run(
            fn,
            payload,
            client_context=client_context,
            lineage=lineage,
            trigger=trigger,
            invoked_arn=invoked_arn,
        )

    def _run(
        self,
        fn: Any,
        payload: bytes,
        *,
        request_id: str | None = None,
        client_context: str | None = None,
        lineage: tuple[str, int] | None = None,
        trigger: str = "Invoke",
        invoked_arn: str | None = None,
        retries: int | None = None,
    ) -> InvocationResult:
        """One invocation as Lambda's front end runs it: loop check, throttle, run, metrics.

        A failed invocation is recorded for ``sb.failures()`` under ``trigger`` (who
        called, in words); a successful one clears that function's recorded errors.
        ``retries``: an asynchronous event's retry count (what AWS would do with a
        function that keeps running, said when the sandbox ends one: runtime/stuck.py).
        """
        config = self._config(fn)
        name = config.function_name
        try:
            lineage = self.recursion.check(name, lineage or recursion.new_lineage())
        except recursion.RecursiveLoopDetected as error:
            self._write_logs(config, "lambdalab-recursion", [recursion.loop_log_line(error)])
            self.metrics.put(name, RecursiveInvocationsDropped=1)
            if error.lineage_id not in self._loops_said:  # once per chain
                self._loops_said.add(error.lineage_id)
                self._loop_found(name, lineage or (error.lineage_id, 0), trigger, by_aws=True)
            raise
        reserved = getattr(fn, "reserved_concurrency", None)
        try:
            result = self.engine.invoke(
                config,
                payload,
                request_id,
                client_context,
                reserved_concurrency=None if reserved in (None, "") else int(reserved),
                trace_id=recursion.trace_header(*lineage),
                invoked_arn=invoked_arn,
            )
        except Throttled:
            self.metrics.put(name, Throttles=1)
            raise
        concurrent = self.engine.concurrency.concurrent_executions(name) + 1
        self.metrics.invocation(name, result, concurrent)
        if result.function_error and result.running_at:  # a timeout, its line seen
            self._failures.record_timeout(
                name,
                trigger,
                result.payload,
                result.running_at,
                result.running_guess,
                config.timeout,
                result.stopped_after_s,
                retries,
            )
        elif result.function_error:
            steps = self.runaway.cycle(lineage[0], name)  # ran on what it wrote itself?
            self._failures.record_error(
                name,
                trigger,
                result.payload,
                result.error_type,
                result.log_lines,
                loop=recursion.describe_loop(steps) if steps else None,
            )
        else:
            self._failures.clear(name, keep_loops=True)
        return result

    def _runaway(self, function_name: str, lineage: tuple[str, int], trigger: str) -> bool:
        """Is this invocation part of a loop the sandbox stopped? (triggers/recursion.py)

        Called wherever an event is about to be delivered (an asynchronous event is
        accepted, a poller has a batch), with the chain the event belongs to.
        """
        seen_by_aws = recursion.aws_tracks(trigger)
        verdict = self.runaway.observe(
            function_name,
            lineage,
            trigger,
            recursion.FANOUT_LIMIT if seen_by_aws else recursion.UNTRACKED_LIMIT,
        )
        if verdict == "ok":
            return False
        if verdict == "stopped":
            self._loop_found(function_name, lineage, trigger, by_aws=False)
        return True

    def _loop_found(
        self, function_name: str, lineage: tuple[str, int], trigger: str, by_aws: bool
    ) -> None:
        """Name a loop that was stopped (by AWS's depth limit, or by the sandbox) and
        record it as a Failure of kind "loop": sb.wait() and the checks say it."""
        total = self.runaway.invocations(lineage[0])
        steps = self.runaway.cycle(lineage[0], function_name)
        if len(steps) < 2:
            steps = [(function_name, trigger), (function_name, trigger)]
        named = recursion.describe_loop(steps)
        through = sorted({t for _, t in steps[1:]})
        aws_sees = all(recursion.aws_tracks(t) for t in through)
        allowed = [
            name for name in {n for n, _ in steps} if self.recursion.get_config(name) == "Allow"
        ]
        if by_aws:
            detail = (
                f"{named}: AWS's recursive loop detection stops this loop too: the chain "
                f"reached {recursion.MAX_CHAIN_INVOCATIONS} invocations and the next was "
                "dropped (AWS then notifies you by e-mail and in the AWS Health Dashboard)."
            )
        elif aws_sees and not allowed:
            detail = (
                f"{named} (a loop of {total} invocations so far). AWS would stop it too, "
                "with its recursive loop detection, but only when the chain is "
                f"{recursion.MAX_CHAIN_INVOCATIONS} invocations deep, which for a function "
                "that starts more than one new invocation each time means thousands of "
                "invocations (billed); the sandbox stopped it now and drops the rest of "
                "that chain's events."
            )
        else:
            outside = [t for t in through if not recursion.aws_tracks(t)]
            why = (
                f"its recursive loop detection does not follow the {', '.join(outside)} "
                "(only SQS, SNS, S3 and Lambda itself)"
                if outside
                else f"RecursiveLoop is Allow for {', '.join(sorted(allowed))}"
            )
            detail = (
                f"{named} (a loop of {total} invocations so far). AWS would NOT stop it: "
                f"{why}, so on AWS it would run, and bill, until you stopped it. The "
                "sandbox stopped it now and drops the rest of that chain's events."
            )
        message = f"Lambda Lab: loop stopped: {detail}"
        self._write_logs(self._config_or_none(function_name), "lambdalab-loop", [message])
        self._failures.add(Failure(function_name, trigger, count=total, kind="loop", detail=detail))
        self._loop_code[function_name] = (self._fingerprint(function_name), named)
        if not by_aws:
            self.metrics.put(function_name, RecursiveInvocationsDropped=1)

    def _fingerprint(self, function_name: str) -> tuple | None:
        """What changes when a function is deployed again (code or configuration)."""
        from moto.awslambda.models import lambda_backends

        try:
            fn = lambda_backends[self.account_id][self.region].get_function(function_name)
        except Exception:  # noqa: BLE001 - deleted
            return None
        return (getattr(fn, "code_sha_256", ""), str(getattr(fn, "last_modified", "")))

    def paused(self, function_name: str, trigger: str | None = None) -> bool:
        """Are the function's triggers paused by ``recover(name)`` after a loop?

        They stay paused until the function is deployed again (code or configuration).
        With ``trigger`` (an event of it is being dropped), the first drop per trigger
        is recorded as a Failure, so that ``sb.wait()`` and the checks say why nothing ran.
        """
        pause = self._paused.get(function_name)
        if pause is None:
            return False
        if self._fingerprint(function_name) != pause["code"]:
            self._paused.pop(function_name, None)  # redeployed: its triggers run again
            self._failures.forget(function_name, "loop")
            return False
        if trigger is not None and trigger not in pause["said"]:
            pause["said"].add(trigger)
            self._failures.add(
                Failure(
                    function_name,
                    trigger,
                    count=1,
                    kind="loop",
                    detail=(
                        f"{function_name}'s triggers are paused, so the {trigger} did not "
                        f"invoke it: {recover_hint(function_name)} stopped its loop "
                        f"({pause['loop']}). Fix the handler and deploy it again: its "
                        "triggers then run again."
                    ),
                )
            )
        return True

    def _config_or_none(self, function_name: str) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(log_group_name=f"/aws/lambda/{function_name}")

    def _internal_error(self, function_name: str, trigger: str, error: BaseException) -> None:
        """A sandbox bug met while delivering to a function: recorded once, clearly."""
        self._failures.add(
            Failure(
                function_name,
                trigger,
                kind="internal",
                error_type=type(error).__name__,
                error_message=str(error),
                detail=f"{type(error).__name__}: {error}.",
            )
        )

    def failures(self, function_name: str | None = None) -> list[Failure]:
        """What failed since the last ``recover()``, ``reset()`` or success, newest last.

        Each :class:`lambdalab.sandbox.failures.Failure` names the function, its trigger, how many
        invocations failed, the error (type, message, the line of your handler) and the
        last ``[ERROR]`` log line; ``print(failure)`` says what to do.

        Example
        -------
        >>> for failure in sb.failures("stream-counter"):     # doctest: +SKIP
        ...     print(failure)
        """
        return self._failures.list(function_name)

    def recover(self, function_name: str | None = None) -> str:
        """Stop what is in flight for one function (or the whole sandbox), keep the rest.

        Drops pending and parked asynchronous events and their retries, the failing batch
        of each queue and stream mapping of the function (the failed SQS messages are
        deleted; a failing stream batch is skipped), and what is left of a runaway loop;
        forgets the recorded failures. A function whose loop was stopped has its
        triggers paused (mappings, SNS subscriptions, rules' targets, S3 notifications
        to it) until it is deployed again. Buckets, tables, queues, functions, mappings and
        rules stay. An invocation already running is let finish (up to 10 s) and what it
        sent meanwhile is dropped too. For the whole sandbox (no ``function_name``) it
        also sets the account's concurrency limit back to AWS's default (1,000) when an
        earlier cell lowered it (``set_account_concurrency``), and says so. A function's
        own settings (reserved concurrency, aliases, layers) are the lesson's and stay.
        Returns a one-line summary.

        Use it when ``sb.wait()`` raises SandboxStuck and you do not want to fix the
        handler first, or after fixing it, to forget the old events instead of retrying
        them. Not an AWS API: on AWS you would purge the queue, delete the mapping or
        wait for the records to expire.

        Example
        -------
        >>> sb.recover("stream-counter")                      # doctest: +SKIP
        Recovered stream-counter: dropped 0 asynchronous event(s) and 1 failing batch(es); \
buckets, tables, queues and functions are kept.
        """
        events = self._async.recover(function_name)
        batches = self.pollers.recover(function_name)
        # An invocation already running ends first (up to RECOVER_WAIT_S); what it sent
        # meanwhile (a retry, a new event) is dropped by a second pass.
        deadline = time.monotonic() + RECOVER_WAIT_S
        while self.engine.concurrency.concurrent_executions(function_name) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.02)
        events += self._async.recover(function_name)
        batches += self.pollers.recover(function_name)
        paused = self._pause_loops(function_name)
        self._failures.clear(function_name)
        stuck.forget(function_name)  # its next invocations get the full time again
        who = function_name or "the sandbox"
        restored = ""
        limit = self.account_concurrency
        if function_name is None and limit != DEFAULT_ACCOUNT_CONCURRENCY:
            self.set_account_concurrency(DEFAULT_ACCOUNT_CONCURRENCY)
            restored = (
                f" The account concurrency limit is back to AWS's default, "
                f"{DEFAULT_ACCOUNT_CONCURRENCY:,} (it was {limit})."
            )
        summary = (
            f"Recovered {who}: dropped {events} asynchronous event(s) and "
            f"{batches} failing batch(es); buckets, tables, queues and functions are kept."
            + restored
        )
        if paused:
            summary += (
                f" The loop of {', '.join(paused)} is stopped for good: "
                f"{'its' if len(paused) == 1 else 'their'} triggers (event source mappings, "
                "SNS subscriptions, EventBridge rules and S3 notifications) are paused until "
                "you deploy the function again (code or configuration). Not an AWS API: on "
                "AWS you would set its reserved concurrency to 0 (the console's Throttle "
                "button) or disable its triggers."
            )
        return Summary(summary)

    def _pause_loops(self, function_name: str | None) -> list[str]:
        """Pause the triggers of a function whose loop was stopped (``recover(name)``).

        Only while its code is the code that looped: a function deployed again since is
        not paused, it may be the fix. ``recover()`` for the whole sandbox pauses nothing.
        """
        if function_name is None:
            return []
        loops = [
            f
            for f in self._failures.list(function_name)
            if f.kind == "loop" and f.function_name == function_name
        ]
        code, loop = self._loop_code.get(function_name, (None, ""))
        if not loops or code is None or code != self._fingerprint(function_name):
            return []
        self._paused[function_name] = {"code": code, "loop": loop, "said": set()}
        return [function_name]

    def _remember_sqs_chain(self, message_id: str) -> None:
        """An SQS message sent by a handler keeps its chain (recursive loop detection)."""
        lineage_id, count = recursion.incoming_lineage()
        if count:
            self.recursion.remember_message(message_id, (lineage_id, count))

    def _provisioned_concurrency(
        self, name: str, qualifier: str, method: str, requested: int | None
    ) -> tuple[int, dict[str, Any] | None]:
        """PutProvisionedConcurrencyConfig and friends (moto lacks them).

        Provisioned concurrency keeps environments of a published version or alias
        initialised, so their invocations start warm, once allocated (IN_PROGRESS, then
        READY on the sandbox clock: see lambdalab.sandbox.provisioned); it is billed per
        GB-second while configured (see lambdalab.pricing).
        https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
        """
        from moto.awslambda.models import lambda_backends

        key = (name, qualifier)
        if method == "GET":
            return 200, self._provisioned.get(key)
        fn = lambda_backends[self.account_id][self.region].get_function(name, qualifier)
        config = self._config(fn)
        if method == "DELETE":
            self._provisioned.delete(key, config)
            return 204, None
        return 202, self._provisioned.put(key, config, requested)  # IN_PROGRESS, then READY

    @property
    def account_concurrency(self) -> int:
        """The account's concurrency limit in this Region (``set_account_concurrency``)."""
        return self.engine.concurrency.account_limit

    def set_account_concurrency(self, limit: int = DEFAULT_ACCOUNT_CONCURRENCY) -> None:
        """Set the account's concurrency limit for this Region (AWS's default: 1,000).

        A lesson lowers it to see throttling: ``sb.set_account_concurrency(2)``. As in
        AWS, the limit must leave 100 executions unreserved (the whole limit, below 100):
        a limit that reserved concurrency would eat into is refused with a ValueError
        naming the functions to release first.
        """
        if int(limit) < 0:
            raise AccountConcurrencyError(
                "the account concurrency limit is a number of executions, >= 0"
            )
        from moto.awslambda.models import lambda_backends

        # The reservations of today's functions: one deleted since, or whose reservation
        # was removed, must not keep its share out of the unreserved pool.
        backend = lambda_backends[self.account_id][self.region]
        reserved = moto_patch.reserved_concurrency(backend)
        minimum = moto_patch.minimum_unreserved(int(limit))
        if int(limit) - sum(reserved.values()) < minimum:
            holders = [(name, n) for name, n in sorted(reserved.items()) if n]
            names = ", ".join(f"{name} ({n})" for name, n in holders)
            raise AccountConcurrencyError(
                f"an account concurrency limit of {int(limit)} would leave "
                f"{int(limit) - sum(reserved.values())} unreserved, and Lambda keeps at least "
                f"{minimum}: reserved concurrency is set on {names}. Release it first, e.g. "
                f'lam.delete_function_concurrency(FunctionName="{holders[0][0]}").'
            )
        self.engine.concurrency.set_reservations(reserved)
        self.engine.concurrency.account_limit = int(limit)
        self.account_concurrency_set_by = _calling_cell()

    def _tick(self) -> None:
        """Fire due timers in real time, reclaim idle environments, start new pollers."""
        while not self._stopping.wait(0.25):
            try:
                self.clock.fire_due()
                self.engine.reap_idle()
                self.pollers.sync()
            except Exception:  # noqa: BLE001 - the ticker must keep ticking
                logging.getLogger(__name__).exception("sandbox ticker")

    def _busy(self) -> bool:
        return self._async.busy() or self.pollers.busy()

    def wait(self, timeout: float = 60.0) -> None:
        """Return when nothing is pending: no asynchronous event, no polled batch.

        Retries wait on the sandbox clock (a minute, then two; a message's visibility
        timeout): when only such timers are left, ``wait()`` moves the clock forward to
        the next one instead of sleeping. Failures that end (an event dropped after its
        retries, a message moved to its dead-letter queue) are not raised: they are in
        the logs, the metrics, the destinations and ``sb.failures()``.

        Raises
        ------
        SandboxStuck
            At once when the sandbox cannot settle: a queue or stream batch that keeps
            failing (it would be retried for hours), or a runaway loop the sandbox
            stopped. The message names the function, the trigger, the error and its line,
            and the way out: fix and redeploy, or ``sb.recover(...)``.
            Also after ``timeout`` real seconds of work that does not end (a
            TimeoutError, as before).
        """
        deadline = time.monotonic() + timeout
        self.pollers.sync()
        self.pollers.say_paused()  # a mapping paused after a loop: say what it holds back
        while True:
            loops = self._failures.take_unreported()
            if loops:
                raise SandboxStuck(
                    stuck_message(loops, "The sandbox stopped something that would not end:"),
                    loops,
                )
            if time.monotonic() > deadline:
                self._raise_timeout(timeout)
            if self._busy():
                self._async.wait_idle(0.01)
                continue
            time.sleep(0.01)  # let a poller pick up what the last invocation sent
            if self._busy():
                continue
            stuck = self.pollers.stuck()
            if stuck:
                failures = [
                    f for name, trigger in stuck for f in self._stuck_failures(name, trigger)
                ]
                raise SandboxStuck(
                    stuck_message(
                        failures,
                        "sb.wait() cannot settle: a batch keeps failing, and AWS would retry "
                        "it for hours or days (a stream batch until its records expire, a "
                        "queue message until its retention period ends). The sandbox has "
                        "parked it:",
                    ),
                    failures,
                )
            due = [self._async.next_due(), self.pollers.next_due(), self._provisioned.next_due()]
            due = [t for t in due if t]
            if not due:
                if self._failures.unreported:
                    continue  # a loop or a sandbox error to say first (top of the loop)
                return
            self.clock.advance(max(timedelta(0), min(due) - self.clock.now()))

    def _stuck_failures(self, function_name: str, trigger: str) -> list[Failure]:
        found = [f for f in self._failures.list(function_name) if f.trigger == trigger]
        return found or [
            Failure(function_name, trigger, count=0, error_message="(no error recorded)")
        ]

    def _raise_timeout(self, timeout: float) -> None:
        """Work that did not end in ``timeout`` s: say which functions are still busy."""
        running = sorted({e.function_name for e in self._async._events.values()})
        failures = self._failures.list()
        parts = []
        if self._async.pending():
            parts.append(
                f"{self._async.pending()} asynchronous event(s) of "
                f"{', '.join(running) or 'your functions'} still in flight"
            )
        busy = [p.describe() for p in self.pollers.pollers() if p.busy()]
        if busy:
            parts.append("still polling: " + "; ".join(busy))
        seen = [f"{name} at {where}" for name, where in self.engine.running() if where]
        if seen:
            parts.append("still running: " + "; ".join(seen))
        if not parts:
            parts.append("invocations still running (a slow handler?)")
        lead = f"sb.wait() gave up after {timeout:g} s: {'; '.join(parts)}."
        if failures:
            raise SandboxStuck(stuck_message(failures, lead), failures)
        raise SandboxStuck(
            f"{lead} Nothing failed so far. If a function is slow, wait longer "
            "(sb.wait(timeout=...)); to drop what is in flight, run sb.recover().",
            [],
        )

    # -- logs ------------------------------------------------------------------------
    def _logs_backend(self):
        from moto.logs.models import logs_backends

        return logs_backends[self.account_id][self.region]

    def _write_logs(self, config: FunctionConfig, stream: str, lines: list[str]) -> None:
        """Put an invocation's lines in CloudWatch Logs, one stream per environment."""
        backend = self._logs_backend()
        group = config.log_group_name
        if group not in backend.groups:
            backend.create_log_group(group, {})
        if stream not in backend.groups[group].streams:  # new, or its group was deleted
            backend.create_log_stream(group, stream)
        now = int(self.clock.now().timestamp() * 1000)  # sandbox time, like the metrics
        events = [{"timestamp": now, "message": line} for line in lines]
        if events:
            # Straight into the group: the PutLogEvents API would drop events stamped
            # more than 2 hours ahead of real time, which a sandbox clock advanced by a
            # week produces (Lambda's own log delivery is not that API).
            backend.groups[group].put_log_events(stream, events)

    def logs(self, function_name: str, last: int | None = None) -> LogView:
        """Every log line of a function, oldest first; ``last=N`` keeps the last N."""
        backend = self._logs_backend()
        group = f"/aws/lambda/{function_name}"
        if group not in backend.groups:
            return LogView(group)
        events = []
        for stream in backend.groups[group].streams.values():
            events += [
                {
                    "timestamp": e.timestamp,
                    "message": e.message,
                    "logStreamName": stream.log_stream_name,
                }
                for e in stream.events
            ]
        events.sort(key=lambda e: e["timestamp"])  # stable: lines keep their order
        return LogView(group, events[-last:] if last else events)

    # -- deploying -------------------------------------------------------------------
    def role_arn(self) -> str:
        """An execution role Lambda can assume (created on first use, as in the console)."""
        iam = self.client("iam")
        try:
            return iam.get_role(RoleName=BASIC_ROLE)["Role"]["Arn"]
        except iam.exceptions.NoSuchEntityException:
            role = iam.create_role(
                RoleName=BASIC_ROLE,
                AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
                Description="Lets Lambda write logs (AWSLambdaBasicExecutionRole)",
            )
            return role["Role"]["Arn"]

    def deploy(
        self,
        name: str,
        path: str | os.PathLike | bytes,
        handler: str = "app.handler",
        runtime: str = DEFAULT_RUNTIME,
        check: bool = True,
        **config: Any,
    ) -> dict[str, Any]:
        """Zip ``path`` (a file or a folder; zip bytes as they are), then create or update
        the function.

        Plain boto3 inside: ``create_function`` the first time, then
        ``update_function_code`` and ``update_function_configuration``; it waits until the
        function is Active. Extra keyword arguments (``MemorySize=256``, ``Timeout=10``,
        ``Environment={"Variables": {...}}``, ``Layers=[...]``) go to boto3 as they are.

        Example
        -------
        >>> sb.deploy("hello", "functions/hello/app.py")  # doctest: +SKIP
        """
        zip_bytes = build_zip(path)
        if check:
            check_handler(zip_bytes, handler, path)
        lam = self.client("lambda")
        settings = {"Handler": handler, "Runtime": runtime, **config}
        try:
            lam.get_function(FunctionName=name)
        except lam.exceptions.ResourceNotFoundException:
            response = lam.create_function(
                FunctionName=name,
                Role=self.role_arn(),
                Code={"ZipFile": zip_bytes},
                **settings,
            )
        else:
            lam.update_function_code(FunctionName=name, ZipFile=zip_bytes)
            lam.get_waiter("function_updated_v2").wait(FunctionName=name)
            response = lam.update_function_configuration(FunctionName=name, **settings)
        lam.get_waiter("function_active_v2").wait(FunctionName=name)
        response.pop("ResponseMetadata", None)
        self._remember_source(name, path, zip_bytes, response.get("CodeSha256", ""))
        return Deployment(response)

    def _remember_source(self, name: str, path: Any, zip_bytes: bytes, code_sha256: str) -> None:
        """Keep what ``deploy()`` zipped, for :meth:`deployed_from`."""
        source = DeploySource.of(name, path, zip_bytes, code_sha256)
        if source is None:
            self._sources.pop(name, None)
        else:
            self._sources[name] = source

    def deployed_from(self, name: str) -> DeploySource | None:
        """The file or folder the function's code was last deployed from by ``deploy()``.

        ``sb.deployed_from("hello").changes()`` lists the files edited on disk since
        (``['app.py changed']``): the function still runs the code deployed before. None
        when the function was not deployed by ``deploy()`` from a file or folder.
        """
        return self._sources.get(name)

    # -- life cycle ------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every resource and stop every execution environment (a clean account).

        The account's concurrency limit goes back to AWS's default (1,000) too.
        """
        from moto.moto_api._internal.models import moto_api_backend

        self._provisioned.clear()  # no allocation left for wait() below to finish
        self.recover()
        try:
            self.wait(timeout=30)
        except SandboxStuck:
            self.recover()  # reset forgets everything anyway
        self.pollers.stop()
        self.engine.shutdown()
        self.triggers.reset()
        moto_api_backend.reset()
        self.recursion.clear()
        self.runaway.clear()
        self._loop_code.clear()
        self._paused.clear()
        self._loops_said.clear()
        self._failures.clear()
        self._sources.clear()
        self.set_account_concurrency()

    def stop(self) -> None:
        """Stop the sandbox: workers end, the server stops, the environment is restored."""
        global _current
        if not getattr(self, "running", False):
            return
        self.running = False
        moto_patch.uninstall()
        cloudformation.uninstall()
        self._stopping.set()
        self.triggers.stop()
        self.pollers.stop()
        self._async.shutdown()
        self.engine.shutdown()
        self._control.stop()
        self._server.stop()
        self._restore_environment()
        shutil.rmtree(self._workdir, ignore_errors=True)
        if _current is self:
            _current = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        envs = len(self.engine.environments()) if self.running else 0
        return (
            f"<Sandbox {state}: offline AWS at {self.endpoint_url}, region {self.region}, "
            f"{envs} execution environment(s)>"
        )

    def _repr_html_(self) -> str:
        if not self.running:
            return "<div>Sandbox stopped.</div>"
        envs = len(self.engine.environments())
        return (
            '<div style="border-left:4px solid #16a34a;padding:4px 10px">'
            "<b>Lambda Lab sandbox running</b> (offline AWS, no account, no cost)<br>"
            f"endpoint <code>{self.endpoint_url}</code> · region <code>{self.region}</code>"
            f" · runtime client <code>{self.engine.runtime_client}</code>"
            f" · {envs} execution environment(s){self._endpoints_html()}</div>"
        )

    def _endpoints_html(self) -> str:
        """The APIs and function URLs served so far, each with its browser link."""
        rows = []
        for endpoint in self.triggers.http.endpoints():
            url = EndpointURL(endpoint.base_url)
            link = (
                f'<a href="{html.escape(url.proxy)}" target="_blank">open</a>' if url.proxy else ""
            )
            rows.append(f"<li>{endpoint.kind} <code>{html.escape(url)}</code> {link}</li>")
        return "<ul>" + "".join(rows) + "</ul>" if rows else ""


def _calling_cell() -> str:
    """The first line of the notebook cell that called the sandbox's caller, or "".

    For messages about a setting an earlier cell left ("set by the cell that starts:
    sb.set_account_concurrency(2)"). IPython keeps each cell's source in linecache.
    """
    import linecache
    import sys

    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "ipykernel" in name or name.startswith("<ipython-input"):
            lines = [line.strip() for line in linecache.getlines(name) if line.strip()]
            return lines[0][:80] if lines else ""
        frame = frame.f_back
    return ""


class Summary(str):
    """A one-line summary that a notebook shows as text, not as a quoted string."""

    def __repr__(self) -> str:
        return str(self)


def build_zip(path: str | os.PathLike | bytes) -> bytes:
    """A deployment package: a .zip (file or bytes) as it is, a .py file, or a folder's
    contents at the root."""
    import io

    if isinstance(path, bytes | bytearray):
        return bytes(path)
    source = Path(path)
    if not source.exists():
        example = str(path) if source.suffix == ".py" else f"{Path(path).as_posix()}/app.py"
        raise DeployError(
            f"There is no file or folder at {str(path)!r} yet: the cell that writes it has "
            f"not run (in this kernel's folder). Run the cell that starts with "
            f"%%writefile {example} first, then this one."
        )
    if source.is_file() and source.suffix == ".zip":
        return source.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if source.is_file():
            archive.write(source, source.name)
        else:
            for file in sorted(source.rglob("*")):
                if file.is_file() and "__pycache__" not in file.parts:
                    archive.write(file, file.relative_to(source).as_posix())
    return buffer.getvalue()


def check_handler(zip_bytes: bytes, handler: str, path: Any = "") -> None:
    """Refuse, with the fix, a handler string whose module is not in the package."""
    import io

    if "." not in handler:
        raise DeployError(
            f"The handler {handler!r} must be 'module.function', for example 'app.handler' "
            "for a function named handler in app.py."
        )
    module = handler.rsplit(".", 1)[0].replace(".", "/")
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        names = archive.namelist()
    if f"{module}.py" in names or f"{module}/__init__.py" in names:
        return
    if not names and path and Path(path).is_dir():
        folder = Path(path).as_posix()
        raise DeployError(
            f"The folder {folder!r} is empty: the cell that writes {module}.py into it has "
            f"not run yet. Run the cell that starts with %%writefile {folder}/{module}.py "
            "first, then this one."
        )
    shown = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
    raise DeployError(
        f"The handler {handler!r} needs {module}.py at the top of the package, but the "
        f"package built from {str(path)!r} holds: {shown or 'nothing'}. Fix the handler "
        "string, or move the file to the package's top level"
        + (
            f", or run the cell that writes it (%%writefile {Path(path).as_posix()}/{module}.py) "
            "first."
            if path and not isinstance(path, bytes | bytearray) and Path(path).is_dir()
            else "."
        )
    )
