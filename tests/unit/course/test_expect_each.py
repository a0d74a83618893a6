"""probe.expect_each and probe.difference: the input, what the answer did, what was
expected and what differs; a partly right answer is told where it stops being right."""

from __future__ import annotations

import pytest

from lambdalab.course import probe
from lambdalab.course.probe import NotYet, call_answer, difference, expect_each


@pytest.mark.parametrize(
    ("got", "wanted", "said"),
    [
        ({"greeting": "Hello, Ada"}, {"greeting": "Hello, Ada!"}, "'!' missing at the end"),
        ({"greeting": "Hello, Ada!!"}, {"greeting": "Hello, Ada!"}, "'!' extra at the end"),
        ("Hello, Λ!", "Hello, λ!", "they differ in upper and lower case"),
        (" a.txt", "a.txt", "they differ in spaces at the ends"),
        ("a b.txt", "a+b.txt", "' b.txt' where '+b.txt' belongs (character 2)"),
        ({"Greeting": "x"}, {"greeting": "x"}, "no key 'greeting' (it has 'Greeting')"),
        ({"greeting": "x", "name": "y"}, {"greeting": "x"}, "an extra key 'name'"),
        ({"statusCode": "200"}, {"statusCode": 200}, "should be the int 200, not the str '200'"),
        ("Hello", {"greeting": "Hello"}, "return a dict, not a str"),
        ([2, 4], [2, 4, 6], "2 item(s), not 3"),
        (1, "1", "return a str, not an int"),
        ([2, 5, 6], [2, 4, 6], "item 1 is 5, not 4"),
    ],
)
def test_difference_says_what_separates_two_values(got, wanted, said):
    assert said in difference(got, wanted)


def test_equal_values_and_none_have_no_difference_to_say():
    assert difference({"a": 1}, {"a": 1}) == "" and difference(None, {"a": 1}) == ""
    assert difference(1, 1.0) == ""  # numbers compare as numbers


def _runs(function, names):
    return [(f"the name {n!r}", lambda n=n: call_answer(function, n, name="f"), n) for n in names]


def test_the_first_failing_input_is_named_with_those_that_passed():
    with pytest.raises(NotYet) as caught:
        expect_each("f", _runs(str.title, ["Ada", "Grace Hopper", "λ", "x"]))
    message = str(caught.value)
    assert message.startswith("for the name 'λ' f returned 'Λ'; expected 'λ'")
    assert "(it passed for the name 'Ada', the name 'Grace Hopper')" in message


def test_none_is_explained_once_without_a_guess_when_other_inputs_passed():
    def only_ada(name):
        if name == "Ada":
            return name
        return None

    with pytest.raises(NotYet) as caught:
        expect_each("f", _runs(only_ada, ["Ada", "Zoë"]))
    message = str(caught.value)
    assert "returned None" in message and "ends without a return statement" in message
    assert "it passed for the name 'Ada'" in message


def test_the_answers_own_error_is_kept_with_its_line():
    def crashes(name):
        return {"a": 1}[name]

    runs = [(f"the name {n!r}", lambda n=n: call_answer(crashes, n, name="f"), 1) for n in "ab"]
    with pytest.raises(NotYet) as caught:
        expect_each("f", runs)
    message = str(caught.value)
    assert "calling f with 'b' raised KeyError: 'b'" in message
    assert 'of test_expect_each.py: return {"a": 1}[name]' in message
    assert "it passed for the name 'a'" in message
    assert not message.startswith("for the name")  # the error names the input already


def test_a_type_that_only_compares_equal_is_not_the_answer():
    with pytest.raises(NotYet, match="True"):
        expect_each("f", [("x", lambda: True, 1)])


def test_where_raised_skips_the_kit_s_own_frames():
    try:
        probe.call_answer(lambda: [][0])
    except NotYet as error:
        assert "IndexError" in str(error) and "line " in str(error)


def test_a_tuple_of_the_right_kind_is_named_a_trailing_comma():
    import pytest

    from lambdalab.course.probe import WrongKind, expect_kind

    with pytest.raises(WrongKind, match="a comma at the end of the line"):
        expect_kind((b"PK",), bytes, "the bytes of a zip file")


def test_an_unbound_local_names_python_s_rule():
    from lambdalab.course.probe import Invoked, function_error

    error = {
        "errorType": "UnboundLocalError",
        "errorMessage": "cannot access local variable 'cached_token' where it is not "
        "associated with a value",
    }
    said = function_error(Invoked(error, "Unhandled", ""))
    assert "write `global cached_token` at the top of the function" in said


def test_a_handler_string_with_a_path_is_named():
    from lambdalab.course.probe import python_note

    said = python_note(
        "Runtime.ImportModuleError", "Unable to import module 'shop/orders': No module named 'shop'"
    )
    assert "a handler string names a module, not a path" in said and "'orders.<function>'" in said
