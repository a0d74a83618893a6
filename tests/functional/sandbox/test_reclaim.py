"""Idle execution environments are reclaimed when memory runs short, not only after 10 min.

AWS may reclaim an idle environment at any time; the sandbox does it before a cold start
when its idle environments hold more than a memory budget (least recently used first), or
the machine runs short of memory. Provisioned environments are kept.
"""

from __future__ import annotations

import json

import pytest
from test_engine import make_config

from lambdalab.sandbox.runtime import engine as engine_module
from lambdalab.sandbox.runtime.engine import LambdaEngine

SOURCE = """
COUNT = 0
def handler(event, context):
    global COUNT
    COUNT += 1
    return {"count": COUNT}
"""


@pytest.fixture
def engine(tmp_path):
    eng = LambdaEngine(tmp_path / "engine")
    yield eng
    eng.shutdown()


def function(engine, name):
    return make_config(
        engine,
        SOURCE + f"# {name}\n",
        function_name=name,
        function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
    )


def count(engine, config):
    return json.loads(engine.invoke(config, b"{}").payload)["count"]


def test_within_the_budget_idle_environments_stay_warm(engine):
    first, second = function(engine, "first"), function(engine, "second")
    assert count(engine, first) == 1
    assert count(engine, second) == 1  # a cold start: the budget (100 MB) is not reached
    assert count(engine, first) == 2  # still warm


def test_over_the_budget_the_least_recently_used_idle_environment_goes(engine):
    engine.idle_memory_budget_mb = 1  # any worker is bigger than 1 MB
    first, second = function(engine, "first"), function(engine, "second")
    assert count(engine, first) == 1
    assert count(engine, second) == 1  # cold start: "first"'s idle environment is reclaimed
    assert engine.environments("first") == []
    assert count(engine, first) == 1  # cold again: its module state is gone


def test_low_machine_memory_reclaims_every_idle_environment_but_provisioned_ones(
    engine, monkeypatch
):
    first, second, third = (function(engine, n) for n in ("first", "second", "third"))
    assert engine.provision(first, 1) == []
    count(engine, second)
    monkeypatch.setattr(engine_module, "available_memory_mb", lambda: 100)
    count(engine, third)  # cold start with 100 MB available
    assert engine.environments("second") == []
    assert len(engine.environments("first")) == 1  # provisioned: kept
    assert count(engine, first) == 1 and not engine.environments("first")[0].dead
