"""Hard counts of the compute and delivery stacks' resources, so a silent removal fails."""

from __future__ import annotations

COMPUTE = {
    "AWS::ApplicationAutoScaling::ScalableTarget": 3,  # API, worker, web (Beat is fixed at one)
    # API CPU; worker CPU and backlog per task; web CPU
    "AWS::ApplicationAutoScaling::ScalingPolicy": 4,
    # rollback alarms: API 5xx, API and web green error rates, web 5xx, worker and Beat tasks
    # below desired
    "AWS::CloudWatch::Alarm": 6,
    "AWS::ECS::Cluster": 1,
    "AWS::ECS::ClusterCapacityProviderAssociations": 1,
    "AWS::ECS::Service": 4,
    "AWS::ECS::TaskDefinition": 5,  # api, worker, beat, migrate, web
    "AWS::IAM::Policy": 18,  # the migrate and web task roles have none
    # 5 tasks x (execution, task), traffic, hook and hook invoker for the API and the web,
    # 3 break-glass (api, worker, beat), the pool-admin function (issue 22)
    "AWS::IAM::Role": 20,
    # the API's and the web's test-phase hooks, the pool-admin function
    "AWS::Lambda::Function": 3,
    # exec, api, worker, beat, migrate, web, the two hooks, pool admin
    "AWS::Logs::LogGroup": 9,
    "AWS::Logs::SubscriptionFilter": 9,  # each group's 30-month copy (issue 26)
}
DELIVERY = {
    "AWS::ECR::ReplicationConfiguration": 1,  # images to the DR region
    "AWS::ECR::Repository": 2,  # the app image, the web image
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
