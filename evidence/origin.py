"""The path in, as the templates build it: CloudFront's origin (a DNS name reached over HTTPS with
the origin header), the Route 53 failover records that answer that name with one region's origin
entry or the other's, the load balancer behind each entry and what each admits on the origin port
(its security groups) and forwards (the listener's rules of the load balancer that ends TLS).

The data-flow diagrams, the boundary diagram and the SSP's data-flow text read it here, so the
boundary they state (SC-7) is the templates', and :func:`observations` checks it in each region.
Only the header's name is written out: its value is a dynamic reference to a secret.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from evidence.assembly import Assembly, Stack
from evidence.observations import ACKNOWLEDGED, FAIL, PASS, Observation
from evidence.ports import Resolver, balancer_groups, rules

PRIMARY = "PRIMARY"
CHECK = "PCS-SC7-OriginBoundary"
CHECK_TITLE = (
    "Each origin entry the origin name answers with admits the origin port only from AWS-managed "
    "prefix lists; the load balancer behind it admits that port only from those and the entry, "
    "and forwards only requests carrying the header CloudFront sends"
)
CHECK_CONTROLS = ("sc-7", "ac-4")
_FORWARD = ("forward", "authenticate-oidc", "authenticate-cognito")
_LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
_LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
_ENTRY_TYPE = "network"  # the entry passes TCP through; the load balancer behind it ends TLS
_ANYONE = "0.0.0.0/0"


@dataclass(frozen=True)
class Admitted:
    """One ingress rule on a load balancer's groups that covers the origin port."""

    peer: str  # a prefix list, a CIDR or a security group ("stack/logicalId")
    label: str  # the peer as said (a group by its name), with the rule's description


@dataclass(frozen=True)
class Entry:
    """A region's origin entry: the load balancer its failover record answers with, whose
    listener on the origin port forwards to a target group of the load balancer behind it."""

    resource: str  # "stack/logicalId"
    name: str
    kind: str  # the load balancer's Type: network
    scheme: str
    subnets: tuple[str, ...]  # "stack/logicalId" of each subnet
    groups: tuple[str, ...]  # its security groups
    listener: str  # "stack/logicalId" of the listener on the origin's port
    protocol: str
    port: int
    target_group: str  # "stack/logicalId"
    target_type: str
    health_check: str  # the target group's health check, e.g. "HTTPS /health/entry"
    admitted: tuple[Admitted, ...]

    @property
    def admission(self) -> str:
        return _admission(self.port, self.admitted)

    @property
    def passes(self) -> str:
        return (
            f"{self.protocol} {self.port} to target group {self.target_group.split('/')[-1]} "
            f"(type {self.target_type}, health check {self.health_check})"
        )


@dataclass(frozen=True)
class Balancer:
    """The load balancer behind a region's entry and its listener on the entry's target port."""

    resource: str  # "stack/logicalId"
    name: str
    kind: str  # the load balancer's Type: application
    scheme: str
    subnets: tuple[str, ...]
    listener: str  # "stack/logicalId"
    protocol: str
    port: int
    tls_policy: str
    default_action: str  # e.g. "fixed-response 403"
    header_required: bool  # nothing is forwarded without the origin header
    admitted: tuple[Admitted, ...]

    @property
    def forwarding(self) -> str:
        if self.header_required:
            return f"forwards only requests with the origin header (else {self.default_action})"
        return "forwards requests without the origin header"

    @property
    def admission(self) -> str:
        return _admission(self.port, self.admitted)

    @property
    def terminates(self) -> str:
        return f"listener {self.protocol} {self.port} {self.tls_policy}"


@dataclass(frozen=True)
class RegionPath:
    """One failover record of the origin name and what it leads to in its region."""

    region: str
    failover: str  # PRIMARY or SECONDARY
    health_check: str  # what decides the record's health, or "" without a health check
    entry: Entry
    balancer: Balancer


@dataclass(frozen=True)
class PathIn:
    stack: Stack  # the distribution's
    viewer_tls: str
    viewer_policy: str
    waf: bool
    name: str  # the origin's domain name
    origin_protocol: str  # the origin protocol policy
    origin_port: int
    origin_tls: str  # the origin SSL protocols
    header: str  # the origin header's name, "" when CloudFront sends none
    regions: tuple[RegionPath, ...]  # PRIMARY first

    @property
    def primary(self) -> RegionPath:
        return self.regions[0]

    @property
    def origin(self) -> str:
        header = f", header {self.header}" if self.header else ", no origin header"
        return (
            f"{self.name} over HTTPS {self.origin_port} (custom origin {self.origin_protocol} "
            f"{self.origin_tls}{header})"
        )


def alias_targets(record: dict) -> list[str]:
    """The logical ids whose DNS name a record set's alias target is (CDK writes a
    ``Fn::GetAtt`` of ``DNSName``, alone or joined after "dualstack.")."""
    return re.findall(
        r'"Fn::GetAtt": \["([^"]+)", "DNSName"\]', json.dumps(record.get("AliasTarget", {}))
    )


def _admission(port: int, admitted: tuple[Admitted, ...]) -> str:
    return f"{port} admitted only from {' and '.join(a.label for a in admitted) or 'no one'}"


def _failover_records(assembly: Assembly, name: str) -> list[tuple[Stack, dict]]:
    return [
        (stack, resource["Properties"])
        for stack, _lid, resource in assembly.resources()
        if resource["Type"] == "AWS::Route53::RecordSet"
        and resource["Properties"].get("Name") == f"{name}."
        and "Failover" in resource["Properties"]
    ]


def _health_check(resolver: Resolver, assembly: Assembly, stack: Stack, record: dict) -> str:
    if "HealthCheckId" not in record:
        return ""
    check_stack, check_id = resolver.resolve(stack, record["HealthCheckId"]).split("/", 1)
    config = assembly.stacks[check_stack].resources[check_id]["Properties"]["HealthCheckConfig"]
    alarm = config.get("AlarmIdentifier")
    if alarm:
        return f"alarm {alarm['Name']} in {alarm['Region']}"
    return f"{config['Type']} health check"


def _header_required(
    assembly: Assembly, listener: tuple[Stack, str, dict], header: tuple[str, str]
) -> bool:
    """No default action forwards, and every rule of the listener that forwards requires the
    header CloudFront sends: an ``http-header`` condition on its name with its value (both
    templates hold the same dynamic reference, never the secret)."""
    stack, logical_id, props = listener
    if not header[0] or any(a["Type"] in _FORWARD for a in props.get("DefaultActions", [])):
        return False
    for rule_stack, _lid, resource in assembly.resources():
        rule = resource.get("Properties", {})
        if resource["Type"] != "AWS::ElasticLoadBalancingV2::ListenerRule":
            continue
        if rule_stack is not stack or rule.get("ListenerArn") != {"Ref": logical_id}:
            continue
        if not any(a["Type"] in _FORWARD for a in rule.get("Actions", [])):
            continue
        required = [
            c["HttpHeaderConfig"]
            for c in rule.get("Conditions", [])
            if c.get("Field") == "http-header"
            and c["HttpHeaderConfig"]["HttpHeaderName"].lower() == header[0].lower()
        ]
        if not any(c.get("Values") == [header[1]] for c in required):
            return False
    return True


def _default_action(props: dict) -> str:
    actions = props.get("DefaultActions", [])
    return ", ".join(
        f"{a['Type']} {a.get('FixedResponseConfig', {}).get('StatusCode', '')}".strip()
        for a in actions
    )


class _Reader:
    """One assembly's load balancers, listeners and ingress rules, references resolved."""

    def __init__(self, assembly: Assembly) -> None:
        self.assembly = assembly
        self.resolver = Resolver(assembly)
        self.rules = rules(assembly)
        self.group_names = {
            f"{stack.name}/{lid}": resource["Properties"].get("GroupName", f"{stack.name}/{lid}")
            for stack, lid, resource in assembly.resources()
            if resource["Type"] == "AWS::EC2::SecurityGroup"
        }

    def get(self, reference: str) -> tuple[Stack, str, dict]:
        stack_name, logical_id = reference.split("/", 1)
        stack = self.assembly.stacks[stack_name]
        return stack, logical_id, stack.resources[logical_id]

    def load_balancer(self, reference: str) -> tuple[Stack, str, dict]:
        stack, logical_id, resource = self.get(reference)
        if resource["Type"] != _LOAD_BALANCER:
            raise LookupError(f"{reference} is of type {resource['Type']}, not a load balancer")
        return stack, logical_id, resource["Properties"]

    def listener(self, balancer: str, port: int) -> tuple[Stack, str, dict]:
        stack = self.assembly.stacks[balancer.split("/", 1)[0]]
        found = next(
            (
                (stack, lid, resource["Properties"])
                for lid, resource in stack.resources.items()
                if resource["Type"] == _LISTENER
                and self.resolver.resolve(stack, resource["Properties"]["LoadBalancerArn"])
                == balancer
                and resource["Properties"]["Port"] == port
            ),
            None,
        )
        if found is None:
            raise LookupError(f"{balancer} has no listener on {port}")
        return found

    def subnets(self, stack: Stack, props: dict) -> tuple[str, ...]:
        return tuple(self.resolver.resolve(stack, s) for s in props.get("Subnets", []))

    def admitted(self, groups: set[str], port: int) -> tuple[Admitted, ...]:
        found = {
            Admitted(r.peer, self._said(r.peer) + (f" ({r.description})" if r.description else ""))
            for r in self.rules
            if r.direction == "ingress" and r.group in groups and r.from_port <= port <= r.to_port
        }
        return tuple(sorted(found, key=lambda a: a.label))

    def _said(self, peer: str) -> str:
        return self.group_names.get(peer, peer)


def _entry(reader: _Reader, stack: Stack, record: dict, port: int) -> Entry:
    """The load balancer ``record`` answers with: a network load balancer whose listener on
    ``port`` forwards to a target group of type ``alb``."""
    resource = reader.resolver.resolve(stack, record["AliasTarget"]["DNSName"])
    nlb_stack, _lid, props = reader.load_balancer(resource)
    kind = props.get("Type", "application")  # CloudFormation's default type
    if kind != _ENTRY_TYPE:
        raise LookupError(
            f"the {record['Failover']} record of {record['Name']} answers with {resource}, a "
            f"load balancer of type {kind}: no origin entry ({_ENTRY_TYPE}) in front of it"
        )
    listener_stack, listener_id, listener = reader.listener(resource, port)
    forward = next((a for a in listener["DefaultActions"] if a["Type"] == "forward"), None)
    if forward is None:
        raise LookupError(f"{listener_stack.name}/{listener_id} forwards to no target group")
    target_group = reader.resolver.resolve(listener_stack, forward["TargetGroupArn"])
    _gs, _gl, group = reader.get(target_group)
    group_props = group["Properties"]
    # Without a group, a network load balancer filters nothing (security groups cannot be added
    # to one created without them): the port is open to anyone who reaches the address.
    groups = tuple(sorted(balancer_groups(reader.assembly, resource)))
    admitted = (
        reader.admitted(set(groups), port)
        if groups
        else (Admitted(_ANYONE, f"{_ANYONE} (the entry has no security group)"),)
    )
    return Entry(
        resource=resource,
        name=props.get("Name", resource),
        kind=kind,
        # CloudFormation's default scheme, when the template names none.
        scheme=props.get("Scheme", "internet-facing"),
        subnets=reader.subnets(nlb_stack, props),
        groups=groups,
        listener=f"{listener_stack.name}/{listener_id}",
        protocol=listener["Protocol"],
        port=port,
        target_group=target_group,
        target_type=group_props.get("TargetType", "instance"),
        health_check=f"{group_props.get('HealthCheckProtocol', group_props['Protocol'])} "
        f"{group_props.get('HealthCheckPath', '')}".strip(),
        admitted=admitted,
    )


def _balancer(reader: _Reader, entry: Entry, header: tuple[str, str]) -> Balancer:
    """The load balancer the entry's target group holds, and its listener on the target's port."""
    group_stack, _lid, group = reader.get(entry.target_group)
    if entry.target_type != "alb":
        raise LookupError(
            f"{entry.target_group} holds {entry.target_type} targets, not the load balancer "
            "behind the entry"
        )
    (target,) = group["Properties"]["Targets"]
    alb = reader.resolver.resolve(group_stack, target["Id"])
    alb_stack, _alb_lid, alb_props = reader.load_balancer(alb)
    port = int(target.get("Port", group["Properties"]["Port"]))
    listener = reader.listener(alb, port)
    props = listener[2]
    return Balancer(
        resource=alb,
        name=alb_props.get("Name", alb),
        kind=alb_props.get("Type", "application"),
        scheme=alb_props.get("Scheme", "internet-facing"),
        subnets=reader.subnets(alb_stack, alb_props),
        listener=f"{alb_stack.name}/{listener[1]}",
        protocol=props["Protocol"],
        port=port,
        tls_policy=props.get("SslPolicy", "no TLS"),
        default_action=_default_action(props),
        header_required=_header_required(reader.assembly, listener, header),
        admitted=reader.admitted(balancer_groups(reader.assembly, alb), port),
    )


def path_in(assembly: Assembly) -> PathIn:
    """The distribution's default origin and, for each failover record of its name, the entry
    and the load balancer behind it."""
    reader = _Reader(assembly)
    stack, props = next(
        (s, r["Properties"])
        for s, _l, r in assembly.resources()
        if r["Type"] == "AWS::CloudFront::Distribution"
    )
    config = props["DistributionConfig"]
    behaviour = config["DefaultCacheBehavior"]
    origin = next(o for o in config["Origins"] if o["Id"] == behaviour["TargetOriginId"])
    custom = origin["CustomOriginConfig"]
    port = custom.get("HTTPSPort", 443)  # CloudFront's default HTTPS port
    headers = [(h["HeaderName"], h["HeaderValue"]) for h in origin.get("OriginCustomHeaders", [])]
    header = headers[0] if headers else ("", "")
    regions = []
    for record_stack, record in _failover_records(assembly, origin["DomainName"]):
        entry = _entry(reader, record_stack, record, port)
        regions.append(
            RegionPath(
                region=record_stack.region,
                failover=record["Failover"],
                health_check=_health_check(reader.resolver, assembly, record_stack, record),
                entry=entry,
                balancer=_balancer(reader, entry, header),
            )
        )
    regions.sort(key=lambda r: (r.failover != PRIMARY, r.region))
    if not regions or regions[0].failover != PRIMARY:
        raise LookupError(f"no PRIMARY failover record answers {origin['DomainName']}")
    return PathIn(
        stack=stack,
        viewer_tls=config["ViewerCertificate"]["MinimumProtocolVersion"],
        viewer_policy=behaviour["ViewerProtocolPolicy"],
        waf=bool(config.get("WebACLId")),
        name=origin["DomainName"],
        origin_protocol=custom.get("OriginProtocolPolicy", "match-viewer"),
        origin_port=port,
        origin_tls=",".join(custom.get("OriginSSLProtocols", ["TLSv1", "TLSv1.1", "TLSv1.2"])),
        header=header[0],
        regions=tuple(regions),
    )


def _said(values: set[str]) -> str:
    return " and ".join(sorted(values))


def data_flow_text(path: PathIn) -> str:
    """The SSP's sentence of the path in (SC-7's boundary at the entries and load balancers)."""
    primary, others = path.primary, path.regions[1:]
    standby = "".join(f", {r.region}'s ({r.failover}) after a traffic switch" for r in others)
    entries = [r.entry for r in path.regions]
    balancers = [r.balancer for r in path.regions]
    admission = "; ".join(
        f"{r.region}: entry {r.entry.admission}, load balancer {r.balancer.admission}"
        for r in path.regions
    )
    return (
        f"Users reach CloudFront over TLS (>= {path.viewer_tls}, {path.viewer_policy}); "
        f"CloudFront reaches {path.origin}, a Route 53 failover name that answers with "
        f"{primary.region}'s origin entry ({primary.failover}){standby}. The entries are "
        f"{_said({e.scheme for e in entries})} {_said({e.kind for e in entries})} load balancers "
        f"passing {_said({f'{e.protocol} {e.port}' for e in entries})} to the "
        f"{_said({b.scheme for b in balancers})} {_said({b.kind for b in balancers})} load "
        "balancer behind each "
        f"({_said({b.terminates for b in balancers})}), which "
        f"{' / '.join(sorted({b.forwarding for b in balancers}))}; their security groups: "
        f"{admission}."
    )


def _entry_gaps(entry: Entry) -> list[str]:
    return [
        f"{entry.port} admitted from {a.label}"
        for a in entry.admitted
        if not a.peer.startswith("pl-")
    ]


def _balancer_gaps(region: RegionPath) -> list[str]:
    balancer, entry = region.balancer, region.entry
    gaps = [
        f"{balancer.port} admitted from {a.label}"
        for a in balancer.admitted
        if not a.peer.startswith("pl-") and a.peer not in entry.groups
    ]
    if not balancer.header_required:
        gaps.append(balancer.forwarding)
    return gaps


def observations(assembly: Assembly) -> list[Observation]:
    """:data:`CHECK` on the origin port's listener of each entry the origin name answers with
    and on the listener behind it; none without a distribution."""
    if not any(r["Type"] == "AWS::CloudFront::Distribution" for _s, _l, r in assembly.resources()):
        return []
    found = []
    for region in path_in(assembly).regions:
        for listener, gaps, path in (
            (
                region.entry.listener,
                _entry_gaps(region.entry),
                "Properties.LoadBalancerArn | LoadBalancer.SecurityGroups | SecurityGroupIngress",
            ),
            (
                region.balancer.listener,
                _balancer_gaps(region),
                "Properties.DefaultActions | ListenerRule.Conditions[http-header] "
                "| SecurityGroupIngress",
            ),
        ):
            stack_name, logical_id = listener.split("/", 1)
            stack = assembly.stacks[stack_name]
            reason = (stack.acknowledgement(logical_id, CHECK) or "") if gaps else ""
            found.append(
                Observation(
                    check=CHECK,
                    source="pcs",
                    title=CHECK_TITLE,
                    controls=CHECK_CONTROLS,
                    stack=stack_name,
                    logical_id=logical_id,
                    resource_type=_LISTENER,
                    result=ACKNOWLEDGED if reason else FAIL if gaps else PASS,
                    reason=reason,
                    property_path=path,
                    value=json.dumps(gaps),
                    template_sha256=stack.sha256,
                )
            )
    return found
