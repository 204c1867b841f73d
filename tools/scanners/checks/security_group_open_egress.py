"""CKV_PCS_1: no security group may send to the whole internet (SC-7(5): deny by default).

checkov's own checks look at ingress only. This one fails any ``AWS::EC2::SecurityGroup`` or
``AWS::EC2::SecurityGroupEgress`` whose egress reaches 0.0.0.0/0 or ::/0. A group with no inline
egress passes: CDK writes its "match no traffic" rule inline unless the group's rules are
separate ``SecurityGroupEgress`` resources, which this check sees on their own.
Loaded by the gate with ``--external-checks-dir`` (infra/gate/checkov.py); it runs in the
scanners' venv, so it imports checkov and nothing of the platform.
"""

from __future__ import annotations

from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult

OPEN = frozenset({"0.0.0.0/0", "::/0"})


def _open(rule: Any) -> bool:
    """A rule is open when either of its CIDRs is the whole address space."""
    if not isinstance(rule, dict):
        return True  # an intrinsic in place of a rule: it cannot be shown closed
    return rule.get("CidrIp") in OPEN or rule.get("CidrIpv6") in OPEN


class SecurityGroupOpenEgress(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure no security group allows egress to 0.0.0.0/0 or ::/0",
            id="CKV_PCS_1",
            categories=(CheckCategories.NETWORKING,),
            supported_resources=("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress"),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        properties = conf.get("Properties") or {}
        if conf["Type"] == "AWS::EC2::SecurityGroupEgress":
            self.evaluated_keys = ["Properties/CidrIp", "Properties/CidrIpv6"]
            return CheckResult.FAILED if _open(properties) else CheckResult.PASSED
        self.evaluated_keys = ["Properties/SecurityGroupEgress"]
        rules = properties.get("SecurityGroupEgress", [])
        if not isinstance(rules, list):
            return (
                CheckResult.FAILED
            )  # an intrinsic in place of the list: it cannot be shown closed
        return CheckResult.FAILED if any(_open(rule) for rule in rules) else CheckResult.PASSED


check = SecurityGroupOpenEgress()
