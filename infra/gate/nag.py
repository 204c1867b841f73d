"""cdk-nag 3 registration and the one way this repo acknowledges a finding (cdk-nag or checkov)."""

from __future__ import annotations

import re

from aws_cdk import Acknowledgment, App, CfnResource, Validations
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from constructs import IConstruct

from infra.gate.checkov import MIN_REASON

NIST = "NIST.800.53.R5"

# What cdk-nag finds on CDK's own stack-level handlers (a CfnResource each, which the synth's
# packs do not report, so only the evidence's evaluation of the templates sees them).
HANDLER_FUNCTION_RULES = (
    "NIST.800.53.R5-LambdaConcurrency",
    "NIST.800.53.R5-LambdaDLQ",
    "NIST.800.53.R5-LambdaInsideVPC",
)
# A rule acknowledged without a finding covers every finding of it (CDK writes these policies).
HANDLER_ROLE_RULES = ("NIST.800.53.R5-IAMNoInlinePolicy", "AwsSolutions-IAM4", "AwsSolutions-IAM5")
_CHECKOV_ID = re.compile(r"CKV2?_[A-Z0-9]+_\d+")


def register_compliance_packs(app: App) -> None:
    """Run NIST 800-53 Rev 5 and AWS Solutions on every synth; an unacknowledged error fails it."""
    Validations.of(app).add_plugins(NIST80053R5Checks(app), AwsSolutionsChecks(app))


def acknowledge(construct: IConstruct, reason: str, *rule_ids: str) -> None:
    """Acknowledge findings on ``construct`` (and its children) with the compensating control.

    ``rule_ids`` are pack rule names as the report prints them (``AwsSolutions-S1``,
    ``NIST.800.53.R5-S3BucketLoggingEnabled``, ``AwsSolutions-IAM5[Resource::*]``), ids already
    qualified by their plugin (``CloudFormation-Validate::F3006``), or checkov check ids
    (``CKV_AWS_18``), which become ``Metadata.checkov.skip`` entries of every CloudFormation
    resource under ``construct``. The reason is recorded in the cloud assembly and the templates
    for auditors, so it must say what control stands in instead.
    """
    if len(reason) < MIN_REASON:
        raise ValueError(f"acknowledgement of {rule_ids} needs a reason naming the control")
    checkov = [rule_id for rule_id in rule_ids if _CHECKOV_ID.fullmatch(rule_id)]
    nag = [rule_id for rule_id in rule_ids if rule_id not in checkov]
    if nag:
        Validations.of(construct).acknowledge(
            *(Acknowledgment(id=_qualified(rule_id), reason=reason) for rule_id in nag)
        )
    if checkov:
        for resource in construct.node.find_all():
            if isinstance(resource, CfnResource):
                _skip_checkov(resource, reason, checkov)


def _skip_checkov(resource: CfnResource, reason: str, check_ids: list[str]) -> None:
    """checkov reads ``Metadata: {checkov: {skip: [{id, comment}]}}`` beside the resource."""
    skips = list((resource.get_metadata("checkov") or {}).get("skip", ()))
    skipped = {skip["id"] for skip in skips}
    skips += [{"id": i, "comment": reason} for i in check_ids if i not in skipped]
    resource.add_metadata("checkov", {"skip": skips})


def _qualified(rule_id: str) -> str:
    if rule_id.split("[", 1)[0].count("::"):
        return rule_id
    # cdk-nag 3 keys a finding as "<pack>::<rule>"; the pack is the rule's prefix.
    pack = NIST if rule_id.startswith(f"{NIST}-") else rule_id.split("-", 1)[0]
    return f"{pack}::{rule_id}"
