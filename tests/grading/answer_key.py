"""The answer key: every exercise's expected answer, written down in this one place.

Never in the student bundle (tests/ is not bundled). The public checks in
``lambdalab/course/checks`` do not hold these answers: where a check must tell a right
answer from a wrong one without computing it, it holds salted digests of them
(``lambdalab.course.digests``), made from this key by :func:`check_digests`, and
tests/grading/test_answer_key.py proves that the key, the solutions and the digests agree.

Three kinds of exercise:

- ``VALUES``: the exercises whose answer is a value (a number, a string, a dict), by id.
  Each value is verified against its solution block (test_answer_key.py), and
  tests/unit/course/test_no_answers.py searches the bundle for its usual written forms.
- ``NOT_FIXED``: value exercises with no fixed answer to write down, and why.
- ``FUNCTION_CASES``: the functions a solution writes (those the learner's answer is, and
  the pure helpers of deployed code), by exercise id and name, with inputs to call them
  on: the public checks' cases and the hidden tests' own. test_no_answers.py runs the
  solution's function on them and calls every function of the bundle with as many
  arguments: one that gives the solution's results on all of them is a reference
  implementation shipped to students.

Run ``python tests/grading/answer_key.py`` to print the digests the checks hold.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def hidden_tests(lesson: str) -> ModuleType:
    """``tests/grading/lessonNN.py``, imported by path (as the grader imports it)."""
    name = f"lambdalab_answer_key_hidden{lesson}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / f"lesson{lesson}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# --------------------------------------------------------------------------------------
# Value exercises
# --------------------------------------------------------------------------------------

#: Exercise id -> the expected value of the variable the solution passes to check().
VALUES: dict[str, Any] = {
    "01.4": "orders.create_order",
    "02.4": {
        "standup": "cron(30 9 ? * MON-FRI *)",
        "weekend_backup": "cron(0 3 ? * SAT,SUN *)",
        "month_end": "cron(0 18 L * ? *)",
    },
    # 6,000,000 requests × $0.20 per million + 300,000 GB-s × $0.0000166667
    "05.2": 6.20001,
    # no free tier, 10 M requests of 120 ms at 1024 MB on x86 and on Arm (monthly_cost)
    "05.4": 18.181603,
}
#: 07.6's key is the hidden tests' own (the grader loads those alone, so they hold it).
VALUES["07.6"] = dict(hidden_tests("07").DECISIONS)

#: Value exercises without one fixed answer to write down.
NOT_FIXED: dict[str, str] = {
    "03.1": "the bytes of a zip the learner builds; the check deploys it and calls it",
    "04.4": "a memory size chosen from the Max Memory Used of a run in the sandbox",
}


# --------------------------------------------------------------------------------------
# What the checks hold as digests (the reference functions are in the hidden tests:
# lesson05.cheapest, lesson05.gb_seconds, lesson07.summary)
# --------------------------------------------------------------------------------------


def money(dollars: float) -> str:
    """How the checks write a dollar amount before digesting it: to the cent."""
    return f"{dollars:.2f}"


def _05_2_amounts() -> dict[str, float]:
    """05.2, 7 M requests of 200 ms at 512 MB: the bill, and the bills of typical slips."""
    requests_line = (7_000_000 - 1_000_000) * 0.20 / 1_000_000
    duration_line = (7_000_000 * 0.2 * 0.5 - 400_000) * 0.0000166667
    return {
        "bill": requests_line + duration_line,
        "no free tier": 7_000_000 * 0.20 / 1_000_000 + 7_000_000 * 0.1 * 0.0000166667,
        "request line": requests_line,
        "duration line": duration_line,
        "all requests": 7_000_000 * 0.20 / 1_000_000 + duration_line,
    }


def _05_4_percents() -> dict[str, float]:
    """05.4: the saving in percent, and what typical slips give."""
    from lambdalab.pricing import monthly_cost

    def bill(arch: str, free_tier: bool) -> float:
        return monthly_cost(10_000_000, 120, 1024, architecture=arch, free_tier=free_tier).total

    x86, arm = bill("x86_64", False), bill("arm64", False)
    return {
        "saving": (x86 - arm) / x86 * 100,
        "free tier": (1 - bill("arm64", True) / bill("x86_64", True)) * 100,
        "per arm bill": (x86 - arm) / arm * 100,
        "dollars": x86 - arm,
    }


def sales_07_4() -> list[list[dict[str, Any]]]:
    """07.4: the items the check writes on each of its three days (its _SALES_07_4)."""
    from lambdalab.course.checks.lesson07 import _SALES_07_4

    return [
        [{"product": product, "amount": Decimal(amount)} for product, amount in day]
        for day in _SALES_07_4
    ]


def reports_07_4() -> list[dict[str, Any]]:
    """07.4: the report on each of the check's days (its date: the day's number)."""
    summary = hidden_tests("07").summary
    return [summary(str(n), sales) for n, sales in enumerate(sales_07_4())]


def check_digests() -> dict[str, Any]:
    """What the public checks hold instead of answers, computed from this key."""
    from lambdalab.course.checks.lesson05 import _TABLES_05_5
    from lambdalab.course.digests import digest

    cheapest = hidden_tests("05").cheapest
    amounts = _05_2_amounts()
    percents = _05_4_percents()
    return {
        "05.2": {label: digest("05.2", label, money(v)) for label, v in amounts.items()},
        "05.4": {label: digest("05.4", label, f"{v:.2f}") for label, v in percents.items()},
        "05.5": [
            (
                digest("05.5", f"{n}:right", cheapest(table)),
                digest("05.5", f"{n}:unrounded", cheapest(table, rounded=False)),
            )
            for n, table in enumerate(_TABLES_05_5)
        ],
        "07.4": [
            {
                "orders": digest("07.4", f"{n}:orders", report["orders"]),
                "revenue": digest("07.4", f"{n}:revenue", money(report["revenue"])),
                "top_product": digest(
                    "07.4", f"{n}:top_product", json.dumps(report["top_product"])
                ),
            }
            for n, report in enumerate(reports_07_4())
        ],
        "07.6": {
            workload: hashlib.sha256(f"07.6:{workload}:{choice}".encode()).hexdigest()
            for workload, choice in VALUES["07.6"].items()
        },
    }


# --------------------------------------------------------------------------------------
# Functions: the inputs to call them on
# --------------------------------------------------------------------------------------


def _sign(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def _sqs_record(message: dict[str, Any]) -> dict[str, Any]:
    envelope = {"Type": "Notification", "Subject": "order placed", "Message": json.dumps(message)}
    return {"messageId": "m-1", "body": json.dumps(envelope), "eventSource": "aws:sqs"}


def function_cases() -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """``{exercise id: {function name: [arguments, ...]}}``: the checks' cases first, then
    the hidden tests' (so that a kit function knowing only the checks' cases cannot pass)."""
    from lambdalab.course.checks import lesson00, lesson02, lesson05
    from lambdalab.sandbox.events import encode_s3_key

    hidden05 = hidden_tests("05")
    rows = [
        {"sku": "a-1", "name": "Kettle", "price": "24.90"},
        {"sku": "  a-2 ", "name": " Tea cup ", "price": "3"},
        {"sku": "a-3", "name": "Free sample", "price": "0"},
        {"sku": "a-4", "name": "Teapot", "price": "twelve"},
        {"sku": "", "name": "Mug", "price": "5.00"},
        {"sku": "a-6", "name": "  ", "price": "1.00"},
        {"sku": "a-7", "name": "Saucer", "price": "-2"},
        {"sku": "a-8", "name": "Plate", "price": "NaN"},
        {"sku": "a-9", "name": "Bowl", "price": ""},
        {"sku": "a-10", "name": "Spoon", "price": "1e3"},
        {"sku": "a-11", "name": "Fork", "price": None},
    ]
    secret, body = b"whsec-check", b'{"event": "paid", "amount": 30}'
    sales = [
        [
            {"product": "mug", "amount": Decimal("12.50")},
            {"product": "kettle", "amount": Decimal("30.00")},
            {"product": "mug", "amount": Decimal("7.25")},
        ],
        [],
        [
            {"product": "tea spoon", "amount": Decimal("0.10")},
            {"product": "tea spoon", "amount": Decimal("0.20")},
            {"product": "teapot", "amount": Decimal("19.99")},
        ],
        [{"product": "b", "amount": Decimal("1")}, {"product": "a", "amount": Decimal("2")}],
    ]
    return {
        "00.1": {"handler": [({"name": name}, None) for name in [*lesson00.NAMES, "Kit"]]},
        "02.2": {"decode_key": [(encode_s3_key(key),) for key in [*lesson02.TRICKY_KEYS, "x y+z"]]},
        "05.1": {"my_cost": [*lesson05._cases_05_1()[:30], *hidden05.EDGES_05_1]},
        "05.3": {
            "billed_gb_seconds": [
                *((lines,) for lines in lesson05._logs_05_3()),
                *((lesson05._log(*log),) for log in hidden05.LOGS_05_3),
            ]
        },
        "05.5": {
            "cheapest_memory": [
                *((dict(table),) for table in lesson05._TABLES_05_5),
                *((dict(table),) for table in hidden05.TABLES_05_5),
            ]
        },
        "05.6": {
            "break_even_requests": [*lesson05._CASES_05_6, *hidden05.EDGES_05_6],
        },
        "07.2": {"validate_row": [(row,) for row in rows]},
        "07.3": {
            "is_valid": [
                (secret, body, _sign(secret, body)),
                (secret, body, _sign(b"other", body)),
                (secret, body + b" ", _sign(secret, body)),
                (secret, body, None),
                (secret, body, ""),
                (b"k2", b"", _sign(b"k2", b"")),
            ]
        },
        "07.4": {
            "report_day": [
                ("2030-01-02T02:00:00Z",),
                ("2028-03-01T02:00:00+00:00",),
                ("2031-01-01T02:00:00Z",),
            ],
            "summarize": [(f"2030-01-0{n + 1}", day) for n, day in enumerate(sales)],
        },
        "07.5": {
            "order_from": [
                (_sqs_record({"order_id": "o-1", "address": "7 Rue des Lilas, Lyon"}),),
                (_sqs_record({"order_id": "o-2", "address": "Østergade 4", "total": 31.5}),),
            ]
        },
    }


if __name__ == "__main__":
    print(json.dumps(check_digests(), indent=4))
