"""The path in, as the templates build it: CloudFront's origin (a DNS name reached over HTTPS with
the origin header), the Route 53 failover records that answer that name with one region's load
balancer or the other's, and what each of those load balancers admits on that port (its security
groups) and forwards (its listener's rules).

The data-flow diagrams, the boundary diagram and the SSP's data-flow text read it here, so the
boundary they state (SC-7) is the templates', and :func:`observations` checks it on each load
balancer. Only the header's name is written out: its value is a dynamic reference to a secret.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from evidence.assembly import Assembly, Stack
from evidence.observations import ACKNOWLEDGED, FAIL, PASS, Observation
from evidence.ports import Resolver, balancer_groups, rules

PRIMARY = "PRIMARY"
CHECK = "PCS-SC7-OriginBoundary"
CHECK_TITLE = (
    "Each load balancer the origin name answers with admits the origin port only from AWS-managed "
    "prefix lists and forwards only requests carrying the header CloudFront sends"
)
CHECK_CONTROLS = ("sc-7", "ac-4")
_FORWARD = ("forward", "authenticate-oidc", "authenticate-cognito")


@dataclass(frozen=True)
class Balancer:
    """One failover record's load balancer and the listener CloudFront reaches on it."""

    resource: str  # "stack/logicalId"
    region: str
    name: str
    scheme: str
    failover: str  # PRIMARY or SECONDARY
    health_check: str  # what decides the record's health, or "" without a health check
    listener: str  # "stack/logicalId" of the listener on the origin's port
    protocol: str
    port: int
    tls_policy: str
    default_action: str  # e.g. "fixed-response 403"
    header_required: bool  # nothing is forwarded without the origin header
    admitted: tuple[str, ...]  # ingress peers on the port, each with its rule's description

    @property
    def forwarding(self) -> str:
        if self.header_required:
            return f"forwards only requests with the origin header (else {self.default_action})"
        return "forwards requests without the origin header"

    @property
    def admission(self) -> str:
        return f"{self.port} admitted only from {' and '.join(self.admitted) or 'no one'}"


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
    balancers: tuple[Balancer, ...]  # PRIMARY first

    @property
    def primary(self) -> Balancer:
        return self.balancers[0]

    @property
    def origin(self) -> str:
        header = f", header {self.header}" if self.header else ", no origin header"
        return (
            f"{self.name} over HTTPS {self.origin_port} (custom origin {self.origin_protocol} "
            f"{self.origin_tls}{header})"
        )


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


def _balancer(
    assembly: Assembly,
    resolver: Resolver,
    stack: Stack,
    record: dict,
    port: int,
    header: tuple[str, str],
) -> Balancer:
    alb = resolver.resolve(stack, record["AliasTarget"]["DNSName"])
    alb_stack = assembly.stacks[alb.split("/", 1)[0]]
    alb_props = alb_stack.resources[alb.split("/", 1)[1]]["Properties"]
    listener = next(
        (alb_stack, lid, resource["Properties"])
        for lid, resource in alb_stack.resources.items()
        if resource["Type"] == "AWS::ElasticLoadBalancingV2::Listener"
        and resolver.resolve(alb_stack, resource["Properties"]["LoadBalancerArn"]) == alb
        and resource["Properties"]["Port"] == port
    )
    groups = balancer_groups(assembly, alb)
    admitted = tuple(
        sorted(
            f"{r.peer} ({r.description})" if r.description else r.peer
            for r in rules(assembly)
            if r.direction == "ingress" and r.group in groups and r.from_port <= port <= r.to_port
        )
    )
    props = listener[2]
    return Balancer(
        resource=alb,
        region=alb_stack.region,
        name=alb_props.get("Name", alb),
        # CloudFormation's default scheme, when the template names none.
        scheme=alb_props.get("Scheme", "internet-facing"),
        failover=record["Failover"],
        health_check=_health_check(resolver, assembly, stack, record),
        listener=f"{alb_stack.name}/{listener[1]}",
        protocol=props["Protocol"],
        port=port,
        tls_policy=props.get("SslPolicy", "no TLS"),
        default_action=_default_action(props),
        header_required=_header_required(assembly, listener, header),
        admitted=admitted,
    )


def path_in(assembly: Assembly) -> PathIn:
    """The distribution's default origin and the load balancers its name resolves to."""
    resolver = Resolver(assembly)
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
    balancers = sorted(
        (
            _balancer(assembly, resolver, s, record, port, header)
            for s, record in _failover_records(assembly, origin["DomainName"])
        ),
        key=lambda b: (b.failover != PRIMARY, b.region),
    )
    if not balancers or balancers[0].failover != PRIMARY:
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
        balancers=tuple(balancers),
    )


def data_flow_text(path: PathIn) -> str:
    """The SSP's sentence of the path in (SC-7's boundary at the load balancers)."""
    primary, others = path.primary, path.balancers[1:]
    standby = "".join(f", {b.region}'s ({b.failover}) after a traffic switch" for b in others)
    schemes = sorted({b.scheme for b in path.balancers})
    forwarding = sorted({b.forwarding for b in path.balancers})
    admission = "; ".join(sorted({f"{b.region}: {b.admission}" for b in path.balancers}))
    return (
        f"Users reach CloudFront over TLS (>= {path.viewer_tls}, {path.viewer_policy}); "
        f"CloudFront reaches {path.origin}, a Route 53 failover name that answers with "
        f"{primary.region}'s load balancer ({primary.failover}){standby}. The load balancers "
        f"are {' and '.join(schemes)}; each {' / '.join(forwarding)}; their security groups: "
        f"{admission}."
    )


def _gaps(balancer: Balancer) -> list[str]:
    gaps = [f"{balancer.port} admitted from {peer}" for peer in balancer.admitted
            if not peer.startswith("pl-")]  # fmt: skip
    if not balancer.header_required:
        gaps.append(balancer.forwarding)
    return gaps


def observations(assembly: Assembly) -> list[Observation]:
    """:data:`CHECK` on the origin port's listener of each load balancer the origin name answers
    with; none without a distribution."""
    if not any(r["Type"] == "AWS::CloudFront::Distribution" for _s, _l, r in assembly.resources()):
        return []
    found = []
    for balancer in path_in(assembly).balancers:
        stack_name, logical_id = balancer.listener.split("/", 1)
        stack = assembly.stacks[stack_name]
        gaps = _gaps(balancer)
        reason = (stack.acknowledgement(logical_id, CHECK) or "") if gaps else ""
        found.append(
            Observation(
                check=CHECK,
                source="pcs",
                title=CHECK_TITLE,
                controls=CHECK_CONTROLS,
                stack=stack_name,
                logical_id=logical_id,
                resource_type="AWS::ElasticLoadBalancingV2::Listener",
                result=ACKNOWLEDGED if reason else FAIL if gaps else PASS,
                reason=reason,
                property_path="Properties.DefaultActions | ListenerRule.Conditions[http-header] "
                "| SecurityGroupIngress",
                value=json.dumps(gaps),
                template_sha256=stack.sha256,
            )
        )
    return found
