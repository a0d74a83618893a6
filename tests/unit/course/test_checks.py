"""lambdalab.course.checks: pass, not yet with a hint, never a crash; the two test modes."""

from __future__ import annotations

import pytest

from lambdalab.course import checks, exercises, probe
from lambdalab.course.checks import CheckResult, NotYet, check


def solved(event, context):
    return {"greeting": f"Hello, {event['name']}!"}


def stub(event, context):
    # YOUR CODE HERE
    pass


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Normal mode, progress written to a temporary file, and a scratch exercise "98.1"."""
    monkeypatch.delenv("LAMBDALAB_CHECKS", raising=False)
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(tmp_path / "progress.json"))

    def crashes(answer):
        return answer.upper() == "YES"  # AttributeError for anything but a str

    def must_be_yes(answer):
        if crashes(answer) is not True:
            raise NotYet(f"you answered {answer!r}")

    monkeypatch.setitem(
        exercises._REGISTRY,
        "98.1",
        checks.Exercise("98.1", "Say yes", "Type yes.", "the string 'yes'", must_be_yes),
    )


def test_a_right_answer_passes():
    result = check("00.1", solved)
    assert result.passed and bool(result)
    assert str(result) == "✓ Exercise 00.1 passed: Your first handler-shaped function"


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (stub, "returned None"),
        (lambda event: None, "must accept 2 arguments"),
        (lambda event, context: event["nom"], "raised KeyError: 'nom'"),
        (lambda event, context: "Hello, Ada!", "return a dict"),
        (lambda event, context: {"greeting": "Hello, Ada!"}, "Grace Hopper"),
        (lambda event, context: {"message": "hi"}, "no key 'greeting'"),
    ],
)
def test_wrong_answers_get_not_yet_with_a_message_and_hint(answer, words):
    result = check("00.1", answer)
    assert not result.passed
    assert words in result.message
    assert "event['name']" in result.hint


def test_an_exception_inside_a_check_becomes_a_friendly_not_yet():
    result = check("98.1", None)
    assert not result.passed
    assert "None (a NoneType)" in result.message
    assert "AttributeError" in result.message
    assert not result.message.startswith("your answer is")  # it may be right (issue 14)
    assert check("98.1", "yes").passed


def test_unknown_ids_list_the_lessons_exercises():
    assert "lesson 00 has: 00.1" in check("00.9", solved).message
    assert "lesson 42 has: none yet" in check("42.1", solved).message
    assert 'write check("00.1", solved)' in check("0.1", solved).message
    assert not check(None, solved).passed  # type: ignore[arg-type]


def test_results_show_as_boxes_in_jupyter_and_text_elsewhere():
    good, bad = check("00.1", solved), check("00.1", stub)
    assert "✓ Exercise 00.1 passed" in good._repr_html_() and "#2e7d32" in good._repr_html_()
    html = bad._repr_html_()
    assert "Not yet:" in html and "Hint:" in html and "#ff8f00" in html
    assert repr(bad) == str(bad)
    assert str(bad).startswith(
        "✗ Exercise 00.1. Not yet: for the event {'name': 'Ada'} your handler returned None"
    )
    assert "\n  Hint: " in str(bad)


def test_html_is_escaped():
    result = CheckResult("98.1", False, "<script>alert(1)</script>", "a & b")
    assert "<script>" not in result._repr_html_() and "a &amp; b" in result._repr_html_()


def test_must_pass_mode_raises_on_a_failing_check(monkeypatch):
    monkeypatch.setenv("LAMBDALAB_CHECKS", "must-pass")
    assert check("00.1", solved).passed
    with pytest.raises(AssertionError, match="must-pass"):
        check("00.1", stub)


def test_must_fail_mode_raises_on_a_passing_check(monkeypatch):
    monkeypatch.setenv("LAMBDALAB_CHECKS", "must-fail")
    assert not check("00.1", stub).passed
    with pytest.raises(AssertionError, match="a check that cannot fail is a defect"):
        check("00.1", solved)


def test_a_misspelt_mode_is_an_error_not_silence(monkeypatch):
    monkeypatch.setenv("LAMBDALAB_CHECKS", "must_pass")
    with pytest.raises(ValueError, match="must-pass"):
        check("00.1", solved)


def test_every_registered_check_fails_on_none_and_on_a_do_nothing_function():
    for exercise_id in checks.registry():
        assert not check(exercise_id, None).passed
        assert not check(exercise_id, lambda *args: None).passed


def test_exercise_ids_are_validated():
    with pytest.raises(ValueError, match="04.2"):
        checks.exercise("4.2")


# --------------------------------------------------------------------------------------
# Checks that meet a failing function (issue 14): the function's error, never a timeout
# --------------------------------------------------------------------------------------


class StuckSandbox:
    """A stand-in sandbox whose wait() cannot settle: a stream handler keeps failing."""

    def __init__(self):
        from lambdalab.sandbox.failures import Failure

        self.failure = Failure(
            "stream-counter",
            "DynamoDB stream of table inventory",
            count=3,
            error_type="KeyError",
            error_message="'OldImage'",
            handler_line='app.py, line 9: old = record["dynamodb"]["OldImage"]',
        )
        self.recovered = []

    def wait(self, timeout=60.0):
        from lambdalab.sandbox.failures import SandboxStuck

        raise SandboxStuck("stuck", [self.failure])

    def failures(self, function_name=None):
        return [self.failure]

    def recover(self, function_name=None):
        self.recovered.append(function_name)
        return "recovered"


def test_settle_names_the_functions_error_and_cleans_up():
    sb = StuckSandbox()
    with pytest.raises(NotYet) as caught:
        probe.settle(sb, "stream-counter")
    message = str(caught.value)
    assert "KeyError: 'OldImage'" in message
    assert "app.py, line 9" in message and "DynamoDB stream of table inventory" in message
    assert "pending" not in message
    assert sb.recovered == ["stream-counter"]  # the check's own events do not linger


def test_a_stuck_sandbox_inside_a_check_is_reported_as_the_functions_error(monkeypatch):
    sb = StuckSandbox()

    def waits(answer):
        sb.wait()

    monkeypatch.setitem(
        exercises._REGISTRY,
        "98.2",
        checks.Exercise("98.2", "Count", "Loop.", "the name 'stream-counter'", waits),
    )
    result = check("98.2", "stream-counter")
    assert not result.passed
    assert "KeyError: 'OldImage'" in result.message
    assert "your answer is a str" not in result.message


def test_start_clean_tolerates_a_sandbox_without_recover():
    probe.start_clean(object())  # an older grader's stand-in: nothing to do, no error
    sb = StuckSandbox()
    probe.start_clean(sb)
    assert sb.recovered == [None]


def test_function_error_names_the_handler_line():
    payload = {
        "errorType": "KeyError",
        "errorMessage": "'name'",
        "stackTrace": ['  File "/var/task/app.py", line 2, in handler\n    return event["name"]\n'],
    }
    text = probe.function_error(probe.Invoked(payload, "Unhandled", ""), {})
    assert text == (
        "for the event {} the function failed with KeyError: 'name' "
        '(app.py, line 2: return event["name"])'
    )


def test_the_fuller_hint_comes_after_repeated_attempts(monkeypatch):
    """First "not yet": the guiding hint only; from MORE_HINT_AFTER on, the fuller one too."""
    monkeypatch.setattr(exercises, "_ATTEMPTS", {})
    monkeypatch.setitem(
        exercises._REGISTRY,
        "98.3",
        checks.Exercise(
            "98.3", "Say yes", "Guide.", "'yes'", lambda a: None if a == "yes" else 1 / 0, "More."
        ),
    )
    hints = [check("98.3", "no").hint for _ in range(exercises.MORE_HINT_AFTER + 1)]
    assert hints[0] == "Guide."
    assert hints[exercises.MORE_HINT_AFTER - 1] == hints[-1] == "Guide. More."
    assert check("98.3", "yes").passed
    assert check("98.1", "no").hint == "Type yes."  # no fuller hint: the first one stays
    assert exercises._ATTEMPTS == {"98.3": exercises.MORE_HINT_AFTER + 1, "98.1": 1}


def test_first_hints_do_not_hold_the_fuller_hint():
    """Every exercise with a fuller hint keeps it out of the first one."""
    with_more = [ex for ex in checks.registry().values() if ex.more_hint]
    assert {"03.1", "04.2", "07.3"} <= {ex.id for ex in with_more}
    for ex in with_more:
        assert ex.more_hint not in ex.hint, ex.id


def test_every_exercise_text_has_its_check_and_every_check_its_text():
    """lessonNN.toml (what the learner reads) and lessonNN.py (the checks) name the same ids."""
    import tomllib
    from pathlib import Path

    folder = Path(checks.__file__).parent
    registered = checks.registry()
    for texts in sorted(folder.glob("lesson*.toml")):
        lesson = texts.stem.removeprefix("lesson")
        written = set(tomllib.loads(texts.read_text()))
        assert written == {i for i, ex in registered.items() if ex.lesson == lesson}, texts.name
    modules = {path.stem for path in folder.glob("lesson*.py")}
    assert modules == {path.stem for path in folder.glob("lesson*.toml")}
