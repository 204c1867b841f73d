"""Resource counts of the foundation and network stacks, so a silent removal fails."""

from __future__ import annotations

import pytest

FOUNDATION = {
    "AWS::KMS::Key": 10,
    "AWS::KMS::Alias": 10,
    "AWS::SecretsManager::Secret": 4,  # Django key, Redis AUTH, smoke-test token, origin header
    "AWS::S3::Bucket": 4,  # logs, access logs, the log groups' 30-month copies, WAF's logs
    "AWS::S3::BucketPolicy": 4,
    # The log copies' Firehose stream, its role and error group, the subscription role.
    "AWS::KinesisFirehose::DeliveryStream": 1,
    "AWS::IAM::Role": 3,
    "AWS::IAM::Policy": 2,
    "AWS::IAM::ManagedPolicy": 1,
    "AWS::Logs::LogGroup": 1,
    "AWS::Logs::LogStream": 1,
}
NETWORK = {
    "AWS::EC2::VPC": 1,
    "AWS::EC2::Subnet": 9,
    "AWS::EC2::RouteTable": 9,
    "AWS::EC2::SubnetRouteTableAssociation": 9,
    "AWS::EC2::Route": 3,  # 3 public to the IGW; no NAT, so no private default route
    "AWS::EC2::InternetGateway": 1,
    "AWS::EC2::VPCGatewayAttachment": 1,
    "Custom::VpcRestrictDefaultSG": 1,
    "AWS::EC2::FlowLog": 1,
    "AWS::EC2::VPCEndpoint": 11,  # the S3 gateway, 9 task APIs (lambda: issue 22), the MSK API
    "AWS::IAM::Role": 1,
    "AWS::Lambda::Function": 1,
    "AWS::Logs::LogGroup": 1,  # that function's (CDK's default-SG helper), with retention
    "AWS::Logs::SubscriptionFilter": 1,  # its copy to the 30-month archive (log_copies)
    # alb, the origin entry, 5 services, database, redis, kafka, endpoints
    "AWS::EC2::SecurityGroup": 11,
    "AWS::EC2::SecurityGroupIngress": 18,
    "AWS::EC2::SecurityGroupEgress": 21,
}


@pytest.mark.parametrize(("stack", "expected"), [("foundation", FOUNDATION), ("network", NETWORK)])
def test_prod_stack_has_exactly_its_resources(prod, stack, expected):
    assert dict(prod.stacks[f"pcs-prod-{stack}"].resource_types) == expected


def test_dev_network_differs_from_prod_only_in_kafka_access(dev):
    counts = dict(dev.stacks["pcs-dev-network"].resource_types)
    # No MSK at 10k: no worker -> kafka egress, no kafka ingress from the worker, no MSK API.
    assert counts == NETWORK | {
        "AWS::EC2::VPCEndpoint": 10,  # no MSK API endpoint
        "AWS::EC2::SecurityGroupIngress": 17,
        "AWS::EC2::SecurityGroupEgress": 20,
    }
