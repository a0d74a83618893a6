"""Build the Binder environment the way mybinder.org does, and give it a Jupyter kernel.

repo2docker (the tool behind mybinder.org) reads ``binder/``: it installs Python from
``runtime.txt``, then ``pip install -r binder/requirements.txt``, then runs
``binder/postBuild`` from the repository's root with the environment's ``bin`` first on
PATH. This script does the same in a plain virtual environment, so that `make test` proves
the lessons run from ``binder/requirements.txt`` alone (nothing from requirements-dev.txt),
and registers the environment's Python as the kernel ``lambdalab-binder`` under
``<env>/share/jupyter`` (set ``JUPYTER_PATH`` to it to use it).
https://repo2docker.readthedocs.io/en/latest/config_files.html

Usage: ``python tools/binder_env.py build/binder-env [--fresh]``. The environment is
reused while its inputs are unchanged; ``--fresh`` (or ``CI`` set) always rebuilds it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [
    "binder/requirements.txt",
    "binder/postBuild",
    "binder/runtime.txt",
    "requirements.txt",
    "pyproject.toml",
]
KERNEL = "lambdalab-binder"


def fail(message: str) -> None:
    print(f"\n  Binder environment: {message}\n", file=sys.stderr)
    sys.exit(1)


def runtime_python() -> str:
    """The interpreter binder/runtime.txt asks for (python-3.11 -> python3.11)."""
    wanted = (ROOT / "binder" / "runtime.txt").read_text().strip()  # "python-3.11"
    name = wanted.replace("-", "")
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        fail(f"binder/runtime.txt asks for {wanted} and there is no {name} on PATH.")
    print(
        f"binder_env: no {name} on PATH (binder/runtime.txt); using {sys.executable} "
        f"(Python {sys.version.split()[0]}) instead.",
        file=sys.stderr,
    )
    return sys.executable


def digest(python: str) -> str:
    h = hashlib.sha256(python.encode())
    for name in INPUTS:
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def run(command: list[str], **kwargs) -> None:
    if subprocess.run(command, **kwargs).returncode != 0:
        fail(f"this step failed: {' '.join(command)}")


def build(env: Path, python: str) -> None:
    shutil.rmtree(env, ignore_errors=True)
    print(f"binder_env: a fresh virtual environment in {env} ({python}) ...")
    run([python, "-m", "venv", str(env)])
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "-q"]
    run(pip + ["--disable-pip-version-check", "-r", "binder/requirements.txt"], cwd=ROOT)
    # As repo2docker: from the repository root, the environment first on PATH.
    post_build = ROOT / "binder" / "postBuild"
    post_build.chmod(post_build.stat().st_mode | 0o111)
    path = f"{env / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    run(["./binder/postBuild"], cwd=ROOT, env={**os.environ, "PATH": path, "VIRTUAL_ENV": str(env)})
    run(
        [str(env / "bin" / "python"), "-m", "ipykernel", "install", "--sys-prefix"]
        + ["--name", KERNEL, "--display-name", "Python 3 (Lambda Lab, Binder environment)"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("env", type=Path, help="where to build it, e.g. build/binder-env")
    parser.add_argument("--fresh", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    env = args.env if args.env.is_absolute() else ROOT / args.env
    python = runtime_python()
    stamp = env / ".binder-inputs"
    wanted = digest(python)
    fresh = args.fresh or bool(os.environ.get("CI"))
    if not fresh and stamp.exists() and stamp.read_text().strip() == wanted:
        print(f"binder_env: {env.relative_to(ROOT)} is up to date.")
        return 0
    build(env, python)
    check = subprocess.run(
        [str(env / "bin" / "python"), "-c", "import lambdalab, sys; print(lambdalab.__file__)"],
        capture_output=True,
        text=True,
        cwd=env,
    )
    if check.returncode != 0 or not check.stdout.strip().startswith(str(ROOT)):
        fail(f"postBuild did not install the kit from {ROOT}: {check.stdout}{check.stderr}")
    stamp.write_text(wanted + "\n")
    print(f"binder_env: ready; kernel {KERNEL!r} in {env / 'share' / 'jupyter'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
