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
    assert config["Status"] == "READY"
    assert config["AllocatedProvisionedConcurrentExecutions"] == 2
    got = lam.get_provisioned_concurrency_config(FunctionName="provisioned-fn", Qualifier="live")
    assert got["RequestedProvisionedConcurrentExecutions"] == 2
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
