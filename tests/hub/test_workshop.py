"""A workshop on a real JupyterHub: several learners run lessons 02 and 05 at once.

Each learner is created through the Hub's REST API and gets a single-user server (a
local process; tests/hub/hubkit.py). In each server, lessons 02 and 05 run at the same
time in two kernels driven over the server's websocket kernel channels, with
``LAMBDALAB_CHECKS`` unset, as a learner runs them, so every check is recorded in the
learner's progress file: all must be there, passed. Then every
learner's kernel reports what its sandbox sees, and nothing may belong to another
learner: functions, ports, temp folders, progress, logs. When the servers and the hub
stop, no process they started may be left.

Learners: ``LAMBDALAB_HUB_LEARNERS`` (3 by default, as in CI). Needs node and npm for
configurable-http-proxy: without them the test is skipped with a loud message, and fails
when CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lambdalab.course.checks import load_lesson

sys.path.insert(0, str(Path(__file__).parent))
import hubkit  # noqa: E402

MISSING = (
    "\n\n  *** node/npm are not installed: the JupyterHub workshop test cannot run. ***\n"
    "  Install them with:  sudo apt-get install nodejs npm   then run make test.\n"
)
if shutil.which("configurable-http-proxy") is None and not (
    shutil.which("npm") and shutil.which("node")
):
    if os.environ.get("CI"):
        pytest.fail(MISSING + "  CI must install them (.ci/run does).", pytrace=False)
    print(MISSING, file=sys.stderr)
    pytest.skip("node/npm are not installed (see the message above)", allow_module_level=True)

# Names that are never a part of one another (learner1 is a part of learner10).
LEARNERS = [f"l{n:02d}x" for n in range(1, int(os.environ.get("LAMBDALAB_HUB_LEARNERS", 3)) + 1)]
LESSONS = ["solutions/02-triggers.ipynb", "solutions/05-pricing.ipynb"]
# Every exercise of both lessons: each learner's progress file must list them all, passed.
EXERCISES = {*load_lesson("02"), *load_lesson("05")}

# Run in lesson 02's kernel after the lesson: a function only this learner has, then
# everything its sandbox can see.
PROBE = """
import json as _json, os as _os, tempfile as _tempfile
from pathlib import Path as _Path
_me = _os.environ["JUPYTERHUB_USER"]
_code = _Path(_tempfile.mkdtemp()) / "app.py"
_code.write_text("def handler(event, context):\\n    return {'who': %r}\\n" % _me)
sb.deploy("only-" + _me, _code, handler="app.handler")
boto3.client("lambda").invoke(FunctionName="only-" + _me, Payload=b"{}")
_logs = boto3.client("logs")
_functions = boto3.client("lambda").list_functions()["Functions"]
_url = sb.url(api_id)
print("PROBE" + _json.dumps({
    "user": _me,
    "functions": sorted(f["FunctionName"] for f in _functions),
    "log_groups": sorted(g["logGroupName"] for g in _logs.describe_log_groups()["logGroups"]),
    "moto": sb.endpoint_url,
    "endpoints": sorted(e.base_url for e in sb.triggers.http.endpoints()),
    "workdir": str(sb._workdir),
    "tmp": _tempfile.gettempdir(),
    "progress": str(__import__("importlib").import_module("lambdalab.course.progress").path()),
    "cwd": _os.getcwd(),
    "proxy": _url.proxy,
    "local": str(_url),
}))
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub")
    hub = hubkit.Hub(root)
    with hub:  # stopped at the end even if a test failed; stopping twice is harmless
        hub.add_learners(LEARNERS)
        yield hub


def run_learner(hub: hubkit.Hub, name: str) -> dict:
    """Lessons 02 and 05 side by side in two kernels of this learner's server."""
    with ThreadPoolExecutor(2) as pool:
        lesson02 = pool.submit(hub.run_notebook, name, LESSONS[0], (PROBE,))
        lesson05 = pool.submit(hub.run_notebook, name, LESSONS[1])
        printed = lesson02.result()
        lesson05.result()
    line = next(x for x in printed[0].splitlines() if x.startswith("PROBE"))
    return json.loads(line[len("PROBE") :])


def test_every_learner_runs_lessons_02_and_05_at_once_in_their_own_sandbox(hub):
    with ThreadPoolExecutor(len(LEARNERS)) as pool:
        seen = dict(zip(LEARNERS, pool.map(lambda n: run_learner(hub, n), LEARNERS), strict=True))

    for name, view in seen.items():
        home = hub.root / "home" / name
        others = [o for o in LEARNERS if o != name]
        assert view["user"] == name
        assert f"only-{name}" in view["functions"]
        assert f"/aws/lambda/only-{name}" in view["log_groups"]
        for other in others:
            assert f"only-{other}" not in view["functions"], f"{name} sees {other}'s function"
            assert f"/aws/lambda/only-{other}" not in view["log_groups"], (
                f"{name} sees {other}'s logs"
            )
            theirs = seen[other]
            assert view["moto"] != theirs["moto"]
            assert not set(view["endpoints"]) & set(theirs["endpoints"]), "shared API ports"
        assert Path(view["tmp"]) == home / "tmp"
        assert Path(view["workdir"]).parent == home / "tmp"
        assert Path(view["cwd"]) == home / "solutions"
        # The link through this learner's own server, with the hub's prefix.
        port = view["local"].split(":")[2].split("/")[0]
        assert view["proxy"].startswith(f"/user/{name}/proxy/{port}/"), view
        # Every check passed, recorded in this learner's own progress file only.
        assert Path(view["progress"]) == home / "progress.json"
        attempts = json.loads((home / "progress.json").read_text())["attempts"]
        failed = sorted({a["exercise"] for a in attempts if not a["passed"]})
        assert failed == [], f"{name}: checks that did not pass: {failed}"
        assert {a["exercise"] for a in attempts} == EXERCISES, f"{name}: {attempts}"
    # Nothing of a learner's sandbox is left in their temp folder while it runs elsewhere.
    assert len({v["workdir"] for v in seen.values()}) == len(LEARNERS)


def test_no_process_outlives_the_hub(hub):
    """Runs last in this module: stop the servers and the hub, then look for survivors."""
    run_id = hub.run_id
    hub.stop_learners(LEARNERS)
    hub.stop()
    deadline = time.monotonic() + 20
    while hubkit.leftover_processes(run_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert hubkit.leftover_processes(run_id) == []
