"""One source of truth for dependencies: requirements.txt, with every pin explained."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def requirement_lines(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_every_requirement_is_an_exact_pin_with_a_comment_above_it():
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = (ROOT / name).read_text().splitlines()
        for number, line in enumerate(lines):
            if not line.strip() or line.startswith("#"):
                continue
            assert re.match(r"^[A-Za-z0-9_.\-\[\],]+==[0-9][^\s;]*( *;.*)?$", line), (
                f"{name}:{number + 1}: {line!r} is not an exact pin (name==version)"
            )
            above = number - 1
            while above >= 0 and lines[above].strip() and not lines[above].startswith("#"):
                above -= 1  # pins that share one comment
            assert above >= 0 and lines[above].startswith("#"), (
                f"{name}:{number + 1}: {line!r} needs a comment above it saying why it is there"
            )


def test_binder_requirements_equal_the_local_ones():
    assert requirement_lines(ROOT / "binder" / "requirements.txt") == requirement_lines(
        ROOT / "requirements.txt"
    ), "binder/requirements.txt differs from requirements.txt: copy it over"


def test_environment_yml_pins_equal_the_local_ones():
    pip_lines = []
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s+- (.+)$", line)
        if match and line.startswith("      "):
            pip_lines.append(match.group(1).strip().strip("'"))
    assert pip_lines[-1] == "-e ."
    assert pip_lines[:-1] == requirement_lines(ROOT / "requirements.txt"), (
        "environment.yml's pip list differs from requirements.txt"
    )


def test_pyproject_reads_its_dependencies_from_requirements_txt():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dependencies = { file = ["requirements.txt"] }' in text
