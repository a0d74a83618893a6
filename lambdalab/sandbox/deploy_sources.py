"""Where each function's code came from: the file or folder ``sb.deploy()`` zipped.

Lambda keeps only the package it was given (and its ``CodeSha256``); it cannot know that
the file it was built from was edited afterwards. A notebook re-runs cells in any order,
so "I fixed app.py but the function still fails" is the commonest stale state: the fix
was written to disk and never deployed. ``sb.deploy()`` records here the folder it
zipped and the digest of every file it put in the package, and the package's
``CodeSha256``; :meth:`DeploySource.changes` compares that record with the folder as it
is now. Not an AWS feature: the AWS CLI and SAM do not track this either.

Example
-------
>>> source = DeploySource.of("hello", "functions/hello", b"...", "sha")  # doctest: +SKIP
>>> source.changes()                                                       # doctest: +SKIP
['app.py changed']
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DeploySource:
    """A function's last ``sb.deploy()``: its source on disk and the files it packaged."""

    function_name: str
    path: str  # as the learner wrote it: "functions/hello" or "functions/hello/app.py"
    root: Path  # absolute: the folder the package's files are relative to
    single_file: bool  # a .py file deployed alone (its name is the package's only file)
    files: dict[str, str] = field(default_factory=dict)  # name in the zip -> sha256
    code_sha256: str = ""  # CodeSha256 Lambda answered for that package

    @classmethod
    def of(
        cls, function_name: str, path: str | os.PathLike, zip_bytes: bytes, code_sha256: str
    ) -> DeploySource | None:
        """The record of a deploy from a .py file or a folder; None for a .zip or bytes."""
        if isinstance(path, bytes | bytearray):
            return None
        source = Path(path)
        if source.is_file() and source.suffix == ".zip":
            return None
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            files = {
                info.filename: _digest(archive.read(info))
                for info in archive.infolist()
                if not info.is_dir()
            }
        single = source.is_file()
        root = (source.parent if single else source).resolve()
        return cls(function_name, os.fspath(path), root, single, files, code_sha256)

    def changes(self, limit: int = 5) -> list[str]:
        """What differs on disk from the deployed package: 'app.py changed', 'x.py new'...

        A source that is gone altogether (a temporary folder a check deployed from) says
        nothing: there is no file the learner could deploy again.
        """
        found: list[str] = []
        if not self.root.is_dir():
            return found
        for name, digest in sorted(self.files.items()):
            local = self.root / name
            if not local.is_file():
                found.append(f"{name} deleted")
            elif _digest(local.read_bytes()) != digest:
                found.append(f"{name} changed")
        if not self.single_file and self.root.is_dir():
            for file in sorted(self.root.rglob("*.py")):  # a new module the code may import
                if file.is_file() and "__pycache__" not in file.parts:
                    name = file.relative_to(self.root).as_posix()
                    if name not in self.files:
                        found.append(f"{name} new")
        return found[:limit]

    @property
    def deploy_call(self) -> str:
        """The call that deployed it, as a learner would run it again."""
        return f"sb.deploy({self.function_name!r}, {self.path!r}, ...)"
