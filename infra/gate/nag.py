"""cdk-nag 3 registration and the one way this repo acknowledges a finding."""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from constructs import IConstruct

NIST = "NIST.800.53.R5"


def register_compliance_packs(app: App) -> None:
    """Run NIST 800-53 Rev 5 and AWS Solutions on every synth; an unacknowledged error fails it."""
    Validations.of(app).add_plugins(NIST80053R5Checks(app), AwsSolutionsChecks(app))


def acknowledge(construct: IConstruct, reason: str, *rule_ids: str) -> None:
    """Acknowledge findings on ``construct`` (and its children) with the compensating control.

    ``rule_ids`` are pack rule names as the report prints them (``AwsSolutions-S1``,
    ``NIST.800.53.R5-S3BucketLoggingEnabled``, ``AwsSolutions-IAM5[Resource::*]``), or ids already
    qualified by their plugin (``CloudFormation-Validate::F3006``). The reason is
    recorded in the cloud assembly for auditors, so it must say what control stands in instead.
    """
    if len(reason) < 20:
        raise ValueError(f"acknowledgement of {rule_ids} needs a reason naming the control")
    Validations.of(construct).acknowledge(
        *(Acknowledgment(id=_qualified(rule_id), reason=reason) for rule_id in rule_ids)
    )


def _qualified(rule_id: str) -> str:
    if rule_id.split("[", 1)[0].count("::"):
        return rule_id
    # cdk-nag 3 keys a finding as "<pack>::<rule>"; the pack is the rule's prefix.
    pack = NIST if rule_id.startswith(f"{NIST}-") else rule_id.split("-", 1)[0]
    return f"{pack}::{rule_id}"
