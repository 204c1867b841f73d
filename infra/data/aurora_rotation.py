"""Rotation of Aurora's credentials by the AWS-published Lambdas, inside the VPC."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import Ports


class CredentialRotation(Construct):
    """Rotation every ``rotation_days`` of the master secret and of application role secrets.

    What ``DatabaseCluster.add_rotation_single_user`` / ``add_rotation_multi_user`` build, with
    the target's port stated (5432) rather than the cluster's port attribute, so the ingress
    rule is concrete and checkable. The Lambdas run in the isolated subnets with one group of
    their own: PostgreSQL to the database group (which admits it) and HTTPS to the Secrets
    Manager and KMS interface endpoints (whose group admits it); nothing else
    (docs/decisions/data-aurora-credential-rotation.md, data-aurora-app-role.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        master_credentials: secretsmanager.ISecret,
        rotation_days: int,
        ports: Ports,
        vpc: ec2.IVpc,
        database_security_group: ec2.ISecurityGroup,
        endpoints_security_group: ec2.ISecurityGroup,
    ) -> None:
        super().__init__(scope, construct_id)
        self._master_credentials = master_credentials
        self._rotation_days = rotation_days
        self._vpc = vpc
        self._target = ec2.Connections(
            security_groups=[database_security_group],
            default_port=ec2.Port.tcp(ports.postgres),
        )
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            security_group_name=f"{prefix}-db-rotation-sg",
            description=f"{prefix} database credential rotation Lambdas",
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
        self._rotation(
            "Lambda",
            secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
            master_credentials,
        )

    def add_application_role(self, construct_id: str, credentials: secretsmanager.ISecret) -> None:
        """Alternating-users rotation of an application role's secret, signed by the master.

        The Lambda creates ``<username>_clone`` (a member of the role, so it inherits the
        role's grants) and alternates the secret between the two, so the password the running
        tasks hold stays valid through one rotation period. Not rotated on deployment: the role
        exists only once the migrate task has run, so an immediate rotation would fail.
        """
        self._rotation(
            construct_id,
            secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_MULTI_USER,
            credentials,
            master_secret=self._master_credentials,
            rotate_immediately=False,
        )

    def _rotation(
        self,
        construct_id: str,
        application: secretsmanager.SecretRotationApplication,
        secret: secretsmanager.ISecret,
        *,
        master_secret: secretsmanager.ISecret | None = None,
        rotate_immediately: bool = True,
    ) -> None:
        secretsmanager.SecretRotation(
            self,
            construct_id,
            application=application,
            secret=secret,
            master_secret=master_secret,
            target=self._target,
            vpc=self._vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            security_group=self.security_group,
            automatically_after=Duration.days(self._rotation_days),
            rotate_immediately_on_update=rotate_immediately,
        )
