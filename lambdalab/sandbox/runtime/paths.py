"""The paths Lambda shows: the function's code in ``/var/task``, its layers in ``/opt``.

On AWS the deployment package is extracted to ``/var/task`` (the task root,
``LAMBDA_TASK_ROOT``), the layers to ``/opt`` and the runtime lives in ``/var/runtime``,
so a stack trace reads ``File "/var/task/app.py", line 6, in handler``.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths

The sandbox runs the code from folders under its work directory (a laptop has no
``/var/task``), and the handler's frames carry those folders' names. What the learner
reads (the error's ``stackTrace``, the ``[ERROR]`` log line and every log line) is
rewritten here to AWS's paths. The tracebacks keep their source lines: they were
formatted in the worker, where the files exist. What the handler sees itself
(``__file__``, ``os.getcwd()``, ``LAMBDA_TASK_ROOT``) stays the local folder.

Example
-------
>>> paths = TaskPaths("/tmp/lab/code/ab12", "/tmp/lab/opt/cd34")
>>> paths.as_on_aws('File "/tmp/lab/code/ab12/app.py", line 6, in handler')
'File "/var/task/app.py", line 6, in handler'
>>> paths.as_on_aws(b'File "/tmp/lab/opt/cd34/python/util.py", line 2')
b'File "/opt/python/util.py", line 2'
>>> paths.as_on_aws("/tmp/lab/code/ab12x/app.py")  # another folder: left alone
'/tmp/lab/code/ab12x/app.py'
"""

from __future__ import annotations

import re
from typing import TypeVar

TASK_ROOT = "/var/task"
LAYERS_ROOT = "/opt"
RUNTIME_ROOT = "/var/runtime"

Text = TypeVar("Text", str, bytes)


class TaskPaths:
    """Rewrite the sandbox's code, layer and runtime folders to Lambda's paths."""

    def __init__(self, code_dir: str, layer_dir: str = "", runtime_dir: str = "") -> None:
        pairs = [(code_dir, TASK_ROOT), (layer_dir, LAYERS_ROOT), (runtime_dir, RUNTIME_ROOT)]
        # Longest folder first, so a folder inside another is rewritten as itself.
        pairs = sorted(((str(d).rstrip("/"), aws) for d, aws in pairs if d), reverse=True)
        self._pairs = pairs
        # A folder's name followed by anything but more of a name: "/", a quote, the end.
        self._text = [(re.compile(re.escape(d) + r"(?![\w.-])"), aws) for d, aws in pairs]
        self._bytes = [
            (re.compile(re.escape(d.encode()) + rb"(?![\w.-])"), aws.encode()) for d, aws in pairs
        ]

    def as_on_aws(self, text: Text) -> Text:
        """``text`` with the local folders replaced by ``/var/task``, ``/opt``, ``/var/runtime``."""
        if isinstance(text, bytes):
            for pattern, aws in self._bytes:
                text = pattern.sub(aws, text)
            return text
        for pattern, aws_path in self._text:
            text = pattern.sub(aws_path, text)
        return text
