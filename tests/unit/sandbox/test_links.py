"""The sandbox's browser links: which Jupyter server, which base URL, which path."""

from __future__ import annotations

import json
import os
import urllib.parse

import pytest

from lambdalab.sandbox import links


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv(links.PREFIX_VARIABLE, raising=False)
    return tmp_path


def write_server(runtime, pid: int, base_url: str) -> None:
    (runtime / f"jpserver-{pid}.json").write_text(
        json.dumps({"pid": pid, "base_url": base_url, "url": f"http://127.0.0.1:8888{base_url}"})
    )


def test_the_kernels_own_server_gives_the_base_url(runtime, monkeypatch):
    write_server(runtime, os.getppid(), "/user/ada/")
    monkeypatch.setenv(links.PREFIX_VARIABLE, "/user/someone-else/")
    assert links.server_base_url() == ("/user/ada/", f"jpserver-{os.getppid()}.json")


def test_another_servers_file_is_not_ours(runtime):
    write_server(runtime, os.getppid() + 1, "/user/ada/")
    base, why = links.server_base_url()
    assert base is None and "not started by a Jupyter server" in why


def test_a_hub_prefix_when_no_server_file(runtime, monkeypatch):
    monkeypatch.setenv(links.PREFIX_VARIABLE, "/user/grace")
    assert links.server_base_url() == ("/user/grace/", links.PREFIX_VARIABLE)


@pytest.mark.parametrize(
    ("local", "base", "proxied"),
    [
        ("http://127.0.0.1:50123/prod", "/", "/proxy/50123/prod"),
        ("http://127.0.0.1:50123", "/user/ada/", "/user/ada/proxy/50123/"),
        ("http://127.0.0.1:5012/hi?name=Ada", "user/ada", "/user/ada/proxy/5012/hi?name=Ada"),
        ("https://example.com/prod", "/", None),
    ],
)  # fmt: skip
def test_proxy_path(local, base, proxied):
    assert links.proxy_path(local, base) == proxied


def test_an_endpoint_url_is_a_plain_string_that_keeps_its_link(runtime):
    write_server(runtime, os.getppid(), "/")
    url = links.EndpointURL("http://127.0.0.1:50123/prod")
    assert url == "http://127.0.0.1:50123/prod" and urllib.parse.urlsplit(url).port == 50123
    longer = url + "/items?id=1"
    assert str(longer) == "http://127.0.0.1:50123/prod/items?id=1"
    assert longer.proxy == "/proxy/50123/prod/items?id=1"
    assert 'href="/proxy/50123/prod/items?id=1"' in longer._repr_html_()
    assert repr(longer) == "'http://127.0.0.1:50123/prod/items?id=1'"


def test_without_a_server_the_display_says_why(runtime):
    url = links.EndpointURL("http://127.0.0.1:50123")
    assert url.proxy is None
    assert "not started by a Jupyter server" in url._repr_html_()
