"""Security groups (spec §1.2): each admits only its caller, and sends only where it must."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from infra.config import Ports


@dataclass(frozen=True)
class PlatformSecurityGroups:
    """The platform's security groups by role."""

    alb: ec2.ISecurityGroup
    tasks: ec2.ISecurityGroup
    database: ec2.ISecurityGroup
    redis: ec2.ISecurityGroup
    kafka: ec2.ISecurityGroup
    endpoints: ec2.ISecurityGroup


class SecurityGroups(Construct):
    """Creates :class:`PlatformSecurityGroups` with no default egress anywhere.

    CDK's ``allow_all_outbound`` defaults to true; every group here turns it off and gets only
    the egress its role needs. The data-tier groups get none: databases and caches do not
    initiate connections.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        prefix: str,
        ports: Ports,
        cloudfront_prefix_list_id: str,
    ) -> None:
        super().__init__(scope, construct_id)

        def group(name: str, description: str) -> ec2.SecurityGroup:
            return ec2.SecurityGroup(
                self,
                name.title(),
                vpc=vpc,
                security_group_name=f"{prefix}-{name}-sg",
                description=f"{prefix} {description}",
                allow_all_outbound=False,
            )

        alb = group("alb", "ALB: HTTPS from CloudFront only")
        tasks = group("tasks", "ECS tasks: app port from the ALB only")
        database = group("database", "Aurora PostgreSQL: from ECS tasks only")
        redis = group("redis", "ElastiCache: from ECS tasks only")
        kafka = group("kafka", "MSK brokers: from ECS tasks only")
        endpoints = group("endpoints", "VPC interface endpoints: HTTPS from ECS tasks")

        # Empty in the pilot-light DR region: its ALB, and CloudFront's way in, come with the DR
        # compute (docs/runbook.md gap 2); until then nothing may reach the group from outside.
        if cloudfront_prefix_list_id:
            alb.add_ingress_rule(
                ec2.Peer.prefix_list(cloudfront_prefix_list_id),
                ec2.Port.tcp(ports.https),
                "HTTPS from CloudFront origin-facing servers",
            )
        alb.add_egress_rule(tasks, ec2.Port.tcp(ports.app), "To the API tasks")

        tasks.add_ingress_rule(alb, ec2.Port.tcp(ports.app), "App port from the ALB")
        tasks.add_egress_rule(database, ec2.Port.tcp(ports.postgres), "To Aurora PostgreSQL")
        tasks.add_egress_rule(redis, ec2.Port.tcp(ports.redis), "To ElastiCache")
        tasks.add_egress_rule(kafka, ec2.Port.tcp(ports.kafka_iam), "To MSK (IAM auth, TLS)")
        tasks.add_egress_rule(endpoints, ec2.Port.tcp(ports.https), "To VPC interface endpoints")
        # AWS APIs without an interface endpoint here (CloudWatch metrics, SNS, S3 through the
        # gateway endpoint) are reached over HTTPS; nothing else leaves the tasks.
        tasks.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(ports.https), "HTTPS to AWS APIs")

        database.add_ingress_rule(tasks, ec2.Port.tcp(ports.postgres), "PostgreSQL from ECS")
        redis.add_ingress_rule(tasks, ec2.Port.tcp(ports.redis), "Redis from ECS")
        kafka.add_ingress_rule(tasks, ec2.Port.tcp(ports.kafka_iam), "Kafka (IAM) from ECS")
        endpoints.add_ingress_rule(tasks, ec2.Port.tcp(ports.https), "HTTPS from ECS tasks")

        self.groups = PlatformSecurityGroups(
            alb=alb, tasks=tasks, database=database, redis=redis, kafka=kafka, endpoints=endpoints
        )
