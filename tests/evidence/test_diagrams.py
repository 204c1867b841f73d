"""The boundary diagram's edge of the boundary: what CloudFront, Cognito and the deploy federation
are reached with, read from the templates, one node per region where each region has its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

from evidence import diagrams
from evidence.assembly import read_assembly
from evidence.ports import Resolver

ALB_GROUP = "SecurityGroupsAlbFB2F0AE8"


def _edges(dot: str) -> set[tuple[str, str, str]]:
    return set(re.findall(r'(\w+) -> (\w+) \[label="([^"]*)"', dot))


def test_the_edge_of_the_boundary_is_labelled_from_the_templates(package_dir: Path):
    dot = (package_dir / "diagrams" / "boundary.dot").read_text()
    edges = _edges(dot)
    assert ("n_users", "n_cloudfront", r"tcp 443\nTLS >= TLSv1.2_2021 (https-only)") in edges
    # The origin name's failover records: one load balancer per region, each its group.
    for network, failover in (("network", "PRIMARY"), ("dr_network", "SECONDARY")):
        origin = (
            rf"tcp 443\nTLS (origin.app.pcs.example.com, failover {failover})\nhttps-only "
            "TLSv1.2; forwards only requests with the origin header (else fixed-response 403)"
        )
        assert ("n_cloudfront", f"n_pcs_prod_{network}_{ALB_GROUP}", origin) in edges
    # Each load balancer is drawn internet-facing, in its group's node.
    assert (
        f'n_pcs_prod_network_{ALB_GROUP} [label="pcs-prod ALB: HTTPS from CloudFront only\\n'
        'LoadBalancer ApiAlb37BD42AF (internet-facing)"]'
    ) in dot
    for region in ("us_east_1", "us_west_2"):
        assert ("n_users", f"n_cognito_{region}", r"tcp 443\nTLS 1.2+ (sign-in)") in edges
    assert (
        "n_github",
        "n_oidc",
        r"tcp 443\nTLS: OIDC token of https://token.actions.githubusercontent.com"
        r"\n(STS AssumeRoleWithWebIdentity)",
    ) in edges


def test_a_cross_region_reference_resolves_to_the_writing_stacks_resource(prod):
    # The DR region's services read the primary's user pool through CDK's export reader.
    assembly = read_assembly(prod.outdir)
    dr_compute = assembly.stacks["pcs-prod-dr-compute"]
    reference = next(
        value
        for value in _values(dr_compute.template["Resources"])
        if isinstance(value, dict)
        and str(value.get("Fn::GetAtt", ["", ""])[1]).endswith("RefUsersPoolBFC35D3B323DECD7")
    )
    assert (
        Resolver(assembly).resolve(dr_compute, reference) == "pcs-prod-identity/UsersPoolBFC35D3B"
    )


def _values(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _values(child)


def _edit(assembly_copy: Path, stack: str, change) -> None:
    path = assembly_copy / f"pcs-prod-{stack}.template.json"
    template = json.loads(path.read_text())
    for logical_id, resource in template["Resources"].items():
        change(logical_id, resource["Type"], resource.get("Properties", {}))
    path.write_text(json.dumps(template))


def test_the_edge_labels_follow_the_templates(assembly_copy: Path):
    def edge(_lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::CloudFront::Distribution":
            config = props["DistributionConfig"]
            config["ViewerCertificate"]["MinimumProtocolVersion"] = "TLSv1"
            config["Origins"][0]["CustomOriginConfig"]["OriginSSLProtocols"] = ["TLSv1", "TLSv1.2"]

    def dr_origin(lid: str, _kind: str, props: dict) -> None:
        # The DR region's web rule (every path) forwards without the origin header.
        if lid.startswith("ApiProductionWebRule"):
            props["Conditions"] = [c for c in props["Conditions"] if c["Field"] != "http-header"]

    _edit(assembly_copy, "edge", edge)
    _edit(assembly_copy, "dr-origin", dr_origin)
    graph = diagrams.build(read_assembly(assembly_copy))
    labels = {(e.source, e.target): e.label for e in graph.edges}
    assert labels["n_users", "n_cloudfront"] == "tcp 443\nTLS >= TLSv1 (https-only)"
    assert labels["n_cloudfront", f"n_pcs_prod_dr_network_{ALB_GROUP}"] == (
        "tcp 443\nTLS (origin.app.pcs.example.com, failover SECONDARY)\nhttps-only "
        "TLSv1,TLSv1.2; forwards requests without the origin header"
    )
    assert labels["n_cloudfront", f"n_pcs_prod_network_{ALB_GROUP}"] == (
        "tcp 443\nTLS (origin.app.pcs.example.com, failover PRIMARY)\nhttps-only "
        "TLSv1,TLSv1.2; forwards only requests with the origin header (else fixed-response 403)"
    )


def test_an_internal_load_balancer_is_drawn_internal(assembly_copy: Path):
    def internal(_lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            props["Scheme"] = "internal"

    _edit(assembly_copy, "origin", internal)
    graph = diagrams.build(read_assembly(assembly_copy))
    assert graph.groups[f"n_pcs_prod_network_{ALB_GROUP}"].endswith(
        "LoadBalancer ApiAlb37BD42AF (internal)"
    )
