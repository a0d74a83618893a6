"""The answer key (answer_key.py) agrees with the solutions, and the checks' digests with it.

- Every value of ``VALUES`` is what its solution block computes: the block is run with the
  imports of its notebook (the value exercises are plain Python: arithmetic, the public
  pricing library, literals).
- Every digest a public check holds is the one the key makes (``check_digests``), so a
  check can only pass the key's answer and name the key's slips.
- The reference functions the hidden tests grade with agree with the solutions.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import re
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _key() -> Any:
    name = "lambdalab_answer_key"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "answer_key.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _notebook(exercise: str) -> nbformat.NotebookNode:
    path = next((ROOT / "solutions").glob(f"{exercise[:2]}-*.ipynb"))
    return nbformat.read(path, as_version=4)


def _kernel_imports(notebook: nbformat.NotebookNode) -> list[ast.stmt]:
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.source.startswith("%%"):
            continue
        lines = [line for line in cell.source.splitlines() if not line.startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        found += [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    return found


def _solution_block(notebook: nbformat.NotebookNode, exercise: str) -> tuple[str, str]:
    """(the code of the solution block before ``check(exercise, name)``, name)."""
    block, name = None, None
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if BEGIN in cell.source:
            block = cell.source.split(BEGIN, 1)[1].split(END, 1)[0]
        found = re.search(rf"""check\(\s*["']{re.escape(exercise)}["']\s*,\s*(\w+)""", cell.source)
        if found:
            name = found.group(1)
            break
    assert block is not None and name is not None, exercise
    return block, name


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6)
    return a == b


@pytest.mark.parametrize("exercise", sorted(_key().VALUES))
def test_each_value_is_what_its_solution_computes(exercise: str) -> None:
    notebook = _notebook(exercise)
    block, name = _solution_block(notebook, exercise)
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(_kernel_imports(notebook), []), "imports", "exec"), namespace)  # noqa: S102
    exec(block, namespace)  # noqa: S102 - the solution's own code
    assert _same(namespace[name], _key().VALUES[exercise]), (namespace[name], exercise)


def test_the_checks_hold_the_key_s_digests() -> None:
    from lambdalab.course.checks import lesson05, lesson07

    wanted = _key().check_digests()
    assert lesson05._DIGESTS_05_2 == wanted["05.2"]
    assert lesson05._DIGESTS_05_4 == wanted["05.4"]
    assert [tuple(pair) for pair in lesson05._DIGESTS_05_5] == wanted["05.5"]
    assert lesson07._DIGESTS_07_4 == wanted["07.4"]
    assert lesson07.DECISION_HASHES == wanted["07.6"]


def test_the_checks_recover_the_reference_answers() -> None:
    from lambdalab.course.checks import lesson05

    cheapest = _key().hidden_tests("05").cheapest
    for case, table in enumerate(lesson05._TABLES_05_5):
        assert lesson05._sizes_05_5(case) == (cheapest(table), cheapest(table, rounded=False))


def test_the_07_4_check_recovers_the_reference_reports() -> None:
    """07.4's check names the expected report from its digests and its own sales."""
    from lambdalab.course.checks import lesson07

    for case, report in enumerate(_key().reports_07_4()):
        assert lesson07._report_07_4(case, report["date"]) == report
        for field in ("orders", "revenue", "top_product"):
            assert lesson07._field_is(case, field, report[field]), (case, field)


def test_the_checks_logs_bill_what_their_reports_say() -> None:
    """05.3's check knows a log's GB-s from how it wrote it; the hidden tests read it."""
    from lambdalab.course.checks import lesson05

    gb_seconds = _key().hidden_tests("05").gb_seconds
    for (memory, runs, _), lines in zip(lesson05._LOGS_05_3, lesson05._logs_05_3(), strict=True):
        assert math.isclose(lesson05._written_gb_s(memory, runs), gb_seconds(lines), rel_tol=1e-12)


def test_the_hidden_tests_references_agree_with_the_solutions() -> None:
    hidden = _key().hidden_tests("05")
    notebook = _notebook("05.5")
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(_kernel_imports(notebook), []), "imports", "exec"), namespace)  # noqa: S102
    for cell in notebook.cells:
        if cell.cell_type == "code" and re.search(
            r"^def (cheapest_memory|billed_gb_seconds)\(", cell.source, re.M
        ):
            tree = ast.parse(cell.source)
            defs = [s for s in tree.body if isinstance(s, ast.FunctionDef)]
            exec(compile(ast.Module(defs, []), "solution", "exec"), namespace)  # noqa: S102
    for table in hidden.TABLES_05_5:
        assert namespace["cheapest_memory"](dict(table)) == hidden.cheapest(table)
    for log in hidden.LOGS_05_3:
        lines = _key().hidden_tests("05")._report_log(*log)
        assert math.isclose(namespace["billed_gb_seconds"](lines), hidden.gb_seconds(lines))


def test_the_07_4_reference_agrees_with_the_solution() -> None:
    notebook = _notebook("07.4")
    namespace: dict[str, Any] = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and re.search(r"^def summarize\(", cell.source, re.M):
            source = "\n".join(
                line for line in cell.source.splitlines() if not line.startswith("%%")
            )
            exec(compile(source, "solution", "exec"), namespace)  # noqa: S102
    summary = _key().hidden_tests("07").summary
    for n, sales in enumerate(_key().sales_07_4()):
        day = f"2030-01-0{n + 1}"
        assert namespace["summarize"](day, sales) == summary(day, sales)
