"""lambdalab.packaging: vendor() copies what pip --target would install; sizes and limits."""

from __future__ import annotations

import doctest
import importlib.metadata as metadata
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lambdalab import packaging
from lambdalab.packaging import (
    MAX_UNZIPPED_BYTES,
    MAX_ZIPPED_BYTES,
    PackageSize,
    PackagingError,
    distribution_size,
    human_size,
    package_size,
    vendor,
)


def test_vendor_copies_the_module_and_dist_info_at_the_top(tmp_path: Path):
    written = vendor("xmltodict", tmp_path)
    version = metadata.version("xmltodict")
    assert Path("xmltodict.py") in written
    assert Path(f"xmltodict-{version}.dist-info/METADATA") in written
    assert not any("__pycache__" in p.parts for p in written)
    # the same bytes as the installed file
    installed = Path(metadata.distribution("xmltodict").locate_file("xmltodict.py"))
    assert (tmp_path / "xmltodict.py").read_bytes() == installed.read_bytes()
    # and the metadata says what it is, as after pip install --target
    found = list(metadata.distributions(path=[str(tmp_path)]))
    assert [d.metadata["Name"] for d in found] == ["xmltodict"]


def test_the_vendored_copy_imports_in_an_isolated_interpreter(tmp_path: Path):
    vendor("xmltodict", tmp_path)
    code = "import xmltodict, sys; print(xmltodict.__file__); print(xmltodict.parse('<a>1</a>'))"
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path)!r}); " + code,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.splitlines()[0].startswith(str(tmp_path))
    assert "'a': '1'" in out


def test_vendor_refuses_compiled_distributions_and_names_the_linux_wheel_command(tmp_path):
    with pytest.raises(PackagingError, match="--platform manylinux_2_28_x86_64"):
        vendor("pillow", tmp_path)
    assert not any(tmp_path.iterdir())


def test_vendor_of_a_missing_distribution_says_how_to_install_it(tmp_path):
    with pytest.raises(PackagingError, match="pip install --target"):
        vendor("no-such-distribution-lambdalab", tmp_path)


def test_package_size_of_a_folder_a_zip_file_and_bytes(tmp_path: Path):
    folder = tmp_path / "pkg"
    (folder / "sub").mkdir(parents=True)
    (folder / "app.py").write_text("x = 1\n" * 1000)
    (folder / "sub" / "data.txt").write_text("abc")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"ignored")
    size = package_size(folder)
    assert size.files == 2
    assert size.unzipped_bytes == 6003
    assert 0 < size.zipped_bytes < size.unzipped_bytes  # repetitive text compresses
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "x = 1\n")
        archive.writestr("lib/", "")  # directory entries are not files
    assert package_size(buffer.getvalue()) == PackageSize(1, 6, len(buffer.getvalue()))
    (tmp_path / "p.zip").write_bytes(buffer.getvalue())
    assert package_size(tmp_path / "p.zip").files == 1
    with pytest.raises(FileNotFoundError):
        package_size(tmp_path / "missing")


def test_limits_are_lambdas_and_compare_as_aws_does():
    assert MAX_ZIPPED_BYTES == 52_428_800
    assert MAX_UNZIPPED_BYTES == 262_144_000  # "must be smaller than 262144000 bytes"
    assert PackageSize(1, MAX_UNZIPPED_BYTES - 1, MAX_ZIPPED_BYTES).fits_unzipped
    assert not PackageSize(1, MAX_UNZIPPED_BYTES, 1).fits_unzipped
    assert not PackageSize(1, 1, MAX_ZIPPED_BYTES + 1).fits_direct_upload


def test_distribution_size_and_human_size():
    assert distribution_size("xmltodict") < distribution_size("pillow")
    assert human_size(900) == "900 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(MAX_UNZIPPED_BYTES) == "250.0 MB"


def test_docstring_examples():
    assert doctest.testmod(packaging).failed == 0
