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
    # One VPC origin per region, each to its own load balancer's group.
    for network in ("network", "dr_network"):
        origin = r"tcp 443\nTLS (VPC origin) https-only TLSv1.2"
        assert ("n_cloudfront", f"n_pcs_prod_{network}_{ALB_GROUP}", origin) in edges
    for region in ("us_east_1", "us_west_2"):
        assert ("n_users", f"n_cognito_{region}", r"tcp 443\nTLS 1.2+ (sign-in)") in edges
    assert (
        "n_github",
        "n_oidc",
        r"tcp 443\nTLS: OIDC token of https://token.actions.githubusercontent.com"
        r"\n(STS AssumeRoleWithWebIdentity)",
    ) in edges


def test_a_cross_region_reference_resolves_to_the_writing_stacks_resource(prod):
    assembly = read_assembly(prod.outdir)
    edge = assembly.stacks["pcs-prod-edge"]
    standby = next(
        props["VpcOriginEndpointConfig"]["Arn"]
        for props in (r["Properties"] for r in edge.resources.values())
        if props.get("VpcOriginEndpointConfig", {}).get("Name") == "pcs-prod-dr-alb"
    )
    assert Resolver(assembly).resolve(edge, standby) == "pcs-prod-dr-origin/ApiAlb37BD42AF"


def test_the_edge_labels_follow_the_templates(assembly_copy: Path):
    path = assembly_copy / "pcs-prod-edge.template.json"
    template = json.loads(path.read_text())
    for resource in template["Resources"].values():
        props = resource["Properties"]
        if resource["Type"] == "AWS::CloudFront::Distribution":
            props["DistributionConfig"]["ViewerCertificate"]["MinimumProtocolVersion"] = "TLSv1"
        if props.get("VpcOriginEndpointConfig", {}).get("Name") == "pcs-prod-dr-alb":
            props["VpcOriginEndpointConfig"]["OriginSSLProtocols"] = ["TLSv1", "TLSv1.2"]
    path.write_text(json.dumps(template))
    graph = diagrams.build(read_assembly(assembly_copy))
    labels = {(e.source, e.target): e.label for e in graph.edges}
    assert labels["n_users", "n_cloudfront"] == "tcp 443\nTLS >= TLSv1 (https-only)"
    assert labels["n_cloudfront", f"n_pcs_prod_dr_network_{ALB_GROUP}"] == (
        "tcp 443\nTLS (VPC origin) https-only TLSv1,TLSv1.2"
    )
    assert labels["n_cloudfront", f"n_pcs_prod_network_{ALB_GROUP}"] == (
        "tcp 443\nTLS (VPC origin) https-only TLSv1.2"
    )
