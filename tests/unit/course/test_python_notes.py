"""The notes on Python's rules behind an error (lambdalab.course.python_notes), read from
the error's message and, where given, the learner's source with ast."""

import json
import types

import pytest

from lambdalab.course.python_notes import deployed_note, exception_note, python_note

GUARDED = """import boto3

if __name__ == "__main__":
    s3 = boto3.client("s3")


def handler(event, context):
    return s3.list_buckets()
"""


def test_a_name_bound_under_the_main_guard_says_it_does_not_run_on_lambda():
    note = python_note("NameError", "name 's3' is not defined", GUARDED, 8)
    assert 'if __name__ == "__main__":' in note and "does not run on Lambda" in note
    assert "line 4" in note


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        (
            "def setup():\n    table = 1\n\n\ndef handler(e, c):\n    return table\n",
            6,
            "inside the function setup",
        ),
        (
            "import os\nif os.environ.get('X'):\n    limit = 3\n\n\ndef handler(e, c):\n"
            "    return limit\n",
            7,
            "`if os.environ.get('X'):`",
        ),
        (
            "try:\n    import yaml\nexcept ImportError:\n    pass\nyaml.safe_load('')\n",
            5,
            "`try` block",
        ),
    ],
)
def test_a_name_bound_only_in_a_block_names_the_block(source, line, words):
    name = {"6": "table", "7": "limit", "5": "yaml"}[str(line)]
    note = python_note("NameError", f"name '{name}' is not defined", source, line)
    assert words in note, note


def test_a_name_bound_nowhere_or_at_the_top_level_gets_no_note():
    source = "x = 1\n\ndef handler(e, c):\n    return y + x\n"
    assert python_note("NameError", "name 'y' is not defined", source, 4) == ""
    assert python_note("NameError", "name 'x' is not defined", source, 4) == ""


def test_an_import_after_its_use_is_not_told_to_be_global():
    source = (
        "def handler(event, context):\n"
        "    result = reports.export(event)\n"
        "    import reports\n"
        "    return result\n"
    )
    message = "cannot access local variable 'reports' where it is not associated with a value"
    note = python_note("UnboundLocalError", message, source, 2)
    assert "imports reports on line 3" in note and "global" not in note
    assert "global counter" in python_note(
        "UnboundLocalError", message.replace("reports", "counter")
    )


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("'str' object has no attribute 'read'", "json.loads(text)"),
        ("'bytes' object has no attribute 'read'", "json.loads(text)"),
        ("'str' object has no attribute 'get'", "json.loads(text) gives the dict"),
        ("'str' object has no attribute 'items'", "json.loads(text) gives the dict"),
        ("'str' object has no attribute 'keys'", "json.loads(text) gives the dict"),
    ],
)
def test_a_str_where_a_file_or_a_dict_was_meant(message, words):
    assert words in python_note("AttributeError", message)


def test_other_attribute_errors_get_no_note():
    assert python_note("AttributeError", "'str' object has no attribute 'uper'") == ""


def test_a_handler_with_context_first_is_named_from_its_source_and_its_code():
    source = "def handler(context, event):\n    return event['name']\n"
    note = python_note(
        "TypeError", "'types.SimpleNamespace' object is not subscriptable", source, 2
    )
    assert "write def handler(event, context)" in note

    def lambda_handler(ctx, event):
        return event["name"]

    try:
        lambda_handler({"name": "Ada"}, types.SimpleNamespace())
    except TypeError as error:
        assert "def lambda_handler(event, context)" in exception_note(error)


def test_next_on_an_empty_generator_says_nothing_met_the_condition():
    try:
        next(size for size in [128, 256] if size > 1024)
    except StopIteration as error:
        assert "nothing met its condition" in exception_note(error)


def test_json_load_given_a_string_in_the_kernel():
    try:
        json.load('{"id": 1}')
    except AttributeError as error:
        assert "json.loads" in exception_note(error)


def test_a_deployed_functions_file_is_read_only_while_its_line_still_matches(tmp_path):
    (tmp_path / "app.py").write_text(GUARDED)
    where = "app.py, line 8: return s3.list_buckets()"
    assert "does not run on Lambda" in deployed_note(
        "NameError", "name 's3' is not defined", where, tmp_path
    )
    (tmp_path / "app.py").write_text(GUARDED.replace("list_buckets", "list_objects"))
    assert deployed_note("NameError", "name 's3' is not defined", where, tmp_path) == ""
    assert deployed_note("NameError", "name 's3' is not defined", where, None) == ""


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            "message 1 failed: AttributeError(\"'str' object has no attribute 'read'\")",
            "json.loads",
        ),
        ("AttributeError: 'str' object has no attribute 'get'", "json.loads(text) gives the dict"),
        ("[ERROR] StopIteration: ", "nothing met its condition"),
        ("message 1 failed: KeyError('id')", ""),
    ],
)
def test_an_error_the_function_logged_gets_its_note(line, words):
    from lambdalab.course.python_notes import log_note

    note = log_note(line)
    assert words in note if words else note == ""
