"""Limits on the submission itself: hostile notebooks are refused, fast, by name.

A notebook of 50,000 cells, a cell of 30 MB, JSON nested 100,000 deep in a cell's metadata
or outputs, millions of empty lists, cells that are not a list, a file over
``--max-notebook``: each is graded through the command line (as test_grader.py does), and
gets its exact status and points, in a batch that finishes; an honest notebook of the
same batch still scores 4 of 4. Then, without a kernel: the messages name the limit and
the fix, a notebook at the limits is read, and finding the exercise cells of a notebook
without cell ids compares the stub with a handful of cells, not with each of thousands.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import fixture_set
import pytest
from test_grader import LIMITS, grade, needs_isolation, rows

from lambdalab.grading import reference
from lambdalab.grading.reference import NotebookError, NotebookTooLarge, read_submission_bytes

DEEP = 100_000


def _notebook(cells: list[dict], **extra) -> dict:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **extra}


def _lesson99() -> list[dict]:
    return fixture_set.student_cells(fixture_set.LESSON99)


def _code(source: str, **fields) -> dict:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    return {**cell, "source": source, **fields}


def _deep_json(key: str, levels: int) -> str:
    """A notebook whose first code cell has ``key`` (metadata or outputs) nested ``levels``
    deep, written as text (json.dumps cannot write it)."""
    cells = _lesson99()
    marker = "__deep__"
    first = next(c for c in cells if c["cell_type"] == "code")
    if key == "metadata":
        first["metadata"] = {"deep": marker}
    else:
        first["outputs"] = [{"output_type": "execute_result", "data": {}, "metadata": marker,
                             "execution_count": 1}]  # fmt: skip
    return json.dumps(_notebook(cells)).replace(json.dumps(marker), "[" * levels + "]" * levels, 1)


#: file name -> (how to write it, expected status, expected total, what details say)
HOSTILE = {
    "many-cells_99-sample.ipynb": (
        lambda path: path.write_text(
            json.dumps(
                _notebook(
                    _lesson99()
                    + [
                        {"cell_type": "markdown", "metadata": {}, "source": f"{i}"}
                        for i in range(50_000)
                    ]  # fmt: skip
                )
            )
        ),
        "too-large",
        "0",
        "cells; at most 5,000 are graded",
    ),
    "huge-cell_99-sample.ipynb": (
        lambda path: path.write_text(
            json.dumps(_notebook([*_lesson99(), _code("x = 1 # padding\n" * (30 * 2**16))]))
        ),
        "too-large",
        "0",
        "holds 31,457,280 characters; a cell may hold at most 1,000,000",
    ),
    "deep-metadata_99-sample.ipynb": (
        lambda path: path.write_text(_deep_json("metadata", DEEP)),
        "too-large",
        "0",
        "nested more than 100 levels deep",
    ),
    "deep-outputs_99-sample.ipynb": (
        lambda path: path.write_text(_deep_json("outputs", DEEP)),
        "too-large",
        "0",
        "nested more than 100 levels deep",
    ),
    "empty-lists_99-sample.ipynb": (
        lambda path: path.write_text(
            json.dumps(_notebook(_lesson99(), metadata={"x": "__lists__"})).replace(
                '"__lists__"', "[" + ",".join(["[]"] * 2_000_000) + "]"
            )
        ),
        "too-large",
        "0",
        "arrays and objects",
    ),
    "not-a-list_99-sample.ipynb": (
        lambda path: path.write_text(json.dumps(_notebook({"0": _code("x = 1")}))),
        "unreadable",
        "0",
        "it has no list of cells",
    ),
    "huge-file_99-sample.ipynb": (  # over --max-notebook 40: the batch does not read it
        lambda path: path.write_text(
            json.dumps(
                _notebook(
                    [
                        *_lesson99(),
                        _code(
                            "",
                            outputs=[
                                {
                                    "output_type": "display_data",
                                    "metadata": {},
                                    "data": {"image/png": "iVBORw0KGgo" * (45 * 2**20 // 11)},
                                }
                            ],
                        ),
                    ]
                )
            )  # fmt: skip
        ),
        "too-large",
        "0",
        "at most 40 MB is graded (--max-notebook)",
    ),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """The hostile notebooks and alice (honest), graded in one batch."""
    needs_isolation()
    base = tmp_path_factory.mktemp("limits")
    folder = fixture_set.build(base / "in", ["alice_99-sample.ipynb"])
    for name, (write, *_) in HOSTILE.items():
        write(folder / name)
    out = base / "out" / "grades.csv"
    started = time.monotonic()
    result = grade(str(folder), "--out", str(out), "--max-notebook", "40", *LIMITS)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 600  # it finished; a kernel runs only for alice
    return out


def test_an_honest_notebook_in_the_same_batch_still_scores_full_marks(graded: Path):
    row = rows(graded)["alice_99-sample.ipynb"]
    assert (row["status"], row["total"], row["out_of"]) == ("ok", "4", "4"), row["details"]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_notebook_gets_its_exact_status_and_no_points(graded: Path, name: str):
    _, status, total, detail = HOSTILE[name]
    row = rows(graded)[name]
    assert (row["status"], row["total"]) == (status, total), row["details"]
    assert detail in row["details"]
    assert row["isolation"] == "isolated"


def test_hostile_notebooks_were_refused_before_any_kernel_ran(graded: Path):
    journal = [json.loads(x) for x in graded.with_suffix(".jsonl").read_text().splitlines()]
    seconds = {Path(r["file"]).name: r.get("seconds", 0) for r in journal if "file" in r}
    assert {n for n in HOSTILE if seconds[n] > 30} == set(), seconds  # decoding took seconds
    feedback = (graded.parent / "grades-feedback" / "many-cells.md").read_text(encoding="utf-8")
    assert "the notebook has 50,0" in feedback and "delete the cells you added" in feedback


# --------------------------------------------------------------------------------------
# Without a kernel: the messages, the limits' edges, the work of finding exercise cells
# --------------------------------------------------------------------------------------


def _read(notebook: dict | str, **options) -> list[dict]:
    text = notebook if isinstance(notebook, str) else json.dumps(notebook)
    return read_submission_bytes(text.encode(), **options)


def test_each_limit_names_itself_and_the_fix():
    cells = [_code(f"x = {i}") for i in range(reference.MAX_CELLS + 1)]
    with pytest.raises(NotebookTooLarge, match="the notebook has 5,001 cells; at most 5,000"):
        _read(_notebook(cells))
    with pytest.raises(NotebookTooLarge, match=r"cell 2 holds 1,000,001 characters; a cell may"):
        _read(_notebook([_code("x"), _code("y" * 1_000_001)]))
    with pytest.raises(NotebookTooLarge, match=r"hold more than 2,000,000 characters \(cell 3"):
        _read(_notebook([_code("x" * 900_000)] * 3))
    with pytest.raises(NotebookTooLarge, match=r"the notebook is 1\.5 MB; at most 1 MB is graded"):
        _read(_notebook([_code("#" * (3 * 2**19))]), max_bytes=2**20)
    with pytest.raises(NotebookTooLarge, match="Clear Outputs of All Cells"):
        _read(_deep_json("outputs", 101))
    with pytest.raises(NotebookTooLarge, match="nested more than 100 levels"):
        _read(_deep_json("metadata", 1_000))  # past json's own recursion limit too
    assert NotebookTooLarge("").status == "too-large" and NotebookError("").status == "unreadable"


def test_a_notebook_at_every_limit_is_read():
    cells = [_code("x = 1")] * (reference.MAX_CELLS - 2)
    cells += [_code("y" * reference.MAX_SOURCE), _code("z" * 900_000)]
    assert len(_read(_notebook(cells))) == reference.MAX_CELLS
    # the notebook, its cells, a cell, its metadata: 4 levels, then the lists
    assert _read(_deep_json("metadata", reference.MAX_DEPTH - 4))
    with pytest.raises(NotebookTooLarge, match="nested more than 100 levels"):
        _read(_deep_json("metadata", reference.MAX_DEPTH - 3))


def test_brackets_in_strings_do_not_count_as_nesting():
    text = json.dumps({"a": "[" * 500 + '\\"{' * 500, "b": [["]]]]"]]})
    assert not reference.nesting_over(text.encode(), 3)
    assert reference.nesting_over(text.encode(), 2)
    assert reference.nesting_over(b"[" * 300 + b"]" * 300, 255)  # past what bytes can hold


def test_a_damaged_source_is_described_whatever_its_size():
    with pytest.raises(NotebookError, match="cell 1 is damaged: its source is a list of 3"):
        _read(_notebook([_code([1, 2, 3])]))
    with pytest.raises(NotebookError, match="its source is null, not text"):
        _read(_notebook([_code(None)]))


def test_finding_exercise_cells_compares_a_handful_of_cells_not_thousands(monkeypatch):
    """2,000 added cells, no cell ids, no check cells: every cell is a candidate for the
    exercise, and the answer is still found, comparing the stub with few cells in full."""
    cells = fixture_set.student_cells(fixture_set.LESSON00)
    fixture_set.answer("def handler", fixture_set.HANDLER_OK)(cells)
    cells = [c for c in cells if 'check("' not in "".join(c["source"])]
    at = next(i for i, c in enumerate(cells) if "def handler" in "".join(c["source"]))
    added = [_code(f"value_{i} = {i} * 2\nprint(value_{i})\n") for i in range(2_000)]
    cells = cells[:at] + added + cells[at:]
    for cell in cells:
        cell.pop("id", None)
    submitted = _read(_notebook(cells, nbformat_minor=4))
    compared = []
    real = reference.difflib.SequenceMatcher

    def counting(*args, **kwargs):
        compared.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(reference.difflib, "SequenceMatcher", counting)
    monkeypatch.setattr(reference, "_RATIOS", {})
    ref = reference.Reference.load(fixture_set.LESSON00)
    steps = reference.plan(ref, submitted, "_grader")
    exercise = next(s for s in steps if s.kind == "exercise")
    assert "Hello, {event['name']}!" in exercise.source and not exercise.note
    assert len(reference.unrun_cells(ref, submitted)) == 2_000
    assert len(compared) <= 5, len(compared)
