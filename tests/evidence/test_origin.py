"""The path in, read from prod's templates: CloudFront's origin name, the failover records that
answer it, and the boundary each region's load balancer keeps (SC-7); each part changes when the
template's mechanism is removed from a copy."""

from __future__ import annotations

import json
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

Change = Callable[[str, str, dict], None]  # (logical id, type, properties)


def _edit(assembly_copy: Path, stack: str, change: Change) -> None:
    path = assembly_copy / f"pcs-prod-{stack}.template.json"
    template = json.loads(path.read_text())
    for logical_id, resource in template["Resources"].items():
        change(logical_id, resource["Type"], resource.get("Properties", {}))
    path.write_text(json.dumps(template))


def _path(assembly_dir: Path) -> origin.PathIn:
    return origin.path_in(read_assembly(assembly_dir))


def _balancers(path: origin.PathIn) -> dict[str, origin.Balancer]:
    return {b.region: b for b in path.balancers}


def test_the_origin_name_answers_with_each_regions_internet_facing_alb(prod):
    path = _path(prod.outdir)
    assert (path.name, path.origin_protocol, path.origin_port, path.origin_tls, path.header) == (
        "origin.app.pcs.example.com",
        "https-only",
        443,
        "TLSv1.2",
        "X-Origin-Verify",
    )
    assert [(b.region, b.failover, b.health_check) for b in path.balancers] == [
        ("us-east-1", "PRIMARY", "alarm pcs-prod-primary-serves in us-west-2"),
        ("us-west-2", "SECONDARY", ""),
    ]
    for balancer, stack, prefix_list in zip(
        path.balancers,
        ("pcs-prod-origin", "pcs-prod-dr-origin"),
        ("pl-3b927c52", "pl-82a045eb"),
        strict=True,
    ):
        assert balancer.resource == f"{stack}/ApiAlb37BD42AF"
        assert (balancer.name, balancer.scheme) == ("pcs-prod-origin", "internet-facing")
        assert balancer.listener == f"{stack}/ApiAlbProductionA9523A87"
        assert (balancer.protocol, balancer.port, balancer.tls_policy) == (
            "HTTPS",
            443,
            FIPS_POLICY,
        )
        assert balancer.default_action == "fixed-response 403"
        assert balancer.header_required
        assert balancer.admitted == (f"{prefix_list} {FROM_CLOUDFRONT}",)


def test_the_ssp_says_the_path_in_and_the_boundary_the_templates_keep(package_dir: Path):
    ssp = json.loads(
        (package_dir / "oscal/system-security-plans/pcs/system-security-plan.json").read_text()
    )["system-security-plan"]
    assert ssp["system-characteristics"]["data-flow"]["description"] == (
        "Users reach CloudFront over TLS (>= TLSv1.2_2021, https-only); CloudFront reaches "
        "origin.app.pcs.example.com over HTTPS 443 (custom origin https-only TLSv1.2, header "
        "X-Origin-Verify), a Route 53 failover name that answers with us-east-1's load balancer "
        "(PRIMARY), us-west-2's (SECONDARY) after a traffic switch. The load balancers are "
        "internet-facing; each forwards only requests with the origin header (else "
        "fixed-response 403); their security groups: us-east-1: 443 admitted only from "
        f"pl-3b927c52 {FROM_CLOUDFRONT}; us-west-2: 443 admitted only from pl-82a045eb "
        f"{FROM_CLOUDFRONT}. Tasks reach the database, cache and Kafka over TLS and AWS APIs "
        "through VPC endpoints."
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
    dr = _balancers(path)["us-west-2"]
    assert not dr.header_required
    assert dr.forwarding == "forwards requests without the origin header"
    assert _balancers(path)["us-east-1"].header_required
    assert "forwards requests without the origin header" in origin.data_flow_text(path)


def test_without_the_header_cloudfront_sends_no_alb_requires_it(assembly_copy: Path):
    def no_header(_lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::CloudFront::Distribution":
            del props["DistributionConfig"]["Origins"][0]["OriginCustomHeaders"]

    _edit(assembly_copy, "edge", no_header)
    path = _path(assembly_copy)
    assert path.origin.endswith("(custom origin https-only TLSv1.2, no origin header)")
    assert {b.header_required for b in path.balancers} == {False}


def test_the_admission_is_every_ingress_rule_on_the_origin_port(assembly_copy: Path):
    def anyone(lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::EC2::SecurityGroupIngress" and lid.startswith("SecurityGroupsAlbfrompl"):
            del props["SourcePrefixListId"]
            props["CidrIp"] = "0.0.0.0/0"

    _edit(assembly_copy, "network", anyone)
    path = _path(assembly_copy)
    assert _balancers(path)["us-east-1"].admission == (
        f"443 admitted only from 0.0.0.0/0 {FROM_CLOUDFRONT}"
    )
    assert _balancers(path)["us-west-2"].admission == (
        f"443 admitted only from pl-82a045eb {FROM_CLOUDFRONT}"
    )


def test_the_scheme_is_the_templates(assembly_copy: Path):
    def internal(_lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            props["Scheme"] = "internal"

    _edit(assembly_copy, "origin", internal)
    path = _path(assembly_copy)
    assert [b.scheme for b in path.balancers] == ["internal", "internet-facing"]
    assert "The load balancers are internal and internet-facing;" in origin.data_flow_text(path)


def test_without_a_primary_record_the_path_in_is_a_named_failure(assembly_copy: Path):
    def secondary(lid: str, _kind: str, props: dict) -> None:
        if lid == "OriginRecord":
            props["Failover"] = "SECONDARY"

    _edit(assembly_copy, "origin", secondary)
    with pytest.raises(
        LookupError, match=r"no PRIMARY failover record answers origin\.app\.pcs\.example\.com$"
    ):
        _path(assembly_copy)


def test_the_boundary_check_passes_on_each_albs_production_listener(package_dir: Path):
    found = [o for o in read_observations(package_dir) if o.check == origin.CHECK]
    assert [(o.stack, o.logical_id, o.result, o.value) for o in found] == [
        ("pcs-prod-dr-origin", "ApiAlbProductionA9523A87", "pass", "[]"),
        ("pcs-prod-origin", "ApiAlbProductionA9523A87", "pass", "[]"),
    ]


def test_removing_the_header_condition_turns_sc7_away_from_implemented(
    package_dir: Path, assembly_copy: Path
):
    kept = [o for o in read_observations(package_dir) if o.check != origin.CHECK]
    committed_at = of_repository(ROOT).committed_at
    before = statuses(kept + origin.observations(read_assembly(assembly_copy)), committed_at)
    _edit(assembly_copy, "dr-origin", _without_header_condition)
    mutated = origin.observations(read_assembly(assembly_copy))
    after = statuses(kept + mutated, committed_at)
    for control in origin.CHECK_CONTROLS:
        assert before[control].status != PARTIAL, (control, before[control].remark)
        assert after[control].status == PARTIAL, (control, after[control].remark)
    assert after["sc-7"].status != IMPLEMENTED
    assert [(o.stack, o.result, o.value) for o in mutated if o.result != "pass"] == [
        ("pcs-prod-dr-origin", "fail", '["forwards requests without the origin header"]')
    ]


def test_an_origin_port_open_beyond_a_prefix_list_fails_the_boundary_check(assembly_copy: Path):
    def anyone(lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::EC2::SecurityGroupIngress" and lid.startswith("SecurityGroupsAlbfrompl"):
            del props["SourcePrefixListId"]
            props["CidrIp"] = "0.0.0.0/0"

    _edit(assembly_copy, "network", anyone)
    failing = [o for o in origin.observations(read_assembly(assembly_copy)) if o.result == "fail"]
    assert [(o.stack, json.loads(o.value)) for o in failing] == [
        ("pcs-prod-origin", [f"443 admitted from 0.0.0.0/0 {FROM_CLOUDFRONT}"])
    ]
