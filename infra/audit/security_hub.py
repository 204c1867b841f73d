"""Security Hub: one place for GuardDuty, Config and control findings, scored against NIST."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_securityhub as securityhub
from constructs import Construct


class SecurityFindings(Construct):
    """Security Hub with consolidated control findings and the NIST 800-53 Rev 5 standard (CA-7).

    The default standards (FSBP, CIS 1.2) stay off: the platform is assessed against NIST, and
    their overlapping controls would double every finding.
    """

    def __init__(self, scope: Construct, construct_id: str, *, standard: str) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.hub = securityhub.CfnHub(
            self,
            "Hub",
            enable_default_standards=False,
            control_finding_generator="SECURITY_CONTROL",
            auto_enable_controls=True,
        )
        self.standard_arn = f"arn:{stack.partition}:securityhub:{stack.region}::{standard}"
        self.nist = securityhub.CfnStandard(self, "Nist80053Rev5", standards_arn=self.standard_arn)
        self.nist.node.add_dependency(self.hub)
