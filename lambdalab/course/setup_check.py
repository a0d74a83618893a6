"""Is this kernel the course's environment, and is it up to date?

Every lesson's first cell calls ``lambdalab.check_environment()`` (this module's
:func:`check_environment`), so that a learner on a stale or wrong environment finds out
at cell 1, with the fix, rather than at cell 40 with a strange error (handson-ml3 starts
its notebooks the same way).
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import sys
from pathlib import Path

SUPPORTED_PYTHON = ((3, 11), (3, 13))
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"


class EnvironmentProblem(RuntimeError):
    """The kernel cannot run the course as it is; the message says how to fix it."""


def pinned_requirements(path: Path = REQUIREMENTS) -> dict[str, str]:
    """``{distribution: version}`` from requirements.txt, for this platform."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)\s*(?:;(.*))?$", line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and "sys_platform" in marker and sys.platform not in marker:
            continue  # e.g. awslambdaric is Linux only
        pins[name] = version
    return pins


def problems(path: Path = REQUIREMENTS) -> list[str]:
    """What is wrong with this environment (an empty list when nothing is)."""
    found = []
    low, high = SUPPORTED_PYTHON
    if not low <= sys.version_info[:2] <= high:
        found.append(
            f"this kernel runs Python {sys.version.split()[0]}; the course needs 3.11 to 3.13"
        )
    if not path.exists():
        return found  # installed from a wheel, without the repository: nothing to compare
    for name, wanted in pinned_requirements(path).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            found.append(f"{name} is not installed (the course pins {name}=={wanted})")
            continue
        if installed != wanted:
            found.append(f"{name} is {installed}, the course pins {wanted}")
    return found


def check_environment(version: str) -> str:
    """Raise :class:`EnvironmentProblem` naming the fix, or return a one-line summary.

    ``version`` is the kit's (``lambdalab.__version__``): ``lambdalab.check_environment()``
    passes it.

    Example
    -------
    >>> check_environment("0.1.0")  # doctest: +SKIP
    'Python 3.11.7, lambdalab 0.1.0: the course environment is ready.'
    """
    found = problems()
    if found:
        listed = "\n  - ".join(found)
        raise EnvironmentProblem(
            "This kernel is not the course's environment, or the environment is out of date:"
            f"\n  - {listed}\n"
            "Fix: in a terminal, in the course folder, run `make lab` (it updates .venv), then "
            "choose the kernel of that environment (Kernel > Change Kernel) and run this "
            "cell again. On Binder: relaunch from the course's Binder link."
        )
    from lambdalab.course import aws_errors, cell_order

    aws_errors.install()  # in a Jupyter kernel: AWS errors shown as one block, like checks
    cell_order.install()  # and a NameError names the lesson's cell that defines the name
    python = sys.version.split()[0]
    return f"Python {python}, lambdalab {version}: the course environment is ready."
