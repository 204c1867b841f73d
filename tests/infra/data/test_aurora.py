"""Aurora PostgreSQL of spec §3.1 (engine 17.x: 15.4 can no longer be created)."""

from __future__ import annotations

from tests.infra.conftest import resources
from tests.infra.data.conftest import by_name, imported, only

DATABASE_KEY = "KeysDatabase"
LOGS_KEY = "KeysLogs"


def _cluster(result) -> dict:
    return only(result, "data", "AWS::RDS::DBCluster")


def _instances(result) -> dict[str, dict]:
    return by_name(result, "data", "AWS::RDS::DBInstance", "DBInstanceIdentifier")


def test_aurora_engine_is_aurora_postgresql(prod):
    assert _cluster(prod)["Engine"] == "aurora-postgresql"


def test_aurora_engine_version_is_17_from_config(prod):
    version = _cluster(prod)["EngineVersion"]
    assert version == prod.config.database.engine_version
    assert version.startswith("17.")


def test_aurora_has_one_writer_and_two_readers(prod):
    tiers = sorted(i["PromotionTier"] for i in _instances(prod).values())
    assert tiers == [0, 1, 1]


def test_aurora_instances_are_named_writer_and_readers(prod):
    assert set(_instances(prod)) == {
        "pcs-prod-aurora-writer",
        "pcs-prod-aurora-reader-1",
        "pcs-prod-aurora-reader-2",
    }


def test_aurora_places_one_instance_in_each_availability_zone(prod):
    zones = {name: i["AvailabilityZone"] for name, i in _instances(prod).items()}
    assert zones == {
        "pcs-prod-aurora-writer": "us-east-1a",
        "pcs-prod-aurora-reader-1": "us-east-1b",
        "pcs-prod-aurora-reader-2": "us-east-1c",
    }


def test_aurora_at_100k_is_provisioned_without_serverless_scaling(prod):
    assert "ServerlessV2ScalingConfiguration" not in _cluster(prod)


def test_aurora_scales_to_the_10k_tiers_8_acu_in_dev(dev):
    assert _cluster(dev)["ServerlessV2ScalingConfiguration"]["MaxCapacity"] == (
        dev.config.database.serverless_max_acu
    )


def test_aurora_instances_at_100k_are_all_db_r7g_large(prod):
    assert {i["DBInstanceClass"] for i in _instances(prod).values()} == {"db.r7g.large"}


def test_aurora_instances_at_10k_are_all_serverless_v2(dev):
    assert {i["DBInstanceClass"] for i in _instances(dev).values()} == {"db.serverless"}


def test_aurora_instances_are_not_publicly_accessible(prod):
    assert {i["PubliclyAccessible"] for i in _instances(prod).values()} == {False}


def test_aurora_subnet_group_uses_the_three_isolated_database_subnets(prod):
    subnets = only(prod, "data", "AWS::RDS::DBSubnetGroup")["SubnetIds"]
    assert sorted(imported(s).split("Vpc")[1][:15] for s in subnets) == [
        "databaseSubnet1",
        "databaseSubnet2",
        "databaseSubnet3",
    ]


def test_aurora_uses_only_the_database_security_group(prod):
    (group,) = _cluster(prod)["VpcSecurityGroupIds"]
    assert "SecurityGroupsDatabase" in imported(group)


def test_aurora_listens_on_5432(prod):
    assert _cluster(prod)["Port"] == 5432


def test_aurora_storage_is_encrypted_with_the_database_key(prod):
    cluster = _cluster(prod)
    assert cluster["StorageEncrypted"] is True
    assert DATABASE_KEY in imported(cluster["KmsKeyId"])


def test_aurora_keeps_backups_35_days(prod):
    assert _cluster(prod)["BackupRetentionPeriod"] == 35


def test_aurora_backs_up_between_03_00_and_04_00(prod):
    assert _cluster(prod)["PreferredBackupWindow"] == "03:00-04:00"


def test_aurora_copies_tags_to_snapshots(prod):
    assert _cluster(prod)["CopyTagsToSnapshot"] is True


def test_aurora_cluster_maintenance_is_sunday_04_00_to_05_00(prod):
    assert _cluster(prod)["PreferredMaintenanceWindow"] == "sun:04:00-sun:05:00"


def test_aurora_instance_maintenance_is_sunday_04_00_to_05_00(prod):
    windows = {i["PreferredMaintenanceWindow"] for i in _instances(prod).values()}
    assert windows == {"sun:04:00-sun:05:00"}


def test_aurora_has_deletion_protection_in_prod(prod):
    assert _cluster(prod)["DeletionProtection"] is True


def test_aurora_deletion_protection_is_off_in_dev(dev):
    assert _cluster(dev)["DeletionProtection"] is False


def test_aurora_is_snapshotted_when_removed(prod):
    (cluster,) = resources(prod, "data", "AWS::RDS::DBCluster").values()
    assert cluster["DeletionPolicy"] == "Snapshot"


def test_aurora_enables_iam_database_authentication(prod):
    assert _cluster(prod)["EnableIAMDatabaseAuthentication"] is True


def test_aurora_instances_report_enhanced_monitoring_every_60_seconds(prod):
    assert {i["MonitoringInterval"] for i in _instances(prod).values()} == {60}


def test_aurora_enhanced_monitoring_role_is_assumable_only_by_rds_monitoring(prod):
    roles = resources(prod, "data", "AWS::IAM::Role")
    monitoring_role_ids = {
        i["MonitoringRoleArn"]["Fn::GetAtt"][0] for i in _instances(prod).values()
    }
    (role_id,) = monitoring_role_ids
    statement = roles[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "monitoring.rds.amazonaws.com"},
        }
    ]


def test_aurora_performance_insights_are_encrypted_with_the_database_key(prod):
    cluster = _cluster(prod)
    assert cluster["PerformanceInsightsEnabled"] is True
    assert DATABASE_KEY in imported(cluster["PerformanceInsightsKmsKeyId"])


def test_aurora_instances_encrypt_performance_insights_with_the_database_key(prod):
    for instance in _instances(prod).values():
        assert instance["EnablePerformanceInsights"] is True
        assert DATABASE_KEY in imported(instance["PerformanceInsightsKMSKeyId"])


def test_aurora_uses_database_insights_standard_mode(prod):
    assert _cluster(prod)["DatabaseInsightsMode"] == "standard"


def test_aurora_exports_only_the_postgresql_log(prod):
    assert _cluster(prod)["EnableCloudwatchLogsExports"] == ["postgresql"]


def test_aurora_postgresql_log_group_is_encrypted_with_the_logs_key(prod):
    group = by_name(prod, "data", "AWS::Logs::LogGroup", "LogGroupName")[
        "/aws/rds/cluster/pcs-prod-aurora/postgresql"
    ]
    assert LOGS_KEY in imported(group["KmsKeyId"])


def test_aurora_postgresql_log_is_kept_one_year(prod):
    group = by_name(prod, "data", "AWS::Logs::LogGroup", "LogGroupName")[
        "/aws/rds/cluster/pcs-prod-aurora/postgresql"
    ]
    assert group["RetentionInDays"] == 365 == prod.config.database.log_retention_days


def test_aurora_master_password_is_a_dynamic_reference_to_the_generated_secret(prod):
    password = _cluster(prod)["MasterUserPassword"]["Fn::Join"][1]
    assert password[0] == "{{resolve:secretsmanager:"
    assert password[2] == ":SecretString:password::}}"


def test_aurora_master_username_is_pcs_admin(prod):
    assert _cluster(prod)["MasterUsername"] == "pcs_admin"


def test_aurora_credentials_are_generated_and_encrypted_with_the_database_key(prod):
    secret = by_name(prod, "data", "AWS::SecretsManager::Secret", "Name")[
        "pcs-prod/database/master"
    ]
    assert secret["GenerateSecretString"]["GenerateStringKey"] == "password"
    assert "SecretString" not in secret
    assert DATABASE_KEY in imported(secret["KmsKeyId"])


def _rotation_applications(result) -> dict[str, dict]:
    """{SAR application name suffix: properties} of the rotation Lambdas."""
    body = result.stacks[f"{result.config.prefix}-data"].template
    found = {}
    for application in resources(result, "data", "AWS::Serverless::Application").values():
        mapping = application["Properties"]["Location"]["ApplicationId"]["Fn::FindInMap"][0]
        name = body["Mappings"][mapping]["aws"]["applicationId"].rsplit("/", 1)[-1]
        found[name] = application["Properties"]
    return found


def _secret_named(result, name: str) -> dict:
    return by_name(result, "data", "AWS::SecretsManager::Secret", "Name")[name]


def _rotated_secret_logical_ids(result) -> set[str]:
    """Logical ids of the secrets the rotation schedules rotate (their attachments)."""
    attachments = resources(result, "data", "AWS::SecretsManager::SecretTargetAttachment")
    schedules = resources(result, "data", "AWS::SecretsManager::RotationSchedule").values()
    return {
        attachments[s["Properties"]["SecretId"]["Ref"]]["Properties"]["SecretId"]["Ref"]
        for s in schedules
    }


def test_aurora_credentials_rotate_every_30_days(prod):
    schedules = resources(prod, "data", "AWS::SecretsManager::RotationSchedule").values()
    assert [s["Properties"]["RotationRules"] for s in schedules] == [
        {"ScheduleExpression": "rate(30 days)"}
    ] * 3
    assert prod.config.database.credential_rotation_days == 30


def test_aurora_credentials_are_rotated_by_the_postgres_single_user_application(prod):
    assert "SecretsManagerRDSPostgreSQLRotationSingleUser" in _rotation_applications(prod)


def test_app_role_secret_is_generated_for_pcs_app_with_the_master_secret_named(prod):
    template = _secret_named(prod, "pcs-prod/database/app")["GenerateSecretString"]
    assert template["GenerateStringKey"] == "password"
    parts = template["SecretStringTemplate"]["Fn::Join"][1]
    assert parts[0] == '{"username":"pcs_app","masterarn":"'
    assert "AuroraClusterSecretAttachment" in parts[1]["Ref"]
    assert prod.config.database.app_username == "pcs_app"


def test_app_role_secret_is_encrypted_with_the_database_key_and_retained(prod):
    (secret,) = [
        s
        for s in resources(prod, "data", "AWS::SecretsManager::Secret").values()
        if s["Properties"]["Name"] == "pcs-prod/database/app"
    ]
    assert DATABASE_KEY in imported(secret["Properties"]["KmsKeyId"])
    assert "SecretString" not in secret["Properties"]
    assert secret["DeletionPolicy"] == "RetainExceptOnCreate"


def test_app_role_secret_is_attached_to_the_cluster(prod):
    attachments = resources(prod, "data", "AWS::SecretsManager::SecretTargetAttachment").values()
    targets = {a["Properties"]["SecretId"]["Ref"]: a["Properties"] for a in attachments}
    (app,) = [t for ref, t in targets.items() if ref.startswith("AuroraAppSecret")]
    assert app["TargetType"] == "AWS::RDS::DBCluster"


def test_both_database_secrets_rotate(prod):
    rotated = _rotated_secret_logical_ids(prod)
    assert any(ref.startswith("AuroraAppSecret") for ref in rotated)
    assert any("AuroraClusterSecret" in ref for ref in rotated)


def test_app_role_is_not_rotated_on_deployment_before_migrate_creates_it(prod):
    schedules = resources(prod, "data", "AWS::SecretsManager::RotationSchedule").values()
    by_secret = {s["Properties"]["SecretId"]["Ref"]: s["Properties"] for s in schedules}
    (app,) = [p for ref, p in by_secret.items() if ref.startswith("AuroraAppSecret")]
    assert app["RotateImmediatelyOnUpdate"] is False


def test_app_role_is_rotated_by_the_multi_user_application_signed_by_the_master(prod):
    application = _rotation_applications(prod)["SecretsManagerRDSPostgreSQLRotationMultiUser"]
    assert "AuroraClusterSecretAttachment" in application["Parameters"]["masterSecretArn"]["Ref"]


def test_rotation_lambdas_run_in_the_isolated_database_subnets(prod):
    for application in _rotation_applications(prod).values():
        subnets = application["Parameters"]["vpcSubnetIds"]["Fn::Join"][1][::2]
        assert ["databaseSubnet" in imported(s) for s in subnets] == [True, True, True]


def _rotation_group(result) -> str:
    groups = resources(result, "data", "AWS::EC2::SecurityGroup")
    (group_id,) = [
        k
        for k, v in groups.items()
        if v["Properties"].get("GroupName") == "pcs-prod-db-rotation-sg"
    ]
    return group_id


def _rules_of_rotation_group(result, kind: str) -> list[tuple[int, str]]:
    """(port, peer export or group) of standalone rules touching the rotation Lambda's group."""
    group_id = _rotation_group(result)
    peer_key = "DestinationSecurityGroupId" if kind == "Egress" else "SourceSecurityGroupId"
    rules = []
    for rule in resources(result, "data", f"AWS::EC2::SecurityGroup{kind}").values():
        props = rule["Properties"]
        if kind == "Egress" and props["GroupId"] == {"Fn::GetAtt": [group_id, "GroupId"]}:
            rules.append((props["FromPort"], props["ToPort"], imported(props[peer_key])))
        if kind == "Ingress" and props[peer_key] == {"Fn::GetAtt": [group_id, "GroupId"]}:
            rules.append((props["FromPort"], props["ToPort"], imported(props["GroupId"])))
    return sorted(rules)


def test_both_rotation_lambdas_use_the_rotation_group(prod):
    for application in _rotation_applications(prod).values():
        assert application["Parameters"]["vpcSecurityGroupIds"] == {
            "Fn::GetAtt": [_rotation_group(prod), "GroupId"]
        }


def test_rotation_lambda_sends_only_postgresql_to_the_database_and_https_to_endpoints(prod):
    rules = [
        (
            low,
            high,
            "Database" if "Database" in peer else "Endpoints" if "Endpoints" in peer else peer,
        )
        for low, high, peer in _rules_of_rotation_group(prod, "Egress")
    ]
    assert sorted(rules) == [(443, 443, "Endpoints"), (5432, 5432, "Database")]


def test_rotation_lambda_group_has_no_inline_egress(prod):
    groups = resources(prod, "data", "AWS::EC2::SecurityGroup")
    assert "SecurityGroupEgress" not in groups[_rotation_group(prod)]["Properties"]


def test_database_group_admits_the_rotation_lambda_on_5432_only(prod):
    rules = [r for r in _rules_of_rotation_group(prod, "Ingress") if "Database" in r[2]]
    assert [(low, high) for low, high, _ in rules] == [(5432, 5432)]


def test_endpoints_group_admits_the_rotation_lambda_on_443_only(prod):
    rules = [r for r in _rules_of_rotation_group(prod, "Ingress") if "Endpoints" in r[2]]
    assert [(low, high) for low, high, _ in rules] == [(443, 443)]


def test_aurora_credentials_outlive_the_cluster_for_snapshot_restores(prod):
    (secret,) = [
        s
        for s in resources(prod, "data", "AWS::SecretsManager::Secret").values()
        if s["Properties"]["Name"] == "pcs-prod/database/master"
    ]
    assert secret["DeletionPolicy"] == "RetainExceptOnCreate"


def test_the_outbox_publisher_has_its_own_login_secret_rotated_like_the_app_roles(prod):
    secret = _secret_named(prod, "pcs-prod/database/publisher")
    parts = secret["GenerateSecretString"]["SecretStringTemplate"]["Fn::Join"][1]
    assert parts[0] == '{"username":"pcs_publisher","masterarn":"'
    assert "AuroraClusterSecretAttachment" in parts[1]["Ref"]
    assert DATABASE_KEY in imported(secret["KmsKeyId"])
    assert prod.config.database.publisher_username == "pcs_publisher"
    schedules = resources(prod, "data", "AWS::SecretsManager::RotationSchedule").values()
    by_secret = {s["Properties"]["SecretId"]["Ref"]: s["Properties"] for s in schedules}
    (publisher,) = [p for ref, p in by_secret.items() if ref.startswith("AuroraPublisherSecret")]
    assert publisher["RotateImmediatelyOnUpdate"] is False
