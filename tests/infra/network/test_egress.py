"""Issue 12: no security group in any stack sends to the whole internet (0.0.0.0/0 or ::/0)."""

from __future__ import annotations

import copy

import pytest

from evidence.assembly import read_assembly
from evidence.observations import collect

ANYWHERE = {"0.0.0.0/0", "::/0"}
EVIDENCE_CHECKS = ("PCS-SC7-EgressInline", "PCS-SC7-EgressRule")


def _open_egress(templates: dict[str, dict]) -> set[tuple[str, str]]:
    """``(stack, group name or id)`` of every egress rule to anywhere, inline or standalone."""
    found = set()
    for stack_name, template in templates.items():
        resources = template["Resources"]
        for logical_id, resource in resources.items():
            props = resource.get("Properties", {})
            if resource["Type"] == "AWS::EC2::SecurityGroup":
                rules, group = props.get("SecurityGroupEgress", []), logical_id
            elif resource["Type"] == "AWS::EC2::SecurityGroupEgress":
                rules, group = [props], str(props["GroupId"].get("Fn::GetAtt", [props])[0])
            else:
                continue
            name = resources.get(group, {}).get("Properties", {}).get("GroupName", group)
            found |= {
                (stack_name, name)
                for rule in rules
                if {rule.get("CidrIp"), rule.get("CidrIpv6")} & ANYWHERE
            }
    return found


def _templates(result) -> dict[str, dict]:
    return {name: stack.template for name, stack in result.stacks.items()}


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_no_group_in_any_stack_sends_to_the_internet(environment, request):
    assert _open_egress(_templates(request.getfixturevalue(environment))) == set()


def test_a_group_opened_to_the_internet_is_found(prod):
    # The check above cannot pass vacuously: an open rule in a copy of a template is found.
    templates = copy.deepcopy(_templates(prod))
    network = templates["pcs-prod-network"]["Resources"]
    group = next(v for v in network.values() if v["Type"] == "AWS::EC2::SecurityGroup")
    group["Properties"]["SecurityGroupEgress"] = [{"CidrIpv6": "::/0", "IpProtocol": "-1"}]
    assert _open_egress(templates) == {("pcs-prod-network", group["Properties"]["GroupName"])}


def test_the_evidence_package_finds_every_groups_egress_closed(prod):
    verdicts = [o for o in collect(read_assembly(prod.outdir)) if o.check in EVIDENCE_CHECKS]
    assert verdicts and {o.result for o in verdicts} == {"pass"}
