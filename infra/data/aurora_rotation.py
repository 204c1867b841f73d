"""Rotation of Aurora's master credentials by the AWS-published Lambda, inside the VPC."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import Ports


class CredentialRotation(Construct):
    """Single-user rotation of ``credentials`` every ``rotation_days``.

    What ``DatabaseCluster.add_rotation_single_user`` builds, with the target's port stated
    (5432) rather than the cluster's port attribute, so the ingress rule is concrete and
    checkable. The Lambda runs in the isolated subnets with a group of its own: PostgreSQL to
    the database group (which admits it) and HTTPS to the Secrets Manager and KMS interface
    endpoints (whose group admits it); nothing else (docs/decisions/data-aurora-credential-
    rotation.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        credentials: secretsmanager.ISecret,
        rotation_days: int,
        ports: Ports,
        vpc: ec2.IVpc,
        database_security_group: ec2.ISecurityGroup,
        endpoints_security_group: ec2.ISecurityGroup,
    ) -> None:
        super().__init__(scope, construct_id)
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            security_group_name=f"{prefix}-db-rotation-sg",
            description=f"{prefix} database credential rotation Lambda",
            allow_all_outbound=False,
        )
        self.security_group.add_egress_rule(
            endpoints_security_group, ec2.Port.tcp(ports.https), "To Secrets Manager and KMS"
        )
        endpoints_security_group.add_ingress_rule(
            self.security_group,
            ec2.Port.tcp(ports.https),
            "HTTPS from the DB rotation Lambda",
            remote_rule=True,  # the rule lives in this stack, next to the Lambda's group
        )
        # SecretRotation adds the PostgreSQL egress and the database group's matching ingress.
        secretsmanager.SecretRotation(
            self,
            "Lambda",
            application=secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
            secret=credentials,
            target=ec2.Connections(
                security_groups=[database_security_group],
                default_port=ec2.Port.tcp(ports.postgres),
            ),
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            security_group=self.security_group,
            automatically_after=Duration.days(rotation_days),
        )
