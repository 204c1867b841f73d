"""The usage profile: how much each tier uses what the templates declare (ops/cost/data/usage.toml).

Every field is required and must be a non-negative number; a missing, unknown or malformed
entry raises CostInputError naming it, so a typo never prices silently at zero.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ops.cost.errors import CostInputError

DEFAULT_USAGE_FILE = Path(__file__).parent / "data" / "usage.toml"

LOG_KINDS = (
    "api",
    "worker",
    "web",
    "database",
    "cache",
    "kafka",
    "waf",
    "cdn",
    "cloudtrail",
    "other",
)
# Buckets whose growth is a usage figure; the log copies and the audit archive grow with what
# their streams write (ops/cost/pricing/storage.py).
BUCKET_KINDS = ("documents", "backups", "logs", "access_logs", "other")


@dataclass(frozen=True)
class PlatformUsage:
    """Assumptions that do not depend on the tier."""

    pricing_month: float
    fargate_spot_discount: float
    kms_billed_key_versions: float
    log_storage_compression_ratio: float
    cloudfront_free_tier_gb: float
    cloudfront_free_tier_requests: float
    alb_new_connections_per_request: float
    backup_daily_change_fraction: float
    aurora_write_io_share: float
    cache_snapshot_free_count: float
    container_insights_metrics_per_cluster: float
    container_insights_metrics_per_service: float
    container_insights_log_gb_per_task_month: float
    audit_events_per_request: float
    firehose_billed_kb_per_record: float
    document_average_object_mb: float
    documents_superseded_share: float
    audit_event_kb: float
    standby_activity_share: float


@dataclass(frozen=True)
class TierUsage:
    """How much one tier uses: traffic, data volumes, growth, API calls."""

    users: float
    requests_per_month: float
    cloudfront_transfer_out_gb: float
    interface_endpoint_gb: float
    cross_az_gb: float
    aurora_storage_gb: float
    aurora_storage_growth_gb_per_month: float
    aurora_io_million_per_month: float
    aurora_writer_average_acu: float
    aurora_reader_average_acu: float
    cache_dataset_gb: float
    ecr_storage_gb: float
    custom_metrics: float
    kms_requests_per_month: float
    secrets_api_calls_per_month: float
    route53_queries_million: float
    cloudtrail_management_events_million: float
    config_items_per_month: float
    config_rule_evaluations_per_month: float
    securityhub_checks_per_month: float
    flow_log_gb_per_month: float
    s3_data_events_million: float
    backup_protected_gb: float
    log_gb_per_month: dict[str, float]
    s3_growth_gb_per_month: dict[str, float]


@dataclass(frozen=True)
class Usage:
    """One tier's usage with the platform-wide assumptions."""

    tier: str
    platform: PlatformUsage
    traffic: TierUsage


_TABLES = {"log_gb_per_month": LOG_KINDS, "s3_growth_gb_per_month": BUCKET_KINDS}


def load_usage(tier: str, path: Path = DEFAULT_USAGE_FILE) -> Usage:
    """The usage of ``tier`` from ``path``, validated."""
    where = f"usage file {path}"
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise CostInputError(f"{where}: not found") from None
    except tomllib.TOMLDecodeError as error:
        raise CostInputError(f"{where}: not TOML ({error})") from None
    tiers = raw.get("tiers")
    if not isinstance(tiers, dict) or tier not in tiers:
        known = ", ".join(tiers) if isinstance(tiers, dict) else "none"
        raise CostInputError(f"{where}: no [tiers.{tier!r}] table; tiers present: {known}")
    platform = _build(PlatformUsage, raw.get("platform"), f"{where}: platform")
    traffic = _build(TierUsage, tiers[tier], f"{where}: tiers.{tier}")
    if not 0 <= platform.fargate_spot_discount < 1:
        raise CostInputError(
            f"{where}: platform.fargate_spot_discount={platform.fargate_spot_discount} "
            "must be a fraction in [0, 1)"
        )
    return Usage(tier=tier, platform=platform, traffic=traffic)


def _build(cls: type, table: Any, where: str) -> Any:
    if not isinstance(table, dict):
        raise CostInputError(f"{where}: missing table")
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(table) - names)
    if unknown:
        raise CostInputError(f"{where}.{unknown[0]}: unknown entry; allowed: {', '.join(names)}")
    values = {}
    for name in (f.name for f in fields(cls)):
        if name not in table:
            raise CostInputError(f"{where}.{name}: missing")
        if name in _TABLES:
            values[name] = _kinds(table[name], f"{where}.{name}", _TABLES[name])
        else:
            values[name] = _number(table[name], f"{where}.{name}")
    return cls(**values)


def _kinds(table: Any, where: str, kinds: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(table, dict) or set(table) != set(kinds):
        got = ", ".join(table) if isinstance(table, dict) else repr(table)
        raise CostInputError(f"{where}: must have exactly {', '.join(kinds)} (got {got})")
    return {kind: _number(table[kind], f"{where}.{kind}") for kind in kinds}


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise CostInputError(f"{where}={value!r}: must be a non-negative number")
    return float(value)
