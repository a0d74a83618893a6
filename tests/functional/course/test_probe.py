"""lambdalab.course.probe against a real sandbox: what every check that deploys relies on.

A deployed function is found or named missing with the cell to run; invoked, its error is
said with the handler's line; a configuration changed for a check is set back; a trigger's
work is waited for and read from the log; an exercise declared ``deployed=`` gets it all.
"""

from __future__ import annotations

import doctest

import pytest

from lambdalab.course import exercises, probe
from lambdalab.course.checks import check
from lambdalab.course.probe import Deployed, NotYet


@pytest.fixture
def deployed(sb, write_function):
    """A function that greets, fails on a 'boom' event, and prints what it got."""
    folder = write_function(
        app="""
        import os

        def handler(event, context):
            print("got", event)
            if event.get("boom"):
                raise ValueError("boom")
            return {"greeting": os.environ.get("GREETING", "Hello") + ", " + event["name"]}
        """
    )
    sb.deploy("probe-greeter", folder, Environment={"Variables": {"GREETING": "Hej"}})
    yield "probe-greeter"
    sb.client("lambda").delete_function(FunctionName="probe-greeter")


def test_the_module_s_examples_hold():
    assert doctest.testmod(probe).failed == 0


def test_a_missing_function_names_the_cell_to_run(sb, write_function):
    # A sandbox with some function: an empty one says the kernel restarted instead.
    sb.deploy("somewhere", write_function(app="def handler(event, context):\n    return 1\n"))
    with pytest.raises(NotYet, match="no function named 'nowhere' in the sandbox: run the cell"):
        Deployed("nowhere")
    with pytest.raises(NotYet, match="run the wiring cell first"):
        Deployed("nowhere", deploy_cell="the wiring cell")


@pytest.mark.parametrize(
    "answer, said",
    [
        (None, "this is None (a NoneType)"),
        ({"FunctionName": "x"}, "this is a dict"),
        (print, "the notebook's Python function print, not the name Lambda knows it by"),
    ],
)
def test_an_answer_that_is_not_a_name_says_what_it_is(answer, said):
    with pytest.raises(NotYet) as caught:
        probe.function_name(answer, "greeter")
    assert "pass check() the deployed function's name, a str such as 'greeter'" in str(caught.value)
    assert said in str(caught.value)


def test_call_gives_the_payload_or_the_function_s_own_error(deployed):
    fn = Deployed(deployed)
    assert fn.call({"name": "Ada"}) == {"greeting": "Hej, Ada"}
    with pytest.raises(NotYet) as caught:
        fn.call({"boom": True})
    assert "the function failed with ValueError: boom" in str(caught.value)
    assert 'app.py, line 7: raise ValueError("boom")' in str(caught.value)
    assert any("got {'name': 'Ada'}" in line for line in fn.lines())  # this check's lines only


def test_configured_sets_the_configuration_back_even_when_the_block_fails(deployed):
    fn = Deployed(deployed)
    with pytest.raises(RuntimeError), probe.configured(deployed, Timeout=7) as update:
        update(Environment={"Variables": {"GREETING": "Hola"}})
        assert fn.call({"name": "Ada"}) == {"greeting": "Hola, Ada"}
        raise RuntimeError("the check stopped here")
    config = probe.function_config(deployed)
    assert config["Timeout"] == 3 and config["Environment"]["Variables"] == {"GREETING": "Hej"}
    assert fn.call({"name": "Ada"}) == {"greeting": "Hej, Ada"}


def test_after_waits_for_the_trigger_and_reads_what_the_function_did(sb, deployed):
    fn = Deployed(deployed)
    lam = sb.client("lambda")
    run = fn.after(
        lambda: lam.invoke(FunctionName=deployed, InvocationType="Event", Payload=b'{"boom": 1}')
    )
    assert len(run.starts) == 3  # the first try and two retries, on the sandbox clock
    assert run.failed and "ValueError" in run.first_error()
    assert "ValueError" in fn.explain("the upload made no thumbnail")


def test_an_exercise_declared_deployed_gets_the_function(monkeypatch, tmp_path, deployed):
    """A lesson module and its TOML of texts, as lambdalab/course/checks/ holds them."""
    (tmp_path / "lesson98.toml").write_text(
        '["98.4"]\ntitle = "Greets"\nhint = """\\\nSay \\\n  hello."""\n'
    )
    (tmp_path / "lesson98.py").write_text(
        "from lambdalab.course.exercises import exercise\n"
        "from lambdalab.course.probe import NotYet\n"
        "seen = []\n"
        f"@exercise('98.4', deployed={deployed!r})\n"
        "def greets(fn):\n"
        "    seen.append(fn.name)\n"
        "    if fn.call({'name': 'Ada'}) != {'greeting': 'Hello, Ada'}:\n"
        "        raise NotYet('it should say Hello')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.delenv("LAMBDALAB_CHECKS", raising=False)
    import lesson98

    try:
        registered = exercises._REGISTRY["98.4"]
        assert (registered.title, registered.hint) == ("Greets", "Say hello.")
        assert registered.expects == f"the name of the deployed function, '{deployed}'"
        result = check("98.4", deployed)
        assert (result.message, result.hint) == ("it should say Hello", "Say hello.")
        assert lesson98.seen == [deployed]
        assert "a str such as 'probe-greeter'" in check("98.4", 42).message
    finally:
        exercises._REGISTRY.pop("98.4", None)


def test_a_check_without_its_text_names_the_file_to_write(tmp_path):
    module = tmp_path / "lesson97.py"
    with pytest.raises(LookupError, match=r'lesson97.toml has no \["97.1"\] table'):
        exercises.lesson_texts(str(module), "97.1")
    (tmp_path / "lesson97.toml").write_text('["97.1"]\ntitle = "T"\nhints = "typo"\n')
    with pytest.raises(ValueError, match="needs a title and a hint.*not hints"):
        exercises.lesson_texts(str(module), "97.1")


def test_refused_invocations_names_what_the_policy_refused(sb, deployed):
    """A trigger the function's policy does not allow is in the sandbox's log: a check
    counts the refusals before its requests and names a new one as the cause."""
    import boto3
    from botocore.exceptions import ClientError

    from lambdalab.sandbox.triggers import permissions

    before = len(probe.refused_invocations(deployed))
    arn = sb.client("lambda").get_function(FunctionName=deployed)["Configuration"]["FunctionArn"]
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="refused-probe")
    config = {"LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn, "Events": ["s3:*"]}]}
    with pytest.warns(permissions.InvokePermissionWarning), pytest.raises(ClientError):
        s3.put_bucket_notification_configuration(
            Bucket="refused-probe", NotificationConfiguration=config
        )
    new = probe.refused_invocations(deployed)[before:]
    assert len(new) == 1 and "s3.amazonaws.com" in new[0]
    assert probe.refused_invocations("another-function") == []
