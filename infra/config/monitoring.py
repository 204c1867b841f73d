"""The monitoring section: alarm thresholds and who hears them."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import SPEC_MIN_LOG_RETENTION_DAYS, ConfigError, check_log_retention

_GUARDDUTY_FREQUENCIES = ("FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS")


@dataclass(frozen=True)
class MonitoringConfig:
    """Alarm thresholds (spec §5.2) and who hears them."""

    alert_emails: tuple[str, ...] = ()
    # A pager or chat webhook beside the e-mails (the deployment file's alert_https_endpoints):
    # SNS posts each notification to it, after the endpoint confirms (docs/runbook.md, Paging).
    alert_https_endpoints: tuple[str, ...] = ()
    # Availability objective of the API and the portal (docs/decisions/monitoring-slo-burn-rate.md):
    # 5xx responses in percent of requests over the window; the budget is 100 - target.
    slo_target_percent: float = 99.9
    slo_window_days: int = 28
    # Multi-window burn-rate alarms (Google SRE workbook): a burn rate b spends b / window-days
    # of the budget per day; each pages when both its long and short windows exceed it.
    slo_fast_burn_rate: float = 14.4  # 2 % of the budget in the long window
    slo_fast_long_minutes: int = 60
    slo_fast_short_minutes: int = 5
    slo_slow_burn_rate: float = 6  # 5 % of the budget in the long window
    slo_slow_long_minutes: int = 360
    slo_slow_short_minutes: int = 30
    api_5xx_threshold: int = 10
    api_5xx_period_seconds: int = 60
    api_5xx_evaluation_periods: int = 2
    # The blue/green releases' rollback alarm (the API's and the portal's): errors in percent of
    # the green target group's requests, per api_5xx period, above this for
    # api_5xx_evaluation_periods. One error in a minute of the test phase's smoke test (16
    # requests) is 6.25 %.
    green_error_rate_percent: float = 5
    db_cpu_threshold_percent: float = 80
    db_cpu_period_seconds: int = 300
    db_cpu_evaluation_periods: int = 3
    p99_latency_threshold_seconds: float = 0.5
    p99_latency_period_seconds: int = 60
    p99_latency_evaluation_periods: int = 3
    redis_memory_threshold_percent: float = 80
    # Beyond §5.2 (on-call needs; figures chosen here, see docs/decisions/monitoring-alarms.md).
    replica_lag_threshold_ms: float = 1000  # Aurora replicas serve reads; >1 s is visibly stale
    replica_lag_evaluation_periods: int = 5  # five minutes, so a vacuum burst does not page
    queue_depth_threshold: int = 1000  # Celery messages waiting on the Redis broker
    queue_age_threshold_seconds: int = 300  # oldest task waiting: the spec's 5-minute task window
    queue_evaluation_periods: int = 5
    # Beat publishes these per minute (docs/decisions/monitoring-celery-metrics.md).
    celery_metrics_namespace: str = "PCS/Celery"
    # Tasks that raised after their retries (TasksFailed), summed over the period.
    celery_failed_tasks_threshold: int = 10
    celery_failed_tasks_period_minutes: int = 5
    service_alarm_period_seconds: int = 60
    healthy_targets_evaluation_periods: int = 2  # as long as the 5xx alarm takes to fire
    running_tasks_evaluation_periods: int = 5  # a task start (image pull, health check) fits
    redis_memory_evaluation_periods: int = 5
    # Account security services (spec overview, "Monitoring & Security").
    # How often the DR readiness check runs in the DR region (as ARC Region switch evaluates
    # its plans); its alarm pages when a run finds drift or no run reports for this long.
    dr_readiness_minutes: int = 30
    audit_log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # CloudTrail's log group, AU-11
    guardduty_finding_frequency: str = "FIFTEEN_MINUTES"  # fastest GuardDuty export to EventBridge
    config_snapshot_frequency: str = "TwentyFour_Hours"
    # The AWS-published conformance pack (awslabs/aws-config-rules) is larger than the 51,200-byte
    # inline limit; the operator uploads it to this key of the logs bucket before deploying.
    nist_conformance_pack_template_key: str = (
        "config/conformance-packs/Operational-Best-Practices-for-NIST-800-53-rev-5.yaml"
    )
    nist_security_hub_standard: str = "standards/nist-800-53/v/5.0.0"
    # Synthetic canaries (docs/decisions/monitoring-synthetic-canaries.md): in each region, every
    # canary_every_minutes, the smoke-test tenant lists documents through the public site; the
    # region's alert topic hears canary_failed_runs failed (or missing) runs in a row.
    canary_every_minutes: int = 5
    canary_failed_runs: int = 2
    canary_timeout_seconds: int = 60
    canary_artifact_days: int = 31  # run artifacts (logs, HAR) kept in the canary's bucket

    def __post_init__(self) -> None:
        for endpoint in self.alert_https_endpoints:
            if not endpoint.startswith("https://") or len(endpoint) <= len("https://"):
                raise ConfigError("alert_https_endpoints", endpoint, "https:// URLs")
        if not 90 <= self.slo_target_percent < 100:
            raise ConfigError("monitoring.slo_target_percent", self.slo_target_percent, "90..<100")
        for field in (
            "slo_fast_long_minutes",
            "slo_fast_short_minutes",
            "slo_slow_long_minutes",
            "slo_slow_short_minutes",
        ):
            if not 1 <= getattr(self, field) <= 1440:  # an alarm's period times 1 is at most a day
                raise ConfigError(f"monitoring.{field}", getattr(self, field), "1..1440 minutes")
        if not 1 <= self.canary_every_minutes <= 60:
            raise ConfigError("monitoring.canary_every_minutes", self.canary_every_minutes, "1..60")
        if not 1 <= self.canary_failed_runs <= 10:
            raise ConfigError("monitoring.canary_failed_runs", self.canary_failed_runs, "1..10")
        if not 1 <= self.canary_artifact_days <= 455:  # Synthetics' longest run retention
            raise ConfigError(
                "monitoring.canary_artifact_days", self.canary_artifact_days, "1..455"
            )
        if not 3 <= self.canary_timeout_seconds <= 60 * self.canary_every_minutes:
            raise ConfigError(
                "monitoring.canary_timeout_seconds",
                self.canary_timeout_seconds,
                "3..canary_every_minutes x 60 seconds",
            )
        check_log_retention("monitoring.audit_log_retention_days", self.audit_log_retention_days)
        if self.guardduty_finding_frequency not in _GUARDDUTY_FREQUENCIES:
            raise ConfigError(
                "monitoring.guardduty_finding_frequency",
                self.guardduty_finding_frequency,
                ", ".join(_GUARDDUTY_FREQUENCIES),
            )
