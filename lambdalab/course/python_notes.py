"""What Python's own rule behind an error means, when the message alone hides it.

Python's messages name the symptom: ``'str' object has no attribute 'read'``, a bare
``StopIteration``, ``cannot access local variable 'reports'``, ``name 's3' is not
defined``. The cause is one step away, and the same for every exercise: a JSON text not
decoded, a ``next()`` whose generator found nothing, a name bound later in the function
or only inside a block that did not run, a handler whose parameters are the wrong way
round. :func:`python_note` says that step, from the error's type and message and, when
the learner's source is at hand, from that source read with :mod:`ast` (the file of a
deployed function, the cell of a function called in the kernel).

Used for a deployed function's error (``probe.function_error``, ``failure_feedback``)
and for a learner's function called in the kernel (``probe.call_answer``), and under the
traceback of an error raised in a learner's cell (``cell_order``).
https://docs.python.org/3/faq/programming.html#why-am-i-getting-an-unboundlocalerror-when-the-variable-has-a-value
https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
"""

from __future__ import annotations

import ast
import linecache
import os
import re
import traceback
from typing import Any

_LOCAL_BEFORE_ASSIGNMENT = re.compile(r"local variable '(\w+)'")
_NOT_DEFINED = re.compile(r"name '(\w+)' is not defined")
_NO_ATTRIBUTE = re.compile(r"'(str|bytes)' object has no attribute '(\w+)'")
_DICT_METHODS = {"get", "keys", "items", "values", "setdefault", "update", "pop"}


def python_note(kind: Any, message: Any, source: str | None = None, line: int | None = None) -> str:
    """The rule behind an error, in words; "" when the message says it all.

    ``source`` is the text of the module (or cell) the error was raised in, and ``line``
    its line number there: with them, notes that depend on the code are possible.

    Example
    -------
    >>> print(python_note("AttributeError", "'str' object has no attribute 'read'"))
    ... # doctest: +ELLIPSIS
    a str was given where a file is read: json.load(f) reads an open file; ...
    """
    kind, message = str(kind or ""), str(message or "")
    tree = _parse(source)
    for note in (
        _swapped_parameters(tree, line),
        _by_kind(kind, message, tree, source, line),
    ):
        if note:
            return note
    return ""


def _by_kind(kind: str, message: str, tree: Any, source: str | None, line: int | None) -> str:
    if kind == "UnboundLocalError":
        return _unbound_local(message, tree, line)
    if kind == "NameError":
        found = _NOT_DEFINED.search(message)
        return _bound_elsewhere(found.group(1), tree, line) if found and tree else ""
    if kind == "AttributeError":
        return _no_attribute(message, _line_text(source, line))
    if kind == "StopIteration":
        return (
            "next() raised StopIteration: the generator it was given had no item left, so "
            "nothing met its condition. next(generator, default) returns the default "
            "instead; or look at the condition and the values it compares"
        )
    module = re.search(r"Unable to import module '([^']+)'", message)
    if kind == "Runtime.ImportModuleError" and module and "/" in module.group(1):
        return (
            "a handler string names a module, not a path: it is read from the root of the "
            "deployed folder, with dots between package folders "
            f"('{module.group(1).split('/')[-1]}.<function>' for a file at the root)"
        )
    return ""


def _parse(source: str | None) -> ast.Module | None:
    if not source:
        return None
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _line_text(source: str | None, line: int | None) -> str:
    if not source or not line:
        return ""
    lines = source.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _enclosing_function(tree: Any, line: int | None) -> Any:
    """The innermost function whose body holds ``line``; None at module level."""
    if tree is None or not line:
        return None
    found = None
    for node in _functions(tree):
        if node.lineno <= line <= (node.end_lineno or node.lineno):
            if found is None or node.lineno >= found.lineno:
                found = node
    return found


# -- a handler written handler(context, event) --------------------------------------------


def swapped(parameters: list[str]) -> bool:
    """True for parameters that put the context before the event: (context, event).

    >>> swapped(["context", "event"]), swapped(["event", "context"])
    (True, False)
    """
    names = [p.lower() for p in parameters[:2]]
    return len(names) == 2 and names[0] in ("context", "ctx") and names[1] in ("event", "evt")


def swapped_note(function: str) -> str:
    return (
        f"{function}'s parameters are (context, event), but Lambda (and the check) pass "
        "the event first and the context second, so `event` holds the context object and "
        f"`context` the event: write def {function}(event, context)"
    )


def _swapped_parameters(tree: Any, line: int | None) -> str:
    function = _enclosing_function(tree, line)
    if function is not None and swapped([a.arg for a in function.args.args]):
        return swapped_note(function.name)
    return ""


# -- a name used before the function binds it ---------------------------------------------


def _unbound_local(message: str, tree: Any, line: int | None) -> str:
    found = _LOCAL_BEFORE_ASSIGNMENT.search(message)
    name = found.group(1) if found else "the variable"
    function = _enclosing_function(tree, line)
    if function is not None:
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom) and any(
                (alias.asname or alias.name).split(".")[0] == name for alias in node.names
            ):
                used = f" (line {line})" if line else ""
                return (
                    f"the function imports {name} on line {node.lineno}, and an import "
                    f"binds a name like an assignment: {name} is local to the whole "
                    f"function, and its use{used} comes before the import ran. Write "
                    f"`import {name}` before the line that uses it"
                )
    return (
        f"the function assigns {name}, which makes it local to the function, so the "
        f"module-level {name} is not read; write `global {name}` at the top of the "
        "function to use and change the module's"
    )


# -- a name bound only in a block that did not run ------------------------------------------


def _binds(node: ast.AST, name: str) -> bool:
    """True when the statement ``node`` itself binds ``name`` (not its nested blocks)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Import | ast.ImportFrom):
        return any((a.asname or a.name).split(".")[0] == name for a in node.names)
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    elif isinstance(node, ast.For | ast.AsyncFor):
        targets = [node.target]
    elif isinstance(node, ast.With | ast.AsyncWith):
        targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
    return any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t))


def _main_guard(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return (
        isinstance(node, ast.If)
        and isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _bindings(body: list[ast.stmt], name: str, path: tuple) -> list[tuple[ast.stmt, tuple]]:
    """Each statement binding ``name``, with the blocks around it (outermost first)."""
    found = []
    for node in body:
        if _binds(node, name):
            found.append((node, path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found += _bindings(node.body, name, (*path, node))
            continue
        for field in ("body", "orelse", "finalbody"):
            found += _bindings(getattr(node, field, []) or [], name, (*path, (node, field)))
        for handler in getattr(node, "handlers", []) or []:
            found += _bindings(handler.body, name, (*path, (node, "except")))
    return found


def _block_words(block: Any) -> str:
    if isinstance(block, ast.FunctionDef | ast.AsyncFunctionDef):
        return (
            f"inside the function {block.name} (line {block.lineno}), so it is local to "
            f"{block.name}: other functions do not see it"
        )
    if isinstance(block, ast.ClassDef):
        return f"inside the class {block.name} (line {block.lineno})"
    node, field = block
    if _main_guard(node):
        return (
            f'under `if __name__ == "__main__":` (line {node.lineno}), which does not run '
            "on Lambda: the runtime imports the file as a module, so __name__ is the "
            'module\'s name, not "__main__"'
        )
    if isinstance(node, ast.If):
        condition = ast.unparse(node.test)
        branch = "else branch" if field == "orelse" else "branch"
        return f"only in the {branch} of `if {condition}:` (line {node.lineno}), which did not run"
    kind = type(node).__name__.lower()
    part = "except" if field == "except" else kind
    return f"only inside the `{part}` block at line {node.lineno}, which did not bind it"


def _bound_elsewhere(name: str, tree: ast.Module, line: int | None) -> str:
    """A NameError for a name the module binds only in a block that did not run."""
    found = _bindings(tree.body, name, ())
    if not found or any(not path for _, path in found):
        return ""  # bound nowhere (a typo), or at the top level (used before that line)
    function = _enclosing_function(tree, line)
    for node, path in found:
        if function is not None and function in path:
            continue  # the failing function's own binding: an UnboundLocalError's case
        block = path[-1]
        where = "it" if function is None else "the code"
        return (
            f"{name} is bound on line {node.lineno}, {_block_words(block)}. Bind {name} "
            f"where {where} can see it: at the top level of the file (or inside the "
            "function that uses it)"
        )
    return ""


# -- AttributeError on a str where a file or a dict was meant --------------------------------


def _no_attribute(message: str, code: str) -> str:
    found = _NO_ATTRIBUTE.search(message)
    if not found:
        return ""
    kind, attribute = found.groups()
    if attribute == "read":
        if "json.load(" in code:
            return (
                "json.load(f) reads an open file; this is a str already: json.loads(text) "
                "(with an s) decodes JSON text"
            )
        return (
            f"a {kind} was given where a file is read: json.load(f) reads an open file; "
            "json.loads(text) (with an s) decodes JSON text"
        )
    if attribute in _DICT_METHODS:
        return (
            f"this {kind} is where a dict was expected: JSON text (a message body, an SNS "
            "Message, a request body) stays text until json.loads decodes it. "
            "json.loads(text) gives the dict"
        )
    return ""


# -- the same, for a live exception ------------------------------------------------------------


def _kit_folder() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _library(filename: str) -> bool:
    return any(part in filename for part in ("site-packages", "dist-packages", "/lib/python3"))


def exception_note(error: BaseException) -> str:
    """:func:`python_note` for an exception raised in the kernel by the learner's code.

    The innermost frame outside the kit gives the source (a cell, through linecache, or
    a file) and the line; a function of the learner's whose parameters are (context,
    event) is named from its code object, even without the source.
    """
    kit = _kit_folder() + os.sep
    frames = [
        (frame, number)
        for frame, number in traceback.walk_tb(error.__traceback__)
        if not os.path.abspath(frame.f_code.co_filename).startswith(kit)
    ]
    own = [(f, n) for f, n in frames if not _library(f.f_code.co_filename)]
    frames = own or frames  # the learner's code first: json's own frame says less
    source, line = None, None
    if frames:
        frame, line = frames[-1]
        code = frame.f_code
        parameters = list(code.co_varnames[: code.co_argcount])
        if swapped(parameters):
            return swapped_note(code.co_name)
        source = "".join(linecache.getlines(code.co_filename)) or None
    return python_note(type(error).__name__, str(error), source, line)


_LOGGED = re.compile(
    r"\b(?P<kind>[A-Z]\w*(?:Error|Exception)|StopIteration)"
    r"(?:\((?P<quote>['\"])(?P<repr>.*)(?P=quote)\)|: (?P<text>.*))"
)


def log_note(line: str) -> str:
    """:func:`python_note` for an error a function caught and logged itself.

    >>> print(log_note("message 3 failed: AttributeError: 'str' object has no attribute 'read'"))
    ... # doctest: +ELLIPSIS
    a str was given where a file is read: ...
    """
    found = _LOGGED.search(line or "")
    if not found:
        return ""
    message = found.group("repr") if found.group("repr") is not None else found.group("text")
    return python_note(found.group("kind"), message)


_HANDLER_LINE = re.compile(r"^(?P<file>[^,]+), line (?P<line>\d+): (?P<code>.*)$")


def deployed_note(kind: Any, message: Any, where: str | None, root: Any) -> str:
    """:func:`python_note` for a deployed function's error.

    ``where`` is the handler line from the error's stackTrace ("app.py, line 4: code"),
    ``root`` the folder the function was deployed from: its file is read only when its
    line still holds the code that failed (an edited file says nothing about the code
    that ran).
    """
    source, line = None, None
    found = _HANDLER_LINE.match(where or "")
    if found and root is not None:
        path = os.path.join(os.fspath(root), found.group("file"))
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError):
            text = ""
        number = int(found.group("line"))
        if text and _line_text(text, number).strip() == found.group("code").strip():
            source, line = text, number
    return python_note(kind, message, source, line)
