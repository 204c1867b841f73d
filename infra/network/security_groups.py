"""Security groups (spec §1.2): each admits only its caller, and sends only where it must."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from infra.config import Ports
from infra.names import PlatformNames

# Each service's tasks in their own group. Every task reaches the interface endpoints and S3
# (through the gateway endpoint's prefix list) to start: image pull, logs, injected secrets.
# Beyond that, what each service connects to (docs/decisions/network-task-egress.md):
SERVICE_PEERS: dict[str, tuple[str, ...]] = {
    # Cognito's keys come with the task (COGNITO_JWKS, captured at deploy): no route to it.
    "api": ("database", "redis"),
    "worker": ("database", "redis", "kafka"),
    # The preflight's database-role check, then the schedule lock and the broker in Redis.
    "beat": ("database", "redis"),
    # Migrations and the app role: the database only.
    "migrate": ("database",),
    # The portal's server calls nothing: sign-in runs in the browser, /api goes by the ALB.
    "web": (),
}
# The services the ALB forwards to, on the app port.
BEHIND_ALB = ("api", "web")


@dataclass(frozen=True)
class PlatformSecurityGroups:
    """The platform's security groups by role; :attr:`services` by service name."""

    alb: ec2.ISecurityGroup
    entry: ec2.ISecurityGroup  # the origin's public entry (NLB) in front of the internal ALB
    services: dict[str, ec2.ISecurityGroup]
    database: ec2.ISecurityGroup
    redis: ec2.ISecurityGroup
    kafka: ec2.ISecurityGroup
    endpoints: ec2.ISecurityGroup

    def service(self, name: str) -> ec2.ISecurityGroup:
        """The group of service ``name``'s tasks (a key of :data:`SERVICE_PEERS`)."""
        return self.services[name]


class SecurityGroups(Construct):
    """Creates :class:`PlatformSecurityGroups` with no default egress anywhere.

    CDK's ``allow_all_outbound`` defaults to true; every group here turns it off and gets only
    the egress its role needs. The data-tier groups get none: databases and caches do not
    initiate connections. ``kafka`` says whether the tier runs MSK (the worker's egress to it).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        names: PlatformNames,
        ports: Ports,
        cloudfront_prefix_list_id: str,
        s3_prefix_list_id: str,
        kafka: bool,
    ) -> None:
        super().__init__(scope, construct_id)

        def group(name: str, description: str) -> ec2.SecurityGroup:
            return ec2.SecurityGroup(
                self,
                name.title(),
                vpc=vpc,
                security_group_name=names.security_group(name),
                description=f"{names.prefix} {description}",
                allow_all_outbound=False,
            )

        alb = group("alb", "ALB: HTTPS from CloudFront only")
        entry = group("entry", "Origin entry (NLB): HTTPS from CloudFront only, to the ALB")
        database = group("database", "Aurora PostgreSQL: from the services that use it only")
        redis = group("redis", "ElastiCache: from the services that use it only")
        kafka_group = group("kafka", "MSK brokers: from the worker only")
        endpoints = group("endpoints", "VPC interface endpoints: HTTPS from the platform tasks")
        services = {
            name: group(name, f"{name} tasks: the egress the service needs only")
            for name in SERVICE_PEERS
        }

        # The region's own prefix list, on the public entry (the traffic switch's answer for the
        # origin name) and on the ALB behind it, which sees CloudFront's address where the entry
        # preserves it and the entry's own otherwise (docs/decisions/dr-traffic-dns-failover.md).
        cloudfront = ec2.Peer.prefix_list(cloudfront_prefix_list_id)
        https = ec2.Port.tcp(ports.https)
        entry.add_ingress_rule(cloudfront, https, "HTTPS from CloudFront origin-facing servers")
        entry.add_egress_rule(alb, https, "To the ALB")
        alb.add_ingress_rule(cloudfront, https, "HTTPS from CloudFront origin-facing servers")
        alb.add_ingress_rule(entry, https, "HTTPS from the origin entry")
        for name in BEHIND_ALB:
            alb.add_egress_rule(services[name], ec2.Port.tcp(ports.app), f"To the {name} tasks")
            services[name].add_ingress_rule(alb, ec2.Port.tcp(ports.app), "App port from the ALB")

        data_tier = {
            "database": (database, ports.postgres, "Aurora PostgreSQL"),
            "redis": (redis, ports.redis, "ElastiCache"),
            "kafka": (kafka_group, ports.kafka_iam, "MSK (IAM auth, TLS)"),
        }
        for name, tasks in services.items():
            for peer in SERVICE_PEERS[name]:
                if peer == "kafka" and not kafka:
                    continue
                target, port, label = data_tier[peer]
                tasks.add_egress_rule(target, ec2.Port.tcp(port), f"To {label}")
                target.add_ingress_rule(tasks, ec2.Port.tcp(port), f"{label} from {name}")
            tasks.add_egress_rule(endpoints, ec2.Port.tcp(ports.https), "To interface endpoints")
            endpoints.add_ingress_rule(tasks, ec2.Port.tcp(ports.https), f"HTTPS from {name}")
            # L1, so its logical ID does not carry the region's list ID: two deployments whose
            # DR regions differ then differ only in the value (tests/infra/test_second_deployment).
            ec2.CfnSecurityGroupEgress(
                tasks,
                "ToS3",
                group_id=tasks.security_group_id,
                destination_prefix_list_id=s3_prefix_list_id,
                ip_protocol="tcp",
                from_port=ports.https,
                to_port=ports.https,
                description="To S3 via the gateway endpoint",
            )

        self.groups = PlatformSecurityGroups(
            alb=alb,
            entry=entry,
            services=services,
            database=database,
            redis=redis,
            kafka=kafka_group,
            endpoints=endpoints,
        )


def ingress_from(
    scope: Construct,
    construct_id: str,
    *,
    group: ec2.ISecurityGroup,
    source: ec2.ISecurityGroup,
    port: int,
    description: str,
) -> ec2.CfnSecurityGroupIngress:
    """Let ``source`` reach ``group`` on one TCP port, the rule created in ``scope``'s stack.

    For a group owned by a stack that deploys first (the network stack): the rule lives with
    the source, so the owner never references a group made after it.
    """
    return ec2.CfnSecurityGroupIngress(
        scope,
        construct_id,
        group_id=group.security_group_id,
        source_security_group_id=source.security_group_id,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        description=description,
    )
