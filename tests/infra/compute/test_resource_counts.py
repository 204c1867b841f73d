"""Hard counts of the compute and delivery stacks' resources, so a silent removal fails."""

from __future__ import annotations

COMPUTE = {
    "AWS::ApplicationAutoScaling::ScalableTarget": 2,  # API, worker (Beat is fixed at one)
    "AWS::ApplicationAutoScaling::ScalingPolicy": 3,  # API CPU; worker CPU and backlog per task
    "AWS::CloudWatch::Alarm": 1,  # the API 5xx rollback alarm
    "AWS::ECS::Cluster": 1,
    "AWS::ECS::ClusterCapacityProviderAssociations": 1,
    "AWS::ECS::Service": 3,
    "AWS::ECS::TaskDefinition": 4,  # api, worker, beat, migrate
    "AWS::IAM::Policy": 10,  # the migrate task role has none
    "AWS::IAM::Role": 11,  # 4 tasks x (execution, task), traffic, hook, hook invoker
    "AWS::Lambda::Function": 1,  # the test-phase hook
    "AWS::Logs::LogGroup": 6,  # exec, api, worker, beat, migrate, hook
}
DELIVERY = {
    "AWS::ECR::Repository": 1,
    "AWS::IAM::OIDCProvider": 1,
    "AWS::IAM::Policy": 1,
    "AWS::IAM::Role": 1,
    "AWS::KMS::Alias": 1,
    "AWS::KMS::Key": 1,
}


def test_compute_stack_has_exactly_the_expected_resources(prod):
    assert dict(prod.stacks[f"{prod.config.prefix}-compute"].resource_types) == COMPUTE


def test_delivery_stack_has_exactly_the_expected_resources(prod):
    assert dict(prod.stacks[f"{prod.config.prefix}-delivery"].resource_types) == DELIVERY
