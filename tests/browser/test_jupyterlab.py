"""JupyterLab in a real browser: lesson 00 runs clean, the pricing calculator responds.

Widgets that render in the test kernel can still fail in JupyterLab (a missing front-end
extension, a version mismatch): this test drives JupyterLab, started from the kit's own
environment on 127.0.0.1, with Playwright and Debian's Chromium, and saves screenshots in
test-artifacts/ for the README.

Chromium: ``apt-get install chromium`` (Debian/Ubuntu). Without it the test is skipped
with a loud message on a laptop, and fails in CI (where .ci/run installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "lambdalab-browser-test"
BASE_URL = "/user/ada/"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MISSING = (
    "\n\n  *** Chromium is not installed: the JupyterLab browser test cannot run. ***\n"
    "  Install it with:  sudo apt-get install chromium   (Debian/Ubuntu), then run make test.\n"
)

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail(MISSING + "  CI must install it (.ci/run does).", pytrace=False)
    print(MISSING, file=sys.stderr)
    pytest.skip("Chromium is not installed (see the message above)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1, isolated from the user's own settings."""
    home = tmp_path_factory.mktemp("jupyter-home")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "LAMBDALAB_PROGRESS": str(home / "progress.json"),
    }
    env.pop("LAMBDALAB_CHECKS", None)
    # No "notified about Jupyter news?" toast over the screenshots.
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    env["JUPYTERLAB_SETTINGS_DIR"] = str(home / "settings")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={ROOT}",
            f"--ServerApp.base_url={BASE_URL}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Served under a base URL, as a hub serves each learner's server (/user/<name>/):
    # the sandbox's browser links must find it (lambdalab/sandbox/links.py).
    base = f"http://127.0.0.1:{port}{BASE_URL.rstrip('/')}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("JupyterLab did not start within 90 s")
            time.sleep(0.5)
    yield base
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def open_notebook(browser, lab: str, path: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(f"{lab}/lab/tree/{path}?token={TOKEN}&reset")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
    )
    return page


RUN_ALL = """async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.sessionContext.ready;
  await app.commands.execute('notebook:run-all-cells');
}"""

FINISHED = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  const cells = Array.from(panel.content.model.cells).filter(c => c.type === 'code');
  const pending = cells.filter(c => c.executionCount === null && c.sharedModel.source.trim());
  return kernel.status === 'idle' && pending.length === 0;
}"""

ERRORS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const errors = [];
  for (const cell of panel.content.model.cells) {
    if (cell.type !== 'code') continue;
    for (const output of cell.outputs.toJSON()) {
      if (output.output_type === 'error') errors.push(output.ename + ': ' + output.evalue);
    }
  }
  return errors;
}"""


def run_all(page) -> list[str]:
    page.evaluate(RUN_ALL)
    page.wait_for_function(FINISHED, polling=500)
    return page.evaluate(ERRORS)


def test_lesson_00_runs_without_errors(lab, browser):
    page = open_notebook(browser, lab, "notebooks/00-start-here.ipynb")
    errors = run_all(page)
    ARTIFACTS.mkdir(exist_ok=True)
    assert errors == [], f"lesson 00 raised in JupyterLab: {errors}"
    # The sandbox started in the browser's kernel, and its status box rendered.
    status = page.locator("text=Lambda Lab sandbox running").first
    status.scroll_into_view_if_needed()
    page.evaluate("() => window.jupyterapp.shell.currentWidget.content.node.scrollBy(0, 250)")
    page.screenshot(path=str(ARTIFACTS / "lesson-00.png"))
    assert status.is_visible()
    page.close()


def test_pricing_calculator_slider_changes_the_cost(lab, browser):
    page = open_notebook(browser, lab, "notebooks/05-pricing.ipynb")
    errors = run_all(page)
    assert errors == [], f"lesson 05 raised in JupyterLab: {errors}"
    summary = page.locator(".widget-html-content", has_text="a month").first
    summary.scroll_into_view_if_needed()
    before = summary.inner_text()
    memory = page.locator(".widget-slider", has_text="Memory (MB)").first
    handle = memory.locator(".noUi-handle").first
    handle.focus()
    for _ in range(5):
        handle.press("PageUp")  # noUiSlider: a big step up
    page.wait_for_function(
        "([el, before]) => el.innerText !== before",
        arg=[summary.element_handle(), before],
        polling=200,
        timeout=30_000,
    )
    after = summary.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    memory.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "pricing-calculator.png"))
    assert after != before
    page.close()


# An API built as in lesson 02: the echo function behind an HTTP API.
API_NOTEBOOK = [
    """import json
from pathlib import Path

import boto3
import lambdalab

sb = lambdalab.sandbox()
Path("functions/echo").mkdir(parents=True, exist_ok=True)
Path("functions/echo/app.py").write_text(
    "import json\\n"
    "def handler(event, context):\\n"
    "    body = {'echo': 'proxied', 'path': event['rawPath'], 'query': event['rawQueryString']}\\n"
    "    return {'statusCode': 200, 'headers': {'content-type': 'application/json'},"
    " 'body': json.dumps(body)}\\n"
)""",
    """echo_api = sb.deploy("echo-api", "functions/echo")
api_id = boto3.client("apigatewayv2").create_api(
    Name="echo-api", ProtocolType="HTTP", Target=echo_api["FunctionArn"]
)["ApiId"]
boto3.client("lambda").add_permission(
    FunctionName="echo-api",
    StatementId="apigateway",
    Action="lambda:InvokeFunction",
    Principal="apigateway.amazonaws.com",
    SourceArn=f"arn:aws:execute-api:{sb.region}:{sb.account_id}:{api_id}/*",
)""",
    'sb.url(api_id) + "/hello?name=Ada"',
]


def test_an_api_opens_in_the_browser_through_the_proxy_link(lab, browser):
    """The link beside sb.url(...) goes through the learner's Jupyter server to the API."""
    import nbformat

    folder = ARTIFACTS / "proxy-link"
    folder.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in API_NOTEBOOK]
    nbformat.write(notebook, folder / "api.ipynb")
    page = open_notebook(browser, lab, "test-artifacts/proxy-link/api.ipynb")
    errors = run_all(page)
    assert errors == [], f"building the API raised in JupyterLab: {errors}"
    link = page.locator("a.lambdalab-proxy-link").first
    link.scroll_into_view_if_needed()
    href = link.get_attribute("href")
    assert href.startswith(f"{BASE_URL}proxy/") and href.endswith("/hello?name=Ada"), href
    page.screenshot(path=str(ARTIFACTS / "proxy-link.png"))
    with page.context.expect_page() as opened:
        link.click()
    api_page = opened.value
    api_page.wait_for_load_state()
    shown = api_page.locator("body").inner_text()  # Chromium may add a pretty-print bar
    answer = json.loads(shown[shown.index("{") : shown.rindex("}") + 1])
    assert answer == {"echo": "proxied", "path": "/hello", "query": "name=Ada"}
    api_page.close()
    page.close()
