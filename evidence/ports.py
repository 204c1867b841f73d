"""Ports, protocols and services: every security-group rule of every stack, resolved across
stacks, plus every listener and its TLS policy. The diagrams draw these same rows."""

from __future__ import annotations

from dataclasses import dataclass

from evidence.assembly import Assembly, Stack

COLUMNS = (
    "direction",
    "security group",
    "group purpose",
    "peer",
    "protocol",
    "ports",
    "transport security",
    "rule",
    "defined in",
)

PLAIN = "none the templates configure (no TLS listener or service on this port in this region)"
_PROTOCOLS = {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp"}


@dataclass(frozen=True)
class Rule:
    """One allowed flow: ``group`` may receive from (ingress) or send to (egress) ``peer``."""

    direction: str
    group: str  # "stack/logicalId" of the security group
    peer: str  # a group id as above, a CIDR or a prefix list
    protocol: str
    from_port: int
    to_port: int
    description: str
    defined_in: str
    encryption: str = PLAIN  # what the templates say protects this port in this region

    @property
    def ports(self) -> str:
        if self.protocol == "all":
            return "all"
        return (
            str(self.from_port)
            if self.from_port == self.to_port
            else f"{self.from_port}-{self.to_port}"
        )

    @property
    def transport(self) -> str:
        if self.protocol == "icmp" and self.peer == "255.255.255.255/32":
            return "n/a (placeholder rule that allows nothing)"
        return self.encryption if self.from_port == self.to_port else "mixed"


@dataclass(frozen=True)
class Listener:
    resource: str
    port: int
    protocol: str
    tls_policy: str


class Resolver:
    """Turns intrinsic references into "stack/logicalId" across the stacks of one assembly."""

    def __init__(self, assembly: Assembly) -> None:
        self._exports: dict[str, str] = {}
        # A cross-region reference is read through CDK's export reader: its attribute names the
        # writing stack (dashes dropped), its region, "Ref" and the logical id, then a hash.
        self._cross_region = {
            f"{stack.name}{stack.region}".replace("-", "") + f"Ref{logical_id}": (
                f"{stack.name}/{logical_id}"
            )
            for stack in assembly.stacks.values()
            for logical_id in stack.resources
        }
        for stack in assembly.stacks.values():
            for output in stack.template.get("Outputs", {}).values():
                name = output.get("Export", {}).get("Name")
                if isinstance(name, str):
                    self._exports[name] = self.resolve(stack, output["Value"])

    def resolve(self, stack: Stack, value: object) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            if "Ref" in value:
                return f"{stack.name}/{value['Ref']}"
            if "Fn::GetAtt" in value:
                target, attribute = value["Fn::GetAtt"][0], str(value["Fn::GetAtt"][1])
                if attribute.startswith("/cdk/exports/"):
                    name = attribute.rsplit("/", 1)[-1]
                    return next(
                        (ref for key, ref in self._cross_region.items() if name.startswith(key)),
                        "set at deploy time",
                    )
                return f"{stack.name}/{target}"
            if "Fn::ImportValue" in value and isinstance(value["Fn::ImportValue"], str):
                return self._exports.get(value["Fn::ImportValue"], value["Fn::ImportValue"])
        return "set at deploy time"


def security_groups(assembly: Assembly) -> dict[str, str]:
    """Every security group ("stack/logicalId") with its description."""
    return {
        f"{stack.name}/{logical_id}": resource["Properties"].get("GroupDescription", "")
        for stack, logical_id, resource in assembly.resources()
        if resource["Type"] == "AWS::EC2::SecurityGroup"
    }


def encrypted_ports(assembly: Assembly) -> dict[tuple[str, int, bool], str]:
    """(region, port, received by a load balancer) -> what protects that traffic, as the
    templates configure it: HTTPS listeners (for flows into a load balancer's group) and target
    groups, Aurora's rds.force_ssl, Valkey's transit encryption, MSK's client-broker TLS, and
    HTTPS to AWS APIs where an interface endpoint serves them."""
    found: dict[tuple[str, int, bool], set[str]] = {}
    for stack, _lid, resource in assembly.resources():
        props, kind = resource.get("Properties", {}), resource["Type"]
        said = _protection(stack, kind, props)
        if said:
            port, text = said
            listener = kind == "AWS::ElasticLoadBalancingV2::Listener"
            found.setdefault((stack.region, port, listener), set()).add(text)
    return {key: "; ".join(sorted(texts)) for key, texts in found.items()}


def balancer_groups(assembly: Assembly, balancer: str | None = None) -> set[str]:
    """The security groups ("stack/logicalId") of every load balancer, or of ``balancer``."""
    resolver = Resolver(assembly)
    return {
        resolver.resolve(stack, group)
        for stack, lid, resource in assembly.resources()
        if resource["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"
        and balancer in (None, f"{stack.name}/{lid}")
        for group in resource["Properties"].get("SecurityGroups", [])
    }


def _protection(stack: Stack, kind: str, props: dict) -> tuple[int, str] | None:
    https = props.get("Protocol") == "HTTPS"
    if kind == "AWS::EC2::VPCEndpoint":
        return 443, "TLS 1.2+ (HTTPS to AWS APIs)"
    if kind == "AWS::ElasticLoadBalancingV2::TargetGroup" and https:
        return props["Port"], "TLS (HTTPS target group)"
    if kind == "AWS::ElasticLoadBalancingV2::Listener" and https:
        return props["Port"], f"TLS 1.2+ (listener, {props.get('SslPolicy')})"
    if kind == "AWS::RDS::DBCluster":
        forced = _forces_tls(stack, props.get("DBClusterParameterGroupName"))
        return int(props.get("Port", 5432)), (
            "TLS required by the server (rds.force_ssl=1)"
            if forced
            else "TLS by the client (sslmode); the template does not make the server require it"
        )
    if kind == "AWS::ElastiCache::ReplicationGroup" and props.get("TransitEncryptionEnabled"):
        return int(props.get("Port", 6379)), "TLS required (in-transit encryption)"
    if kind == "AWS::MSK::Cluster":
        transit = props.get("EncryptionInfo", {}).get("EncryptionInTransit", {})
        if transit.get("ClientBroker", "TLS") == "TLS":
            return 9098, "TLS (client-broker TLS, IAM authentication)"
    return None


def _forces_tls(stack: Stack, group: object) -> bool:
    """Whether the cluster's parameter group (a Ref in its stack) sets rds.force_ssl=1."""
    if not isinstance(group, dict) or "Ref" not in group:
        return False
    parameters = stack.resources.get(group["Ref"], {}).get("Properties", {}).get("Parameters", {})
    return str(parameters.get("rds.force_ssl")) == "1"


def rules(assembly: Assembly) -> list[Rule]:
    """Every ingress and egress rule, inline or standalone, sorted."""
    resolver = Resolver(assembly)
    encrypted = encrypted_ports(assembly)
    balancers = balancer_groups(assembly)
    found = []
    for stack, logical_id, resource in assembly.resources():
        props = resource.get("Properties", {})
        where = f"{stack.name}/{logical_id}"
        if resource["Type"] == "AWS::EC2::SecurityGroup":
            for direction, key in (
                ("ingress", "SecurityGroupIngress"),
                ("egress", "SecurityGroupEgress"),
            ):
                for rule in props.get(key, []):
                    found.append(
                        _rule(resolver, stack, direction, where, rule, where, encrypted, balancers)
                    )
        elif resource["Type"] in (
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress",
        ):
            direction = "ingress" if resource["Type"].endswith("Ingress") else "egress"
            group = resolver.resolve(stack, props["GroupId"])
            found.append(
                _rule(resolver, stack, direction, group, props, where, encrypted, balancers)
            )
    return sorted(found, key=lambda r: (r.group, r.direction, r.peer, r.from_port, r.defined_in))


def _rule(
    resolver: Resolver,
    stack: Stack,
    direction: str,
    group: str,
    rule: dict,
    where: str,
    encrypted: dict[tuple[str, int, bool], str],
    balancers: set[str],
) -> Rule:
    peer_keys = (
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
    )
    peer = next((resolver.resolve(stack, rule[k]) for k in peer_keys if k in rule), "unknown")
    protocol = _PROTOCOLS.get(str(rule.get("IpProtocol")), str(rule.get("IpProtocol")))
    to_port = int(rule.get("ToPort", rule.get("FromPort", -1)))
    return Rule(
        direction=direction,
        group=group,
        peer=peer,
        protocol=protocol,
        from_port=int(rule.get("FromPort", -1)),
        to_port=to_port,
        description=rule.get("Description", ""),
        defined_in=where,
        encryption=encrypted.get(
            (stack.region, to_port, (group if direction == "ingress" else peer) in balancers),
            PLAIN,
        ),
    )


def listeners(assembly: Assembly) -> list[Listener]:
    """Load balancer listeners and CloudFront viewers with their TLS policies."""
    found = []
    for stack, logical_id, resource in assembly.resources():
        props = resource.get("Properties", {})
        where = f"{stack.name}/{logical_id}"
        if resource["Type"] == "AWS::ElasticLoadBalancingV2::Listener":
            found.append(
                Listener(
                    where, int(props["Port"]), props["Protocol"], props.get("SslPolicy", "none")
                )
            )
        elif resource["Type"] == "AWS::CloudFront::Distribution":
            viewer = props["DistributionConfig"].get("ViewerCertificate", {})
            found.append(
                Listener(where, 443, "HTTPS", viewer.get("MinimumProtocolVersion", "default"))
            )
    return found


def table(assembly: Assembly) -> list[list[str]]:
    """The ports, protocols and services rows (security-group rules, then listeners)."""
    purposes = security_groups(assembly)
    rows = [
        [
            r.direction,
            r.group,
            purposes.get(r.group, ""),
            _label(r.peer, purposes),
            r.protocol,
            r.ports,
            r.transport,
            r.description,
            r.defined_in,
        ]
        for r in rules(assembly)
    ]
    rows += [
        [
            "listener",
            lsn.resource,
            "viewer or load balancer listener",
            "clients",
            lsn.protocol.lower(),
            str(lsn.port),
            lsn.tls_policy,
            "",
            lsn.resource,
        ]
        for lsn in listeners(assembly)
    ]
    return rows


def _label(peer: str, purposes: dict[str, str]) -> str:
    if peer in purposes:
        return f"{peer} ({purposes[peer]})"
    if peer.startswith("pl-"):
        return f"{peer} (AWS-managed prefix list)"
    return peer
