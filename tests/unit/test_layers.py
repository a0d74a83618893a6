"""The package's layers: imports run one way, down the roles, and never in a circle.

The roles, from the top (docs/architecture.md draws them):

4. the front: ``lambdalab/__init__.py`` and the old names kept for compatibility
   (``lambdalab.checks``, ``lambdalab.grade``);
3. ``lambdalab/grading/``: the instructors' grader;
2. ``lambdalab/course/``: the lessons' checks, progress, release;
1. the learner's tools at the top of the package: pricing, calculator, packaging;
0. ``lambdalab/sandbox/``: the offline AWS.

A module may import from its own role or a lower one. Every import counts, the ones
inside functions too: a late import hides a cycle, it does not remove it. The walk reads
the source with ``ast`` and never imports the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lambdalab"
FRONT = ("checks", "grade")  # old names kept at the top: they only forward
TOOLS = ("pricing", "calculator", "packaging")
RANKS = {"grading": 3, "course": 2, "sandbox": 0}
ROLE_NAMES = {4: "the front", 3: "the grader", 2: "the course", 1: "the tools", 0: "the sandbox"}


def modules(package: Path) -> dict[str, Path]:
    """``{dotted name: file}`` of every module of the package."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """``(module imported, line)`` for each import of the package's own modules."""
    root = name.split(".")[0]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from a import b` imports the module a.b when there is one, else a name of a.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target == root or target.startswith(root + "."):
                while target not in known:  # `import a.b.name` of an attribute
                    target = target.rpartition(".")[0]
                found.append((target, node.lineno))
    return found


def rank(name: str) -> int | None:
    """The role of a module, as a number (higher is nearer the learner); None: no role."""
    parts = name.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in FRONT):
        return 4
    if parts[1] in RANKS:
        return RANKS[parts[1]]
    if len(parts) == 2 and parts[1] in TOOLS:
        return 1
    return None


def problems(package: Path) -> list[str]:
    """Every module without a role, import against the layers, and import cycle."""
    known = modules(package)
    found = []
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        where = path.relative_to(package.parent)
        if rank(name) is None:
            found.append(
                f"{where} has no role: put it under sandbox/, course/ or grading/ (only the "
                f"learner's tools, {', '.join(TOOLS)}, sit at the top of the package)"
            )
        for target, line in imports(name, path, known):
            if target == name:
                continue
            graph[name].add(target)
            low, high = rank(name), rank(target)
            if low is not None and high is not None and high > low:
                found.append(
                    f"{where}:{line} imports {target} "
                    f"({known[target].relative_to(package.parent)}): {ROLE_NAMES[low]} must "
                    f"not import {ROLE_NAMES[high]}; move what both need down a layer"
                )
    found += [f"import cycle: {cycle}" for cycle in cycles(graph, known, package.parent)]
    return found


def cycles(graph: dict[str, set[str]], known: dict[str, Path], base: Path) -> list[str]:
    """Each import cycle once, as the files that make it: a.py -> b.py -> a.py."""
    found, state = [], {}  # state: 1 on the current path, 2 done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                loop = path[path.index(target) :] + [target]
                found.append(" -> ".join(str(known[m].relative_to(base)) for m in loop))
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return found


def test_the_package_keeps_its_layers_and_has_no_import_cycle():
    assert problems(PACKAGE) == []


def test_every_role_has_its_folder():
    for folder in RANKS:
        assert (PACKAGE / folder / "__init__.py").is_file(), folder


# The walk itself, on a small package of each kind of fault: a check that cannot fail
# is no check.


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, source in {"__init__.py": "", **files}.items():
        path = root / "lambdalab" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root / "lambdalab"


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {
                "sandbox/__init__.py": "",
                "sandbox/clock.py": "from lambdalab.course import x\n",
                "course/__init__.py": "",
                "course/x.py": "",
            },
            "lambdalab/sandbox/clock.py:1 imports lambdalab.course.x (lambdalab/course/x.py): "
            "the sandbox must not import the course",
        ),
        (
            {
                "course/__init__.py": "",
                "course/a.py": "def f():\n    from .. import grading\n",
                "grading/__init__.py": "",
            },
            "lambdalab/course/a.py:2 imports lambdalab.grading (lambdalab/grading/__init__.py): "
            "the course must not import the grader",
        ),
        (
            {"course/__init__.py": "", "course/a.py": "import lambdalab\n"},
            "lambdalab/course/a.py:1 imports lambdalab (lambdalab/__init__.py): the course "
            "must not import the front",
        ),
        (
            {
                "course/__init__.py": "",
                "course/a.py": "from . import b\n",
                "course/b.py": "def late():\n    from lambdalab.course.a import thing\n",
            },
            "import cycle: lambdalab/course/a.py -> lambdalab/course/b.py -> lambdalab/course/a.py",
        ),
        (
            {"helpers.py": ""},
            "lambdalab/helpers.py has no role",
        ),
    ],
)
def test_the_walk_finds_each_kind_of_fault(tmp_path, files, expected):
    found = problems(write_package(tmp_path, files))
    assert any(problem.startswith(expected) for problem in found), found
