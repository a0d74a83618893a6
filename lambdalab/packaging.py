"""Deployment packages: bundle an installed dependency, measure a package against the limits.

On AWS, the dependencies of a Python function travel in its deployment package (or in a
layer). The usual way to put them there is pip::

    pip install --target package/ xmltodict

which installs the distribution's files at the top of ``package/``: its modules and
packages, and its ``*.dist-info`` folder. Lambda Lab runs offline, so :func:`vendor`
does the same from what is already installed in the kernel's environment: it copies the
distribution's files, file for file, to where ``pip install --target`` would put them.
That is only right for pure-Python distributions (or for wheels built for the same
platform as Lambda's, Linux): see lesson 03.

:func:`package_size` measures a package (a folder, a .zip file or zip bytes) and
compares it with Lambda's limits: 50 MB zipped for a direct upload, 250 MB unzipped for
the function and all its layers together.
https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
"""

from __future__ import annotations

import difflib
import importlib.metadata as metadata
import io
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Direct upload (``ZipFile`` in CreateFunction/UpdateFunctionCode): 50 MB, zipped.
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
#: Function and layers, unzipped: "Unzipped size must be smaller than 262144000 bytes".
MAX_UNZIPPED_BYTES = 262_144_000
#: Layers a function may use.
MAX_LAYERS = 5


class PackagingError(ValueError):
    """A distribution that cannot be bundled this way; the message says why and what to do."""


class PackageNotFoundError(PackagingError, FileNotFoundError):
    """No folder or zip file where :func:`package_size` was told to look."""


def _installed_files(dist: metadata.Distribution) -> list[metadata.PackagePath]:
    """The files pip would put in ``--target``: not caches, not scripts outside it."""
    files = []
    for file in dist.files or []:
        if not file.parts or file.parts[0] == "..":
            continue  # console scripts (bin/): not importable, pip --target puts them in bin/
        if "__pycache__" in file.parts:
            continue  # bytecode of the kernel's Python: Lambda compiles its own
        files.append(file)
    return files


def _normalized(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503), without separators."""
    return re.sub(r"[-_.]+", "", name).lower()


def installed_like(name: str) -> list[str]:
    """The installed distributions whose names are closest to ``name`` (a typo's intent).

    >>> installed_like("defused-xml")[0]  # lesson 03's layer
    'defusedxml'
    """
    names = {}
    for dist in metadata.distributions():
        found = dist.metadata["Name"] if dist.metadata else None
        if found:
            names.setdefault(_normalized(found), found)
    close = difflib.get_close_matches(_normalized(name), list(names), n=3, cutoff=0.75)
    return [names[key] for key in close]


def _distribution(name: str) -> metadata.Distribution:
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        pass
    close = installed_like(name)
    if close:
        others = "".join(f", or {n!r}" for n in close[1:])
        raise PackagingError(
            f"no distribution named {name!r} is installed, but {close[0]!r} is{others}: "
            f"vendor({close[0]!r}, ...) (the name pip installs it by, as on PyPI)"
        )
    raise PackagingError(
        f"{name!r} is not installed in this environment, so there is nothing to copy. "
        f"On a machine with internet access: pip install --target <folder> {name}"
    )


def vendor(distribution_name: str, target_dir: str | os.PathLike) -> list[Path]:
    """Copy an installed distribution into ``target_dir``, as ``pip install --target`` does.

    Only that distribution: its requirements are not followed (pip would install them
    too), and a distribution with compiled extensions is refused, because its binaries
    were built for this machine, not for Lambda's Linux.

    Parameters
    ----------
    distribution_name : str
        The name you would give pip, e.g. ``"xmltodict"``.
    target_dir : path
        The package folder (or a layer's ``python/`` folder); created if missing.

    Returns
    -------
    list of Path
        The files written, relative to ``target_dir``.

    Raises
    ------
    PackagingError
        When the distribution is not installed or holds compiled code.

    Example
    -------
    >>> vendor("xmltodict", "build/feed-reader")  # doctest: +SKIP
    [PosixPath('xmltodict-1.0.4.dist-info/INSTALLER'), ..., PosixPath('xmltodict.py')]
    """
    dist = _distribution(distribution_name)
    files = _installed_files(dist)
    compiled = [str(f) for f in files if f.suffix in (".so", ".pyd", ".dylib", ".dll")]
    if compiled:
        raise PackagingError(
            f"{distribution_name} contains compiled code ({compiled[0]}, ...) built for this "
            "machine. For Lambda, install a Linux wheel: pip install --target <folder> "
            "--platform manylinux_2_28_x86_64 --only-binary=:all: --python-version 3.13 "
            f"{distribution_name}"
        )
    target = Path(target_dir)
    written = []
    for file in files:
        source = Path(dist.locate_file(file))
        if not source.is_file():
            continue  # listed in RECORD but not on disk (rare): pip would not copy it either
        dest = target / Path(*file.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        written.append(Path(*file.parts))
    return sorted(written)


def distribution_size(distribution_name: str) -> int:
    """Bytes an installed distribution takes on disk, unzipped (from its RECORD).

    Example
    -------
    >>> distribution_size("xmltodict") > 10_000
    True
    """
    dist = _distribution(distribution_name)
    total = 0
    for file in _installed_files(dist):
        if file.size is not None:
            total += file.size
        else:
            path = Path(dist.locate_file(file))
            total += path.stat().st_size if path.is_file() else 0
    return total


@dataclass(frozen=True)
class PackageSize:
    """A deployment package measured: files, bytes unzipped and bytes zipped."""

    files: int
    unzipped_bytes: int
    zipped_bytes: int

    @property
    def fits_direct_upload(self) -> bool:
        """Small enough to upload as ``ZipFile`` (50 MB zipped); else upload through S3."""
        return self.zipped_bytes <= MAX_ZIPPED_BYTES

    @property
    def fits_unzipped(self) -> bool:
        """Within 250 MB unzipped (the function's layers count too)."""
        return self.unzipped_bytes < MAX_UNZIPPED_BYTES

    def __str__(self) -> str:
        return (
            f"{self.files} files, {human_size(self.unzipped_bytes)} unzipped, "
            f"{human_size(self.zipped_bytes)} zipped"
        )


def package_size(source: str | os.PathLike | bytes) -> PackageSize:
    """Measure a package: a folder (zipped in memory to measure it), a .zip file, or zip bytes.

    Example
    -------
    >>> size = package_size("functions/hello")  # doctest: +SKIP
    >>> size.fits_direct_upload                 # doctest: +SKIP
    True
    """
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        if path.is_dir():
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(path.rglob("*")):
                    if file.is_file() and "__pycache__" not in file.parts:
                        archive.write(file, file.relative_to(path).as_posix())
            data = buffer.getvalue()
        elif path.is_file():
            data = path.read_bytes()
        else:
            raise PackageNotFoundError(f"there is no folder or zip file at {str(path)!r}")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
    return PackageSize(len(infos), sum(info.file_size for info in infos), len(data))


def human_size(size: int) -> str:
    """``1536`` -> ``'1.5 KB'``: binary units, as Lambda's limits are written.

    Example
    -------
    >>> human_size(52428800)
    '50.0 MB'
    """
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


__all__ = [
    "MAX_LAYERS",
    "MAX_UNZIPPED_BYTES",
    "MAX_ZIPPED_BYTES",
    "PackageNotFoundError",
    "PackageSize",
    "PackagingError",
    "distribution_size",
    "human_size",
    "package_size",
    "vendor",
]
