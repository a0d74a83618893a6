"""Provisioned concurrency: environments initialised in advance, so invocations start warm."""

from __future__ import annotations

import boto3
import pytest


def test_provisioned_environments_serve_warm_invocations(sb, write_function):
    lam = boto3.client("lambda")
    sb.deploy("provisioned-fn", write_function(app="def handler(e, c):\n    return 'ok'\n"))
    version = lam.publish_version(FunctionName="provisioned-fn")["Version"]
    lam.create_alias(FunctionName="provisioned-fn", Name="live", FunctionVersion=version)
    config = lam.put_provisioned_concurrency_config(
        FunctionName="provisioned-fn", Qualifier="live", ProvisionedConcurrentExecutions=2
    )
    # AWS allocates in the background: IN_PROGRESS first, READY minutes later.
    assert config["Status"] == "IN_PROGRESS"
    assert config["AllocatedProvisionedConcurrentExecutions"] == 0
    sb.clock.advance(minutes=2)
    got = lam.get_provisioned_concurrency_config(FunctionName="provisioned-fn", Qualifier="live")
    assert got["Status"] == "READY"
    assert got["RequestedProvisionedConcurrentExecutions"] == 2
    assert got["AllocatedProvisionedConcurrentExecutions"] == 2
    assert got["AvailableProvisionedConcurrentExecutions"] == 2
    for _ in range(3):
        response = lam.invoke(FunctionName="provisioned-fn", Qualifier="live")
        assert response["Payload"].read() == b'"ok"'
    reports = sb.logs("provisioned-fn").reports
    assert len(reports) == 3 and not any("Init Duration" in r for r in reports)
    lam.delete_provisioned_concurrency_config(FunctionName="provisioned-fn", Qualifier="live")
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName="provisioned-fn", Qualifier="live")


def test_latest_cannot_be_provisioned(sb, write_function):
    lam = boto3.client("lambda")
    sb.deploy("unpublished-fn", write_function(app="def handler(e, c):\n    return 1\n"))
    with pytest.raises(lam.exceptions.InvalidParameterValueException, match="unpublished"):
        lam.put_provisioned_concurrency_config(
            FunctionName="unpublished-fn", Qualifier="$LATEST", ProvisionedConcurrentExecutions=1
        )


def test_allocation_is_in_progress_until_the_sandbox_clock_moves_on(sb, write_function):
    """IN_PROGRESS serves on-demand (a cold start); sb.wait() finishes the allocation."""
    lam = boto3.client("lambda")
    sb.deploy("allocating-fn", write_function(app="def handler(e, c):\n    return 'ok'\n"))
    version = lam.publish_version(FunctionName="allocating-fn")["Version"]
    lam.put_provisioned_concurrency_config(
        FunctionName="allocating-fn", Qualifier=version, ProvisionedConcurrentExecutions=1
    )
    sb.clock.advance(minutes=1)  # not yet
    got = lam.get_provisioned_concurrency_config(FunctionName="allocating-fn", Qualifier=version)
    assert got["Status"] == "IN_PROGRESS"
    lam.invoke(FunctionName="allocating-fn", Qualifier=version)
    assert "Init Duration" in sb.logs("allocating-fn").reports[-1]  # on-demand: cold
    sb.wait()  # moves the sandbox clock to the end of the allocation, without sleeping
    got = lam.get_provisioned_concurrency_config(FunctionName="allocating-fn", Qualifier=version)
    assert got["Status"] == "READY" and got["AllocatedProvisionedConcurrentExecutions"] == 1
    lam.delete_provisioned_concurrency_config(FunctionName="allocating-fn", Qualifier=version)


def test_deleting_during_allocation_cancels_it(sb, write_function):
    lam = boto3.client("lambda")
    sb.deploy("cancelled-fn", write_function(app="def handler(e, c):\n    return 1\n"))
    version = lam.publish_version(FunctionName="cancelled-fn")["Version"]
    lam.put_provisioned_concurrency_config(
        FunctionName="cancelled-fn", Qualifier=version, ProvisionedConcurrentExecutions=1
    )
    lam.delete_provisioned_concurrency_config(FunctionName="cancelled-fn", Qualifier=version)
    sb.clock.advance(minutes=5)
    assert not [e for e in sb.engine.environments("cancelled-fn") if e.provisioned]
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName="cancelled-fn", Qualifier=version)


def test_init_code_that_fails_makes_the_allocation_failed(sb, write_function):
    lam = boto3.client("lambda")
    app = "import not_installed_anywhere\n\ndef handler(e, c):\n    return 1\n"
    sb.deploy("broken-init-fn", write_function(app=app))
    version = lam.publish_version(FunctionName="broken-init-fn")["Version"]
    lam.put_provisioned_concurrency_config(
        FunctionName="broken-init-fn", Qualifier=version, ProvisionedConcurrentExecutions=1
    )
    sb.clock.advance(minutes=2)
    got = lam.get_provisioned_concurrency_config(FunctionName="broken-init-fn", Qualifier=version)
    assert got["Status"] == "FAILED"
    assert got["StatusReason"] == "FUNCTION_ERROR_INIT_FAILURE: Runtime.ImportModuleError"
    assert got["AllocatedProvisionedConcurrentExecutions"] == 0
    lam.delete_provisioned_concurrency_config(FunctionName="broken-init-fn", Qualifier=version)
