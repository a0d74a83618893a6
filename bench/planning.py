"""Benchmark the grader's planning: decoding a notebook, ``plan`` and ``unrun_cells``.

Planning happens in the grading process before the first cell runs, on a notebook the
student wrote, so it must cost time linear in the notebook's size. This builds a lesson's
student notebook (``lambdalab.course.release.build_pair``) with N extra cells (code and
markdown, alternately, some mentioning ``check(``) and times, for each N:

- ``read``: ``reference.read_submission_bytes`` (JSON decoding and the submission's limits);
- ``plan``: ``reference.plan`` (finding the exercise cells, the transplant);
- ``unrun``: ``reference.unrun_cells``;

and prints milliseconds per cell and the ratio of that to the smallest N (1.0 everywhere:
linear). Shapes of notebook (``--shape``):

- ``ids``: the extra cells, with ids, after the first exercise cell (found by id);
- ``no-ids``: the same without any cell ids (found by similarity, between check cells);
- ``no-checks``: no ids and no check cells (every exercise's window is the notebook).

Limits on the submission (the number of cells) are lifted here (``--limits`` keeps them),
so large N measure planning itself. ``--big MB`` also times one notebook holding a code
cell of that many MB, and one with a cell's metadata nested 100,000 deep (``read`` only).

Each measurement runs in a process of its own, stopped after ``--timeout`` seconds (shown
as ``>T``). Usage::

    python bench/planning.py                                  # lesson 00, all shapes
    python bench/planning.py --lesson 04-image-resizer --shape no-checks --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ("ids", "no-ids", "no-checks")


def notebook(lesson: str, extra: int, shape: str) -> bytes:
    """The student notebook of ``lesson`` with ``extra`` added cells, as bytes."""
    from lambdalab.course import release

    path = ROOT / "solutions" / f"{lesson}.ipynb"
    _, student = release.build_pair(path, [path.stem])
    cells = json.loads(release.to_text(student))["cells"]
    added = []
    for i in range(extra):
        if i % 2:
            text = f"## Note {i}\n\nWhat I tried in cell {i}: *something*, and why.\n"
            added.append({"cell_type": "markdown", "id": f"x{i}", "metadata": {}, "source": text})
        else:
            code = f"value_{i} = [n * {i} for n in range(10)]\nprint(sum(value_{i}))\n"
            if i % 10 == 0:
                code += "# run check(...) again below\n"
            added.append(
                {"cell_type": "code", "id": f"x{i}", "metadata": {}, "execution_count": None,
                 "outputs": [], "source": code}
            )  # fmt: skip
    first = next(
        i for i, c in enumerate(cells) if release.CODE_STUB_COMMENT in "".join(c["source"])
    )
    cells = cells[: first + 1] + added + cells[first + 1 :]
    if shape != "ids":
        for cell in cells:
            cell.pop("id", None)
    if shape == "no-checks":
        cells = [c for c in cells if 'check("' not in "".join(c["source"])]
    minor = 5 if shape == "ids" else 4
    return json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": minor}
    ).encode()


def big_cell(lesson: str, megabytes: float) -> bytes:
    from lambdalab.course import release

    path = ROOT / "solutions" / f"{lesson}.ipynb"
    _, student = release.build_pair(path, [path.stem])
    data = json.loads(release.to_text(student))
    line = "x = [1, 2, 3]  # check(x) padding\n"
    data["cells"].append(
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": line * int(megabytes * 2**20 / len(line))}
    )  # fmt: skip
    return json.dumps(data).encode()


def deep(lesson: str, levels: int) -> bytes:
    from lambdalab.course import release

    path = ROOT / "solutions" / f"{lesson}.ipynb"
    _, student = release.build_pair(path, [path.stem])
    text = release.to_text(student)
    return text.replace(
        '"metadata": {', '"metadata": {"deep": ' + "[" * levels + "]" * levels + ", ", 1
    ).encode()


def measure(lesson: str, raw: bytes, limits: bool) -> dict[str, float]:
    """Milliseconds of read, plan and unrun for one notebook (in this process)."""
    from lambdalab.grading import reference

    ref = reference.Reference.load(ROOT / "solutions" / f"{lesson}.ipynb")
    if not limits:
        for name in ("MAX_CELLS", "MAX_SOURCE", "MAX_SOURCES", "MAX_DEPTH"):
            if hasattr(reference, name):
                setattr(reference, name, 10**12 if name != "MAX_DEPTH" else 255)
    started = time.perf_counter()
    try:
        cells = reference.read_submission_bytes(raw)
    except reference.NotebookError as error:
        return {
            "read": 1000 * (time.perf_counter() - started),
            "cells": 0,
            "error": str(error)[:80],
        }
    read = time.perf_counter()
    reference.plan(ref, cells, "_grader")
    planned = time.perf_counter()
    reference.unrun_cells(ref, cells)
    done = time.perf_counter()
    return {
        "read": 1000 * (read - started),
        "plan": 1000 * (planned - read),
        "unrun": 1000 * (done - planned),
        "cells": len(cells),
    }


def child(arguments: list[str], timeout: float) -> dict[str, float] | None:
    command = [sys.executable, __file__, "--child", *arguments]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(arguments)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _shown(got: dict | None, timeout: float) -> str:
    if got is None:
        return f">{timeout:g} s"
    if "error" in got:
        return f"refused in {got['read']:.0f} ms: {got['error']}"
    total = got["read"] + got["plan"] + got["unrun"]
    return (
        f"{total / 1000:.2f} s (read {got['read']:.0f}, plan {got['plan']:.0f}, "
        f"unrun {got['unrun']:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", default="00-start-here", help="lesson stem (default 00)")
    parser.add_argument("--shape", choices=SHAPES, action="append", help="(default: all)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000])
    parser.add_argument("--big", type=float, nargs="*", default=[1, 30], metavar="MB")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per measurement")
    parser.add_argument("--limits", action="store_true", help="keep the submission's limits")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        kind, lesson, size, *shape = args.child
        if kind == "cells":
            raw = notebook(lesson, int(size), shape[0])
        elif kind == "big":
            raw = big_cell(lesson, float(size))
        else:
            raw = deep(lesson, int(size))
        print(json.dumps(measure(lesson, raw, args.limits)))
        return 0
    flags = ["--limits"] if args.limits else []
    print(f"lesson {args.lesson}: ms per cell (read + plan + unrun), ratio to N={args.sizes[0]}")
    for shape in args.shape or SHAPES:
        base = None
        for size in args.sizes:
            got = child(["cells", args.lesson, str(size), shape, *flags], args.timeout)
            if got is None:
                print(f"  {shape:9} N={size:>6}: >{args.timeout:g} s")
                continue
            if "error" in got:
                print(f"  {shape:9} N={size:>6}: refused in {got['read']:.0f} ms: {got['error']}")
                continue
            total = got["read"] + got["plan"] + got["unrun"]
            per = total / got["cells"]
            base = base or per
            print(
                f"  {shape:9} N={size:>6}: {per:7.3f} ms/cell (x{per / base:4.1f})  total "
                f"{total / 1000:7.2f} s  (read {got['read']:.0f}, plan {got['plan']:.0f}, "
                f"unrun {got['unrun']:.0f} ms)"
            )
    for megabytes in args.big:
        got = child(["big", args.lesson, str(megabytes), *flags], args.timeout)
        print(f"  a {megabytes:g} MB code cell: {_shown(got, args.timeout)}")
    got = child(["deep", args.lesson, "100000", *flags], args.timeout)
    print(f"  metadata nested 100,000 deep: {_shown(got, args.timeout)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
