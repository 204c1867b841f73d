"""The Amazon MSK section."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import SPEC_MIN_LOG_RETENTION_DAYS, ConfigError, check_log_retention


@dataclass(frozen=True)
class KafkaConfig:
    """Amazon MSK (provisioned), one broker per AZ."""

    enabled: bool = True
    broker_count: int = 3
    instance_type: str = "kafka.m7g.large"
    kafka_version: str = "3.8.x"
    volume_size_gib: int = 100
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # broker logs, AU-11
    # How long every topic keeps its messages, set on the cluster so no topic falls back to the
    # broker default. The relay only: the durable audit copy is the Object Lock bucket
    # (docs/decisions/audit-archive-firehose.md); 7 days lets a consumer replay a long weekend.
    topic_retention_hours: int = 168

    def __post_init__(self) -> None:
        check_log_retention("kafka.log_retention_days", self.log_retention_days)
        if not 24 <= self.topic_retention_hours <= 24 * 30:
            raise ConfigError(
                "kafka.topic_retention_hours", self.topic_retention_hours, "24..720 (1-30 days)"
            )
