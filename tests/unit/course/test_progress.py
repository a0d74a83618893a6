"""lambdalab.course.progress: every check recorded, shown per lesson, never breaking a check."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

import lambdalab
from lambdalab.course import progress
from lambdalab.course.checks import check


def solved(event, context):
    return {"greeting": f"Hello, {event['name']}!"}


@pytest.fixture
def progress_file(monkeypatch, tmp_path):
    monkeypatch.delenv("LAMBDALAB_CHECKS", raising=False)
    monkeypatch.setattr(progress, "_warned", False)
    path = tmp_path / "progress.json"
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(path))
    return path


def test_default_path_is_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("LAMBDALAB_PROGRESS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert progress.path() == tmp_path / ".lambdalab" / "progress.json"


def test_checks_are_recorded_with_id_result_and_time(progress_file):
    check("00.1", None)
    check("00.1", solved)
    data = json.loads(progress_file.read_text())
    assert [(a["exercise"], a["passed"]) for a in data["attempts"]] == [
        ("00.1", False),
        ("00.1", True),
    ]
    assert datetime.fromisoformat(data["attempts"][0]["time"]).tzinfo is not None
    assert not [name for name in os.listdir(progress_file.parent) if name.endswith(".tmp")]


def test_record_takes_an_injected_clock(progress_file):
    progress.record("00.1", True, now=lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert progress.load() == [
        {"exercise": "00.1", "passed": True, "time": "2026-01-02T03:04:05+00:00"}
    ]


def test_test_runs_record_nothing(progress_file, monkeypatch):
    monkeypatch.setenv("LAMBDALAB_CHECKS", "must-pass")
    check("00.1", solved)
    assert not progress_file.exists()


def test_progress_shows_done_not_yet_and_not_tried(progress_file, monkeypatch):
    report = lambdalab.progress()
    assert report.lessons[0].title == "00 Start here"
    assert report.lessons[0].rows[0] == ("00.1", "Your first handler-shaped function", "not tried")

    check("00.1", None)
    assert lambdalab.progress().lessons[0].rows[0][2] == "not yet"

    check("00.1", solved)
    check("00.1", None)  # passing once is enough
    report = lambdalab.progress()
    assert report.lessons[0].done == 1 and report.done == report.total - (report.total - 1)
    assert "00 Start here: 1 of 1 done" in str(report)
    assert "✓ done" in report._repr_html_() and str(progress_file) in report._repr_html_()


def test_an_unwritable_home_warns_once_and_checks_still_work(progress_file, monkeypatch):
    blocker = progress_file.parent / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("LAMBDALAB_PROGRESS", str(blocker / "progress.json"))

    with pytest.warns(RuntimeWarning, match="cannot save your progress"):
        assert check("00.1", solved).passed
    assert progress.record("00.1", True) is False  # second failure: no second warning


def test_a_read_only_file_system_does_not_crash(progress_file, monkeypatch):
    def refuse(*args):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(progress.os, "replace", refuse)
    with pytest.warns(RuntimeWarning, match="Read-only file system"):
        assert progress.record("00.1", True) is False
    assert not progress_file.exists()
    # The temporary file is cleaned up; only the (empty) lock file stays.
    assert [p.name for p in progress_file.parent.iterdir()] == ["progress.json.lock"]


def test_a_damaged_file_is_set_aside(progress_file):
    progress_file.write_text("{not json")
    with pytest.warns(RuntimeWarning, match="damaged"):
        assert progress.load() == []
    assert progress_file.with_name("progress.json.unreadable").exists()


def test_several_kernels_recording_at_once_lose_no_attempt(progress_file):
    """Four processes (as four open lessons' kernels) record 30 checks each, together."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import sys
        from lambdalab.course import progress
        sys.stdin.readline()  # start together
        for i in range(30):
            assert progress.record(sys.argv[1], i % 2 == 0)
        """
    )
    env = {**os.environ, "LAMBDALAB_PROGRESS": str(progress_file)}
    env.pop("LAMBDALAB_CHECKS", None)
    kernels = [
        subprocess.Popen(
            [sys.executable, "-c", script, f"0{n}.1"], stdin=subprocess.PIPE, env=env, text=True
        )
        for n in range(4)
    ]
    for kernel in kernels:
        kernel.stdin.write("go\n")
        kernel.stdin.flush()
    assert [kernel.wait(timeout=120) for kernel in kernels] == [0, 0, 0, 0]
    attempts = json.loads(progress_file.read_text())["attempts"]
    assert sorted(a["exercise"] for a in attempts) == sorted(
        f"0{n}.1" for n in range(4) for _ in range(30)
    )
    assert not list(progress_file.parent.glob(".progress-*.tmp"))
