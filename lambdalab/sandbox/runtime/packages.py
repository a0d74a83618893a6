"""What the real Python runtime provides: the local equivalent of ``/var/runtime``.

On AWS a Python function can import the standard library, its own code, its layers,
and what the managed runtime ships in ``/var/runtime``: the runtime interface client
(awslambdaric) and the AWS SDK (boto3, botocore and their dependencies). Nothing else:
``import PIL`` without Pillow in the package fails with ``Runtime.ImportModuleError``.

This module builds that folder as symbolic links into the kernel's own site-packages,
so workers import the same boto3 that the notebook uses, and nothing more.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import re
from pathlib import Path

# The distributions the Python runtime ships (plus what they need, found from metadata).
RUNTIME_DISTRIBUTIONS = ("boto3", "awslambdaric")
CLIENT_MODULE = "lambdalab_runtime_client"


def _requirement_name(requirement: str) -> str | None:
    if "extra ==" in requirement:
        return None  # optional extras are not installed on Lambda either
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    return match.group(0) if match else None


def runtime_distributions() -> list[metadata.Distribution]:
    """The installed distributions of the runtime and everything they require."""
    seen: dict[str, metadata.Distribution] = {}
    todo = list(RUNTIME_DISTRIBUTIONS)
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # awslambdaric on macOS: the fallback client takes its place
        seen[key] = dist
        todo += [n for n in map(_requirement_name, dist.requires or []) if n]
    return list(seen.values())


def top_level_paths(dist: metadata.Distribution) -> set[Path]:
    """The importable top-level packages and modules a distribution installed."""
    paths = set()
    for file in dist.files or []:
        parts = file.parts
        if not parts or parts[0].endswith((".dist-info", ".data")) or parts[0] == "..":
            continue
        if parts[0] == "__pycache__" or parts[0].endswith(".pth"):
            continue
        top = Path(dist.locate_file(parts[0]))
        if len(parts) > 1 or top.suffix in (".py", ".so", ".pyd"):
            paths.add(top)
    return paths


def build_runtime_dir(dest: Path) -> Path:
    """Create ``dest`` holding links to the runtime's packages and the fallback client.

    Example
    -------
    >>> build_runtime_dir(Path("/tmp/runtime"))  # doctest: +SKIP
    PosixPath('/tmp/runtime')
    """
    dest.mkdir(parents=True, exist_ok=True)
    for dist in runtime_distributions():
        for source in top_level_paths(dist):
            link = dest / source.name
            if source.exists() and not link.exists():
                link.symlink_to(source)
    client = dest / f"{CLIENT_MODULE}.py"
    if not client.exists():
        client.symlink_to(Path(__file__).with_name("client.py"))
    return dest


def has_awslambdaric() -> bool:
    """True where AWS's runtime interface client is installed (Linux wheels)."""
    return importlib.util.find_spec("awslambdaric") is not None
