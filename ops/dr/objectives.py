"""RTO and RPO of a region failure per user class, derived from the figures they rest on.

The runbook's table (docs/runbook.md, "RTO and RPO per user class") is :func:`table` of the
prod deployment, and a test keeps it so: each figure lives here or in what it is derived from
(the failover steps' expected times in ``ops/dr/region.py``, the deployment's config).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from infra.config import MonitoringConfig, PlatformConfig
from ops.dr.region import (
    ALIAS_TTL_SECONDS,
    CREATE_WRITER_SECONDS,
    DETACH_TIMEOUT_SECONDS,
    FAILOVER_TIMEOUT_SECONDS,
    HEALTH_CHECK_SECONDS,
    PROMOTE_SECONDS,
    SCALE_SECONDS,
    TRAFFIC_SWITCH_TIMEOUT_SECONDS,
    traffic_seconds,
)

# Not measured here (no AWS account): estimates the next game day replaces.
DECISION_MINUTES = 15  # the incident lead decides within this (runbook, scenario 3)
SECRETS_AND_CHECKS_MINUTES = 3  # stop-replication of two secrets, point-app, verify: 1 min each
IMAGE_FIX_MINUTES = (20, 40)  # a DR compute deploy with a bake, only if readiness shows drift
# S3 Replication Time Control's objective for the documents rule (infra/data/buckets.py, 15
# minutes: the only value S3 offers).
DOCUMENTS_RTC_MINUTES = 15


@dataclass(frozen=True)
class Objective:
    """One user class's RTO and RPO in a region failure, and how each was derived."""

    user_class: str
    rto: str
    rpo: str
    derivation: str

    def row(self) -> str:
        """The runbook's table row."""
        return f"| {self.user_class} | {self.rto} | {self.rpo} | {self.derivation} |"


def detection_minutes(monitoring: MonitoringConfig) -> tuple[int, int]:
    """From the outage's start to the page in us-west-2, without us-east-1: the DR region's
    canary lists documents through the public site every ``canary_every_minutes`` and its
    alarm (one period per run, missing runs breaching) pages the DR topic after
    ``canary_failed_runs`` failed runs in a row.

    At best a run starts as the outage does, so the others follow one schedule apart; at worst
    one had just passed, so as many whole schedules pass as runs must fail, and the last run
    may use its whole timeout. CloudWatch's own evaluation delay is not included (not measured
    here).
    """
    every, runs = monitoring.canary_every_minutes, monitoring.canary_failed_runs
    return (runs - 1) * every, runs * every + ceil(monitoring.canary_timeout_seconds / 60)


def failover_minutes(config: PlatformConfig) -> tuple[int, int]:
    """``failover-region --primary-down`` from start to traffic moved: expected, and worst
    before a timeout stops it (the managed failover given up, detach-and-promote at its limit,
    the switch's alarm confirming at its limit).

    With a standing reader in the secondary (``database.dr_reader``) no instance is created.
    """
    writer = 0 if config.database.dr_reader else CREATE_WRITER_SECONDS
    traffic = traffic_seconds(config.edge.traffic_switch_period_seconds)
    expected = writer + PROMOTE_SECONDS + SCALE_SECONDS + traffic
    worst = writer + FAILOVER_TIMEOUT_SECONDS + DETACH_TIMEOUT_SECONDS + SCALE_SECONDS
    worst += traffic_seconds(TRAFFIC_SWITCH_TIMEOUT_SECONDS)
    return expected // 60, worst // 60


def traffic_derivation(config: PlatformConfig) -> str:
    """How the traffic step's expected duration is derived, and what it leaves out."""
    period = config.edge.traffic_switch_period_seconds
    return (
        f"The traffic step, {traffic_seconds(period) / 60:g} min, is a PutMetricData in the DR "
        f"region (no us-east-1 control plane): the switch alarm's one {period} s period "
        f"(edge.traffic_switch_period_seconds) + Route 53's health check reading it, assumed "
        f"{HEALTH_CHECK_SECONDS} s (AWS documents no delay for a CloudWatch-alarm health "
        f"check) + the load balancer alias records' {ALIAS_TTL_SECONDS} s TTL (Route 53 Developer "
        'Guide, "Values specific for weighted records"); how long CloudFront keeps the '
        "origin's DNS answer is undocumented and not verifiable here (game day)"
    )


def objectives(config: PlatformConfig) -> list[Objective]:
    """The four user classes of ``config``'s deployment."""
    identity = config.identity
    rpo_seconds = config.database.global_rpo_seconds
    expected, worst = failover_minutes(config)
    detect_low, detect_high = detection_minutes(config.monitoring)
    low = detect_low + DECISION_MINUTES + expected + SECRETS_AND_CHECKS_MINUTES
    high = detect_high + DECISION_MINUTES + worst + SECRETS_AND_CHECKS_MINUTES
    fix_low, fix_high = IMAGE_FIX_MINUTES
    steps = (
        f"detection {detect_low}-{detect_high} (the DR canary's "
        f"{config.monitoring.canary_failed_runs} failed runs, every "
        f"{config.monitoring.canary_every_minutes} min) + decision "
        f"{DECISION_MINUTES} + failover-region {expected} (at worst {worst}, its timeouts) + "
        f"secrets and checks {SECRETS_AND_CHECKS_MINUTES}"
    )
    database = (
        f"database: ≤ {rpo_seconds} s of writes (rds.global_db_rpo: the primary pauses "
        f"commits beyond it; the DR region's RPO-lag alarm pages at "
        f"{config.database.global_db_rpo_alarm_seconds} s)"
    )
    return [
        Objective(
            "API token",
            f"{low}-{high} min; +{fix_low}-{fix_high} min if readiness shows image drift",
            f"{database}; documents: {DOCUMENTS_RTC_MINUTES} min for 99.99% of objects "
            "(S3 Replication Time Control; misses page while us-east-1 runs)",
            f"{steps}. {traffic_derivation(config)}",
        ),
        Objective(
            "Browser",
            "federated users: as API token (the DR user pool); pool users: after setting a "
            'password with the DR sign-in page\'s "forgot password" (each member exists in the '
            "standby pool with a verified e-mail address; one still `standby_pending` needs the "
            "worker's retry first) and MFA re-enrolment (docs/decisions/identity-standby-pool.md)",
            f"{database}; signed-in sessions end within {identity.access_token_minutes} min",
            "the standby user pool signs users in once traffic is in the DR region; the "
            f"portal's access token lasts {identity.access_token_minutes} min and its refresh "
            "needs the pool that issued it",
        ),
        Objective(
            "Background work",
            "as API token (the worker and Beat start in the same step)",
            f"{database}, for durable work (the outbox); tasks queued in the primary's Redis "
            "and not yet run are lost (the DR cache is not a replica)",
            "Beat re-issues periodic tasks at their next schedule; one-off tasks in the lost "
            "queue are not re-sent",
        ),
        Objective(
            "Audit archive",
            "as API token: the DR region's own audit stream and archive (pcs-<env>-dr-audit)",
            f"{database}: an audit event is an outbox row written with its change",
            "events wait in the DR database's outbox until the DR services deliver them",
        ),
    ]


def table(config: PlatformConfig) -> list[str]:
    """The runbook's table: header, rule and one row per user class."""
    return [
        "| User class | RTO | RPO | How derived |",
        "| --- | --- | --- | --- |",
        *(objective.row() for objective in objectives(config)),
    ]
