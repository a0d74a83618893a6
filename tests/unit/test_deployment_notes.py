"""The instructor guide's hub recipes, checked as far as a machine without a cluster can.

- The Zero to JupyterHub ``config.yaml`` snippet parses, and every key in it is one the
  chart's schema knows (the key paths below are from jupyterhub/values.schema.yaml of
  the zero-to-jupyterhub-k8s chart; ``additionalProperties: false`` there means a
  misspelt key fails ``helm upgrade``). Its memory guarantee is at most its limit.
- The Littlest JupyterHub steps set only documented ``tljh-config`` keys, install from
  files the student kit has, and use the same limit and culling as the z2jh snippet.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "instructor-guide.md"

# Key paths of the chart's values schema that the snippet may use (objects whose schema
# allows any key, like lifecycleHooks.postStart, end the path).
CHART_KEYS = {
    "singleuser",
    "singleuser.image",
    "singleuser.image.name",
    "singleuser.image.tag",
    "singleuser.memory",
    "singleuser.memory.guarantee",
    "singleuser.memory.limit",
    "singleuser.cpu",
    "singleuser.cpu.guarantee",
    "singleuser.cpu.limit",
    "singleuser.lifecycleHooks",
    "singleuser.lifecycleHooks.postStart",
    "singleuser.defaultUrl",
    "cull",
    "cull.enabled",
    "cull.timeout",
    "cull.every",
    "cull.maxAge",
}
FREE_FORM = {"singleuser.lifecycleHooks.postStart"}
# https://tljh.jupyter.org/en/latest/topic/tljh-config.html and its topic pages.
TLJH_KEYS = {
    "limits.memory",
    "limits.cpu",
    "services.cull.enabled",
    "services.cull.timeout",
    "services.cull.every",
    "services.cull.max_age",
    "services.cull.users",
    "user_environment.default_app",
}


def section(title: str) -> str:
    text = GUIDE.read_text()
    start = text.index(f"### {title}")
    end = text.find("\n## ", start)
    following = text.find("\n### ", start + 1)
    ends = [e for e in (end, following) if e != -1]
    return text[start : min(ends)] if ends else text[start:]


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def key_paths(value, prefix: str = ""):
    if not isinstance(value, dict) or prefix in FREE_FORM:
        return
    for key, child in value.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path
        yield from key_paths(child, path)


def to_bytes(size: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]?)i?", str(size)).groups()
    return float(number) * 1024 ** " KMGT".index(unit or " ")


def z2jh_config() -> dict:
    (block,) = code_blocks(section("Zero to JupyterHub"), "yaml")
    return yaml.safe_load(block)


def test_the_z2jh_snippet_uses_only_the_charts_keys():
    config = z2jh_config()
    unknown = sorted(set(key_paths(config)) - CHART_KEYS)
    assert unknown == [], f"keys the chart's schema does not have: {unknown}"
    memory = config["singleuser"]["memory"]
    assert to_bytes(memory["guarantee"]) <= to_bytes(memory["limit"])
    assert config["cull"]["enabled"] is True and config["cull"]["timeout"] > 0


def test_the_tljh_steps_use_documented_keys_and_the_same_figures():
    (block,) = code_blocks(section("The Littlest JupyterHub"), "bash")
    settings = dict(re.findall(r"tljh-config set (\S+) (\S+)", block))
    assert set(settings) <= TLJH_KEYS, set(settings) - TLJH_KEYS
    config = z2jh_config()
    assert to_bytes(settings["limits.memory"]) == to_bytes(config["singleuser"]["memory"]["limit"])
    assert int(settings["services.cull.timeout"]) == config["cull"]["timeout"]
    for name in re.findall(r"pip install -r (\S+)", block):
        assert (ROOT / name).exists(), f"the student kit has no {name}"
    assert "tljh-config reload" in block
