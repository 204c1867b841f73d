"""The ECS cluster (spec §2.1)."""

from __future__ import annotations

from tests.infra.conftest import resources


def _cluster(result) -> dict:
    (cluster,) = resources(result, "compute", "AWS::ECS::Cluster").values()
    return cluster["Properties"]


def test_cluster_has_container_insights_enabled(prod):
    settings = {s["Name"]: s["Value"] for s in _cluster(prod)["ClusterSettings"]}
    assert settings["containerInsights"] == "enabled"


def test_ecs_exec_sessions_are_encrypted_with_the_ecs_exec_key(prod):
    exec_config = _cluster(prod)["Configuration"]["ExecuteCommandConfiguration"]
    assert "KeysEcsExec" in str(exec_config["KmsKeyId"])


def test_ecs_exec_logging_is_override_to_an_encrypted_log_group(prod):
    exec_config = _cluster(prod)["Configuration"]["ExecuteCommandConfiguration"]
    groups = resources(prod, "compute", "AWS::Logs::LogGroup")
    log_group = groups[exec_config["LogConfiguration"]["CloudWatchLogGroupName"]["Ref"]]
    assert exec_config["Logging"] == "OVERRIDE"
    assert exec_config["LogConfiguration"]["CloudWatchEncryptionEnabled"] is True
    assert "KeysEcsExec" in str(log_group["Properties"]["KmsKeyId"])


def test_cluster_offers_fargate_and_fargate_spot(prod):
    (association,) = resources(
        prod, "compute", "AWS::ECS::ClusterCapacityProviderAssociations"
    ).values()
    assert sorted(association["Properties"]["CapacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]


def test_default_strategy_is_fargate_base_2_weight_100(prod):
    (association,) = resources(
        prod, "compute", "AWS::ECS::ClusterCapacityProviderAssociations"
    ).values()
    assert association["Properties"]["DefaultCapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE", "Base": 2, "Weight": 100}
    ]


def test_every_log_group_of_compute_is_encrypted_and_kept_a_year(prod):
    groups = [g["Properties"] for g in resources(prod, "compute", "AWS::Logs::LogGroup").values()]
    assert groups
    assert all("KmsKeyId" in g for g in groups)
    assert {g["RetentionInDays"] for g in groups} == {prod.config.compute.log_retention_days}
    assert prod.config.compute.log_retention_days >= 365
