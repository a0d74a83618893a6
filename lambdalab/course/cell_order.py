"""A name used before the cell that defines it: say which cell that is.

A notebook's cells share one kernel, so a cell can use what a cell above it defined
(``sb``, ``lam``, a helper such as ``zip_folder``, a variable). After a kernel restart,
or when a learner starts in the middle of a lesson, that cell has not run, and Python
says only ``NameError: name 'zip_folder' is not defined``. In a Jupyter kernel (after
the lesson's Setup cell, which calls ``lambdalab.check_environment()``), this module
adds the cell of the lesson that defines the name, found by reading the lesson's
notebook with ``ast``, and which cells to run::

    NameError: name 'zip_folder' is not defined
    zip_folder is defined by a cell above, in section "Packages and the handler string"
    (it starts: Path("functions/layout/pkg/__init__.py").write_text("")). After a kernel
    restart, run the cells from the Setup cell down to here: Run > Run All Above.

A name no notebook cell defines (a typo) keeps Python's message alone.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


@dataclass(frozen=True)
class Definition:
    """Where a notebook defines a name: its cell, section and first line."""

    notebook: str
    cell: int  # position among all cells
    section: str  # the last markdown heading above it
    first_line: str
    first_code_cell: bool = False  # the lesson's Setup cell

    def __str__(self) -> str:
        section = f' in section "{self.section}"' if self.section else ""
        return f"{section} (it starts: {self.first_line})"


def defined_names(source: str) -> set[str]:
    """Names a cell defines at its top level: assignments, def, class, import, for, with."""
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    if source.lstrip().startswith("%%"):
        return set()  # a cell magic (%%writefile): its body is not the kernel's code
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:  # the cell's own level: not the locals of the functions it defines
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if isinstance(node, ast.Lambda | ast.comprehension):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return names


def _cells(path: Path) -> list[dict[str, Any]]:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def find_definition(name: str, notebooks: list[Path]) -> Definition | None:
    """The first code cell of the first notebook in ``notebooks`` that defines ``name``."""
    for path in notebooks:
        section, seen_code = "", False
        for index, cell in enumerate(_cells(path)):
            source = _source(cell)
            if cell.get("cell_type") == "markdown":
                headings = [line for line in source.splitlines() if line.startswith("#")]
                if headings:
                    section = headings[-1].lstrip("#").strip()
                continue
            if cell.get("cell_type") == "code" and name in defined_names(source):
                lines = [
                    ln for ln in source.splitlines() if ln.strip() and not ln.startswith("###")
                ]
                first = lines[0].strip() if lines else ""
                first = first if len(first) <= 70 else first[:67] + "..."
                return Definition(path.name, index, section, first, not seen_code)
            seen_code = seen_code or cell.get("cell_type") == "code"
    return None


def lesson_notebooks(folder: Path | None = None) -> list[Path]:
    """The notebook of this kernel first (Jupyter's ``JPY_SESSION_NAME``), then the
    folder's other notebooks."""
    folder = folder or Path.cwd()
    found = []
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb") and Path(session).is_file():
        found.append(Path(session))
    found += sorted(p for p in folder.glob("*.ipynb") if p not in found)
    return found


def hint(error: BaseException, notebooks: list[Path] | None = None) -> str:
    """What to run for a NameError on a name the lesson defines; "" for any other name."""
    match = NAME_ERROR.search(str(error))
    if not match:
        return ""
    name = match.group(1)
    found = find_definition(name, lesson_notebooks() if notebooks is None else notebooks)
    if found is None:
        return ""
    if found.first_code_cell:
        where = "the lesson's Setup cell (its first code cell)"
    else:
        where = f"a cell above{found}"
    return (
        f"{name} is defined by {where}, which has not run in this kernel (a restarted "
        "kernel forgets every name). Run the cells from the Setup cell down to here: "
        "click this cell, then Run > Run All Above."
    )


def typo_hint(error: BaseException, names: Any) -> str:
    """ "handler is not defined, but hander is": a name of this kernel close to the missing one.

    Example
    -------
    >>> print(typo_hint(NameError("name 'handler' is not defined"), {"hander": print}))
    handler is not defined in this kernel, but hander is: a typo where one of them is written?
    """
    match = NAME_ERROR.search(str(error))
    if not match:
        return ""
    name = match.group(1)
    known = [n for n in names if isinstance(n, str) and not n.startswith("_") and n != name]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    if not close:
        return ""
    return (
        f"{name} is not defined in this kernel, but {close[0]} is: a typo where one of them "
        "is written?"
    )


def own_cell_defines(name: str, cells: Any) -> bool:
    """True when one of the cells this kernel ran (IPython's ``In``) defines ``name``."""
    return any(isinstance(c, str) and name in defined_names(c) for c in cells or [])


def failed_cell_hint(error: BaseException, cells: Any, names: Any) -> str:
    """A name that a cell this kernel ran assigns, though the cell failed before it did.

    Example
    -------
    >>> cells = ["", "size = pick(sizes)", "deploy(size)"]
    >>> print(failed_cell_hint(NameError("name 'size' is not defined"), cells, {}))
    ... # doctest: +ELLIPSIS
    size is assigned by a cell that ran (In[1]: size = pick(sizes)), but the assignment ...
    """
    match = NAME_ERROR.search(str(error))
    if not match or not cells:
        return ""
    name = match.group(1)
    if name in (names or {}):
        return ""
    cells = list(cells)
    for number in range(len(cells) - 2, 0, -1):  # the last one is this cell
        if isinstance(cells[number], str) and name in defined_names(cells[number]):
            first = cells[number].strip().splitlines()[0]
            first = first if len(first) <= 60 else first[:57] + "..."
            return (
                f"{name} is assigned by a cell that ran (In[{number}]: {first}), but the "
                "assignment did not run: that cell failed before it (fix the error it "
                "shows and run it again), or it sits in a branch that did not run"
            )
    return ""


def _sandbox_names() -> dict[str, str]:
    """The sandbox's resources by name: {"hello": "Lambda function", ...}; {} offline."""
    if "AWS_ENDPOINT_URL" not in os.environ:
        return {}
    from lambdalab.course.probe import client

    found: dict[str, str] = {}
    listings = [
        ("s3", lambda c: [b["Name"] for b in c.list_buckets().get("Buckets", [])], "bucket"),
        (
            "sqs",
            lambda c: [u.rsplit("/", 1)[-1] for u in c.list_queues().get("QueueUrls", [])],
            "queue",
        ),
        ("dynamodb", lambda c: c.list_tables().get("TableNames", []), "DynamoDB table"),
        (
            "lambda",
            lambda c: [f["FunctionName"] for f in c.list_functions()["Functions"]],
            "Lambda function",
        ),
    ]
    for service, names, what in listings:
        try:
            found.update(dict.fromkeys(names(client(service, retries=False)), what))
        except Exception:  # noqa: BLE001 - only a better message is at stake
            continue
    return found


def _module_files(name: str, folder: Path | None = None) -> list[Path]:
    """The learner's module files called ``name`` under functions/ (``name.py``)."""
    folder = (folder or Path.cwd()) / "functions"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(f"{name}.py") if "__pycache__" not in p.parts)[:3]


def quote_hint(error: BaseException, code: str = "", resources: Any = None) -> str:
    """A NameError for the name of a sandbox resource or of a module file: a string.

    ``check("00.2", hello)`` means the function hello: AWS names it with a string, and
    a handler string ("module.function") is text too. ``code`` is the line that
    failed, to quote the whole dotted name.

    Example
    -------
    >>> print(quote_hint(NameError("name 'hello' is not defined"), "check('00.2', hello)",
    ...                  {"hello": "Lambda function"}))  # doctest: +ELLIPSIS
    hello is the name of a Lambda function in the sandbox, not a Python name: ...
    """
    match = NAME_ERROR.search(str(error))
    if not match:
        return ""
    name = match.group(1)
    dotted = re.search(rf"(?<![\w.'\"]){re.escape(name)}(\.\w+)+", code)
    text = dotted.group(0) if dotted else name
    files = _module_files(name)
    if files and dotted:  # module.function: a handler string
        where = os.path.relpath(files[0], Path.cwd())
        return (
            f"{name} is a module file ({where}), not a Python name in this kernel: a "
            f'handler string is text, write it in quotes: "{text}"'
        )
    resources = _sandbox_names() if resources is None else resources
    what = resources.get(name) or resources.get(name.replace("_", "-"))
    if what:
        aws_name = name if name in resources else name.replace("_", "-")
        return (
            f"{name} is the name of a {what} in the sandbox, not a Python name: names of "
            f'AWS resources are strings, write it in quotes: "{aws_name}"'
        )
    if files:
        where = os.path.relpath(files[0], Path.cwd())
        return (
            f"{name} is a module file ({where}), not a Python name in this kernel: a "
            f'handler string is text, write it in quotes: "{text}"'
        )
    return ""


def _failed_line(tb: Any) -> str:
    import linecache
    import traceback

    frames = list(traceback.walk_tb(tb))
    if not frames:
        return ""
    frame, number = frames[-1]
    return linecache.getline(frame.f_code.co_filename, number)


def name_error_hints(shell: Any, value: BaseException, tb: Any) -> list[str]:
    """What the kit can say of a NameError in a cell: a typo of a name this kernel has,
    a sandbox resource or module file to quote, the lesson's cell that defines it."""
    typo = typo_hint(value, shell.user_ns)
    quoted = quote_hint(value, _failed_line(tb)) if not typo else ""
    failed = failed_cell_hint(value, shell.user_ns.get("In"), shell.user_ns)
    if failed:
        return [failed]
    texts = [typo, quoted]
    close = re.search(r"but (\w+) is:", typo)
    if not quoted and not (close and own_cell_defines(close.group(1), shell.user_ns.get("In"))):
        texts.append(hint(value))  # not when the learner's own cell defines the close name
    return [t for t in texts if t]


#: Errors raised in a cell whose Python rule the kit can explain (lambdalab.course.python_notes).
NOTED = (NameError, AttributeError, StopIteration, TypeError)


def _show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    """IPython's custom exception handler: the usual traceback, then the hint."""
    previous = getattr(shell, "_lambdalab_previous_exc", None)
    if not isinstance(value, NOTED) and previous is not None:
        return previous(shell, etype, value, tb, tb_offset)
    import sys

    from lambdalab.course.python_notes import exception_note

    texts = []
    if isinstance(value, NameError) and not isinstance(value, UnboundLocalError):
        texts = name_error_hints(shell, value, tb)
    note = exception_note(value)
    if note and not texts:  # the error, the learner's line, the rule behind it
        from lambdalab.course.probe import where_raised

        where = where_raised(value)
        texts = [f"({where})" if where else "", f"Note: {note}"]
    if not texts:  # a name the lesson does not define, nor like one here: Python's traceback
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        shell._showtraceback(etype, value, stb)
        return stb
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %tb
    if hasattr(sys, "last_exc"):
        sys.last_exc = value
    stb = [
        f"{etype.__name__}: {value}",
        " ".join(t for t in texts if t),
        "(%tb prints the traceback)",
    ]
    shell._showtraceback(etype, value, stb)
    return stb


def install() -> bool:
    """Add the hint to NameErrors in this Jupyter kernel, beside what is installed already
    (``lambdalab.course.aws_errors``); True when installed. Idempotent."""
    from lambdalab.course.aws_errors import in_kernel

    shell = in_kernel()
    if shell is None:
        return False
    types = tuple(getattr(shell, "custom_exceptions", ()))
    if NameError in types:
        return True
    current = getattr(shell, "CustomTB", None)
    previous = getattr(current, "__func__", None) if types else None
    shell._lambdalab_previous_exc = previous
    shell.set_custom_exc((*types, *NOTED), _show)
    return True


def cells_above(exercise_id: str, notebooks: list[Path] | None = None) -> int:
    """How many code cells come before the cell that checks ``exercise_id``; 0 if unknown."""
    call = re.compile(r"""check\(\s*["']""" + re.escape(exercise_id) + r"""["']""")
    for path in lesson_notebooks() if notebooks is None else notebooks:
        code = [_source(c) for c in _cells(path) if c.get("cell_type") == "code"]
        for index, source in enumerate(code):
            if call.search(source):
                return index
    return 0


def skipped_cells_note(exercise_id: str, notebooks: list[Path] | None = None) -> str:
    """For a failed check: 'this kernel has run 2 cells; 40 come before this check...'.

    A kernel that ran far fewer cells than the lesson has above the check was restarted,
    or the learner started in the middle: what the check needs may never have been made.
    """
    shell = _shell()
    if shell is None:
        return ""
    ran = max(0, int(getattr(shell, "execution_count", 0)) - 1)  # this cell is not done
    above = cells_above(exercise_id, notebooks)
    if not above or ran * 2 >= above:
        return ""
    return (
        f"This kernel has run {ran} cell(s), and the lesson has {above} code cells before "
        "this check: what it needs may not exist in this kernel (was it restarted?). Run "
        "the cells from the Setup cell down to here: click this cell, then Run > Run All "
        "Above"
    )


def _shell() -> Any:
    from lambdalab.course.aws_errors import in_kernel

    return in_kernel()
