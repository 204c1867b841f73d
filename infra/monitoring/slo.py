"""The availability objectives (99.9 % over 28 days): their error rates, the multi-window burn-rate
alarms that page, and the error-budget widgets (docs/decisions/monitoring-slo-burn-rate.md).

Each objective is request based: the share of requests answered with a 5xx. The API's comes
from the ALB (its blue and green target groups' target 5xx plus the load balancer's own 5xx,
per request of those target groups); the portal's from CloudFront (every viewer request of the
site, so an origin CloudFront cannot reach counts too).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import MonitoringConfig
from infra.gate.nag import acknowledge
from infra.monitoring.targets import MonitoredPlatform
from infra.names import PlatformNames


@dataclass(frozen=True)
class BurnWindow:
    """A burn rate judged over a long window, confirmed by a short one (both must breach)."""

    speed: str  # fast, slow
    burn_rate: float
    long_minutes: int
    short_minutes: int


def burn_windows(monitoring: MonitoringConfig) -> tuple[BurnWindow, ...]:
    """The fast and slow windows of the configuration."""
    return (
        BurnWindow(
            "fast",
            monitoring.slo_fast_burn_rate,
            monitoring.slo_fast_long_minutes,
            monitoring.slo_fast_short_minutes,
        ),
        BurnWindow(
            "slow",
            monitoring.slo_slow_burn_rate,
            monitoring.slo_slow_long_minutes,
            monitoring.slo_slow_short_minutes,
        ),
    )


def api_error_rate(platform: MonitoredPlatform, period: Duration) -> cloudwatch.MathExpression:
    """Percent of the API target groups' requests answered 5xx (by a target or the ALB)."""
    using: dict[str, cloudwatch.IMetric] = {
        "elb5xx": platform.load_balancer.metrics.custom(
            "HTTPCode_ELB_5XX_Count", statistic="Sum", period=period
        )
    }
    for index, group in enumerate(platform.target_groups):
        using[f"errors{index}"] = group.metrics.custom(
            "HTTPCode_Target_5XX_Count", statistic="Sum", period=period
        )
        using[f"requests{index}"] = group.metrics.custom(
            "RequestCount", statistic="Sum", period=period
        )
    errors = " + ".join(f"FILL({name}, 0)" for name in using if name.startswith(("err", "elb")))
    requests = " + ".join(f"FILL({name}, 0)" for name in using if name.startswith("req"))
    return cloudwatch.MathExpression(
        expression=f"100 * ({errors}) / MAX([{requests}, 1])",
        using_metrics=using,
        label="API 5xx (% of requests)",
        period=period,
    )


def portal_error_rate(distribution_id: str, period: Duration) -> cloudwatch.Metric:
    """CloudFront's 5xx error rate of the site (percent of viewer requests), us-east-1."""
    return cloudwatch.Metric(
        namespace="AWS/CloudFront",
        metric_name="5xxErrorRate",
        dimensions_map={"DistributionId": distribution_id, "Region": "Global"},
        statistic="Average",
        period=period,
        region="us-east-1",
    )


class ServiceLevelObjectives(Construct):
    """For the API and the portal: a fast and a slow burn-rate alarm (composite of a long and a
    short window) that page ``topic``; :attr:`alarms` by short name, :attr:`budget_widgets`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        monitoring: MonitoringConfig,
        platform: MonitoredPlatform,
        topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self._names = names
        self._monitoring = monitoring
        budget_percent = 100 - monitoring.slo_target_percent
        action = actions.SnsAction(topic)
        sources = {
            "api": lambda period: api_error_rate(platform, period),
            "portal": lambda period: portal_error_rate(platform.distribution_id, period),
        }
        self.alarms: dict[str, cloudwatch.CompositeAlarm] = {}
        for objective, error_rate in sources.items():
            for window in burn_windows(monitoring):
                threshold = round(window.burn_rate * budget_percent, 6)
                parts = [
                    self._window_alarm(objective, window, minutes, error_rate, threshold)
                    for minutes in (window.long_minutes, window.short_minutes)
                ]
                name = f"{objective}-slo-{window.speed}-burn"
                composite = cloudwatch.CompositeAlarm(
                    self,
                    _construct_id(name),
                    composite_alarm_name=names.alarm(name),
                    alarm_description=(
                        f"{objective} burns its {monitoring.slo_window_days}-day error budget "
                        f"at {window.burn_rate}x: 5xx above {threshold} % over "
                        f"{window.long_minutes} and {window.short_minutes} minutes"
                    ),
                    alarm_rule=cloudwatch.AlarmRule.all_of(*parts),
                )
                composite.add_alarm_action(action)
                composite.add_ok_action(action)
                self.alarms[name] = composite
        self.budget_widgets = [
            self._budget_widget("API", sources["api"]),
            self._budget_widget("Portal", sources["portal"]),
        ]

    def _window_alarm(
        self,
        objective: str,
        window: BurnWindow,
        minutes: int,
        error_rate,
        threshold: float,
    ) -> cloudwatch.Alarm:
        name = f"{objective}-slo-{window.speed}-{minutes}m"
        alarm = cloudwatch.Alarm(
            self,
            _construct_id(name),
            alarm_name=self._names.alarm(name),
            alarm_description=f"{objective} 5xx rate over {minutes} minutes (part of a burn alarm)",
            metric=error_rate(Duration.minutes(minutes)),
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,  # no requests
        )
        acknowledge(
            alarm,
            "One window of a multi-window burn-rate alarm: the composite alarm combining it "
            "with the other window pages on-call; a window alone would page on noise.",
            "NIST.800.53.R5-CloudWatchAlarmAction",
        )
        return alarm

    def _budget_widget(self, title: str, error_rate) -> cloudwatch.SingleValueWidget:
        """Budget left over the objective's window: 100 % minus the share of the allowed
        error rate already spent."""
        monitoring = self._monitoring
        days = monitoring.slo_window_days
        spent = cloudwatch.MathExpression(
            expression=f"100 - 100 * rate / {round(100 - monitoring.slo_target_percent, 6)}",
            using_metrics={"rate": error_rate(Duration.days(days))},
            label=f"{title} error budget left (% of {days} days)",
            period=Duration.days(days),
        )
        return cloudwatch.SingleValueWidget(
            title=f"{title} error budget ({monitoring.slo_target_percent} %, {days} days)",
            metrics=[spent],
            start=f"-P{days}D",
            set_period_to_time_range=True,
            width=6,
            height=4,
        )


def _construct_id(name: str) -> str:
    return "".join(part.title() for part in name.split("-"))
