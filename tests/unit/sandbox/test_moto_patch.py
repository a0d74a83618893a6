"""The kit's one patch into moto: fail loudly, naming moto's internals, if they move."""

from __future__ import annotations

import importlib.metadata

import pytest
from moto.awslambda import models

from lambdalab.sandbox import moto_patch


def test_moto_internals_are_where_the_patch_expects_them():
    moto_patch.check_moto_internals()  # raises MotoInternalsChanged, naming what moved


def test_moto_version_is_the_tested_one():
    version = tuple(int(p) for p in importlib.metadata.version("moto").split(".")[:3])
    assert (5, 2, 5) <= version < (5, 3, 0), (
        f"moto {version} is outside {moto_patch.TESTED_MOTO}: re-check moto_patch.py"
    )


def test_a_renamed_internal_is_named_in_the_error(monkeypatch):
    monkeypatch.setattr(moto_patch, "FUNCTION_ATTRIBUTES", ("code_bytes", "no_such_field"))
    with pytest.raises(moto_patch.MotoInternalsChanged, match="LambdaFunction.no_such_field"):
        moto_patch.check_moto_internals()


def test_install_and_uninstall_swap_the_method():
    invoker, hooks = moto_patch._invoker, dict(moto_patch._hooks)  # a sandbox may be running
    try:
        moto_patch.install(lambda *args: None)
        assert models.LambdaFunction.invoke is moto_patch.invoke
        moto_patch.uninstall()
        assert models.LambdaFunction.invoke is moto_patch._original_invoke
    finally:
        if invoker is not None:  # give the running sandbox its patches and hooks back
            moto_patch.install(invoker, **hooks)
