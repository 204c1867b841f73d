"""The authorization boundary and data-flow diagrams, drawn from one graph of the templates.

Nodes are the security groups (labelled with their purpose and the assets that use them), the
subnets by tier and zone, the load balancers in the tier of their subnets, and the peers outside
the VPC; every edge is one security-group rule (:mod:`evidence.ports`), labelled with protocol,
port and transport security, or a hop of the path in (:mod:`evidence.origin`): CloudFront to each
region's origin entry, the entry to the load balancer behind it. graphviz (Debian's package)
renders the DOT source to SVG and PNG.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from evidence import origin
from evidence.assembly import Assembly
from evidence.ports import Resolver, rules, security_groups
from infra.gate.cache import FindingsCache, cache_dir, digest

PLACEHOLDER_PEER = "255.255.255.255/32"  # CDK's "allow nothing" egress rule: drawn nowhere
# Peers outside the VPC: what each is and whether it sits inside AWS's FedRAMP authorization.
_EXTERNAL = {
    "0.0.0.0/0": ("Internet (any address)", False),
    "::/0": ("Internet (any IPv6 address)", False),
}


class GraphvizMissing(RuntimeError):
    """graphviz's ``dot`` is not installed (``apt-get install graphviz``)."""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Graph:
    groups: dict[str, str]  # node id -> label
    subnets: dict[str, dict[str, list[str]]]  # region -> tier -> labels
    externals: dict[str, tuple[str, bool]]  # node id -> (label, inside AWS's FedRAMP authorization)
    edges: list[Edge]
    vpcs: dict[str, str]  # region -> "VPC <cidr>"
    regions: list[str]
    group_regions: dict[str, str]  # node id -> region
    edge_nodes: dict[str, str]  # global services inside the boundary: node id -> label
    assets: dict[str, tuple[str, str, str]]  # load balancers: node id -> (region, tier, label)


def _node_id(value: str) -> str:
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in value)


def _users(assembly: Assembly, groups: set[str]) -> dict[str, list[str]]:
    """security group -> the resources that attach it (resolved across stacks)."""
    resolver = Resolver(assembly)
    found: dict[str, set[str]] = defaultdict(set)

    def walk(stack, owner: str, value) -> None:
        if isinstance(value, dict):
            resolved = resolver.resolve(stack, value) if len(value) == 1 else None
            if resolved in groups:
                found[resolved].add(owner)
                return
            for item in value.values():
                walk(stack, owner, item)
        elif isinstance(value, list):
            for item in value:
                walk(stack, owner, item)

    attaching = (
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
    )
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] not in attaching:
            walk(stack, _owner(logical_id, resource), resource.get("Properties", {}))
    return {group: sorted(owners) for group, owners in found.items()}


def _owner(logical_id: str, resource: dict) -> str:
    """A resource as its group's node names it; a load balancer with its scheme."""
    owner = f"{resource['Type'].split('::')[-1]} {logical_id}"
    if resource["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        # internet-facing is CloudFormation's default when the template names no scheme.
        owner += f" ({resource.get('Properties', {}).get('Scheme', 'internet-facing')})"
    return owner


def build(assembly: Assembly) -> Graph:
    purposes = security_groups(assembly)
    users = _users(assembly, set(purposes))
    groups = {
        _node_id(group): "\n".join([purpose or group, *users.get(group, [])[:4]])
        for group, purpose in purposes.items()
    }
    group_regions = {
        _node_id(group): assembly.stacks[group.split("/", 1)[0]].region for group in purposes
    }
    edge_nodes: dict[str, str] = {}
    externals: dict[str, tuple[str, bool]] = {}
    edges = []
    for rule in rules(assembly):
        if rule.peer == PLACEHOLDER_PEER:
            continue
        peer = _node_id(rule.peer)
        if rule.peer not in purposes:
            label, authorized = _EXTERNAL.get(rule.peer, (rule.peer, rule.peer.startswith("pl-")))
            if rule.peer.startswith("pl-"):
                label = f"AWS-managed prefix list {rule.peer}\n(CloudFront origin-facing or S3)"
            externals[peer] = (label, authorized)
        label = f"{rule.protocol} {rule.ports}\n{rule.transport}"
        group = _node_id(rule.group)
        source, target = (peer, group) if rule.direction == "ingress" else (group, peer)
        edges.append(Edge(source, target, label))
    subnets: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    tiers: dict[str, str] = {}  # subnet ("stack/logicalId") -> tier
    vpcs: dict[str, str] = {}
    endpoints_group = next((g for g in purposes if "endpoint" in purposes[g].lower()), None)
    for stack, logical_id, resource in assembly.resources():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::EC2::VPCEndpoint":
            service = _service_name(props.get("ServiceName"))
            node = _node_id(f"aws {service}")
            externals[node] = (f"AWS {service}", True)
            kind = props.get("VpcEndpointType", "Interface")
            if kind == "Interface" and endpoints_group:
                source = _node_id(endpoints_group)
            else:  # a gateway endpoint is a route in the subnets' route tables
                source = _node_id("route tables")
                groups[source] = "Subnet route tables (gateway endpoints)"
            edges.append(Edge(source, node, f"{kind} endpoint {logical_id}\nTLS 1.2+"))
        elif resource["Type"] == "AWS::CloudFront::Distribution":
            externals[_node_id("users")] = ("Tenants' users (browsers, API clients)", False)
            edge_nodes[_node_id("cloudfront")] = "Amazon CloudFront + AWS WAF (global)"
            edges.append(Edge(_node_id("users"), _node_id("cloudfront"), _viewer(props)))
        elif resource["Type"] == "AWS::Route53::RecordSet":
            edge_nodes[_node_id("route53")] = "Amazon Route 53 (global DNS)"
        elif resource["Type"] == "AWS::Cognito::UserPool":
            pool = _node_id(f"cognito {stack.region}")
            edge_nodes[pool] = f"Amazon Cognito user pool ({stack.region})"
            edges.append(Edge(_node_id("users"), pool, "tcp 443\nTLS 1.2+ (sign-in)"))
        elif resource["Type"] == "AWS::IAM::OIDCProvider":
            externals[_node_id("github")] = ("GitHub Actions (OIDC federation)", False)
            edge_nodes[_node_id("oidc")] = "AWS IAM: OIDC provider and deploy role (global)"
            edges.append(
                Edge(_node_id("github"), _node_id("oidc"),
                     f"tcp 443\nTLS: OIDC token of {props.get('Url')}\n"
                     "(STS AssumeRoleWithWebIdentity)")
            )  # fmt: skip
        if resource["Type"] == "AWS::EC2::Subnet":
            tags = {t["Key"]: t["Value"] for t in props.get("Tags", [])}
            tier = tags.get("aws-cdk:subnet-name", "subnet")
            tiers[f"{stack.name}/{logical_id}"] = tier
            subnets[stack.region][tier].append(
                f"{tier} {props.get('AvailabilityZone', '')}\n{props.get('CidrBlock', '')}"
            )
        elif resource["Type"] == "AWS::EC2::VPC":
            vpcs[stack.region] = f"VPC {props.get('CidrBlock', '')}"
    if any(r["Type"] == "AWS::CloudFront::Distribution" for _s, _l, r in assembly.resources()):
        edges += _origin_edges(assembly)
    return Graph(
        groups=dict(sorted(groups.items())),
        subnets={
            region: {tier: sorted(labels) for tier, labels in sorted(tiers.items())}
            for region, tiers in sorted(subnets.items())
        },
        externals=dict(sorted(externals.items())),
        edges=sorted(set(edges), key=lambda e: (e.source, e.target, e.label)),
        vpcs=vpcs,
        regions=sorted({s.region for s in assembly.stacks.values()}),
        group_regions=group_regions,
        edge_nodes=dict(sorted(edge_nodes.items())),
        assets=_load_balancers(assembly, tiers),
    )


def _load_balancers(assembly: Assembly, tiers: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    """Each load balancer as a node of the tier its subnets are in, with its type, name and
    scheme."""
    resolver = Resolver(assembly)
    found = {}
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::ElasticLoadBalancingV2::LoadBalancer":
            continue
        props = resource.get("Properties", {})
        placed = sorted({tiers.get(resolver.resolve(stack, s), "subnet") for s in props["Subnets"]})
        label = (
            # CloudFormation's defaults, when the template names no type or scheme.
            f"{props.get('Type', 'application').capitalize()} load balancer "
            f"{props.get('Name', logical_id)} ({props.get('Scheme', 'internet-facing')})\n"
            f"{stack.name}/{logical_id}"
        )
        found[_node_id(f"{stack.name}/{logical_id}")] = (stack.region, "+".join(placed), label)
    return dict(sorted(found.items()))


def _origin_edges(assembly: Assembly) -> list[Edge]:
    """CloudFront to each origin entry the origin name's failover records answer with, labelled
    with the record and what the entry admits, and each entry to the load balancer behind it,
    labelled with what it passes, where TLS ends and what that load balancer forwards."""
    path = origin.path_in(assembly)
    edges = []
    for region in path.regions:
        entry, balancer = region.entry, region.balancer
        edges += [
            Edge(
                _node_id("cloudfront"),
                _node_id(entry.resource),
                f"tcp {entry.port}\nTLS ({path.name}, failover {region.failover})\n"
                f"{path.origin_protocol} {path.origin_tls}; {entry.admission}",
            ),
            Edge(
                _node_id(entry.resource),
                _node_id(balancer.resource),
                f"{entry.passes}\nTLS ends here: {balancer.terminates}\n{balancer.forwarding}",
            ),
        ]
    return edges


def _viewer(props: dict) -> str:
    """What the distribution's viewers must use, from its certificate and default behaviour."""
    config = props.get("DistributionConfig", {})
    version = config.get("ViewerCertificate", {}).get("MinimumProtocolVersion", "TLSv1")
    policy = config.get("DefaultCacheBehavior", {}).get("ViewerProtocolPolicy", "allow-all")
    return f"tcp 443\nTLS >= {version} ({policy})"


def _service_name(value: object) -> str:
    # "com.amazonaws.us-east-1.kms", or a Join of "com.amazonaws.", the region and ".s3".
    if isinstance(value, dict) and "Fn::Join" in value:
        value = "".join(p if isinstance(p, str) else "region" for p in value["Fn::Join"][1])
    return ".".join(str(value).split(".")[3:])  # after "com.amazonaws.<region>."


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _externals(graph: Graph) -> list[str]:
    lines = []
    for node, (label, authorized) in graph.externals.items():
        status = (
            "inside AWS's FedRAMP authorization"
            if authorized
            else "outside any FedRAMP authorization"
        )
        lines.append(
            f"  {node} [label={_quote(label + chr(10) + status)}, shape=box, style=dashed];"
        )
    return lines


def boundary_dot(graph: Graph) -> str:
    """Authorization boundary: account and regions, the VPC's subnets by tier, the groups."""
    lines = [
        "digraph boundary {",
        "  rankdir=LR; node [shape=box, fontsize=10]; edge [fontsize=9];",
    ]
    title = _quote("Authorization boundary: one AWS account, " + ", ".join(graph.regions))
    lines.append(f"  subgraph cluster_boundary {{ label={title}; style=bold;")
    lines.append(f"    subgraph cluster_edge {{ label={_quote('Global edge')};")
    lines += [f"      {node} [label={_quote(label)}];" for node, label in graph.edge_nodes.items()]
    lines.append("    }")
    for region in graph.regions:
        region_id = _node_id(region)
        lines.append(f"    subgraph cluster_{region_id} {{ label={_quote('AWS ' + region)};")
        vpc = _quote(graph.vpcs.get(region, "VPC"))
        lines.append(f"      subgraph cluster_vpc_{region_id} {{ label={vpc};")
        for tier, labels in graph.subnets.get(region, {}).items():
            lines.append(
                f"        subgraph cluster_{region_id}_{_node_id(tier)} "
                f"{{ label={_quote(tier + ' subnets')};"
            )
            lines += [
                f"          {_node_id(region + label)} [label={_quote(label)}, shape=note];"
                for label in labels
            ]
            lines += [
                f"          {node} [label={_quote(label)}, shape=component];"
                for node, (in_region, in_tier, label) in graph.assets.items()
                if (in_region, in_tier) == (region, tier)
            ]
            lines.append("        }")
        lines += [
            f"        {node} [label={_quote(label)}];"
            for node, label in graph.groups.items()
            if graph.group_regions.get(node) == region
        ]
        # A load balancer whose subnets are of no one tier is drawn in the VPC.
        lines += [
            f"        {node} [label={_quote(label)}, shape=component];"
            for node, (in_region, in_tier, label) in graph.assets.items()
            if in_region == region and in_tier not in graph.subnets.get(region, {})
        ]
        lines += ["      }", "    }"]
    lines.append("  }")
    # Nodes no region owns (the gateway endpoints' route tables) sit inside the boundary.
    lines += [
        f"  {node} [label={_quote(label)}];"
        for node, label in graph.groups.items()
        if node not in graph.group_regions
    ]
    lines += _externals(graph)
    lines += [f"  {e.source} -> {e.target} [label={_quote(e.label)}];" for e in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def data_flow_dot(graph: Graph) -> str:
    """Data flows: who talks to whom, on which port and protocol, protected how."""
    lines = [
        "digraph dataflow {",
        "  rankdir=LR; node [shape=box, fontsize=10]; edge [fontsize=9];",
    ]
    lines += [f"  {node} [label={_quote(label)}];" for node, label in graph.groups.items()]
    lines += [f"  {node} [label={_quote(label)}];" for node, label in graph.edge_nodes.items()]
    lines += [
        f"  {node} [label={_quote(label)}, shape=component];"
        for node, (_region, _tier, label) in graph.assets.items()
    ]
    lines += _externals(graph)
    lines += [f"  {e.source} -> {e.target} [label={_quote(e.label)}];" for e in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(dot_source: str, stem: Path) -> list[Path]:
    """Write ``stem``.dot, .svg and .png; returns the three paths.

    A drawing depends only on its DOT source and graphviz, so each format is kept in the gate's
    findings cache under that key (``infra/gate/cache.py``) and dot runs only for a new drawing.
    """
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing("graphviz's dot is not installed: apt-get install graphviz")
    source = stem.with_suffix(".dot")
    source.write_text(dot_source)
    drawings = FindingsCache("diagrams", cache_dir())
    graphviz = f"{dot}:{Path(dot).stat().st_mtime_ns}"
    outputs = [source]
    for fmt in ("svg", "png"):
        target = stem.with_suffix(f".{fmt}")
        key = digest(dot_source, fmt, graphviz)
        drawn = drawings.get(key)
        if drawn is None:
            subprocess.run(
                [dot, f"-T{fmt}", "-o", str(target), str(source)], check=True, timeout=120
            )
            drawings.put(key, [base64.b64encode(target.read_bytes()).decode()])
        else:
            target.write_bytes(base64.b64decode(drawn[0]))
        outputs.append(target)
    return outputs
