"""The DR region (issue 13): the primary joins a global cluster whose secondary (headless at
10k, one Serverless v2 reader above) lies in the DR network; images replicate there."""

from __future__ import annotations

from tests.infra.conftest import resources


def test_the_primary_cluster_is_the_source_of_the_global_cluster(prod):
    (global_cluster,) = resources(prod, "data", "AWS::RDS::GlobalCluster").values()
    props = global_cluster["Properties"]
    assert props["GlobalClusterIdentifier"] == "pcs-prod-global"
    (cluster_id,) = resources(prod, "data", "AWS::RDS::DBCluster")
    assert props["SourceDBClusterIdentifier"] == {"Ref": cluster_id}
    assert props["DeletionProtection"] is True


def test_the_secondary_joins_the_global_cluster_in_the_dr_region_with_its_own_key(prod):
    assert prod.stacks["pcs-prod-dr-database"].region == "us-west-2"
    (cluster,) = resources(prod, "dr-database", "AWS::RDS::DBCluster").values()
    props = cluster["Properties"]
    assert props["GlobalClusterIdentifier"] == "pcs-prod-global"
    assert props["DBClusterIdentifier"] == "pcs-prod-aurora-secondary"
    assert props["StorageEncrypted"] is True
    aliases = resources(prod, "dr-database", "AWS::KMS::Alias").values()
    (alias,) = [a for a in aliases if a["Properties"]["AliasName"] == "alias/pcs-prod/dr-database"]
    assert props["KmsKeyId"] == {
        "Fn::GetAtt": [alias["Properties"]["TargetKeyId"]["Fn::GetAtt"][0], "Arn"]
    }
    assert props["BackupRetentionPeriod"] == 35


def test_prod_100k_secondary_has_one_serverless_reader(prod):
    (reader,) = resources(prod, "dr-database", "AWS::RDS::DBInstance").values()
    assert reader["Properties"]["DBInstanceClass"] == "db.serverless"
    (cluster,) = resources(prod, "dr-database", "AWS::RDS::DBCluster").values()
    assert cluster["Properties"]["ServerlessV2ScalingConfiguration"] == {
        "MinCapacity": 0.5,
        "MaxCapacity": 32,
    }


def test_dev_10k_secondary_is_headless(dev):
    assert resources(dev, "dr-database", "AWS::RDS::DBInstance") == {}
    assert len(resources(dev, "dr-database", "AWS::RDS::DBCluster")) == 1


def test_the_secondary_deploys_after_the_primary_data_stack(prod):
    assert prod.requires("pcs-prod-dr-database", "pcs-prod-data")


def test_dr_network_is_the_same_layout_in_its_own_cidr_without_nat(prod):
    assert prod.stacks["pcs-prod-dr-network"].region == "us-west-2"
    (vpc,) = resources(prod, "dr-network", "AWS::EC2::VPC").values()
    assert vpc["Properties"]["CidrBlock"] == "10.1.0.0/16"
    subnets = sorted(
        s["Properties"]["CidrBlock"]
        for s in resources(prod, "dr-network", "AWS::EC2::Subnet").values()
    )
    assert subnets == sorted(f"10.1.{n}.0/24" for n in (1, 2, 3, 10, 11, 12, 20, 21, 22))
    assert resources(prod, "dr-network", "AWS::EC2::NatGateway") == {}
    zones = {
        s["Properties"]["AvailabilityZone"]
        for s in resources(prod, "dr-network", "AWS::EC2::Subnet").values()
    }
    assert zones == {"us-west-2a", "us-west-2b", "us-west-2c"}


def test_images_replicate_to_the_dr_region(prod):
    (replication,) = resources(prod, "delivery", "AWS::ECR::ReplicationConfiguration").values()
    (rule,) = replication["Properties"]["ReplicationConfiguration"]["Rules"]
    assert rule["Destinations"] == [{"Region": "us-west-2", "RegistryId": "111111111111"}]
    assert rule["RepositoryFilters"] == [{"Filter": "pcs-prod/", "FilterType": "PREFIX_MATCH"}]


def test_the_dr_entry_and_alb_groups_admit_https_from_the_dr_regions_cloudfront_prefix_list(prod):
    groups = {
        key: g["Properties"]["GroupName"]
        for key, g in resources(prod, "dr-network", "AWS::EC2::SecurityGroup").items()
    }
    ingress = resources(prod, "dr-network", "AWS::EC2::SecurityGroupIngress").values()
    from_cloudfront = [i["Properties"] for i in ingress if "SourcePrefixListId" in i["Properties"]]
    assert sorted(
        (groups[i["GroupId"]["Fn::GetAtt"][0]], i["SourcePrefixListId"], i["FromPort"])
        for i in from_cloudfront
    ) == [("pcs-prod-alb-sg", "pl-82a045eb", 443), ("pcs-prod-entry-sg", "pl-82a045eb", 443)]


def test_dr_tasks_reach_aws_apis_through_the_primarys_interface_endpoints_in_one_az(prod):
    """The tasks have no internet egress, so the DR region keeps the endpoints standing."""

    def interfaces(stack: str) -> list[dict]:
        endpoints = resources(prod, stack, "AWS::EC2::VPCEndpoint").values()
        return [
            e["Properties"] for e in endpoints if e["Properties"]["VpcEndpointType"] == "Interface"
        ]

    dr, primary = interfaces("dr-network"), interfaces("network")

    # Every endpoint of the primary's but MSK's (Kafka is created after a failover).
    assert len(dr) == len(primary) - 1 >= 6
    assert {len(e["SubnetIds"]) for e in dr} == {1}
    assert {len(e["SubnetIds"]) for e in primary} == {2}  # two AZs (issue 26)


def _cluster_parameters(result, stack: str, resource_type: str) -> dict:
    (group,) = resources(result, stack, resource_type).values()
    return group["Properties"]["Parameters"]


def test_the_managed_rpo_is_set_in_both_regions_clusters_from_config(prod):
    """rds.global_db_rpo acts on whichever cluster is the primary: the promoted one too."""
    assert prod.config.database.global_rpo_seconds == 60
    primary = _cluster_parameters(prod, "data", "AWS::RDS::DBClusterParameterGroup")
    dr = _cluster_parameters(prod, "dr-database", "AWS::RDS::DBClusterParameterGroup")
    assert primary["rds.global_db_rpo"] == dr["rds.global_db_rpo"] == "60"
    # The promoted writer keeps every other control of the primary's parameters (TLS only).
    assert dr == primary
    (cluster,) = resources(prod, "dr-database", "AWS::RDS::DBCluster").values()
    (group_id,) = resources(prod, "dr-database", "AWS::RDS::DBClusterParameterGroup")
    assert cluster["Properties"]["DBClusterParameterGroupName"] == {"Ref": group_id}


def test_the_rpo_lag_alarms_in_the_dr_region_before_commits_would_pause(prod):
    (alarm,) = [
        a["Properties"]
        for a in resources(prod, "dr-database", "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "AuroraGlobalDBRPOLag"
    ]
    assert alarm["AlarmName"] == "pcs-prod-global-db-rpo-lag"
    assert alarm["Namespace"] == "AWS/RDS"
    assert alarm["Dimensions"] == [
        {"Name": "DBClusterIdentifier", "Value": "pcs-prod-aurora-secondary"}
    ]
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Maximum", 60, 30000)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_the_dr_reader_has_performance_insights_and_enhanced_monitoring(prod):
    """The promoted writer is watched as the primary's instances are (issue 20 point 7)."""
    (reader,) = resources(prod, "dr-database", "AWS::RDS::DBInstance").values()
    props = reader["Properties"]
    assert props["EnablePerformanceInsights"] is True
    assert props["PerformanceInsightsRetentionPeriod"] == 7
    aliases = resources(prod, "dr-database", "AWS::KMS::Alias").values()
    (alias,) = [a for a in aliases if a["Properties"]["AliasName"] == "alias/pcs-prod/dr-database"]
    key_id = alias["Properties"]["TargetKeyId"]["Fn::GetAtt"][0]
    assert props["PerformanceInsightsKMSKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert props["MonitoringInterval"] == prod.config.database.monitoring_interval_seconds == 60
    role_id = props["MonitoringRoleArn"]["Fn::GetAtt"][0]
    role = resources(prod, "dr-database", "AWS::IAM::Role")[role_id]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "monitoring.rds.amazonaws.com"
    }
    (group_id,) = resources(prod, "dr-database", "AWS::RDS::DBParameterGroup")
    assert props["DBParameterGroupName"] == {"Ref": group_id}
