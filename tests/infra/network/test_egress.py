"""Issue 12: no security group in any stack sends to the whole internet (0.0.0.0/0 or ::/0).

The one exception is the API's HTTPS to Cognito for the user pool's signing keys (no
PrivateLink for a pool with a domain), acknowledged beside the group with its reason.
"""

from __future__ import annotations

import pytest

from evidence.assembly import read_assembly
from evidence.observations import collect

ANYWHERE = {"0.0.0.0/0", "::/0"}
INTERNET_EGRESS = "PCS-SC7-EgressInline"


def _open_egress(result) -> set[tuple[str, str]]:
    """``(stack, group name or logical id)`` of every egress rule to anywhere, in every stack."""
    found = set()
    for stack_name, stack in result.stacks.items():
        resources = stack.template["Resources"]
        for logical_id, resource in resources.items():
            props = resource.get("Properties", {})
            if resource["Type"] == "AWS::EC2::SecurityGroup":
                rules, group = props.get("SecurityGroupEgress", []), logical_id
            elif resource["Type"] == "AWS::EC2::SecurityGroupEgress":
                rules, group = [props], str(props["GroupId"].get("Fn::GetAtt", [props])[0])
            else:
                continue
            name = resources.get(group, {}).get("Properties", {}).get("GroupName", group)
            stack_unit = stack_name.removeprefix(f"{result.config.prefix}-")
            found |= {
                (stack_unit, name)
                for rule in rules
                if {rule.get("CidrIp"), rule.get("CidrIpv6")} & ANYWHERE
            }
    return found


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_only_the_api_group_sends_to_the_internet_in_any_stack(environment, request):
    result = request.getfixturevalue(environment)
    api = f"{result.config.prefix}-api-sg"
    assert _open_egress(result) == {("network", api), ("dr-network", api)}


def test_the_evidence_reports_every_groups_egress_passed_but_the_apis_acknowledged(prod):
    verdicts = {
        (o.stack, o.logical_id, o.result)
        for o in collect(read_assembly(prod.outdir))
        if o.check in (INTERNET_EGRESS, "PCS-SC7-EgressRule") and o.result != "pass"
    }
    network = prod.stacks[f"{prod.config.prefix}-network"].template["Resources"]
    (api,) = [
        k for k, v in network.items() if v["Properties"].get("GroupName") == "pcs-prod-api-sg"
    ]
    assert {(stack, result) for stack, _, result in verdicts} == {
        ("pcs-prod-network", "acknowledged"),
        ("pcs-prod-dr-network", "acknowledged"),
    }
    assert api in {logical_id for _, logical_id, _ in verdicts}
