"""check() given the wrong kind of argument says what it wants (the exercise's ``expects``)
and what it got, for every exercise: swapped arguments, a missing answer, a function
called instead of passed, a name in quotes, an id written another way."""

from __future__ import annotations

import pytest

from lambdalab.course import checks, exercises
from lambdalab.course.checks import check


def handler(event, context):
    return {"greeting": f"Hello, {event['name']}!"}


@pytest.fixture(autouse=True)
def normal_mode(monkeypatch, tmp_path):
    monkeypatch.delenv("LAMBDALAB_CHECKS", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # no sandbox: slips need none
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(tmp_path / "progress.json"))


def test_every_exercise_says_precisely_what_it_expects():
    for ex in checks.registry().values():
        assert ex.expects != "the answer asked for", ex.id
        assert len(ex.expects) >= 20, ex.id
        if ex.deployed:
            assert repr(ex.deployed) in ex.expects, ex.id


def test_swapped_arguments_say_the_order():
    message = check(handler, "00.1").message
    assert 'takes the exercise\'s id first, then your answer: check("00.1", handler)' in message
    assert "the other way round" in message and "the function handler" in message


def test_a_missing_answer_is_a_sentence_not_a_type_error():
    result = check("00.1")
    assert not result.passed
    assert 'check("00.1") needs your answer too' in result.message
    assert "a function handler(event, context)" in result.message  # the expects text
    assert 'check("01.1", "greeter")' in check("01.1").message
    assert "needs the exercise's id and your answer" in check().message


@pytest.mark.parametrize("written", [0.1, "0.1", "00-1", "Exercise 0.1", " 00.1 ", "0_1"])
def test_an_id_written_another_way_names_the_right_one(written):
    result = check(written, handler)
    assert not result.passed
    assert 'write check("00.1", handler)' in result.message
    assert "two digits" in result.message


def test_an_id_that_is_not_one_still_says_the_form():
    assert "ids look like '04.2'" in check(None, handler).message
    assert "there is no exercise 00.9; lesson 00 has: 00.1" in check("0.9", handler).message


@pytest.mark.parametrize(
    ("answer", "got", "slip"),
    [
        (None, "your answer is None", "not handler() (what it returns)"),
        ({"greeting": "Hello, Ada!"}, "your answer is a dict", "not handler()"),
        ("handler", "your answer is a str ('handler')", "its name in quotes"),
    ],
)
def test_a_function_exercise_given_something_else(answer, got, slip):
    result = check("00.1", answer)
    assert got in result.message and slip in result.message
    assert 'check("00.1", ...) expected a function handler(event, context)' in result.message
    assert result.hint == ""  # a usage slip: the hint about solving would be noise


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (handler, "the notebook's Python function handler, not the name Lambda knows it by"),
        ({"FunctionName": "greeter", "Runtime": "python3.13"}, "its name is 'greeter'"),
        ({"StatusCode": 200, "Payload": b"{}"}, "what lambda.invoke returned"),
        (None, "your answer is None"),
    ],
)
def test_a_deployed_exercise_given_something_else(answer, said):
    message = check("01.1", answer).message
    assert "expected the name of the function this exercise deploys, 'greeter'" in message
    assert "pass check() the deployed function's name, a str" in message.lower()
    assert said in message


def test_another_functions_name_is_not_probed_in_its_place():
    message = check("01.1", "greter").message
    assert "your answer is a str ('greter')" in message
    assert "This exercise deploys 'greeter'" in message


def test_a_value_exercise_given_a_variable_name_in_quotes():
    import __main__

    __main__.shipping_zip = b"PK\x05\x06" + b"\0" * 18
    try:
        message = check("03.1", "shipping_zip").message
    finally:
        del __main__.shipping_zip
    assert "expected the bytes of a zip file" in message
    assert "pass the variable itself, shipping_zip, without quotes" in message


def test_a_value_exercise_given_a_function_or_a_path(tmp_path):
    message = check("03.1", handler).message
    assert "That is the function handler itself" in message
    assert "is a path on this machine" in check("03.1", str(tmp_path)).message
    assert "expected schedules, a dict" in check("02.4", ["cron(0 3 * * ? *)"]).message


def test_a_usage_slip_does_not_count_as_a_failed_attempt(monkeypatch):
    monkeypatch.setattr(exercises, "_ATTEMPTS", {})
    check("00.1", None)
    check("00.1")
    assert exercises._ATTEMPTS == {}
