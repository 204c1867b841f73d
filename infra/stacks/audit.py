"""The account's security services, in a stack of their own (one of each per account-region)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.audit.archive import AuditArchive
from infra.audit.compliance import ComplianceRecorder
from infra.audit.security_hub import SecurityFindings
from infra.audit.threat_detection import ThreatDetection
from infra.audit.trail import AuditTrail
from infra.config import PlatformConfig, RegionConfig
from infra.stacks.base import PlatformStack


class AuditStack(PlatformStack):
    """GuardDuty, AWS Config with the NIST pack, Security Hub with NIST and the application audit
    archive (:attr:`archive`) in each region; CloudTrail's multi-region trail in the primary.

    ``logs_bucket`` is the region's log archive (Config's snapshots and the conformance pack's
    template) under ``logs_bucket_key``; ``logs_key`` encrypts the region's log groups.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        region: RegionConfig,
        logs_bucket: s3.IBucket,
        logs_bucket_key: kms.IKey,
        logs_key: kms.IKey,
        audit_key: kms.IKey,
        access_logs_bucket: s3.IBucket,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        monitoring = config.monitoring
        # One multi-region trail records every region's API calls (the standby's included).
        self.trail = (
            None
            if region.standby
            else AuditTrail(
                self,
                "CloudTrail",
                prefix=config.prefix,
                trail_name=config.names.trail,
                logs_bucket=logs_bucket,
                logs_key=logs_key,
                retention_days=monitoring.audit_log_retention_days,
            )
        )
        self.threat_detection = ThreatDetection(
            self, "GuardDuty", finding_frequency=monitoring.guardduty_finding_frequency
        )
        self.compliance = ComplianceRecorder(
            self,
            "Config",
            prefix=config.prefix,
            logs_bucket=logs_bucket,
            logs_key=logs_bucket_key,
            snapshot_frequency=monitoring.config_snapshot_frequency,
            template_key=monitoring.nist_conformance_pack_template_key,
            # IAM and the other global resources are recorded once, by the primary's recorder.
            global_resources=not region.standby,
        )
        self.findings = SecurityFindings(
            self, "SecurityHub", standard=monitoring.nist_security_hub_standard
        )
        self.archive = AuditArchive(
            self,
            "Archive",
            prefix=config.prefix,
            archive=config.audit_archive,
            key=audit_key,
            logs_key=logs_key,
            log_retention_days=monitoring.audit_log_retention_days,
            access_logs_bucket=access_logs_bucket,
        )
