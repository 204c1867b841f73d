"""VPC endpoints: the tasks' only way to AWS APIs and S3, each under a policy for this account.

Endpoint policies are the SC-7(5) half that security groups cannot do: a security group can say
"S3" or "KMS" but not whose bucket or key. Every endpoint admits only requests made by this
account's principals to this account's resources, plus the AWS-owned buckets the platform
cannot avoid: ECR's image-layer bucket, and CloudFormation's custom-resource response bucket
where a function in the VPC answers CloudFormation (docs/decisions/network-vpc-endpoints.md).
"""

from __future__ import annotations

from aws_cdk import Aws, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct


def aws_owned_buckets(region: str, *, custom_resource_responses: bool) -> tuple[str, ...]:
    """The AWS-owned buckets requests from the VPC reach in ``region``: ECR's layer bucket
    (image pulls redirect there), and CloudFormation's response bucket if asked."""
    buckets = [f"prod-{region}-starport-layer-bucket"]
    if custom_resource_responses:
        buckets.append(f"cloudformation-custom-resource-response-{region.replace('-', '')}")
    return tuple(buckets)


# The interface endpoints' statement: the caller is ours, and so is the resource wherever the
# request names one (IfExists: ecr:GetAuthorizationToken, cloudwatch:PutMetricData and ECS
# Exec's channels name none).
_THIS_ACCOUNT = {
    "StringEquals": {"aws:PrincipalAccount": Aws.ACCOUNT_ID},
    "StringEqualsIfExists": {"aws:ResourceAccount": Aws.ACCOUNT_ID},
}


class ServiceEndpoints(Construct):
    """An S3 gateway endpoint and one interface endpoint per configured AWS service."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        services: tuple[str, ...],
        security_group: ec2.ISecurityGroup,
        custom_resource_responses: bool,
        availability_zones: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        region = Stack.of(self).region
        self.s3 = vpc.add_gateway_endpoint(
            "S3",
            service=ec2.GatewayVpcEndpointAwsService.S3,
            subnets=[
                ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
                ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ],
        )
        self.s3.add_to_policy(
            iam.PolicyStatement(
                sid="ThisAccountsBucketsOnly",
                principals=[iam.AnyPrincipal()],
                actions=["s3:*"],
                resources=["*"],
                conditions={
                    "StringEquals": {
                        "aws:PrincipalAccount": Aws.ACCOUNT_ID,
                        "aws:ResourceAccount": Aws.ACCOUNT_ID,
                    }
                },
            )
        )
        owned = aws_owned_buckets(region, custom_resource_responses=custom_resource_responses)
        self.s3.add_to_policy(
            iam.PolicyStatement(
                sid="EcrImageLayers",
                principals=[iam.AnyPrincipal()],
                actions=["s3:GetObject"],
                resources=[f"arn:{Aws.PARTITION}:s3:::{owned[0]}/*"],
            )
        )
        if custom_resource_responses:
            self.s3.add_to_policy(
                iam.PolicyStatement(
                    sid="CloudFormationResponses",
                    principals=[iam.AnyPrincipal()],
                    actions=["s3:PutObject"],
                    resources=[f"arn:{Aws.PARTITION}:s3:::{owned[1]}/*"],
                )
            )
        self.interfaces: dict[str, ec2.InterfaceVpcEndpoint] = {}
        for service in services:
            endpoint = vpc.add_interface_endpoint(
                service.replace(".", "-").title().replace("-", ""),
                service=ec2.InterfaceVpcEndpointAwsService(service),
                private_dns_enabled=True,
                open=False,
                security_groups=[security_group],
                subnets=ec2.SubnetSelection(
                    subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS,
                    availability_zones=list(availability_zones) or None,
                ),
            )
            endpoint.add_to_policy(
                iam.PolicyStatement(
                    sid="ThisAccountOnly",
                    principals=[iam.AnyPrincipal()],
                    actions=["*"],
                    resources=["*"],
                    conditions=_THIS_ACCOUNT,
                )
            )
            self.interfaces[service] = endpoint
