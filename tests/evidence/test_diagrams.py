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
ENTRY_GROUP = "SecurityGroupsEntry0F2803CF"
ALB = "ApiAlb37BD42AF"
ENTRY = "EntryNlb2A1FDCB9"
FIPS_POLICY = "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"


def _edges(dot: str) -> set[tuple[str, str, str]]:
    return set(re.findall(r'(\w+) -> (\w+) \[label="([^"]*)"', dot))


def test_the_edge_of_the_boundary_is_labelled_from_the_templates(package_dir: Path):
    dot = (package_dir / "diagrams" / "boundary.dot").read_text()
    edges = _edges(dot)
    assert ("n_users", "n_cloudfront", r"tcp 443\nTLS >= TLSv1.2_2021 (https-only)") in edges
    # The origin name's failover records: each region's origin entry, then the ALB behind it.
    for stack, failover, prefix_list in (
        ("origin", "PRIMARY", "pl-3b927c52"),
        ("dr_origin", "SECONDARY", "pl-82a045eb"),
    ):
        to_entry = (
            rf"tcp 443\nTLS (origin.app.pcs.example.com, failover {failover})\nhttps-only "
            f"TLSv1.2; 443 admitted only from {prefix_list} (HTTPS from CloudFront origin-facing "
            "servers)"
        )
        assert ("n_cloudfront", f"n_pcs_prod_{stack}_{ENTRY}", to_entry) in edges
        to_alb = (
            r"TCP 443 to target group EntryNlbHttpsAlbGroup3739EF35 (type alb, health check "
            rf"HTTPS /health/entry)\nTLS ends here: listener HTTPS 443 {FIPS_POLICY}\nforwards "
            "only requests with the origin header (else fixed-response 403)"
        )
        assert (f"n_pcs_prod_{stack}_{ENTRY}", f"n_pcs_prod_{stack}_{ALB}", to_alb) in edges
    # CloudFront reaches no security group directly: only the entries.
    assert {t for s, t, _l in edges if s == "n_cloudfront"} == {
        f"n_pcs_prod_origin_{ENTRY}",
        f"n_pcs_prod_dr_origin_{ENTRY}",
    }
    # Each entry is drawn in its region's public subnets, each ALB in the private ones.
    for region, stack in (("us_east_1", "origin"), ("us_west_2", "dr_origin")):
        public = _cluster(dot, f"cluster_n_{region}_n_public")
        private = _cluster(dot, f"cluster_n_{region}_n_private")
        assert (
            f'n_pcs_prod_{stack}_{ENTRY} [label="Network load balancer pcs-prod-entry '
            f'(internet-facing)\\npcs-prod-{stack.replace("_", "-")}/{ENTRY}", shape=component]'
        ) in public
        assert (
            f'n_pcs_prod_{stack}_{ALB} [label="Application load balancer pcs-prod-api '
            f'(internal)\\npcs-prod-{stack.replace("_", "-")}/{ALB}", shape=component]'
        ) in private
        assert f"n_pcs_prod_{stack}_{ENTRY}" not in private
    # Each group's node names the load balancer in it with its scheme.
    assert (
        f'n_pcs_prod_network_{ENTRY_GROUP} [label="pcs-prod Origin entry (NLB): HTTPS from '
        f'CloudFront only, to the ALB\\nLoadBalancer {ENTRY} (internet-facing)"]'
    ) in dot
    assert (
        f'n_pcs_prod_network_{ALB_GROUP} [label="pcs-prod ALB: HTTPS from CloudFront only\\n'
        f'LoadBalancer {ALB} (internal)"]'
    ) in dot
    for region in ("us_east_1", "us_west_2"):
        assert ("n_users", f"n_cognito_{region}", r"tcp 443\nTLS 1.2+ (sign-in)") in edges
    assert (
        "n_github",
        "n_oidc",
        r"tcp 443\nTLS: OIDC token of https://token.actions.githubusercontent.com"
        r"\n(STS AssumeRoleWithWebIdentity)",
    ) in edges


def _cluster(dot: str, name: str) -> str:
    """The lines of one subgraph of the DOT source, up to its closing brace."""
    start = dot.index(f"subgraph {name} ")
    return dot[start : dot.index("\n        }", start)]


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
    assert labels["n_cloudfront", f"n_pcs_prod_dr_origin_{ENTRY}"].startswith(
        "tcp 443\nTLS (origin.app.pcs.example.com, failover SECONDARY)\nhttps-only TLSv1,TLSv1.2; "
    )
    assert labels[f"n_pcs_prod_dr_origin_{ENTRY}", f"n_pcs_prod_dr_origin_{ALB}"].endswith(
        f"\nTLS ends here: listener HTTPS 443 {FIPS_POLICY}\nforwards requests without the "
        "origin header"
    )
    assert labels[f"n_pcs_prod_origin_{ENTRY}", f"n_pcs_prod_origin_{ALB}"].endswith(
        f"\nTLS ends here: listener HTTPS 443 {FIPS_POLICY}\nforwards only requests with the "
        "origin header (else fixed-response 403)"
    )


def test_the_entry_edge_says_what_its_groups_admit(assembly_copy: Path):
    def anyone(lid: str, kind: str, props: dict) -> None:
        if kind == "AWS::EC2::SecurityGroupIngress" and lid.startswith("SecurityGroupsEntryfrompl"):
            del props["SourcePrefixListId"]
            props["CidrIp"] = "0.0.0.0/0"

    _edit(assembly_copy, "network", anyone)
    labels = {
        (e.source, e.target): e.label for e in diagrams.build(read_assembly(assembly_copy)).edges
    }
    assert labels["n_cloudfront", f"n_pcs_prod_origin_{ENTRY}"].endswith(
        "; 443 admitted only from 0.0.0.0/0 (HTTPS from CloudFront origin-facing servers)"
    )


def test_a_load_balancer_is_drawn_with_its_scheme_and_in_its_subnets_tier(assembly_copy: Path):
    # The entry made internal, in the ALB's private subnets.
    path = assembly_copy / "pcs-prod-origin.template.json"
    template = json.loads(path.read_text())
    resources = template["Resources"]
    resources[ENTRY]["Properties"]["Scheme"] = "internal"
    resources[ENTRY]["Properties"]["Subnets"] = resources[ALB]["Properties"]["Subnets"]
    path.write_text(json.dumps(template))
    graph = diagrams.build(read_assembly(assembly_copy))
    assert graph.assets[f"n_pcs_prod_origin_{ENTRY}"] == (
        "us-east-1",
        "private",
        f"Network load balancer pcs-prod-entry (internal)\npcs-prod-origin/{ENTRY}",
    )
    assert graph.groups[f"n_pcs_prod_network_{ENTRY_GROUP}"].endswith(
        f"LoadBalancer {ENTRY} (internal)"
    )
    assert graph.assets[f"n_pcs_prod_dr_origin_{ENTRY}"][:2] == ("us-west-2", "public")
