"""The words of round 3's probes: each names the cause its input shows, and only it."""

from __future__ import annotations

from lambdalab.course.checks import lesson03, lesson07
from lambdalab.course.probe import Run, logged_error


def test_a_pair_returned_wrong_is_named_by_the_error_it_caused():
    swapped = lesson07._returned_wrong("TypeError: string indices must be integers, not 'str'")
    assert "did not raise" in swapped and "wrong way round" in swapped
    empty = lesson07._returned_wrong("TypeError: 'NoneType' object is not subscriptable")
    assert "reads as 'no problem'" in empty and "wrong way round" not in empty
    single = lesson07._returned_wrong("ValueError: too many values to unpack (expected 2)")
    assert "did not return a pair" in single


def test_a_report_s_keys_say_what_is_missing_and_what_is_extra():
    fields = ("date", "orders", "revenue", "top_product")
    got = {"date": 1, "orders": 2, "revenue": 3, "top": 4}
    assert lesson07._key_names(got, fields) == " (missing top_product; not expected top)"
    assert lesson07._key_names(dict.fromkeys(fields), fields) == ""


def test_a_failed_run_on_the_day_without_sales_says_so():
    line = "[ERROR] IndexError: list index out of range"
    text = lesson07._failed_run("no report", 1, "2026-12-26", [], [line])
    assert "a day without sales" in text and "IndexError" in text
    other = lesson07._failed_run("no report", 0, "2026-12-25", [], [line])
    assert "without sales" not in other and "IndexError" in other


def test_a_run_s_first_error_reads_the_logged_traceback():
    line = (
        "[ERROR] KeyError: 'x'\rTraceback (most recent call last):\r"
        '  File "/var/task/app.py", line 3, in handler\r    return event["x"]'
    )
    assert Run([line], []).first_error() == "KeyError: 'x', at app.py, line 3: return event[\"x\"]"
    assert logged_error("[ERROR] ValueError: no") == "ValueError: no"


def test_what_a_layer_holds_is_said_only_when_it_lacks_python_defusedxml(monkeypatch):
    arn = "arn:aws:lambda:us-east-1:123456789012:layer:defusedxml:4"
    holds = {
        "wrong": ["python/xmltodict.py", "python/xmltodict-1.0.dist-info/METADATA"],
        "root": ["defusedxml/__init__.py", "defusedxml/common.py"],
        "right": ["python/defusedxml/__init__.py"],
    }
    for kind, files in holds.items():
        monkeypatch.setattr(lesson03, "layer_files", lambda _arn, files=files: files)
        text = lesson03._layer_holds(arn)
        if kind == "wrong":
            assert "holds python/xmltodict.py, python/xmltodict-1.0.dist-info/" in text
            assert "not defusedxml at all" in text
        elif kind == "root":
            assert "sits at the zip's root" in text
        else:
            assert text == ""
