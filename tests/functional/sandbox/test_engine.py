"""The execution environment against AWS's behaviour, for both runtime clients.

The same conformance tests run against awslambdaric (AWS's runtime interface client)
and the kit's fallback client, which must behave the same.
"""

from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path

import pytest

from lambdalab.sandbox.runtime.engine import LambdaEngine
from lambdalab.sandbox.runtime.execution_environment import FunctionConfig
from lambdalab.sandbox.runtime.packages import has_awslambdaric

CLIENTS = ["builtin"] + (["awslambdaric"] if has_awslambdaric() else [])

HANDLERS = """
import json, logging, os, sys, time
logger = logging.getLogger()
logger.setLevel(logging.INFO)
COUNT = 0

def handler(event, context):
    global COUNT
    COUNT += 1
    action = event.get("action")
    if action == "raise":
        raise ValueError("the event was bad")
    if action == "sleep":
        time.sleep(event["seconds"])
    if action == "exit":
        sys.exit(3)
    if action == "allocate":
        block = bytearray(event["mb"] * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])
    if action == "unserialisable":
        return {"when": object()}
    if action == "bytes":
        return b"\\x89PNG raw"
    if action == "nested-bytes":
        return {"text": b"caf\\xc3\\xa9"}
    if action == "nested-binary":
        return {"body": b"\\x89PNG raw"}
    if action == "log":
        print("printed line")
        logger.info("logged line")
    if action == "context":
        return {
            name: getattr(context, name)
            for name in ("function_name", "function_version", "invoked_function_arn",
                         "memory_limit_in_mb", "aws_request_id", "log_group_name",
                         "log_stream_name")
        } | {"remaining": context.get_remaining_time_in_millis()}
    if action == "env":
        return {k: v for k, v in os.environ.items() if not k.startswith("_LAMBDALAB")}
    if action == "import":
        __import__(event["module"])
    if action == "client-context":
        cc = context.client_context
        return {"custom": cc.custom, "app": cc.client.app_title} if cc else None
    if action == "write-tmp":
        with open(os.path.join(os.environ["TMPDIR"], "kept.txt"), "w") as f:
            f.write(event["text"])
    if action == "read-tmp":
        path = os.path.join(os.environ["TMPDIR"], "kept.txt")
        return {"count": COUNT, "tmp": open(path).read() if os.path.exists(path) else None}
    return {"count": COUNT, "echo": event}
"""


@pytest.fixture(scope="module", params=CLIENTS)
def engine(request, tmp_path_factory):
    eng = LambdaEngine(tmp_path_factory.mktemp("engine"), runtime_client=request.param)
    yield eng
    eng.shutdown()


def make_config(engine: LambdaEngine, source: str = HANDLERS, handler="app.handler", **kw):
    folder = engine.workdir / f"src-{abs(hash((source, handler)))}"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(source))
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(folder / "app.py", "app.py")
    code = engine.unpack_code(buffer.getvalue())
    opt = engine.unpack_layers([])
    settings = dict(
        function_name="fn",
        function_arn="arn:aws:lambda:us-east-1:123456789012:function:fn",
        handler=handler,
        code_dir=str(code),
        layer_dir=str(opt),
    )
    settings.update(kw)
    return FunctionConfig(**settings)


def call(engine, config, event):
    return engine.invoke(config, json.dumps(event).encode())


def test_cold_then_warm_start(engine):
    config = make_config(engine, memory_size=256)
    first, second = call(engine, config, {}), call(engine, config, {})
    assert json.loads(first.payload)["count"] == 1
    assert json.loads(second.payload)["count"] == 2  # module state survived: warm
    assert first.cold_start and first.init_duration_ms > 0
    assert not second.cold_start and second.init_duration_ms is None
    assert first.log_lines[0].startswith("INIT_START Runtime Version: python:3.13")
    report = first.log_lines[-1]
    assert report.startswith(f"REPORT RequestId: {first.request_id}\tDuration: ")
    assert "\tMemory Size: 256 MB\tMax Memory Used: " in report
    assert "\tInit Duration: " in report
    assert "Init Duration" not in second.log_lines[-1]
    assert second.log_lines[0] == f"START RequestId: {second.request_id} Version: $LATEST"
    assert second.log_lines[-2] == f"END RequestId: {second.request_id}"


def test_billed_duration_includes_init_on_cold_start(engine):
    config = make_config(engine, timeout=4)
    result = call(engine, config, {})
    expected = int(-(-(result.duration_ms + result.init_duration_ms) // 1))
    assert result.billed_duration_ms == max(1, expected)
    assert f"Billed Duration: {result.billed_duration_ms} ms" in result.log_lines[-1]


def test_unhandled_exception_returns_runtime_error_json(engine):
    config = make_config(engine)
    result = call(engine, config, {"action": "raise"})
    error = json.loads(result.payload)
    assert result.function_error == "Unhandled"
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "the event was bad"
    assert error["requestId"] == result.request_id
    assert any("app.py" in frame and "in handler" in frame for frame in error["stackTrace"])
    assert any(
        line.startswith("[ERROR] ValueError: the event was bad") for line in result.log_lines
    )
    # The environment stays warm after a handler exception.
    assert not call(engine, config, {}).cold_start


def test_print_and_logging_land_in_the_log(engine):
    result = call(engine, make_config(engine), {"action": "log"})
    assert "printed line" in result.log_lines
    logged = [line for line in result.log_lines if line.endswith("logged line")]
    assert logged and logged[0].startswith("[INFO]\t")
    assert f"\t{result.request_id}\t" in logged[0]


def test_context_object(engine):
    config = make_config(engine, memory_size=512, timeout=5)
    result = call(engine, config, {"action": "context"})
    context = json.loads(result.payload)
    assert context["function_name"] == "fn"
    assert context["function_version"] == "$LATEST"
    assert context["invoked_function_arn"] == config.function_arn
    assert context["memory_limit_in_mb"] == "512"  # a string, as in awslambdaric
    assert context["aws_request_id"] == result.request_id
    assert context["log_group_name"] == "/aws/lambda/fn"
    assert "[$LATEST]" in context["log_stream_name"]
    assert 4000 < context["remaining"] <= 5000


def test_lambda_environment_variables(engine):
    config = make_config(engine, environment=(("STAGE", "test"),))
    env = json.loads(call(engine, config, {"action": "env"}).payload)
    assert env["STAGE"] == "test"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "fn"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.13"
    assert env["_HANDLER"] == "app.handler"
    assert env["LAMBDA_TASK_ROOT"] == config.code_dir
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/fn"
    assert env["TZ"] == ":UTC"
    assert env["AWS_REGION"] == "us-east-1"


def test_top_level_bytes_are_sent_raw_nested_binary_is_a_marshal_error(engine):
    """awslambdaric's marshal_response sends a bytes result as it is (application/unknown);
    bytes inside the result go through its JSON encoder (simplejson), which decodes them
    as UTF-8: text passes, binary data is a Runtime.MarshalError.
    (aws/aws-lambda-python-runtime-interface-client, awslambdaric/lambda_runtime_marshaller.py)
    """
    config = make_config(engine)
    raw = call(engine, config, {"action": "bytes"})
    assert raw.function_error is None
    assert raw.payload == b"\x89PNG raw"
    text = call(engine, config, {"action": "nested-bytes"})
    assert text.function_error is None
    assert json.loads(text.payload) == {"text": "café"}
    binary = call(engine, config, {"action": "nested-binary"})
    error = json.loads(binary.payload)
    assert binary.function_error == "Unhandled"
    assert error["errorType"] == "Runtime.MarshalError"
    assert error["errorMessage"] == (
        "Unable to marshal response: 'utf-8' codec can't decode byte 0x89 in position 0:"
        " invalid start byte"
    )


def test_unserialisable_return_value_is_a_marshal_error(engine):
    result = call(engine, make_config(engine), {"action": "unserialisable"})
    error = json.loads(result.payload)
    assert result.function_error == "Unhandled"
    assert error["errorType"] == "Runtime.MarshalError"
    assert error["errorMessage"].startswith("Unable to marshal response:")


@pytest.mark.parametrize(
    ("source", "handler", "error_type", "message"),
    [
        (
            "import PIL\ndef handler(e, c): pass\n",
            "app.handler",
            "Runtime.ImportModuleError",
            "Unable to import module 'app': No module named 'PIL'",
        ),
        (
            "def handler(e, c): pass\n",
            "app.missing",
            "Runtime.HandlerNotFound",
            "Handler 'missing' missing on module 'app'",
        ),
        (
            "def handler(e, c) pass\n",
            "app.handler",
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module 'app'",
        ),
        (
            "def handler(e, c): pass\n",
            "nothere.handler",
            "Runtime.ImportModuleError",
            "Unable to import module 'nothere'",
        ),
        ("def handler(e, c): pass\n", "app", "Runtime.MalformedHandlerName", "Bad handler 'app'"),
    ],
)
def test_init_errors_have_aws_runtime_error_types(engine, source, handler, error_type, message):
    result = call(engine, make_config(engine, source, handler=handler), {})
    error = json.loads(result.payload)
    assert result.function_error == "Unhandled"
    assert error["errorType"] == error_type
    assert error["errorMessage"].startswith(message)
    assert error["requestId"] == ""
    assert any(line.startswith("INIT_REPORT") and error_type in line for line in result.log_lines)
    assert "Status: error" in result.log_lines[-1]


def test_isolation_only_runtime_packages_are_importable(engine):
    config = make_config(engine)
    assert call(engine, config, {"action": "import", "module": "json"}).function_error is None
    if engine.runtime_client == "awslambdaric":
        for module in ("boto3", "botocore"):
            ok = call(engine, config, {"action": "import", "module": module})
            assert ok.function_error is None, ok.payload
    for module in ("PIL", "moto", "lambdalab", "jupyterlab"):
        result = call(engine, config, {"action": "import", "module": module})
        assert json.loads(result.payload)["errorType"] == "ModuleNotFoundError", module


def assert_reset_not_replaced(engine, config, env_count):
    """After a failed invoke AWS resets the environment: same environment, /tmp kept,
    init code re-run as a suppressed init (no INIT_START, no Init Duration)."""
    after = call(engine, config, {"action": "read-tmp"})
    assert after.function_error is None, after.payload
    body = json.loads(after.payload)
    assert body["tmp"] == "kept", "the reset must not clear /tmp"
    assert body["count"] == 1, "the init code (module level) runs again after a reset"
    assert not after.cold_start and after.init_duration_ms is None
    assert not any(line.startswith("INIT_START") for line in after.log_lines)
    assert "Init Duration" not in after.log_lines[-1]
    assert len(engine.environments(config.function_name)) == env_count
    envs = engine.environments(config.function_name)
    assert any(e.resets == 1 for e in envs)


def test_timeout_resets_the_environment_as_aws_does(engine):
    config = make_config(engine, timeout=1, function_name="fn-timeout")
    call(engine, config, {"action": "write-tmp", "text": "kept"})
    started = time.perf_counter()
    result = call(engine, config, {"action": "sleep", "seconds": 5})
    assert time.perf_counter() - started < 2.5
    error = json.loads(result.payload)
    assert error["errorType"] == "Sandbox.Timedout"
    assert error["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert any(
        line.endswith(f"{result.request_id} Task timed out after 1.00 seconds")
        for line in result.log_lines
    )
    assert "Status: timeout" in result.log_lines[-1]
    assert_reset_not_replaced(engine, config, 1)


LATE = """
import time

def handler(event, context):
    time.sleep(1.002)  # the timeout (1 s) and 2 ms: the answer comes just too late
    return "too late"
"""


def test_an_answer_after_the_deadline_is_a_timeout(engine):
    """The engine looks at the clock every few ms: an answer that arrives between two
    looks, after the deadline, was counted as a success (AWS: Task timed out)."""
    config = make_config(engine, LATE, timeout=1, function_name="fn-late")
    for _ in range(4):
        result = call(engine, config, {})
        assert json.loads(result.payload)["errorType"] == "Sandbox.Timedout", result.payload
        assert "Status: timeout" in result.log_lines[-1]


def test_exit_is_a_runtime_exit_error_and_the_environment_is_reset(engine):
    config = make_config(engine, function_name="fn-exit")
    call(engine, config, {"action": "write-tmp", "text": "kept"})
    result = call(engine, config, {"action": "exit"})
    error = json.loads(result.payload)
    assert error["errorType"] == "Runtime.ExitError"
    assert "Runtime exited with error: exit status 3" in error["errorMessage"]
    assert "Runtime.ExitError" in result.log_lines
    assert_reset_not_replaced(engine, config, 1)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_memory_is_measured_and_exceeding_it_resets_the_environment(engine):
    config = make_config(engine, memory_size=128, timeout=10, function_name="fn-memory")
    small = call(engine, config, {"action": "allocate", "mb": 10})
    assert 5 < small.max_memory_used_mb < 128
    call(engine, config, {"action": "write-tmp", "text": "kept"})
    big = call(engine, config, {"action": "allocate", "mb": 300})
    assert big.function_error == "Unhandled"
    assert big.error_type == "Runtime.OutOfMemory"
    assert "Runtime exited with error: signal: killed" in json.loads(big.payload)["errorMessage"]
    assert "Max Memory Used: 128 MB" in big.log_lines[-1]
    assert_reset_not_replaced(engine, config, 1)


def test_concurrent_invocations_get_separate_environments(engine):
    from concurrent.futures import ThreadPoolExecutor

    config = make_config(engine, function_name="parallel", timeout=5)
    with ThreadPoolExecutor(3) as pool:
        results = list(
            pool.map(lambda _: call(engine, config, {"action": "sleep", "seconds": 0.3}), range(3))
        )
    assert all(r.cold_start for r in results)
    assert len(engine.environments("parallel")) == 3
    assert not call(engine, config, {}).cold_start


def test_new_configuration_retires_old_environments(engine):
    old = make_config(engine, function_name="changing")
    call(engine, old, {})
    new = make_config(engine, function_name="changing", memory_size=256)
    assert call(engine, new, {}).cold_start
    assert {e.config.memory_size for e in engine.environments("changing")} == {256}


def test_shutdown_ends_every_worker(tmp_path):
    engine = LambdaEngine(tmp_path, runtime_client=CLIENTS[-1])
    config = make_config(engine)
    call(engine, config, {})
    pids = [env.process.pid for env in engine.environments()]
    engine.shutdown()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_client_context_reaches_the_handler_in_both_clients(engine):
    """AWS: any synchronous Invoke may pass ClientContext; the runtime parses it."""
    config = make_config(engine, function_name="fn-client-context")
    sent = json.dumps({"custom": {"tenant": "t1"}, "client": {"app_title": "lab"}})
    result = engine.invoke(config, b'{"action": "client-context"}', client_context=sent)
    assert json.loads(result.payload) == {"custom": {"tenant": "t1"}, "app": "lab"}
    assert json.loads(call(engine, config, {"action": "client-context"}).payload) is None


LAYER_UTIL = """
def parse(text):
    return int(text)
"""

USES_LAYER = """
import util

def handler(event, context):
    value = util.parse(event["text"])
    return value
"""


def test_stack_traces_name_var_task_and_opt_as_on_aws(engine):
    """AWS extracts the package to /var/task and the layers to /opt: traces name them.

    The sandbox runs the code from its own folders; the error's stackTrace and the log
    lines say /var/task/app.py and /opt/python/util.py, with their source lines.
    https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths
    """
    import io
    import zipfile

    layer = io.BytesIO()
    with zipfile.ZipFile(layer, "w") as archive:
        archive.writestr("python/util.py", textwrap.dedent(LAYER_UTIL))
    config = make_config(engine, USES_LAYER)
    opt = engine.unpack_layers(
        [("arn:aws:lambda:us-east-1:123456789012:layer:u:1", layer.getvalue())]
    )
    config = FunctionConfig(**{**config.__dict__, "layer_dir": str(opt)})
    result = call(engine, config, {"text": "six"})
    error = json.loads(result.payload)
    assert error["errorType"] == "ValueError"
    frames = "".join(error["stackTrace"])
    assert (
        '  File "/var/task/app.py", line 5, in handler\n    value = util.parse(event["text"])\n'
        in frames
    )
    assert '  File "/opt/python/util.py", line 3, in parse\n    return int(text)\n' in frames
    logged = "\n".join(result.log_lines)
    assert 'File "/var/task/app.py", line 5, in handler' in logged
    for local in (config.code_dir, str(opt), str(engine.workdir)):
        assert local not in frames and local not in logged


def test_syntax_error_names_var_task(engine):
    config = make_config(engine, "def handler(event, context):\n    return (\n")
    result = call(engine, config, {})
    error = json.loads(result.payload)
    assert error["errorType"] == "Runtime.UserCodeSyntaxError"
    assert "/var/task/app.py" in "".join(error["stackTrace"])
    assert config.code_dir not in result.payload.decode()
    assert config.code_dir not in "\n".join(result.log_lines)


@pytest.mark.parametrize(
    ("runtime", "text"), [("python3.11", b"caf\\u00e9"), ("python3.13", "café".encode())]
)
def test_non_ascii_text_is_escaped_before_python_3_12_only(engine, runtime, text):
    """awslambdaric's encoder sets ensure_ascii=False for python3.12 and later only."""
    result = call(engine, make_config(engine, runtime=runtime), {"action": "nested-bytes"})
    assert result.payload == b'{"text": "' + text + b'"}'
