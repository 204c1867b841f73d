"""Monitoring settings refuse values the services would reject, with a one-line error."""

from __future__ import annotations

import pytest

from infra.config import ConfigError, MonitoringConfig, load_config


def test_spec_alarm_figures_are_the_configured_defaults():
    monitoring = load_config("prod").monitoring
    assert (
        monitoring.api_5xx_threshold,
        monitoring.api_5xx_period_seconds,
        monitoring.api_5xx_evaluation_periods,
    ) == (10, 60, 2)
    assert (
        monitoring.db_cpu_threshold_percent,
        monitoring.db_cpu_period_seconds,
        monitoring.db_cpu_evaluation_periods,
    ) == (80, 300, 3)
    assert (
        monitoring.p99_latency_threshold_seconds,
        monitoring.p99_latency_period_seconds,
        monitoring.p99_latency_evaluation_periods,
    ) == (0.5, 60, 3)


def test_unknown_guardduty_export_frequency_is_refused_with_the_allowed_ones():
    with pytest.raises(ConfigError) as error:
        MonitoringConfig(guardduty_finding_frequency="HOURLY")
    assert str(error.value) == (
        "config error: monitoring.guardduty_finding_frequency='HOURLY' is not allowed; "
        "allowed: FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS"
    )


def test_audit_log_retention_under_a_year_is_refused():
    with pytest.raises(ConfigError, match=r"monitoring.audit_log_retention_days=90 .*>= 365"):
        MonitoringConfig(audit_log_retention_days=90)


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_each_environment_alerts_its_own_on_call_address(env):
    assert load_config(env).monitoring.alert_emails == (f"oncall+{env}@pcs.example.com",)
