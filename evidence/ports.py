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

# What protects each port's traffic, from the decisions that configure the peers.
_TRANSPORT = {
    443: "TLS 1.2+",
    8443: "TLS 1.2+",
    5432: "TLS (sslmode=verify-full)",
    6379: "TLS (in-transit encryption, AUTH)",
    9098: "TLS (IAM authentication)",
}
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
        return (
            _TRANSPORT.get(self.to_port, "none (plain inside the VPC)")
            if self.from_port == self.to_port
            else "mixed"
        )


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
                return f"{stack.name}/{value['Fn::GetAtt'][0]}"
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


def rules(assembly: Assembly) -> list[Rule]:
    """Every ingress and egress rule, inline or standalone, sorted."""
    resolver = Resolver(assembly)
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
                    found.append(_rule(resolver, stack, direction, where, rule, where))
        elif resource["Type"] in (
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress",
        ):
            direction = "ingress" if resource["Type"].endswith("Ingress") else "egress"
            group = resolver.resolve(stack, props["GroupId"])
            found.append(_rule(resolver, stack, direction, group, props, where))
    return sorted(found, key=lambda r: (r.group, r.direction, r.peer, r.from_port, r.defined_in))


def _rule(
    resolver: Resolver, stack: Stack, direction: str, group: str, rule: dict, where: str
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
    return Rule(
        direction=direction,
        group=group,
        peer=peer,
        protocol=protocol,
        from_port=int(rule.get("FromPort", -1)),
        to_port=int(rule.get("ToPort", rule.get("FromPort", -1))),
        description=rule.get("Description", ""),
        defined_in=where,
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
