"""EventBridge event patterns: each filter matching and not matching, and bad patterns."""

from __future__ import annotations

import doctest
import json

import pytest

import lambdalab.sandbox.patterns
from lambdalab.sandbox.patterns import EventPatternError, matches, validate_pattern

# An EC2 state-change event, as in the EventBridge user guide.
EC2_EVENT = {
    "version": "0",
    "id": "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "123456789012",
    "time": "2015-11-11T21:29:54Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {
        "instance-id": "i-abcd1111",
        "state": "pending",
        "c-count": 3,
        "x-limit": 301.8,
        "sourceIPAddress": "10.0.0.123",
        "FileName": "photos/cat.PNG",
        "tags": ["prod", "web"],
        "owner": None,
        "nickname": "",
        "enabled": True,
        "location": {"city": "Paris"},
    },
}


def detail(rule: dict) -> dict:
    return {"detail": rule}


def test_docstring_examples_run():
    assert doctest.testmod(lambdalab.sandbox.patterns).failed == 0


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # exact values: a list is OR, fields are AND
        ({"source": ["aws.ec2"]}, True),
        ({"source": ["aws.s3", "aws.ec2"]}, True),
        ({"source": ["aws.s3"]}, False),
        ({"source": ["aws.ec2"], "detail-type": ["Something else"]}, False),
        ({"source": ["AWS.EC2"]}, False),  # case-sensitive
        # nested objects
        (detail({"state": ["pending"]}), True),
        (detail({"state": ["running"]}), False),
        (detail({"location": {"city": ["Paris"]}}), True),
        (detail({"location": {"city": ["Rome"]}}), False),
        (detail({"missing": {"city": ["Paris"]}}), False),
        # arrays in the event: any element
        ({"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}, True),
        (detail({"tags": ["web"]}), True),
        (detail({"tags": ["dev"]}), False),
        # numbers compare by value; booleans are not numbers
        (detail({"c-count": [3]}), True),
        (detail({"c-count": [3.0]}), True),
        (detail({"c-count": ["3"]}), False),
        (detail({"enabled": [True]}), True),
        (detail({"enabled": [1]}), False),
        # null and empty string
        (detail({"owner": [None]}), True),
        (detail({"nickname": [None]}), False),
        (detail({"nickname": [""]}), True),
        (detail({"owner": [""]}), False),
        (detail({"not-there": [None]}), False),
    ],
)
def test_exact_values_nesting_and_arrays(pattern, expected):
    assert matches(pattern, EC2_EVENT) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"prefix": "i-abcd"}, True),
        ({"prefix": "i-x"}, False),
        ({"prefix": {"equals-ignore-case": "I-ABCD"}}, True),
        ({"prefix": {"equals-ignore-case": "J-"}}, False),
    ],
)
def test_prefix(rule, expected):
    assert matches(detail({"instance-id": [rule]}), EC2_EVENT) is expected


def test_prefix_on_the_time_field_from_the_guide():
    assert matches({"time": [{"prefix": "2015-11-11"}]}, EC2_EVENT)
    assert not matches({"time": [{"prefix": "2017-10-02"}]}, EC2_EVENT)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"suffix": ".PNG"}, True),
        ({"suffix": ".png"}, False),  # case-sensitive
        ({"suffix": {"equals-ignore-case": ".png"}}, True),
        ({"suffix": {"equals-ignore-case": ".jpg"}}, False),
    ],
)
def test_suffix(rule, expected):
    assert matches(detail({"FileName": [rule]}), EC2_EVENT) is expected


@pytest.mark.parametrize(
    ("field", "rule", "expected"),
    [
        ("state", {"anything-but": "initializing"}, True),
        ("state", {"anything-but": "pending"}, False),
        ("state", {"anything-but": ["stopped", "overloaded"]}, True),
        ("state", {"anything-but": ["stopped", "pending"]}, False),
        ("c-count", {"anything-but": 100}, True),
        ("c-count", {"anything-but": [1, 2, 3]}, False),
        ("state", {"anything-but": {"prefix": "init"}}, True),
        ("state", {"anything-but": {"prefix": "pend"}}, False),
        ("FileName", {"anything-but": {"suffix": ".jpg"}}, True),
        ("FileName", {"anything-but": {"suffix": ".PNG"}}, False),
        ("state", {"anything-but": {"equals-ignore-case": "RUNNING"}}, True),
        ("state", {"anything-but": {"equals-ignore-case": ["RUNNING", "PENDING"]}}, False),
        ("FileName", {"anything-but": {"wildcard": "*/lib/*"}}, True),
        ("FileName", {"anything-but": {"wildcard": "photos/*"}}, False),
        ("FileName", {"anything-but": {"wildcard": ["*/lib/*", "*.PNG"]}}, False),
        # anything-but needs the field to be there
        ("not-there", {"anything-but": "pending"}, False),
        # on an array: matches when some element is not excluded
        ("tags", {"anything-but": "prod"}, True),
        ("tags", {"anything-but": ["prod", "web"]}, False),
    ],
)
def test_anything_but(field, rule, expected):
    assert matches(detail({field: [rule]}), EC2_EVENT) is expected


@pytest.mark.parametrize(
    ("numeric", "expected"),
    [
        ([">", 0, "<=", 5], True),
        ([">", 3, "<=", 5], False),
        ([">=", 3, "<", 4], True),
        (["<", 10], True),
        (["<", 3], False),
        (["<=", 3], True),
        (["=", 3], True),
        (["=", 3.5], False),
        ([">", 2], True),
        ([">=", 4], False),
    ],
)
def test_numeric(numeric, expected):
    assert matches(detail({"c-count": [{"numeric": numeric}]}), EC2_EVENT) is expected


def test_numeric_matches_only_json_numbers():
    assert matches(detail({"x-limit": [{"numeric": ["=", 3.018e2]}]}), EC2_EVENT)
    assert not matches(detail({"state": [{"numeric": [">", 0]}]}), EC2_EVENT)
    assert not matches(detail({"enabled": [{"numeric": [">", 0]}]}), EC2_EVENT)
    assert not matches({"detail": {"n": [{"numeric": [">", 0]}]}}, {"detail": {"n": "5"}})


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (detail({"state": [{"exists": True}]}), True),
        (detail({"state": [{"exists": False}]}), False),
        (detail({"c-count-2": [{"exists": False}]}), True),
        (detail({"c-count-2": [{"exists": True}]}), False),
        (detail({"owner": [{"exists": True}]}), True),  # null is a value
        # exists only looks at leaf fields: an object does not count
        (detail({"location": [{"exists": True}]}), False),
        (detail({"location": [{"exists": False}]}), True),
        ({"nothing": {"here": [{"exists": False}]}}, True),
    ],
)
def test_exists(pattern, expected):
    assert matches(pattern, EC2_EVENT) is expected


def test_equals_ignore_case():
    assert matches(detail({"state": [{"equals-ignore-case": "PENDING"}]}), EC2_EVENT)
    assert not matches(detail({"state": [{"equals-ignore-case": "PENDIN"}]}), EC2_EVENT)


@pytest.mark.parametrize(
    ("wildcard", "expected"),
    [
        ("photos/*", True),
        ("*.PNG", True),
        ("photos/*.PNG", True),
        ("*cat*", True),
        ("*.png", False),
        ("videos/*", False),
        ("photos/cat.PNG", True),
        ("photos/cat", False),
    ],
)
def test_wildcard(wildcard, expected):
    assert matches(detail({"FileName": [{"wildcard": wildcard}]}), EC2_EVENT) is expected


def test_wildcard_escaped_star_is_literal():
    event = {"detail": {"note": "5*3"}}
    assert matches(detail({"note": [{"wildcard": "5\\*3"}]}), event)
    assert not matches(detail({"note": [{"wildcard": "5\\*3"}]}), {"detail": {"note": "5x3"}})


@pytest.mark.parametrize(
    ("cidr", "address", "expected"),
    [
        ("10.0.0.0/24", "10.0.0.123", True),
        ("10.0.0.0/24", "10.0.1.5", False),
        ("10.0.0.0/24", "not an ip", False),
        ("2001:db8::/32", "2001:db8::1", True),
        ("2001:db8::/32", "2001:db9::1", False),
    ],
)
def test_cidr(cidr, address, expected):
    event = {"detail": {"sourceIPAddress": address}}
    assert matches(detail({"sourceIPAddress": [{"cidr": cidr}]}), event) is expected


def test_or_between_fields():
    pattern = {
        "source": ["aws.ec2"],
        "detail": {
            "$or": [
                {"c-count": [{"numeric": [">", 100]}]},
                {"state": ["pending"]},
            ]
        },
    }
    assert matches(pattern, EC2_EVENT)
    other = json.loads(json.dumps(EC2_EVENT))
    other["detail"]["state"] = "running"
    assert not matches(pattern, other)


def test_or_at_the_top_level():
    pattern = {
        "$or": [{"source": ["aws.s3"]}, {"detail-type": ["EC2 Instance State-change Notification"]}]
    }
    assert matches(pattern, EC2_EVENT)
    pattern = {"$or": [{"source": ["aws.s3"]}, {"detail-type": ["Object Created"]}]}
    assert not matches(pattern, EC2_EVENT)


def test_complex_example_from_the_guide():
    pattern = {
        "time": [{"prefix": "2015-11-11"}],
        "detail": {
            "state": [{"anything-but": "initializing"}],
            "c-count": [{"numeric": [">", 0, "<=", 5]}],
            "x-limit": [{"anything-but": [100, 200, 300]}],
        },
    }
    assert matches(pattern, EC2_EVENT)


def test_arrays_of_objects_in_the_event():
    event = {"detail": {"records": [{"size": 1}, {"size": 50}]}}
    assert matches({"detail": {"records": {"size": [{"numeric": [">", 10]}]}}}, event)
    assert not matches({"detail": {"records": {"size": [{"numeric": [">", 100]}]}}}, event)


def test_pattern_and_event_as_json_text():
    assert matches('{"source": ["aws.ec2"]}', json.dumps(EC2_EVENT))


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ({"source": "aws.ec2"}, '"source" must be an object or an array'),
        ({"detail": {"state": "pending"}}, '"state" must be an object or an array'),
        ({"source": []}, "Empty arrays are not allowed"),
        ({}, "Empty objects are not allowed"),
        (["aws.ec2"], "Filter is not an object"),
        ({"source": [{"prefx": "aws."}]}, "Unrecognized match type prefx"),
        ({"source": [{"prefix": "a", "suffix": "b"}]}, "Only one key allowed in match expression"),
        ({"source": [{"prefix": 5}]}, "prefix match pattern must be a string"),
        ({"source": [["nested"]]}, "Match value must be String, number, true, false, or null"),
        ({"n": [{"numeric": 5}]}, "Value of numeric must be an array."),
        ({"n": [{"numeric": ["!=", 5]}]}, "Unrecognized numeric range operator: !="),
        ({"n": [{"numeric": [">", "5"]}]}, "Value of > must be numeric"),
        ({"n": [{"numeric": [">", 0, ">", 5]}]}, "Bad numeric range operator: >"),
        ({"n": [{"numeric": ["<", 0, "<=", 5]}]}, "Too many elements in numeric expression"),
        ({"n": [{"exists": "yes"}]}, "exists match pattern must be either true or false."),
        (
            {"n": [{"anything-but": {"contains": "x"}}]},
            "Unsupported anything-but pattern: contains",
        ),
        ({"n": [{"anything-but": {"prefix": ""}}]}, "Null prefix/suffix not allowed"),
        (
            {"n": [{"anything-but": ["a", 1]}]},
            "Inside anything but list, either all values are number or string, "
            "mixed type is not supported",
        ),
        ({"n": [{"anything-but": None}]}, "Value of anything-but must be an array or single"),
        ({"n": [{"wildcard": "a**b"}]}, "Consecutive wildcard characters at pos 1"),
        ({"n": [{"cidr": "10.0.0.0/99"}]}, "Nonsensical CIDR: 10.0.0.0/99"),
        ({"$or": {"a": ["b"]}}, "It must be an Array followed with $or."),
        ({"$or": [{"a": ["b"]}]}, "There must have at least 2 Objects in $or relationship."),
        ({"$or": [{"a": ["b"]}, "c"]}, "Only JSON object is allowed in array of $or relationship."),
    ],
)
def test_invalid_patterns(pattern, reason):
    with pytest.raises(EventPatternError) as caught:
        validate_pattern(pattern)
    assert str(caught.value).startswith("Event pattern is not valid. Reason: ")
    assert reason in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_matches_refuses_an_invalid_pattern():
    with pytest.raises(EventPatternError):
        matches({"source": "aws.ec2"}, EC2_EVENT)


def test_pattern_that_is_not_json():
    with pytest.raises(EventPatternError, match="not JSON"):
        validate_pattern("{source: aws.ec2}")


@pytest.mark.parametrize(
    "pattern",
    [
        {"source": ["aws.ec2", None, 5, True]},
        {"detail": {"x": [{"numeric": ["=", 3]}], "y": [{"anything-but": [1, 2]}]}},
        {"a": [{"prefix": {"equals-ignore-case": "x"}}], "b": [{"wildcard": "a*b*c"}]},
        {"a": [{"wildcard": "a\\**"}]},  # a literal star, then a wildcard
        {"a": [{"anything-but": {"wildcard": ["*/lib/*", "*/bin/*"]}}]},
    ],
)
def test_valid_patterns(pattern):
    validate_pattern(pattern)
