"""The grader's fixture set: submissions for lesson 00 and the sample lesson 99.

Each submission is built from the student notebook that ``lambdalab.release`` makes
from the reference (so it follows lesson edits), with its cells changed as a student
might: solved, half solved, untouched, broken in every way the grader must survive, or
tampered with. ``EXPECTED`` holds the exact points and status each one must get.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from lambdalab import release

REPO = Path(__file__).resolve().parents[2]
COURSE = Path(__file__).resolve().parent / "fixtures" / "course"
LESSON00 = REPO / "solutions" / "00-start-here.ipynb"
LESSON99 = COURSE / "solutions" / "99-sample.ipynb"

HANDLER_OK = 'def handler(event, context):\n    return {"greeting": f"Hello, {event[\'name\']}!"}\n'
PARSE_OK = (
    "def parse_size(text):\n"
    '    cleaned = text.strip().upper().replace(" ", "")\n'
    '    for unit, factor in (("GB", 1024), ("MB", 1)):\n'
    "        if cleaned.endswith(unit) and cleaned[: -len(unit)].isdigit():\n"
    "            return int(cleaned[: -len(unit)]) * factor\n"
    "    raise ValueError(text)\n"
)

Edit = Callable[[list[dict]], None]


def student_cells(reference: Path) -> list[dict]:
    """The student notebook's cells (as JSON dicts) for a reference notebook."""
    _, student = release.build_pair(reference, [reference.stem])
    return json.loads(release.to_text(student))["cells"]


def _find(cells: list[dict], needle: str) -> dict:
    return next(c for c in cells if c["cell_type"] == "code" and needle in "".join(c["source"]))


def _exercise(cells: list[dict], needle: str) -> dict:
    return next(
        c
        for c in cells
        if c["cell_type"] == "code"
        and needle in "".join(c["source"])
        and release.CODE_STUB_COMMENT in "".join(c["source"])
    )


def answer(needle: str, source: str) -> Edit:
    """Replace the exercise cell (stub) holding ``needle``, e.g. 'def handler', by ``source``."""

    def edit(cells: list[dict]) -> None:
        _exercise(cells, needle)["source"] = source

    return edit


def replace_cell(needle: str, source: str) -> Edit:
    """Replace the first code cell holding ``needle`` by ``source``."""

    def edit(cells: list[dict]) -> None:
        _find(cells, needle)["source"] = source

    return edit


def insert_after(needle: str, source: str) -> Edit:
    """Add a code cell after the exercise cell holding ``needle``."""

    def edit(cells: list[dict]) -> None:
        at = cells.index(_exercise(cells, needle)) + 1
        cells.insert(
            at,
            {
                "cell_type": "code",
                "id": "added-by-student",
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            },
        )

    return edit


def strip_ids_and_insert_at_top(cells: list[dict]) -> None:
    for cell in cells:
        cell.pop("id", None)
    cells.insert(1, {"cell_type": "markdown", "metadata": {}, "source": "My notes"})
    cells.insert(
        2,
        {
            "cell_type": "code",
            "metadata": {},
            "source": "x = 1",
            "outputs": [],
            "execution_count": None,
        },
    )


def delete_cell(needle: str) -> Edit:
    def edit(cells: list[dict]) -> None:
        cells.remove(_find(cells, needle))

    return edit


HARDCODED = (
    "def handler(event, context):\n"
    '    known = {"Ada": "Hello, Ada!", "Grace Hopper": "Hello, Grace Hopper!",\n'
    '             "Zoë": "Hello, Zoë!", "λ": "Hello, λ!"}\n'
    '    return {"greeting": known.get(event["name"], "Hello!")}\n'
)
FAKE_CHECK = (
    "import lambdalab.checks\n"
    "def check(*args, **kwargs):\n"
    '    print("✓ Exercise 00.1 passed")\n'
    "    return True\n"
    "lambdalab.checks.check = check\n"
    "def handler(event, context):\n"
    '    return {"greeting": "Hi"}\n'
)
PATCH_JSON = (
    "import builtins, json\n"
    '_fake = \'{"ok": true, "result": {"kind": "data", "value": {"greeting": "x"}}}\'\n'
    "json.dumps = lambda *args, **kwargs: _fake\n"
    "json.loads = lambda *args, **kwargs: {'greeting': 'Hello, Ada!'}\n"
    "builtins.check = lambda *args: True\n"
    "def handler(event, context):\n"
    '    return {"greeting": "Hello, Ada!"}\n'
)
EQ_TRICK = (
    "class Anything(dict):\n"
    "    def __eq__(self, other):\n"
    "        return True\n"
    "    def __ne__(self, other):\n"
    "        return False\n"
    "def handler(event, context):\n"
    "    return Anything()\n"
)

#: file name -> (lesson reference, edits (None: raw bytes instead), expected)
#: expected: (points per exercise, total, status)
SUBMISSIONS: dict[str, tuple] = {
    # -- lesson 00: 00.1 is worth 5 points ---------------------------------------------
    "alice_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK)],
        ({"00.1": 5}, "ok"),
    ),
    "bob/00-start-here.ipynb": (LESSON00, [answer("def handler", HARDCODED)], ({"00.1": 2}, "ok")),
    "carol_00-start-here.ipynb": (LESSON00, [], ({"00.1": 0}, "ok")),
    "dave_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", "def handler(event, context):\n    return {'greeting': f'Hi'\n")],
        ({"00.1": 0}, "syntax-error"),
    ),
    "erin_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "import sys\nsys.exit(1)\n")],
        ({"00.1": 5}, "error"),
    ),
    "frank_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "import os\nos._exit(3)\n")],
        ({"00.1": 0}, "kernel-died"),
    ),
    "grace_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "big = b'x' * (64 * 2**30)\n")],
        ({"00.1": 5}, "memory-limit"),
    ),
    "heidi_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", HANDLER_OK + "while True:\n    print('spam ' * 200)\n")],
        ({"00.1": 5}, "output-limit"),
    ),
    "judy_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", "def handler(event, context):\n    while True:\n        pass\n")],
        ({"00.1": 0}, "timeout"),
    ),
    "mallory-check_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", FAKE_CHECK)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-json_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", PATCH_JSON)],
        ({"00.1": 0}, "kernel-died"),
    ),
    "mallory-eq_00-start-here.ipynb": (
        LESSON00,
        [answer("def handler", EQ_TRICK)],
        ({"00.1": 0}, "ok"),
    ),
    "mallory-cells_00-start-here.ipynb": (
        LESSON00,
        [
            replace_cell('check("00.1"', 'print("✓ Exercise 00.1 passed")'),
            replace_cell(
                "assert sys.version_info", "import lambdalab\nfrom lambdalab.checks import check"
            ),
            insert_after("def handler", HANDLER_OK),
        ],
        ({"00.1": 0}, "ok"),
    ),
    "oscar/00-start-here (1).ipynb": (
        LESSON00,
        [
            answer("def handler", HANDLER_OK),
            delete_cell('check("00.1"'),
            strip_ids_and_insert_at_top,
        ],
        ({"00.1": 5}, "ok"),
    ),
    "peggy_00-start-here.ipynb": (
        None,
        b'{"cells": [{"cell_type": "code", "sour',
        ({"00.1": 0}, "unreadable"),
    ),
    "trent_00-start-here.ipynb": (None, b'{"hello": "world"}', ({"00.1": 0}, "unreadable")),
    "victor_00-start-here.ipynb": (
        None,
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        ({"00.1": 0}, "unreadable"),
    ),
    "walter_42-no-such-lesson.ipynb": (LESSON00, [], ({}, "unknown-lesson")),
    # -- lesson 99: 99.1 is worth 1 point, 99.2 three ----------------------------------
    "alice_99-sample.ipynb": (
        LESSON99,
        [answer("memory_mb", "memory_mb = 1769"), answer("def parse_size", PARSE_OK)],
        ({"99.1": 1, "99.2": 3}, "ok"),
    ),
    "bob_99-sample.ipynb": (
        LESSON99,
        [
            answer("memory_mb", "memory_mb = 1769"),
            answer(
                "def parse_size",
                "def parse_size(text):\n    if text.endswith('GB'):\n"
                "        return int(text[:-2]) * 1024\n    if text.endswith('MB'):\n"
                "        return int(text[:-2])\n    raise ValueError(text)\n",
            ),
        ],
        ({"99.1": 1, "99.2": 2}, "ok"),
    ),
    "carol_99-sample.ipynb": (
        LESSON99,
        [
            answer("memory_mb", "while True:\n    pass\nmemory_mb = 1769"),
            answer("def parse_size", PARSE_OK),
        ],
        ({"99.1": 0, "99.2": 3}, "timeout"),
    ),
    "dave_99-sample.ipynb": (
        LESSON99,
        [answer("memory_mb", "import os\nos._exit(1)"), answer("def parse_size", PARSE_OK)],
        ({"99.1": 0, "99.2": 3}, "kernel-died"),
    ),
}


def build(folder: Path, names: list[str] | None = None) -> Path:
    """Write the fixture submissions (all, or ``names``) under ``folder``; return it."""
    for name, (reference, edits, _) in SUBMISSIONS.items():
        if names is not None and name not in names:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if reference is None:
            path.write_bytes(edits)
            continue
        cells = student_cells(reference)
        for edit in edits:
            edit(cells)
        minor = 5 if all("id" in c for c in cells) else 4
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": minor}
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return folder
