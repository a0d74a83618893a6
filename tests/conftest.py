"""Shared fixtures: one sandbox for the whole test session, handlers written to tmp dirs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def sb():
    """A running sandbox, shared by the functional tests (reset between modules)."""
    from lambdalab.sandbox import sandbox

    box = sandbox()
    yield box
    box.stop()


@pytest.fixture
def remote(sb):
    """The grader's stand-in for ``sb`` (lambdalab.grading.remote), over the grader's channel."""
    import time
    from urllib.parse import urlsplit

    from lambdalab.grading.channel import Channel
    from lambdalab.grading.remote import RemoteSandbox

    ports = [urlsplit(sb.endpoint_url).port, urlsplit(sb._control.url).port]
    return RemoteSandbox(sb.region, Channel(ports, deadline=time.monotonic() + 300))


@pytest.fixture
def write_function(tmp_path: Path):
    """Write handler source files into a fresh folder: ``write_function(app="...")``."""

    def write(**files: str) -> Path:
        folder = tmp_path / "fn"
        folder.mkdir(exist_ok=True)
        for name, source in files.items():
            path = folder / (name.replace("__", "/") + ".py")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
        return folder

    return write
