"""ElastiCache: Valkey, cluster mode disabled, 3 nodes, Multi-AZ, encrypted, AUTH, snapshots."""

from __future__ import annotations

from tests.infra.data.conftest import by_name, imported, only


def _group(result) -> dict:
    return only(result, "data", "AWS::ElastiCache::ReplicationGroup")


def test_cache_engine_is_valkey(prod):
    assert _group(prod)["Engine"] == "valkey" == prod.config.cache.engine


def test_cache_engine_version_comes_from_config(prod):
    assert _group(prod)["EngineVersion"] == prod.config.cache.engine_version == "8.0"


def test_cache_is_cluster_mode_disabled_with_three_nodes(prod):
    group = _group(prod)
    assert group["NumCacheClusters"] == 3
    assert "NumNodeGroups" not in group and "ReplicasPerNodeGroup" not in group


def test_cache_places_one_node_in_each_availability_zone(prod):
    assert _group(prod)["PreferredCacheClusterAZs"] == ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_cache_is_multi_az(prod):
    assert _group(prod)["MultiAZEnabled"] is True


def test_cache_fails_over_automatically(prod):
    assert _group(prod)["AutomaticFailoverEnabled"] is True


def test_cache_is_encrypted_at_rest_with_the_cache_key(prod):
    group = _group(prod)
    assert group["AtRestEncryptionEnabled"] is True
    assert "KeysCache" in imported(group["KmsKeyId"])


def test_cache_requires_tls_in_transit(prod):
    group = _group(prod)
    assert group["TransitEncryptionEnabled"] is True
    assert group["TransitEncryptionMode"] == "required"


def test_cache_auth_token_is_a_dynamic_reference_to_the_redis_auth_secret(prod):
    parts = _group(prod)["AuthToken"]["Fn::Join"][1]
    assert parts[0] == "{{resolve:secretsmanager:"
    assert "SecretsRedisAuthToken" in imported(parts[1])
    assert parts[2] == ":SecretString:::}}"


def test_cache_listens_on_6379(prod):
    assert _group(prod)["Port"] == 6379


def test_cache_uses_only_the_redis_security_group(prod):
    (group,) = _group(prod)["SecurityGroupIds"]
    assert "SecurityGroupsRedis" in imported(group)


def test_cache_subnet_group_uses_the_three_private_subnets(prod):
    subnets = only(prod, "data", "AWS::ElastiCache::SubnetGroup")["SubnetIds"]
    assert ["privateSubnet" in imported(s) for s in subnets] == [True, True, True]


def test_cache_keeps_snapshots_15_days(prod):
    assert _group(prod)["SnapshotRetentionLimit"] == 15 == prod.config.cache.snapshot_retention_days


def test_cache_snapshots_in_the_configured_window(prod):
    assert _group(prod)["SnapshotWindow"] == prod.config.cache.snapshot_window


def test_cache_maintenance_is_in_the_configured_window(prod):
    assert _group(prod)["PreferredMaintenanceWindow"] == prod.config.cache.maintenance_window


def test_cache_node_type_follows_the_tier(prod, dev):
    assert _group(prod)["CacheNodeType"] == "cache.t4g.medium"  # 100k
    assert _group(dev)["CacheNodeType"] == "cache.t4g.small"  # 10k


def test_cache_delivers_slow_and_engine_logs_to_cloudwatch(prod):
    deliveries = _group(prod)["LogDeliveryConfigurations"]
    assert sorted((d["LogType"], d["DestinationType"]) for d in deliveries) == [
        ("engine-log", "cloudwatch-logs"),
        ("slow-log", "cloudwatch-logs"),
    ]


def test_cache_log_groups_are_encrypted_with_the_logs_key_and_kept_a_year(prod):
    groups = by_name(prod, "data", "AWS::Logs::LogGroup", "LogGroupName")
    for log_type in ("slow-log", "engine-log"):
        group = groups[f"/aws/elasticache/pcs-prod-cache/{log_type}"]
        assert "KeysLogs" in imported(group["KmsKeyId"])
        assert group["RetentionInDays"] == 365
