"""AWS API errors in a learner's own cell, shown like the checks' feedback.

When a boto3 call in a notebook cell fails, botocore raises ``ClientError`` (AWS answered
with an error: ``ResourceNotFoundException``, ``ValidationException``...) or
``ParamValidationError`` (the request never left: a parameter has the wrong name or
type). Python then prints a page of botocore's frames, and the one line that matters is
at the bottom. In a Jupyter kernel this module shows instead one block: the AWS error
code and message, the call that failed (service, operation, the line of your cell), a
hint where the kit knows one, and the full traceback a click away (``%tb`` prints it too).

Only these two exception types, only in an IPython kernel: every other exception keeps
IPython's usual traceback. The cell still fails (Run All stops there), as it should.
How boto3 reports errors: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/error-handling.html
"""

from __future__ import annotations

import difflib
import html
import re
import traceback
from dataclasses import dataclass
from types import TracebackType
from typing import Any

#: Hints the kit knows: (error code or "ParamValidationError", regex on the message or
#: operation, hint). The first match wins; ``{name}`` is filled from the regex's groups.
HINTS: list[tuple[str, str, str]] = [
    # Refusals of Lambda's API (lambdalab.sandbox.api_validation and moto_patch).
    (
        "InvalidParameterValueException",
        r"UnreservedConcurrentExecution below its minimum value of \[(?P<minimum>\d+)\]",
        "Lambda keeps {minimum} executions of the account's limit unreserved, for the "
        "functions without a reservation: reserve less, or release another function's "
        "reservation first (lam.delete_function_concurrency). The account's limit is "
        "1,000 unless a cell lowered it with sb.set_account_concurrency(...).",
    ),
    (
        "InvalidParameterValueException",
        r"Provisioned Concurrency Configs cannot be applied to unpublished function versions",
        "provisioned concurrency keeps environments initialised and warm for a published "
        "version or alias; it does not cap anything. To cap how many copies of a function "
        "run at once, reserve concurrency: lam.put_function_concurrency(FunctionName=..., "
        "ReservedConcurrentExecutions=...).",
    ),
    (
        "ResourceConflictException",
        r"aliases reference it: \[(?P<aliases>[^\]]*)\]",
        "the alias {aliases} still points at this version. Move the alias first "
        "(lam.update_alias(..., FunctionVersion=...)); to roll back, moving the alias is "
        "all it takes, no version needs deleting.",
    ),
    (
        "InvalidParameterValueException",
        r"\$LATEST version cannot be deleted",
        "without a Qualifier, delete_function deletes the whole function, $LATEST included.",
    ),
    (
        "InvalidParameterValueException",
        r"Could not unzip uploaded file",
        "the code must be the bytes of a zip archive: build one with zipfile (or give "
        "sb.deploy the function's folder).",
    ),
    (
        "ResourceNotFoundException",
        r"Functions from '(?P<other>[^']+)' are not reachable in this region "
        r"\('(?P<here>[^']+)'\)",
        "the ARN names Region {other}, but this client calls Lambda in {here}: use the "
        "function's name, or the FunctionArn that get_function returns.",
    ),
    (
        "AccessDeniedException",
        r"lambda:\w+ on resource: arn:aws[\w-]*:lambda:[^:]*:(?P<account>\d{12}):",
        "the ARN names account {account}, not this one: use the function's name, or the "
        "FunctionArn that get_function returns.",
    ),
    (
        "ValidationException",
        r"at 'functionName'",
        "FunctionName is the function's name (letters, digits, - and _), optionally "
        "followed by :version or :alias, or its ARN; not a file name or a folder path.",
    ),
    (
        "ValidationException",
        r"at 'layers'",
        "Layers takes layer *version* ARNs, ending in the version number: the "
        '"LayerVersionArn" that publish_layer_version returns, not the layer\'s name or '
        '"LayerArn".',
    ),
    (
        "ValidationException",
        r"at 'environment\.variables'.*Map keys",
        "an environment variable's name starts with a letter and holds only letters, "
        "digits and _, two characters at least: STAGE_NAME, not stage-name.",
    ),
    (
        "ValidationException",
        r"at 'name'.*\(\?!\^\[0-9\]\+\$\)",
        "an alias's name may not be a number (numbers name versions): live, prod, v2...",
    ),
    (
        "ServiceException",
        r".*",
        "the offline AWS could not handle this call, which AWS would have answered. Your "
        "code is not at fault: tell your instructor which call it was.",
    ),
    (
        "ParamValidationError",
        r'Unknown parameter in Environment: "(?P<name>[^"]+)"',
        'Environment takes the variables inside "Variables": '
        'Environment={{"Variables": {{"{name}": ...}}}}. To clear them, '
        'Environment={{"Variables": {{}}}}.',
    ),
    (
        "ParamValidationError",
        r"Invalid type for parameter Environment, value",
        'Environment is a dict holding the variables inside "Variables": '
        'Environment={{"Variables": {{"NAME": "value"}}}}, not a string.',
    ),
    (
        "ParamValidationError",
        r"Invalid type for parameter Environment\.Variables\.",
        'every environment variable is a string: {{"Variables": {{"LIMIT": "10"}}}}, '
        "not a number; convert it back with int(os.environ['LIMIT']) in the handler.",
    ),
    (
        "ParamValidationError",
        r"Invalid type for parameter Payload",
        "Payload is the event as JSON text or bytes: Payload=json.dumps(event).",
    ),
    (
        "ParamValidationError",
        r"Invalid type for parameter (?P<name>\w*Body\w*)",
        "{name} is a string (or bytes): json.dumps(...) a dict before sending it.",
    ),
    (
        "ParamValidationError",
        r"Missing required parameter in input: \"(?P<name>[^\"]+)\"",
        'the call needs the parameter "{name}": add {name}=... to it.',
    ),
    (
        "ParamValidationError",
        r'Unknown parameter in input: "(?P<name>[^"]+)"',
        'this call has no parameter "{name}": parameter names are CamelCase, as in AWS\'s '
        "API reference (FunctionName, not function_name).",
    ),
    (
        "ResourceNotFoundException",
        r"Cannot find alias",
        "the function has no alias of that name: alias names are case-sensitive (live is "
        "not Live). lam.list_aliases(FunctionName=...) lists the aliases it has; "
        "create_alias makes a new one.",
    ),
    (
        "ResourceNotFoundException",
        r"Function not found|function",
        "there is no such function in the sandbox (yet): run the cell that deploys it, "
        "and check the spelling of its name.",
    ),
    (
        "ResourceNotFoundException",
        r"(?i)table",
        "there is no such table: run the cell that creates it (and check the name).",
    ),
    (
        "ResourceConflictException",
        r"(?i)statement id",
        "this permission statement is already in the function's policy: the cell ran "
        "before. Catch lam.exceptions.ResourceConflictException, or use another StatementId.",
    ),
    (
        "ResourceConflictException",
        r"(?i)already exist",
        "the resource exists already (the cell ran before): get it, or delete it first.",
    ),
    (
        "ResourceInUseException",
        r"(?i)table",
        "the table exists already (the cell ran before): delete it first, or use it as it is.",
    ),
    (
        "BucketAlreadyOwnedByYou",
        r".*",
        "the bucket exists already (the cell ran before): catch "
        "s3.exceptions.BucketAlreadyOwnedByYou to make the cell re-runnable.",
    ),
    ("NoSuchBucket", r".*", "there is no such bucket: run the cell that creates it."),
    (
        "NoSuchKey",
        r".*",
        "there is no object with this key. A key read from an S3 event is URL-encoded: "
        "urllib.parse.unquote_plus(key) gives the object's real key.",
    ),
    (
        "AWS.SimpleQueueService.NonExistentQueue",
        r".*",
        "there is no such queue: run the cell that creates it.",
    ),
    (
        "QueueDoesNotExist",
        r".*",
        "there is no such queue: run the cell that creates it.",
    ),
    (
        "TooManyRequestsException",
        r".*",
        "the function is throttled: its reserved concurrency (or the account's) is used "
        "up. Wait for running invocations, or raise the limit.",
    ),
    (
        "ValidationException",
        r"(?i)schedule|cron|rate",
        "a schedule expression is cron(minutes hours day-of-month month day-of-week year) "
        "with '?' in one of the two day fields, or rate(5 minutes).",
    ),
]


@dataclass(frozen=True)
class AwsErrorReport:
    """One AWS error, as the learner sees it: what AWS said, which call, what to try."""

    code: str
    message: str
    service: str | None
    operation: str | None
    where: str | None
    hint: str | None
    traceback: str
    heading: str = "AWS error"  # "Lambda Lab error" for the kit's own (KIT_ERRORS)

    @property
    def call(self) -> str:
        if self.operation:
            if self.service == "":  # the kit's own function: deploy, vendor...
                return self.operation
            return f"{self.service or 'AWS'}.{self.operation}"
        return "an AWS call"

    def __str__(self) -> str:
        lines = [f"{self.heading} {self.code} from {self.call}: {self.message}"]
        if self.where:
            lines.append(f"  in your code: {self.where}")
        if self.hint:
            lines.append(f"  Hint: {self.hint}")
        lines.append("  (the full traceback: run %tb in a new cell)")
        return "\n".join(lines) + "\n"  # the cell's one-line error follows on its own line

    def _repr_html_(self) -> str:
        body = (
            f"<b>{html.escape(self.heading)} {html.escape(self.code)}</b> from "
            f"<code>{html.escape(self.call)}</code>: {html.escape(self.message)}"
        )
        if self.where:
            body += f"<br>in your code: <code>{html.escape(self.where)}</code>"
        if self.hint:
            body += f"<br><b>Hint:</b> {html.escape(self.hint)}"
        body += (
            "<details style='margin-top:0.4em'><summary>Full traceback</summary>"
            f"<pre style='font-size:85%;white-space:pre-wrap'>{html.escape(self.traceback)}"
            "</pre></details>"
        )
        return (
            "<div style='border-left:5px solid #c62828;background:#ffebee;color:#1b1b1b;"
            f"padding:0.5em 0.8em;margin:0.3em 0;border-radius:3px'>{body}</div>"
        )

    __repr__ = __str__


def kit_error_types() -> tuple[type[BaseException], ...]:
    """The errors the kit raises at a learner for bad input, whose message says what to
    do: shown as a box (message, the learner's line), not as a traceback of the kit's
    code. A new such error class joins here."""
    from lambdalab.packaging import PackagingError
    from lambdalab.pricing import PricingError
    from lambdalab.sandbox.account import SandboxError
    from lambdalab.sandbox.patterns import EventPatternError
    from lambdalab.sandbox.schedules import ScheduleExpressionError
    from lambdalab.sandbox.triggers.http import EndpointError

    return (
        SandboxError,
        PackagingError,
        PricingError,
        EventPatternError,
        ScheduleExpressionError,
        EndpointError,
    )


def aws_error_types() -> tuple[type[BaseException], ...]:
    """botocore's ClientError and ParamValidationError, the sandbox's SandboxStuck (its
    message says everything) and the kit's own errors (:func:`kit_error_types`): the
    errors this module shows without a traceback."""
    from botocore.exceptions import ClientError, ParamValidationError

    from lambdalab.sandbox.failures import SandboxStuck

    return (ClientError, ParamValidationError, SandboxStuck, *kit_error_types())


def _kit_call(tb: TracebackType | None) -> str | None:
    """The kit's function the learner's code called ("deploy", "vendor"), if any."""
    caller_is_learner = False
    for frame, _ in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if "/lambdalab/" in filename and caller_is_learner:
            name = frame.f_code.co_name
            owner = frame.f_locals.get("self")
            return f"{type(owner).__name__}.{name}" if owner is not None else name
        caller_is_learner = not _library_file(filename)
    return None


def _failed_call(tb: TracebackType | None) -> tuple[str | None, str | None]:
    """(service, operation) of the botocore client call in the traceback, if any."""
    service = operation = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "_make_api_call" and "operation_name" in frame.f_locals:
            operation = frame.f_locals["operation_name"]
            client = frame.f_locals.get("self")
            try:
                service = client.meta.service_model.service_name
            except AttributeError:
                service = None
        tb = tb.tb_next
    return service, operation


def _library_file(filename: str) -> bool:
    return (
        "site-packages" in filename
        or "dist-packages" in filename
        or "/lib/python3" in filename
        or "/lambdalab/" in filename
    )


def _learner_line(tb: TracebackType | None) -> str | None:
    """The last line of the learner's own code before the call entered a library."""
    import linecache

    found = None
    for frame, line_number in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if _library_file(filename):
            if found:  # IPython's own frames come first; the learner's code next
                break
            continue
        text = linecache.getline(filename, line_number).strip()
        found = f"line {line_number}: {text}" if text else f"line {line_number}"
    return found


def report(error: BaseException) -> AwsErrorReport | None:
    """An :class:`AwsErrorReport` for a botocore error, or None for any other exception.

    Example
    -------
    >>> import boto3
    >>> from botocore.exceptions import ParamValidationError
    >>> lam = boto3.client("lambda", region_name="us-east-1")
    >>> try:
    ...     lam.update_function_configuration(FunctionName="f", Environment={"GREETING": "Hej"})
    ... except ParamValidationError as error:
    ...     print(report(error).hint)  # doctest: +ELLIPSIS
    Environment takes the variables inside "Variables": ...
    """
    from botocore.exceptions import ClientError, ParamValidationError

    tb = error.__traceback__
    service, operation = _failed_call(tb)
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code") or "Unknown"
        message = details.get("Message") or str(error)
        title = re.search(r"(?is)<title>(.*?)</title>", message)
        if title and message.lstrip().lower().startswith(("<!doctype", "<html")):
            message = f"HTTP {title.group(1).strip()} (the server answered with a web page)"
        operation = operation or error.operation_name
    elif isinstance(error, ParamValidationError):
        code = "ParamValidationError"
        message = str(error.kwargs.get("report", error)).strip()
        message = "the request was not sent: " + " ".join(message.split())
    elif isinstance(error, kit_error_types()):
        return AwsErrorReport(
            code=type(error).__name__,
            message=str(error),
            service="",
            operation=_kit_call(tb) or "Lambda Lab",
            where=_learner_line(tb),
            hint=None,
            traceback="".join(traceback.format_exception(type(error), error, tb)),
            heading="Lambda Lab error",
        )
    else:
        return None
    where = _learner_line(tb)
    return AwsErrorReport(
        code=code,
        message=message,
        service=service,
        operation=operation,
        where=where,
        hint=hint_for(code, message, operation, service, where or ""),
        traceback="".join(traceback.format_exception(type(error), error, tb)),
    )


def hint_for(
    code: str,
    message: str,
    operation: str | None = None,
    service: str | None = None,
    where: str = "",
) -> str | None:
    """The kit's hint for an AWS error code and message, or None when it knows none."""
    unknown = re.search(r'Unknown parameter in input: "(?P<name>[^"]+)"', message)
    if code == "ParamValidationError" and unknown:
        found = unknown_parameter_hint(unknown.group("name"), service, operation, where)
        if found:
            return found
    for hint_code, pattern, hint in HINTS:
        if hint_code != code:
            continue
        match = re.search(pattern, message) or (
            re.search(pattern, operation) if operation else None
        )
        if match:
            return hint.format(**{k: v for k, v in match.groupdict().items() if v})
    return None


def _is_camel_case(name: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z][a-z0-9]*)+", name)) and not name.isupper()


def _snake(operation: str) -> str:
    from botocore import xform_name

    return xform_name(operation)


def unknown_parameter_hint(
    name: str, service: str | None, operation: str | None, where: str = ""
) -> str | None:
    """Why a call has no parameter ``name``, from botocore's model of the service.

    An UPPER_CASE name given to create/update_function_configuration (or ``sb.deploy``,
    which passes its keywords on) is an environment variable; a parameter of another
    operation of the service names that operation; a name like one of the call's own
    (case, snake_case) names it; the CamelCase rule only for a name that is not.

    Example
    -------
    >>> print(unknown_parameter_hint("ReservedConcurrentExecutions", "lambda",
    ...                              "UpdateFunctionConfiguration"))  # doctest: +ELLIPSIS
    ReservedConcurrentExecutions is a parameter of put_function_concurrency, ...
    """
    call = _snake(operation) if operation else "this call"
    via = " (sb.deploy passes its keywords on to Lambda)" if "deploy(" in where else ""
    function_calls = ("CreateFunction", "UpdateFunctionConfiguration")
    if re.fullmatch(r"[A-Z][A-Z0-9_]+", name) and operation in function_calls:
        return (
            f"{name} looks like an environment variable, and {call} has no parameter of "
            f"that name{via}: a function's environment variables go inside Environment, "
            f'Environment={{"Variables": {{"{name}": "..."}}}}.'
        )
    members, others = _model_members(service, operation)
    close = [m for m in members if m.lower() == name.replace("_", "").lower()]
    if close:
        rule = "names are case-sensitive" if _is_camel_case(name) else "names are CamelCase"
        return f'{call} has no parameter "{name}"; it has {close[0]}: {rule}.'
    key = name.replace("_", "").lower()
    spelled = {m: op for op, names in others.items() for m in names if m.lower() == key}
    right = name if name in spelled else next(iter(spelled), name)
    owners = [op for op, names in others.items() if right in names]
    like = difflib.get_close_matches(name, members, n=1, cutoff=0.7)
    if like and name not in spelled:  # a slip in one of this call's own names
        return f'{call} has no parameter "{name}"; it has {like[0]}: is that the one?'
    if owners:
        also = "" if right == name else f" (spelled {right})"
        best = sorted(owners, key=lambda op: (not op.startswith(("Put", "Update")), len(op)))
        calls = " or ".join(_snake(op) for op in best[:2])
        used = re.search(r"(\w+)\.\w+\(", where)
        client = used.group(1) if used else "client"
        return (
            f"{name}{also} is a parameter of {calls}, not of {call}: it is set by a call "
            f"of its own, e.g. {client}.{_snake(best[0])}(..., {right}=...)."
        )
    if not _is_camel_case(name):
        return (
            f'this call has no parameter "{name}": parameter names are CamelCase, as in '
            "AWS's API reference (FunctionName, not function_name)."
        )
    return (
        f'{call} has no parameter "{name}", nor has any other call of '
        f"{service or 'this service'}: the message lists the parameters it takes."
    )


def _model_members(
    service: str | None, operation: str | None
) -> tuple[list[str], dict[str, set[str]]]:
    """The call's own parameter names, and every other operation's, from botocore."""
    if not service or not operation:
        return [], {}
    try:
        import botocore.session

        model = botocore.session.get_session().get_service_model(service)
        others: dict[str, set[str]] = {}
        for op in model.operation_names:
            shape = model.operation_model(op).input_shape
            others[op] = set(shape.members) if shape is not None else set()
    except Exception:  # noqa: BLE001 - only a better hint is at stake
        return [], {}
    return sorted(others.pop(operation, set())), others


def _show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    """IPython's custom exception handler: display the block, then a one-line error.

    IPython calls it instead of printing the traceback; the one-line error output still
    marks the cell as failed (Run All stops), and ``%tb`` prints the full traceback.
    """
    import sys

    from lambdalab.sandbox.failures import SandboxStuck

    if isinstance(value, SandboxStuck):  # sb.wait() says what is stuck, and the way out
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %tb
        stb = [f"{etype.__name__}: {value}", "(%tb prints the traceback)"]
        shell._showtraceback(etype, value, stb)
        return stb
    found = report(value)
    if found is None:  # never hide what this module does not know
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        shell._showtraceback(etype, value, stb)
        return stb
    from IPython.display import display

    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %tb
    if hasattr(sys, "last_exc"):
        sys.last_exc = value
    display(found)
    stb = [f"{etype.__name__} in {found.call}: see the box above (%tb prints the traceback)"]
    shell._showtraceback(etype, value, stb)
    return stb


def in_kernel() -> Any:
    """The running IPython kernel's shell, or None (plain Python, terminal IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def install() -> bool:
    """Show AWS API errors as one block in this Jupyter kernel; True when installed.

    Called by ``lambdalab.check_environment()``, the first cell of every lesson. Does
    nothing outside an IPython kernel, and is idempotent.
    """
    shell = in_kernel()
    if shell is None:
        return False
    types = aws_error_types()
    if tuple(getattr(shell, "custom_exceptions", ())) == types:
        return True
    shell.set_custom_exc(types, _show)
    return True


def uninstall() -> None:
    """Give botocore's errors back to IPython's usual traceback."""
    shell = in_kernel()
    if shell is not None and tuple(getattr(shell, "custom_exceptions", ())) == aws_error_types():
        shell.set_custom_exc((), None)
