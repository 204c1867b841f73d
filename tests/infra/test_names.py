"""Physical names: one derivation, read by the infrastructure and by ops/ alike."""

from __future__ import annotations

from infra.config import load_config
from ops.dr.targets import DrTargets


def test_prod_names_follow_the_pcs_prod_prefix():
    names = load_config("prod").names
    assert (names.ecs_cluster, names.service("api"), names.task_family("migrate")) == (
        "pcs-prod-cluster",
        "pcs-prod-api",
        "pcs-prod-migrate",
    )
    assert (names.aurora_cluster, names.master_secret, names.app_secret) == (
        "pcs-prod-aurora",
        "pcs-prod/database/master",
        "pcs-prod/database/app",
    )
    assert names.task_log_group("worker") == "/ecs/pcs-prod/worker"
    assert names.bucket("documents") == "pcs-prod-documents-111111111111"
    assert names.replica_bucket("documents") == "pcs-prod-documents-replica-111111111111"
    assert names.dr_backup_vault_arn() == (
        "arn:aws:backup:us-west-2:111111111111:backup-vault:pcs-prod-dr-backup-vault"
    )
    assert names.alarm("api-5xx") == "pcs-prod-api-5xx"


def test_a_deployment_in_another_account_and_dr_region_names_them():
    names = load_config("acme-prod").names
    assert names.bucket("logs") == "pcs-prod-logs-222222222222"
    assert names.dr_backup_vault_arn().startswith("arn:aws:backup:us-east-2:222222222222:")


def test_the_dr_commands_act_on_the_names_the_infrastructure_gives():
    config = load_config("prod")
    names, targets = config.names, DrTargets.of(config)
    assert targets.source_cluster == names.aurora_cluster
    assert targets.credentials_secret == names.master_secret
    assert targets.dr_vault == names.dr_backup_vault
    assert targets.ecs_cluster == names.ecs_cluster
    assert list(targets.services) == [names.service(r) for r in ("api", "worker", "beat")]
    assert list(targets.front_end) == [names.service("web")]
    assert targets.traffic_switch == names.traffic_switch
    assert targets.traffic_switch_period_seconds == config.edge.traffic_switch_period_seconds


def test_the_traffic_switch_is_a_metric_and_alarm_in_the_dr_region():
    switch = load_config("prod").names.traffic_switch
    assert (switch.namespace, switch.metric, switch.dimensions) == (
        "PCS/Traffic",
        "PrimaryServes",
        (("Deployment", "pcs-prod"),),
    )
    assert (switch.alarm, switch.region) == ("pcs-prod-primary-serves", "us-west-2")
    assert (switch.PRIMARY, switch.STANDBY) == (1.0, 0.0)
    assert load_config("prod").names.origin_header_secret == "pcs-prod/edge/origin-header"
