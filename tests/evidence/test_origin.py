"""The path in, read from prod's templates: CloudFront's origin name, the failover records that
answer it with each region's origin entry, the internal ALB behind each entry, and the boundary
both keep (SC-7); each part changes when the template's mechanism is removed from a copy."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from evidence import origin
from evidence.assembly import read_assembly
from evidence.provenance import of_repository
from evidence.status import IMPLEMENTED, PARTIAL, statuses
from tests.evidence.conftest import ROOT, read_observations

FIPS_POLICY = "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"
FROM_CLOUDFRONT = "(HTTPS from CloudFront origin-facing servers)"
FROM_ENTRY = "pcs-prod-entry-sg (HTTPS from the origin entry)"
ENTRY_LISTENER = "EntryNlbHttps1F27CD86"
ALB_LISTENER = "ApiAlbProductionA9523A87"

Change = Callable[[str, str, dict], None]  # (logical id, type, properties)


def _edit(assembly_copy: Path, stack: str, change: Change) -> None:
    path = assembly_copy / f"pcs-prod-{stack}.template.json"
    template = json.loads(path.read_text())
    for logical_id, resource in template["Resources"].items():
        change(logical_id, resource["Type"], resource.get("Properties", {}))
    path.write_text(json.dumps(template))


def _path(assembly_dir: Path) -> origin.PathIn:
    return origin.path_in(read_assembly(assembly_dir))


def _regions(path: origin.PathIn) -> dict[str, origin.RegionPath]:
    return {r.region: r for r in path.regions}


def test_the_origin_name_answers_with_each_regions_entry_in_front_of_its_internal_alb(prod):
    path = _path(prod.outdir)
    assert (path.name, path.origin_protocol, path.origin_port, path.origin_tls, path.header) == (
        "origin.app.pcs.example.com",
        "https-only",
        443,
        "TLSv1.2",
        "X-Origin-Verify",
    )
    assert [(r.region, r.failover, r.health_check) for r in path.regions] == [
        ("us-east-1", "PRIMARY", "alarm pcs-prod-primary-serves in us-west-2"),
        ("us-west-2", "SECONDARY", ""),
    ]
    for region, stack, network, prefix_list in zip(
        path.regions,
        ("pcs-prod-origin", "pcs-prod-dr-origin"),
        ("pcs-prod-network", "pcs-prod-dr-network"),
        ("pl-3b927c52", "pl-82a045eb"),
        strict=True,
    ):
        entry, alb = region.entry, region.balancer
        assert entry.resource == f"{stack}/EntryNlb2A1FDCB9"
        assert (entry.name, entry.kind, entry.scheme) == (
            "pcs-prod-entry",
            "network",
            "internet-facing",
        )
        assert [s.split("/")[1][: len("NetworkVpcpublic")] for s in entry.subnets] == [
            "NetworkVpcpublic"
        ] * 3
        assert entry.groups == (f"{network}/SecurityGroupsEntry0F2803CF",)
        assert (entry.listener, entry.protocol, entry.port) == (
            f"{stack}/{ENTRY_LISTENER}",
            "TCP",
            443,
        )
        assert (entry.target_group, entry.target_type, entry.health_check) == (
            f"{stack}/EntryNlbHttpsAlbGroup3739EF35",
            "alb",
            "HTTPS /health/entry",
        )
        assert entry.admission == f"443 admitted only from {prefix_list} {FROM_CLOUDFRONT}"

        assert alb.resource == f"{stack}/ApiAlb37BD42AF"
        assert (alb.name, alb.kind, alb.scheme) == ("pcs-prod-api", "application", "internal")
        assert [s.split("/")[1][: len("NetworkVpcprivate")] for s in alb.subnets] == [
            "NetworkVpcprivate"
        ] * 3
        assert (alb.listener, alb.protocol, alb.port, alb.tls_policy) == (
            f"{stack}/{ALB_LISTENER}",
            "HTTPS",
            443,
            FIPS_POLICY,
        )
        assert alb.default_action == "fixed-response 403"
        assert alb.header_required
        assert alb.admission == (
            f"443 admitted only from {FROM_ENTRY} and {prefix_list} {FROM_CLOUDFRONT}"
        )


def test_the_ssp_says_the_path_in_and_the_boundary_the_templates_keep(package_dir: Path):
    ssp = json.loads(
        (package_dir / "oscal/system-security-plans/pcs/system-security-plan.json").read_text()
    )["system-security-plan"]
    assert ssp["system-characteristics"]["data-flow"]["description"] == (
        "Users reach CloudFront over TLS (>= TLSv1.2_2021, https-only); CloudFront reaches "
        "origin.app.pcs.example.com over HTTPS 443 (custom origin https-only TLSv1.2, header "
        "X-Origin-Verify), a Route 53 failover name that answers with us-east-1's origin entry "
        "(PRIMARY), us-west-2's (SECONDARY) after a traffic switch. The entries are "
        "internet-facing network load balancers passing TCP 443 to the internal application "
        f"load balancer behind each (listener HTTPS 443 {FIPS_POLICY}), which forwards only "
        "requests with the origin header (else fixed-response 403); their security groups: "
        f"us-east-1: entry 443 admitted only from pl-3b927c52 {FROM_CLOUDFRONT}, load balancer "
        f"443 admitted only from {FROM_ENTRY} and pl-3b927c52 {FROM_CLOUDFRONT}; us-west-2: "
        f"entry 443 admitted only from pl-82a045eb {FROM_CLOUDFRONT}, load balancer 443 "
        f"admitted only from {FROM_ENTRY} and pl-82a045eb {FROM_CLOUDFRONT}. Tasks reach the "
        "database, cache and Kafka over TLS and AWS APIs through VPC endpoints."
    )
    # The header's value is a dynamic reference in the templates, never written out.
    assert "resolve:secretsmanager" not in json.dumps(ssp)


def _without_header_condition(lid: str, _kind: str, props: dict) -> None:
    if lid.startswith("ApiProductionRule"):
        props["Conditions"] = [c for c in props["Conditions"] if c["Field"] != "http-header"]


def _other_header_value(lid: str, _kind: str, props: dict) -> None:
    if lid.startswith("ApiProductionWebRule"):
        for condition in props["Conditions"]:
            if condition["Field"] == "http-header":
                condition["HttpHeaderConfig"]["Values"] = ["{{resolve:secretsmanager:other}}"]


def _forwarding_default(lid: str, _kind: str, props: dict) -> None:
    if lid.startswith("ApiAlbProduction"):
        props["DefaultActions"] = [{"Type": "forward", "TargetGroupArn": {"Ref": "ApiWebCB45A58C"}}]


@pytest.mark.parametrize(
    "change",
    [_without_header_condition, _other_header_value, _forwarding_default],
    ids=["rule-without-header", "rule-with-another-value", "default-action-forwards"],
)
def test_an_alb_that_forwards_without_the_origin_header_is_said_to(assembly_copy: Path, change):
    _edit(assembly_copy, "dr-origin", change)
    path = _path(assembly_copy)
    dr = _regions(path)["us-west-2"].balancer
    assert not dr.header_required
    assert dr.forwarding == "forwards requests without the origin header"
    assert _regions(path)["us-east-1"].balancer.header_required
    assert "forwards requests without the origin header" in origin.data_flow_text(path)


def test_without_the_header_cloudfront_sends_no_alb_requires_it(assembly_copy: Path):
    def no_header(_lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::CloudFront::Distribution":
            del props["DistributionConfig"]["Origins"][0]["OriginCustomHeaders"]

    _edit(assembly_copy, "edge", no_header)
    path = _path(assembly_copy)
    assert path.origin.endswith("(custom origin https-only TLSv1.2, no origin header)")
    assert {r.balancer.header_required for r in path.regions} == {False}


def _open_to_anyone(group: str) -> Change:
    """The group's 443 rule from CloudFront's prefix list opened to every address instead."""

    def change(lid: str, kind: str, props: dict) -> None:
        ingress = kind == "AWS::EC2::SecurityGroupIngress"
        if ingress and lid.startswith(f"SecurityGroups{group}frompl"):
            del props["SourcePrefixListId"]
            props["CidrIp"] = "0.0.0.0/0"

    return change


def test_the_admission_is_every_ingress_rule_on_the_origin_port(assembly_copy: Path):
    _edit(assembly_copy, "network", _open_to_anyone("Entry"))
    _edit(assembly_copy, "dr-network", _open_to_anyone("Alb"))
    regions = _regions(_path(assembly_copy))
    assert regions["us-east-1"].entry.admission == (
        f"443 admitted only from 0.0.0.0/0 {FROM_CLOUDFRONT}"
    )
    assert regions["us-east-1"].balancer.admission == (
        f"443 admitted only from {FROM_ENTRY} and pl-3b927c52 {FROM_CLOUDFRONT}"
    )
    assert regions["us-west-2"].entry.admission == (
        f"443 admitted only from pl-82a045eb {FROM_CLOUDFRONT}"
    )
    assert regions["us-west-2"].balancer.admission == (
        f"443 admitted only from 0.0.0.0/0 {FROM_CLOUDFRONT} and {FROM_ENTRY}"
    )


def test_the_schemes_are_the_templates(assembly_copy: Path):
    def internal(lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" and lid.startswith("EntryNlb"):
            props["Scheme"] = "internal"

    def internet_facing(lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" and lid.startswith("ApiAlb"):
            del props["Scheme"]  # CloudFormation's default: internet-facing

    _edit(assembly_copy, "origin", internal)
    _edit(assembly_copy, "dr-origin", internet_facing)
    path = _path(assembly_copy)
    assert [(r.entry.scheme, r.balancer.scheme) for r in path.regions] == [
        ("internal", "internal"),
        ("internet-facing", "internet-facing"),
    ]
    assert (
        "The entries are internal and internet-facing network load balancers passing TCP 443 to "
        "the internal and internet-facing application load balancer behind each"
    ) in origin.data_flow_text(path)


def test_without_a_primary_record_the_path_in_is_a_named_failure(assembly_copy: Path):
    def secondary(lid: str, _kind: str, props: dict) -> None:
        if lid == "OriginRecord":
            props["Failover"] = "SECONDARY"

    _edit(assembly_copy, "origin", secondary)
    with pytest.raises(
        LookupError, match=r"no PRIMARY failover record answers origin\.app\.pcs\.example\.com$"
    ):
        _path(assembly_copy)


def test_a_record_that_answers_with_the_alb_itself_is_a_named_failure(assembly_copy: Path):
    def to_the_alb(lid: str, _kind: str, props: dict) -> None:
        if lid == "OriginRecord":
            props["AliasTarget"]["DNSName"] = {"Fn::GetAtt": ["ApiAlb37BD42AF", "DNSName"]}

    _edit(assembly_copy, "dr-origin", to_the_alb)
    with pytest.raises(
        LookupError,
        match=r"^the SECONDARY record of origin\.app\.pcs\.example\.com\. answers with "
        r"pcs-prod-dr-origin/ApiAlb37BD42AF, a load balancer of type application: no origin "
        r"entry \(network\) in front of it$",
    ):
        _path(assembly_copy)


def _entry_listener_on(port: int) -> Change:
    def change(lid: str, _kind: str, props: dict) -> None:
        if lid == ENTRY_LISTENER:
            props["Port"] = port

    return change


def _entry_answers_403(lid: str, _kind: str, props: dict) -> None:
    if lid == ENTRY_LISTENER:
        props["DefaultActions"] = [{"Type": "fixed-response", "FixedResponseConfig": {}}]


def _entry_targets_ips(_lid: str, kind: str, props: dict) -> None:
    if kind == "AWS::ElasticLoadBalancingV2::TargetGroup" and props.get("TargetType") == "alb":
        props["TargetType"] = "ip"


def _record_to_its_health_check(lid: str, _kind: str, props: dict) -> None:
    if lid == "OriginRecord":
        props["AliasTarget"]["DNSName"] = {"Fn::GetAtt": ["OriginRecordSwitch", "DNSName"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_entry_listener_on(8443), "pcs-prod-origin/EntryNlb2A1FDCB9 has no listener on 443"),
        (_entry_answers_403, f"pcs-prod-origin/{ENTRY_LISTENER} forwards to no target group"),
        (
            _entry_targets_ips,
            "pcs-prod-origin/EntryNlbHttpsAlbGroup3739EF35 holds ip targets, not the load "
            "balancer behind the entry",
        ),
        (
            _record_to_its_health_check,
            "pcs-prod-origin/OriginRecordSwitch is of type AWS::Route53::HealthCheck, not a "
            "load balancer",
        ),
    ],
    ids=["no-listener-on-443", "no-forward", "ip-targets", "alias-to-a-health-check"],
)
def test_an_entry_that_leads_nowhere_is_a_named_failure(assembly_copy: Path, change, message):
    _edit(assembly_copy, "origin", change)
    with pytest.raises(LookupError, match=f"^{re.escape(message)}$"):
        _path(assembly_copy)


def test_an_entry_whose_groups_admit_nothing_on_the_port_admits_no_one(assembly_copy: Path):
    path = assembly_copy / "pcs-prod-network.template.json"
    template = json.loads(path.read_text())
    (rule,) = [lid for lid in template["Resources"] if lid.startswith("SecurityGroupsEntryfrompl")]
    del template["Resources"][rule]
    path.write_text(json.dumps(template))
    entry = _regions(_path(assembly_copy))["us-east-1"].entry
    assert entry.admission == "443 admitted only from no one"


def test_the_boundary_check_passes_on_each_entry_and_alb_listener(package_dir: Path):
    found = [o for o in read_observations(package_dir) if o.check == origin.CHECK]
    assert [(o.stack, o.logical_id, o.result, o.value) for o in found] == [
        ("pcs-prod-dr-origin", ALB_LISTENER, "pass", "[]"),
        ("pcs-prod-dr-origin", ENTRY_LISTENER, "pass", "[]"),
        ("pcs-prod-origin", ALB_LISTENER, "pass", "[]"),
        ("pcs-prod-origin", ENTRY_LISTENER, "pass", "[]"),
    ]


def _failing(package_dir: Path, assembly_copy: Path, stack: str, change: Change):
    """The boundary check's failing observations after ``change`` to ``stack``'s copy, and the
    control statuses before and after it."""
    kept = [o for o in read_observations(package_dir) if o.check != origin.CHECK]
    committed_at = of_repository(ROOT).committed_at
    before = statuses(kept + origin.observations(read_assembly(assembly_copy)), committed_at)
    _edit(assembly_copy, stack, change)
    mutated = origin.observations(read_assembly(assembly_copy))
    after = statuses(kept + mutated, committed_at)
    for control in origin.CHECK_CONTROLS:
        assert before[control].status != PARTIAL, (control, before[control].remark)
        assert after[control].status == PARTIAL, (control, after[control].remark)
    assert after["sc-7"].status != IMPLEMENTED
    return sorted(
        (o.stack, o.logical_id, o.result, json.loads(o.value))
        for o in mutated
        if o.result != "pass"
    )


def test_removing_the_header_condition_turns_sc7_away_from_implemented(
    package_dir: Path, assembly_copy: Path
):
    assert _failing(package_dir, assembly_copy, "dr-origin", _without_header_condition) == [
        (
            "pcs-prod-dr-origin",
            ALB_LISTENER,
            "fail",
            ["forwards requests without the origin header"],
        )
    ]


def test_an_alb_port_open_beyond_the_prefix_list_and_the_entry_fails_the_check(
    package_dir: Path, assembly_copy: Path
):
    assert _failing(package_dir, assembly_copy, "network", _open_to_anyone("Alb")) == [
        (
            "pcs-prod-origin",
            ALB_LISTENER,
            "fail",
            [f"443 admitted from 0.0.0.0/0 {FROM_CLOUDFRONT}"],
        )
    ]


def test_an_entry_open_to_anyone_fails_the_check(package_dir: Path, assembly_copy: Path):
    assert _failing(package_dir, assembly_copy, "dr-network", _open_to_anyone("Entry")) == [
        (
            "pcs-prod-dr-origin",
            ENTRY_LISTENER,
            "fail",
            [f"443 admitted from 0.0.0.0/0 {FROM_CLOUDFRONT}"],
        )
    ]


def test_an_entry_without_a_security_group_admits_anyone_and_fails_the_check(
    package_dir: Path, assembly_copy: Path
):
    def no_group(lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" and lid.startswith("EntryNlb"):
            del props["SecurityGroups"]

    failing = _failing(package_dir, assembly_copy, "origin", no_group)
    assert _regions(_path(assembly_copy))["us-east-1"].entry.admission == (
        "443 admitted only from 0.0.0.0/0 (the entry has no security group)"
    )
    assert failing == [
        # The ALB still admits the entry's group, which no entry is in any more.
        ("pcs-prod-origin", ALB_LISTENER, "fail", [f"443 admitted from {FROM_ENTRY}"]),
        (
            "pcs-prod-origin",
            ENTRY_LISTENER,
            "fail",
            ["443 admitted from 0.0.0.0/0 (the entry has no security group)"],
        ),
    ]
