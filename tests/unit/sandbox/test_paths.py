"""The paths Lambda shows: /var/task, /opt, /var/runtime instead of the sandbox's folders."""

from __future__ import annotations

import pytest

from lambdalab.sandbox.runtime.paths import TaskPaths

PATHS = TaskPaths("/w/code/ab12", "/w/opt/cd34", "/w/runtime")


@pytest.mark.parametrize(
    ("local", "on_aws"),
    [
        ('File "/w/code/ab12/app.py", line 6', 'File "/var/task/app.py", line 6'),
        ('File "/w/code/ab12/pkg/mod.py"', 'File "/var/task/pkg/mod.py"'),
        ('File "/w/opt/cd34/python/util.py"', 'File "/opt/python/util.py"'),
        ("/w/runtime/boto3/session.py", "/var/runtime/boto3/session.py"),
        ("cwd is /w/code/ab12", "cwd is /var/task"),
        ("/w/code/ab12-old/app.py", "/w/code/ab12-old/app.py"),  # another folder
        ("/w/code/ab123/app.py", "/w/code/ab123/app.py"),
        ("no path here", "no path here"),
    ],
)
def test_local_folders_become_aws_paths(local, on_aws):
    assert PATHS.as_on_aws(local) == on_aws
    assert PATHS.as_on_aws(local.encode()) == on_aws.encode()


def test_a_json_error_keeps_its_shape():
    error = b'{"stackTrace": ["  File \\"/w/code/ab12/app.py\\", line 2, in handler\\n"]}'
    assert PATHS.as_on_aws(error) == (
        b'{"stackTrace": ["  File \\"/var/task/app.py\\", line 2, in handler\\n"]}'
    )


def test_no_layers_no_rewrite_of_empty_folders():
    paths = TaskPaths("/w/code/ab12")
    assert paths.as_on_aws("/opt/x and /w/code/ab12/app.py") == "/opt/x and /var/task/app.py"
