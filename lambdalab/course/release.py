"""Build the student notebooks in notebooks/ from the solved notebooks in solutions/.

``solutions/NN-name.ipynb`` is the source of every lesson. Each exercise's answer sits
between two marker lines, the ones nbgrader uses, so instructors who grade with nbgrader
can import the solutions as its source notebooks::

    def handler(event, context):
        ### BEGIN SOLUTION
        return {"statusCode": 200, "body": event["body"]}
        ### END SOLUTION

This script replaces each block with a stub that keeps the notebook runnable from top to
bottom (``# YOUR CODE HERE`` and then ``pass``). At the top level of a cell ``pass``
would leave names undefined, so the author writes the stub on a ``### STUB:`` line just
before the block::

    ### STUB: answer = None
    ### BEGIN SOLUTION
    answer = "python3.13"
    ### END SOLUTION

It also writes the navigation line (previous | course map | next) at the top and bottom
of every notebook, in solutions/ and notebooks/, clears outputs and strips metadata, so
running it twice changes nothing.

Usage::

    python -m lambdalab.course.release           # regenerate notebooks/ (and navigation)
    python -m lambdalab.course.release --check   # exit 1 when a notebook is out of date
    python -m lambdalab.course.release --bundle  # zip the student kit, without solutions/
    python -m lambdalab.course.release --bundle --folder ../kit --binder-repo you/kit
                                           # ... and write it as a folder to push
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

# nbformat is imported inside the functions that build notebooks: importing it loads
# jsonschema, which can take seconds, and lambdalab.progress() reads LESSONS from here.

#: Every lesson of the course: (file stem, title, minutes). The course map, the
#: navigation lines and ``lambdalab.progress()`` read their titles from here.
LESSONS: list[tuple[str, str, int]] = [
    ("00-start-here", "Start here", 15),
    ("01-handlers", "Handlers", 45),
    ("02-triggers", "Triggers", 60),
    ("03-packaging", "Packaging", 45),
    ("04-image-resizer", "Image resizer", 45),
    ("05-pricing", "Pricing", 40),
    ("06-pitfalls", "Pitfalls", 60),
    ("07-use-cases", "Use cases", 75),
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = "### STUB:"
CODE_STUB_COMMENT = "# YOUR CODE HERE"
MARKDOWN_STUB = "_Your answer here._"
NAVIGATION_TAG = "navigation"
COURSE_MAP_LINK = "../README.md#course-map"
DEFAULT_BUNDLE = Path("build") / "lambdalab-student.zip"
#: Kept out of the student bundle: the answers, every test (the hidden grading ones
#: included), the grader, instructor docs, benchmarks, CI and the test tools' pins
#: (Playwright), and what only `make test` uses.
BUNDLE_EXCLUDES = (
    "solutions/",
    "tests/",
    "docs/",
    "bench/",
    ".ci/",
    ".github/",
    "requirements-dev.txt",
    "lambdalab/grade.py",
    "lambdalab/grading/",
    "tools/binder_env.py",
    "student-kit/",
)
#: The student kit's own files: ``student-kit/X`` replaces (or adds) ``X`` in the bundle.
KIT_OVERLAY = "student-kit"
#: In the kit's README, replaced by ``--binder-repo`` (GitHub ``owner/name``).
BINDER_PLACEHOLDER = "OWNER/REPOSITORY"
#: Never bundled when the tree is walked (no git): environments, caches, build output.
WALK_SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    ".ipynb_checkpoints",
    ".pytest_cache",
    ".ruff_cache",
    "build",
    "dist",
    "node_modules",
    "test-artifacts",
    "functions",
}
LESSON_FILE = re.compile(r"^(\d\d)-[a-z0-9][a-z0-9-]*\.ipynb$")
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)


class ReleaseError(Exception):
    """Something in solutions/ stops the release; the message names the fix."""


class SolutionMarkerError(ReleaseError, ValueError):
    """Solution markers that do not pair up, or a stub that would not run."""


# --------------------------------------------------------------------------------------
# Solution blocks
# --------------------------------------------------------------------------------------


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


NEAR_MISS = re.compile(r"#+\s*(begin|end)\s*solution\s*#*", re.IGNORECASE)


def _looks_like_marker(text: str) -> bool:
    """True for near-misses such as ``## BEGIN SOLUTION``, which would leak an answer."""
    return NEAR_MISS.fullmatch(text) is not None


def _replace_blocks(source: str, make_stub: Callable[[str, list[str], int], list[str]]) -> str:
    """Replace every solution block in ``source`` by ``make_stub(indent, stub_lines, line)``.

    Raises
    ------
    SolutionMarkerError
        When markers are unbalanced, nested, misspelt, or a ``### STUB:`` line is not
        directly before a ``### BEGIN SOLUTION``.
    """
    out: list[str] = []
    stubs: list[tuple[int, str]] = []  # (line number, code) of ### STUB: lines just seen
    open_at: int | None = None  # line number of the BEGIN marker of the open block
    for number, line in enumerate(source.split("\n"), start=1):
        text = line.strip()
        if text.startswith(STUB):
            if open_at is None:
                stubs.append((number, text[len(STUB) :].strip()))
            continue
        if text == BEGIN:
            if open_at is not None:
                raise SolutionMarkerError(
                    f"line {number}: '{BEGIN}' inside the block opened on line {open_at}; "
                    "solution blocks cannot be nested"
                )
            out.extend(make_stub(_indent_of(line), [code for _, code in stubs], number))
            stubs, open_at = [], number
            continue
        if stubs:
            raise SolutionMarkerError(
                f"line {stubs[0][0]}: '{STUB}' must come directly before '{BEGIN}'"
            )
        if text == END:
            if open_at is None:
                raise SolutionMarkerError(f"line {number}: '{END}' without a '{BEGIN}' before it")
            open_at = None
            continue
        if _looks_like_marker(text):
            raise SolutionMarkerError(
                f"line {number}: {text!r} looks like a solution marker but is not exactly "
                f"'{BEGIN}' or '{END}'"
            )
        if open_at is None:
            out.append(line)
    if open_at is not None:
        raise SolutionMarkerError(f"line {open_at}: '{BEGIN}' is never closed by '{END}'")
    if stubs:
        raise SolutionMarkerError(
            f"line {stubs[0][0]}: '{STUB}' must come directly before '{BEGIN}'"
        )
    return "\n".join(out)


def _code_stub(indent: str, stub_lines: list[str], line: int) -> list[str]:
    if not stub_lines:
        if not indent:
            raise SolutionMarkerError(
                f"line {line}: a solution block at the top level of a cell needs a stub; "
                f"write e.g. '{STUB} answer = None' on the line before '{BEGIN}'"
            )
        stub_lines = ["pass"]
    return [indent + CODE_STUB_COMMENT] + [indent + code for code in stub_lines]


def _markdown_stub(indent: str, stub_lines: list[str], line: int) -> list[str]:
    return [indent + MARKDOWN_STUB]


def strip_solutions(source: str) -> str:
    """Replace the solution blocks of a code cell by stubs that keep it runnable.

    Parameters
    ----------
    source : str
        The code cell's source, with ``### BEGIN SOLUTION`` / ``### END SOLUTION`` blocks.

    Returns
    -------
    str
        The source with each block replaced, at the block's indentation, by
        ``# YOUR CODE HERE`` and the stub: the ``### STUB:`` code written just before the
        block, or ``pass`` for an indented block. ``### STUB:`` lines are removed.

    Raises
    ------
    SolutionMarkerError
        Unbalanced, nested or misspelt markers, or a top-level block without a stub.

    Example
    -------
    >>> print(strip_solutions(
    ...     "def handler(event, context):\\n"
    ...     "    ### BEGIN SOLUTION\\n"
    ...     "    return {'ok': True}\\n"
    ...     "    ### END SOLUTION"
    ... ))
    def handler(event, context):
        # YOUR CODE HERE
        pass
    """
    return _replace_blocks(source, _code_stub)


def strip_markdown_solutions(source: str) -> str:
    """Replace the solution blocks of a markdown cell by "_Your answer here._".

    Example
    -------
    >>> strip_markdown_solutions("Why?\\n### BEGIN SOLUTION\\nBecause.\\n### END SOLUTION")
    'Why?\\n_Your answer here._'
    """
    return _replace_blocks(source, _markdown_stub)


def _python_part(source: str) -> str | None:
    """The Python a code cell runs, with IPython magics neutralised (None: not Python)."""
    lines = source.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("%%"):
        if not first.startswith("%%writefile") or not first.endswith(".py"):
            return None
        lines = lines[lines.index(next(x for x in lines if x.strip())) + 1 :]
    return "\n".join(
        _indent_of(line) + "pass" if line.lstrip()[:1] in ("%", "!") else line for line in lines
    )


def _compiles(code: str | None) -> bool:
    try:
        compile(code or "", "<cell>", "exec")
    except SyntaxError:
        return False
    return True


def strip_cell(cell: nbformat.NotebookNode) -> str:
    """The student version of one cell's source (code and markdown cells).

    Raises
    ------
    SolutionMarkerError
        As ``strip_solutions``, and when the stub would turn valid Python into a
        syntax error (a block inside brackets, for instance): give it a ``### STUB:``.
    """
    if cell.cell_type == "markdown":
        return strip_markdown_solutions(cell.source)
    if cell.cell_type != "code":
        return cell.source
    stripped = strip_solutions(cell.source)
    before, after = _python_part(cell.source), _python_part(stripped)
    if before is not None and _compiles(before) and not _compiles(after):
        raise SolutionMarkerError(
            f"the stub leaves this cell invalid Python; write the code that keeps it valid "
            f"on a '{STUB} <code>' line just before '{BEGIN}'"
        )
    return stripped


# --------------------------------------------------------------------------------------
# Navigation and notebook assembly
# --------------------------------------------------------------------------------------


def lesson_title(stem: str) -> str:
    """``"02 Triggers"`` for ``"02-triggers"``, from LESSONS (or the file name).

    Example
    -------
    >>> lesson_title("02-triggers")
    '02 Triggers'
    """
    titles = {name: title for name, title, _ in LESSONS}
    number, _, rest = stem.partition("-")
    return f"{number} {titles.get(stem) or rest.replace('-', ' ').capitalize()}"


def navigation_line(stem: str, stems: Sequence[str]) -> str:
    """The markdown line ``previous | course map | next`` for lesson ``stem``.

    Only lessons in ``stems`` (those whose solution notebook exists) are linked.

    Example
    -------
    >>> navigation_line("01-handlers", ["00-start-here", "01-handlers"])
    '[← 00 Start here](00-start-here.ipynb) | [Course map](../README.md#course-map)'
    """
    ordered = sorted(stems)
    parts = [f"[Course map]({COURSE_MAP_LINK})"]
    position = ordered.index(stem)
    if position > 0:
        previous = ordered[position - 1]
        parts.insert(0, f"[← {lesson_title(previous)}]({previous}.ipynb)")
    if position + 1 < len(ordered):
        following = ordered[position + 1]
        parts.append(f"[{lesson_title(following)} →]({following}.ipynb)")
    return " | ".join(parts)


def _is_navigation(cell: nbformat.NotebookNode) -> bool:
    return NAVIGATION_TAG in cell.get("metadata", {}).get("tags", [])


def _clean_cell(cell: nbformat.NotebookNode, source: str, index: int) -> nbformat.NotebookNode:
    """A copy of ``cell`` with ``source``, a deterministic id and only its tags kept."""
    import nbformat

    metadata = {"tags": list(cell.metadata["tags"])} if cell.metadata.get("tags") else {}
    cell_id = f"cell-{index:02d}"
    if cell.cell_type == "code":
        new = nbformat.v4.new_code_cell(source, metadata=metadata, id=cell_id)
    elif cell.cell_type == "markdown":
        new = nbformat.v4.new_markdown_cell(source, metadata=metadata, id=cell_id)
    else:
        new = nbformat.v4.new_raw_cell(source, metadata=metadata, id=cell_id)
    if cell.get("attachments") and cell.cell_type != "code":
        new.attachments = cell.attachments
    return new


def _assemble(cells: list[nbformat.NotebookNode], sources: list[str], nav: str):
    """A clean notebook: navigation, the cells with their new sources, navigation."""
    import nbformat

    nav_cell = nbformat.v4.new_markdown_cell(nav, metadata={"tags": [NAVIGATION_TAG]})
    ordered = [(nav_cell, nav), *zip(cells, sources, strict=True), (nav_cell, nav)]
    notebook = nbformat.v4.new_notebook(metadata=NOTEBOOK_METADATA)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    notebook.cells = [_clean_cell(cell, src, i) for i, (cell, src) in enumerate(ordered)]
    return notebook


def _lesson_stems(solutions: Path) -> list[str]:
    return sorted(p.stem for p in solutions.glob("*.ipynb") if LESSON_FILE.match(p.name))


def build_pair(path: Path, stems: Sequence[str] | None = None):
    """The (solution, student) notebooks for one ``solutions/NN-name.ipynb``.

    Raises
    ------
    SolutionMarkerError
        With the notebook and the cell number (counted from 1 in the file) in the message.
    """
    import nbformat

    path = Path(path)
    stems = _lesson_stems(path.parent) if stems is None else stems
    source_nb = nbformat.read(path, as_version=4)
    nav = navigation_line(path.stem, stems)
    cells, student_sources = [], []
    for number, cell in enumerate(source_nb.cells, start=1):
        if _is_navigation(cell):
            continue
        try:
            student_sources.append(strip_cell(cell))
        except SolutionMarkerError as error:
            first_line = cell.source.strip().split("\n")[0][:60]
            raise SolutionMarkerError(
                f"{path.parent.name}/{path.name}, cell {number} ({first_line!r}): {error}"
            ) from None
        cells.append(cell)
    solution = _assemble(cells, [cell.source for cell in cells], nav)
    student = _assemble(cells, student_sources, nav)
    return solution, student


def build_notebook(path: Path) -> nbformat.NotebookNode:
    """The student notebook built from one solution notebook (nothing is written).

    Example
    -------
    >>> nb = build_notebook(Path("solutions/00-start-here.ipynb"))  # doctest: +SKIP
    >>> nb.cells[0].metadata.tags  # doctest: +SKIP
    ['navigation']
    """
    return build_pair(path)[1]


def to_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as its file text: nbformat's JSON, indent 1, trailing newline."""
    import nbformat

    text = nbformat.writes(notebook, version=4)
    return text if text.endswith("\n") else text + "\n"


# --------------------------------------------------------------------------------------
# Release: plan, write, check
# --------------------------------------------------------------------------------------


def plan(root: Path) -> tuple[dict[Path, str], list[Path]]:
    """What the release would write: ``{path: text}``, and stale notebooks to delete.

    Raises
    ------
    ReleaseError
        When solutions/ holds no lesson, or a notebook's markers are wrong.
    """
    solutions, notebooks = root / "solutions", root / "notebooks"
    stems = _lesson_stems(solutions)
    if not stems:
        raise ReleaseError(f"no solutions/NN-name.ipynb under {root}")
    wanted: dict[Path, str] = {}
    for stem in stems:
        solution, student = build_pair(solutions / f"{stem}.ipynb", stems)
        wanted[solutions / f"{stem}.ipynb"] = to_text(solution)
        wanted[notebooks / f"{stem}.ipynb"] = to_text(student)
    orphans = [
        path
        for path in sorted(notebooks.glob("*.ipynb"))
        if LESSON_FILE.match(path.name) and path.stem not in stems
    ]
    return wanted, orphans


def _out_of_date(wanted: dict[Path, str]) -> Iterator[Path]:
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            yield path


def release(root: Path, *, check: bool = False) -> list[str]:
    """Write (or, with ``check``, only list) what is out of date; return the messages.

    Example
    -------
    >>> release(Path("."), check=True)  # doctest: +SKIP
    []
    """
    wanted, orphans = plan(root)
    stale = list(_out_of_date(wanted))
    if check:
        return [f"out of date: {p.relative_to(root)}" for p in stale] + [
            f"no solution for: {p.relative_to(root)} (delete it)" for p in orphans
        ]
    messages = []
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        messages.append(f"wrote {path.relative_to(root)}")
    for path in orphans:
        path.unlink()
        messages.append(f"removed {path.relative_to(root)} (its solution is gone)")
    return messages


# --------------------------------------------------------------------------------------
# Student bundle
# --------------------------------------------------------------------------------------


def _tracked_files(root: Path) -> list[str]:
    """The repository's git-tracked files (empty when git or the repository is missing)."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z"],
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return []
    return [name for name in result.stdout.decode().split("\0") if name]


def _walked_files(root: Path) -> list[str]:
    """Every file under ``root``, skipping environments, caches and build output."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in WALK_SKIP_DIRS and not d.endswith(".egg-info"))
        for name in files:
            if not name.endswith((".zip", ".pyc")):
                found.append((Path(folder) / name).relative_to(root).as_posix())
    return found


def bundle_files(root: Path) -> list[str]:
    """The files of the student kit: tracked files minus solutions, tests and instructor parts.

    Example
    -------
    >>> "solutions/00-start-here.ipynb" in bundle_files(Path("."))  # doctest: +SKIP
    False
    """
    names = _tracked_files(root) or _walked_files(root)
    overlay = {
        name.removeprefix(f"{KIT_OVERLAY}/")
        for name in names
        if name.startswith(f"{KIT_OVERLAY}/") and (root / name).is_file()
    }
    kept = {
        name for name in names if not name.startswith(BUNDLE_EXCLUDES) and (root / name).is_file()
    }
    return sorted(kept | overlay)


def _without_grader_script(pyproject: str) -> str:
    """pyproject.toml without ``[project.scripts]`` (the grader is not in the kit)."""
    return re.sub(r"(?ms)^\[project\.scripts\]\n.*?(?=^\[|\Z)", "", pyproject)


def bundle_contents(root: Path, binder_repo: str | None = None) -> dict[str, tuple[bytes, int]]:
    """``{path in the kit: (bytes, mode)}``: the kit's files, its README and Makefile.

    ``student-kit/README.md`` and ``student-kit/Makefile`` become the kit's own README and
    Makefile; ``binder_repo`` ("owner/name") goes into its Binder link.
    """
    contents = {}
    for name in bundle_files(root):
        source = root / KIT_OVERLAY / name
        if not source.is_file():
            source = root / name
        data = source.read_bytes()
        if name == "pyproject.toml":
            data = _without_grader_script(data.decode()).encode()
        if name == "README.md" and binder_repo:
            data = data.replace(BINDER_PLACEHOLDER.encode(), binder_repo.encode())
        contents[name] = (data, source.stat().st_mode & 0o777)
    return contents


def write_bundle(root: Path, target: Path, binder_repo: str | None = None) -> int:
    """Zip the student kit to ``target`` under a ``lambda-lab/`` folder; return the count.

    Entries carry a fixed timestamp, so the same files give the same zip.
    """
    contents = bundle_contents(root, binder_repo)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in contents.items():
            info = zipfile.ZipInfo(f"lambda-lab/{name}", date_time=ZIP_TIMESTAMP)
            info.external_attr = (mode | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return len(contents)


def write_bundle_folder(root: Path, folder: Path, binder_repo: str | None = None) -> int:
    """Write the student kit into ``folder``, ready to commit and push as its own repository.

    ``folder`` must be empty, new, or a clone of the kit's repository: then everything but
    ``.git`` is replaced, so files removed from the kit disappear in the next commit.

    Raises
    ------
    ReleaseError
        When ``folder`` holds files and is not a git repository (nothing is touched).
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not (folder / ".git").exists():
        raise ReleaseError(
            f"{folder} is not empty and not a git repository: give a new folder, or a clone "
            "of the student kit's repository"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    contents = bundle_contents(root, binder_repo)
    for name, (data, mode) in contents.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(mode)
    return len(contents)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def default_root() -> Path:
    """The repository: the folder above this package, or the current one."""
    package_parent = Path(__file__).resolve().parents[2]
    return package_parent if (package_parent / "solutions").is_dir() else Path.cwd()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lambdalab.course.release",
        description="Build notebooks/ from solutions/ (stubs instead of solutions).",
    )
    parser.add_argument("--root", type=Path, help="repository folder (default: this one)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a notebook is out of date",
    )
    parser.add_argument(
        "--bundle",
        nargs="?",
        type=Path,
        const=DEFAULT_BUNDLE,
        metavar="PATH",
        help=f"zip the student kit (no solutions/, tests, grader or instructor docs) to PATH "
        f"(default {DEFAULT_BUNDLE})",
    )
    parser.add_argument(
        "--folder",
        type=Path,
        metavar="DIR",
        help="with --bundle: also write the kit into DIR (new, empty, or a clone of the "
        "kit's repository), ready to push as its own repository",
    )
    parser.add_argument(
        "--binder-repo",
        metavar="OWNER/NAME",
        help="with --bundle: the GitHub repository the kit is published as, for its README's "
        "Binder link",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the release; return the exit code (0 done, 1 out of date, 2 error).

    Example
    -------
    >>> main(["--check"])  # doctest: +SKIP
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.folder or args.binder_repo) and not args.bundle:
        parser.error("--folder and --binder-repo go with --bundle")
    if args.binder_repo and not re.fullmatch(r"[\w.-]+/[\w.-]+", args.binder_repo):
        parser.error(f"--binder-repo takes a GitHub owner/name, not {args.binder_repo!r}")
    root = (args.root or default_root()).resolve()
    try:
        messages = release(root, check=bool(args.check or args.bundle))
    except ReleaseError as error:
        print(f"release: error: {error}", file=sys.stderr)
        return 2
    if args.check or args.bundle:
        for message in messages:
            print(message, file=sys.stderr)
        if messages:
            print("Run `python -m lambdalab.course.release` to regenerate them.", file=sys.stderr)
            return 1
    else:
        print("\n".join(messages) or "release: notebooks/ is up to date.")
    if args.bundle:
        # The default lands in the repository's build/; a given PATH is taken as typed.
        target = root / DEFAULT_BUNDLE if args.bundle is DEFAULT_BUNDLE else args.bundle.resolve()
        count = write_bundle(root, target, args.binder_repo)
        print(f"wrote {target} ({count} files; no solutions/, tests, grader or instructor docs)")
        if args.folder:
            try:
                write_bundle_folder(root, args.folder.resolve(), args.binder_repo)
            except ReleaseError as error:
                print(f"release: error: {error}", file=sys.stderr)
                return 2
            print(
                f"wrote the student kit into {args.folder.resolve()}/ "
                "(push it as its own repository)"
            )
    elif args.check:
        print("release: every notebook is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
