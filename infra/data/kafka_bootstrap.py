"""The MSK bootstrap-broker secret, filled at deploy from ``kafka:GetBootstrapBrokers``.

CloudFormation exposes no bootstrap-broker attribute for ``AWS::MSK::Cluster``, so a one-call
SDK custom resource reads the IAM (SASL/TLS, port 9098) broker string after the cluster is
created, and again when the cluster or its broker layout changes. The secret's value is that
response by reference: the template holds only a ``Fn::GetAtt``
(docs/decisions/data-kafka-bootstrap-secret.md).
"""

from __future__ import annotations

from typing import cast

from aws_cdk import SecretValue, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra.config import Ports
from infra.defaults.functions import acknowledge_plain_environment
from infra.defaults.logs import encrypted_log_group
from infra.gate.nag import acknowledge
from infra.names import PlatformNames
from infra.network.security_groups import ingress_from

BOOTSTRAP_FIELD = "BootstrapBrokerStringSaslIam"


class BootstrapBrokersSecret(Construct):
    """Secrets Manager secret ``<prefix>/kafka/bootstrap-servers``; see :attr:`secret`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        cluster_arn: str,
        broker_layout: str,
        vpc: ec2.IVpc,
        ports: Ports,
        endpoints_security_group: ec2.ISecurityGroup,
        s3_prefix_list_id: str,
        secrets_key: kms.IKey,
        logs_key: kms.IKey,
        log_retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        call = cr.AwsSdkCall(
            service="Kafka",
            action="getBootstrapBrokers",
            parameters={"ClusterArn": cluster_arn},
            # The broker layout is part of the ID, so adding brokers (same ARN) re-reads them.
            physical_resource_id=cr.PhysicalResourceId.of(
                f"{names.prefix}-kafka-bootstrap-{broker_layout}"
            ),
            output_paths=[BOOTSTRAP_FIELD],
        )
        lookup = cr.AwsCustomResource(
            self,
            "Lookup",
            on_create=call,
            on_update=call,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [
                    iam.PolicyStatement(
                        actions=["kafka:GetBootstrapBrokers"], resources=[cluster_arn]
                    )
                ]
            ),
            install_latest_aws_sdk=False,
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            log_group=encrypted_log_group(
                self, "LookupLog", key=logs_key, retention_days=log_retention_days
            ),
        )
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            secret_name=names.kafka_bootstrap_secret,
            description="MSK bootstrap brokers for IAM (SASL/TLS) clients",
            encryption_key=secrets_key,
            secret_string_value=SecretValue.resource_attribute(
                lookup.get_response_field(BOOTSTRAP_FIELD)
            ),
        )
        acknowledge(
            self.secret,
            "The value is the cluster's broker address list, re-read from MSK on every deploy; "
            "it is not a credential (clients authenticate with IAM), so there is nothing to "
            "rotate. It is encrypted with the secrets key and readable only by the task roles.",
            "AwsSolutions-SMG4",
            "NIST.800.53.R5-SecretsManagerRotationEnabled",
        )
        acknowledge(
            lookup,
            "The lookup's policy is one statement (kafka:GetBootstrapBrokers on this cluster's "
            "ARN) whose lifecycle is the lookup's own; a managed policy would outlive it.",
            "NIST.800.53.R5-IAMNoInlinePolicy",
        )
        self._restrict_provider(
            Stack.of(self),
            https_port=ports.https,
            endpoints=endpoints_security_group,
            s3_prefix_list_id=s3_prefix_list_id,
        )

    @staticmethod
    def _restrict_provider(
        stack: Stack, *, https_port: int, endpoints: ec2.ISecurityGroup, s3_prefix_list_id: str
    ) -> None:
        """Narrow the stack-level singleton Lambda behind the lookup and acknowledge the rest.

        AwsCustomResource gives its function a security group that allows all egress and offers
        no option to pass another; the group's egress is replaced with HTTPS to the interface
        endpoints (the MSK API's) and to S3 through the gateway endpoint (CloudFormation's
        pre-signed response URL), and the endpoints' group admits it.
        """
        provider = cast(
            lambda_.Function,
            stack.node.find_child(
                "AWS" + cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", "")
            ),
        )
        for group in provider.connections.security_groups:
            https = {"IpProtocol": "tcp", "FromPort": https_port, "ToPort": https_port}
            cast(ec2.CfnSecurityGroup, group.node.default_child).add_property_override(
                "SecurityGroupEgress",
                [
                    {
                        **https,
                        "DestinationSecurityGroupId": endpoints.security_group_id,
                        "Description": "HTTPS to the MSK API interface endpoint",
                    },
                    {
                        **https,
                        "DestinationPrefixListId": s3_prefix_list_id,
                        "Description": "HTTPS to the CloudFormation response URL (S3 gateway)",
                    },
                ],
            )
            # In this stack, not on the endpoints group's: the network stack deploys first and
            # cannot name this group.
            ingress_from(
                group,
                "EndpointsIngress",
                group=endpoints,
                source=group,
                port=https_port,
                description="HTTPS from the Kafka bootstrap lookup",
            )
        acknowledge(
            provider,
            "Deploy-time lookup run only by CloudFormation: one read-only call "
            "(kafka:GetBootstrapBrokers on this cluster), in the private subnets with egress "
            "only to the MSK API's endpoint and S3's gateway, logging to a KMS-encrypted group "
            "kept a year. The AWS managed policies grant only its own log writes and VPC "
            "network interfaces. A failure fails the deployment, so a dead-letter queue or "
            "reserved concurrency adds nothing.",
            *(
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{name}]"
                for name in ("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole")
            ),
            "NIST.800.53.R5-LambdaConcurrency",
            "NIST.800.53.R5-LambdaDLQ",
            "CKV_AWS_115",
            "CKV_AWS_116",
        )
        acknowledge_plain_environment(provider)
