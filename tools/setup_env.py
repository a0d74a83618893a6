"""Create or update the course's virtual environment in .venv (standard library only).

`make lab` and `make test` call this before anything else. It refuses, with one
message that names the fix, when Python is unsupported, when the venv module is
missing, or when .venv is broken. A second run with unchanged pins installs nothing.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("LAMBDALAB_VENV", ROOT / ".venv"))  # overridable for tests
STAMP = VENV / ".installed"
# The student kit (make student-bundle) has no requirements-dev.txt: no test tools.
INPUTS = [
    name
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml")
    if (ROOT / name).exists()
]
SUPPORTED = ((3, 11), (3, 13))


def fail(message: str) -> None:
    print(f"\n  Lambda Lab set-up stopped: {message}\n", file=sys.stderr)
    sys.exit(1)


def inputs_digest() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def check_python() -> None:
    low, high = SUPPORTED
    if not low <= sys.version_info[:2] <= high:
        fail(
            f"this is Python {sys.version.split()[0]}; "
            "the course needs Python 3.11, 3.12 or 3.13.\n"
            "  Install one of them and run, for example: make lab PYTHON=python3.12"
        )
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        fail(
            "Python's venv module is missing.\n"
            "  On Debian or Ubuntu: sudo apt-get install python3-venv   (then run make again)"
        )


def venv_python() -> Path:
    return VENV / "bin" / "python"


def check_existing_venv() -> bool:
    """True when .venv exists and works; stops with a message when it is broken."""
    if not VENV.exists():
        return False
    python = venv_python()
    probe = (
        subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if python.exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        fail(
            f"the virtual environment in {VENV} is broken (its Python does not start).\n"
            f"  Remove it and set up again:   rm -rf {VENV.name} && make lab"
        )
    return True


def main() -> None:
    check_python()
    existed = check_existing_venv()
    if existed and STAMP.exists() and STAMP.read_text().strip() == inputs_digest():
        return  # Up to date: nothing to install.
    if not existed:
        print(f"Creating the course environment in {VENV} ...")
        made = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
        if made.returncode != 0:
            fail(
                "could not create .venv (is python3-venv installed?).\n"
                "  On Debian or Ubuntu: sudo apt-get install python3-venv,\n"
                "  then: rm -rf .venv && make lab"
            )
    print("Installing the course's pinned packages (a few minutes the first time) ...")
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    dev = ["-r", "requirements-dev.txt"] if "requirements-dev.txt" in INPUTS else []
    steps = [
        pip + dev + ["-e", "."],
    ]
    for step in steps:
        if subprocess.run(step, cwd=ROOT).returncode != 0:
            fail(
                "pip could not install the course's packages (see pip's message above).\n"
                "  Check your network connection, then run make again."
            )
    STAMP.write_text(inputs_digest() + "\n")
    print("The course environment is ready.")


if __name__ == "__main__":
    main()
