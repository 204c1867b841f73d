"""Aurora at the 1m tier: provisioned instances instead of Serverless v2 (docs/cost.md lever)."""

from __future__ import annotations

from tests.infra.data.conftest import by_name, only


def _instances(result) -> dict[str, dict]:
    return by_name(result, "data", "AWS::RDS::DBInstance", "DBInstanceIdentifier")


def test_1m_runs_a_writer_and_two_readers_on_db_r7g_2xlarge(prod_1m):
    assert {name: i["DBInstanceClass"] for name, i in _instances(prod_1m).items()} == {
        "pcs-prod-aurora-writer": "db.r7g.2xlarge",
        "pcs-prod-aurora-reader-1": "db.r7g.2xlarge",
        "pcs-prod-aurora-reader-2": "db.r7g.2xlarge",
    }


def test_1m_readers_are_failover_targets_behind_the_writer(prod_1m):
    tiers = {name: i["PromotionTier"] for name, i in _instances(prod_1m).items()}
    assert tiers == {
        "pcs-prod-aurora-writer": 0,
        "pcs-prod-aurora-reader-1": 1,
        "pcs-prod-aurora-reader-2": 1,
    }


def test_1m_cluster_has_no_serverless_scaling(prod_1m):
    assert "ServerlessV2ScalingConfiguration" not in only(prod_1m, "data", "AWS::RDS::DBCluster")


def test_1m_instances_spread_over_the_three_azs(prod_1m):
    zones = sorted(i["AvailabilityZone"] for i in _instances(prod_1m).values())
    assert zones == ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_1m_keeps_deletion_protection_and_encryption(prod_1m):
    cluster = only(prod_1m, "data", "AWS::RDS::DBCluster")
    assert cluster["DeletionProtection"] is True
    assert cluster["StorageEncrypted"] is True


def test_1m_has_no_unacknowledged_cdk_nag_error(prod_1m):
    assert [str(f) for f in prod_1m.nag_errors] == []
