"""Hard counts of the data stack's resources, so a silent removal (or addition) fails a test."""

from __future__ import annotations

from collections import Counter

DATA_TIER_100K = {
    "AWS::RDS::DBCluster": 1,
    "AWS::RDS::GlobalCluster": 1,
    "AWS::RDS::DBInstance": 3,
    "AWS::RDS::DBClusterEndpoint": 1,
    "AWS::RDS::DBClusterParameterGroup": 1,
    "AWS::RDS::DBParameterGroup": 1,
    "AWS::RDS::DBSubnetGroup": 1,
    "AWS::SecretsManager::Secret": 4,  # master, app role, outbox publisher, Kafka brokers
    "AWS::SecretsManager::SecretTargetAttachment": 3,  # master, app role, outbox publisher
    "AWS::SecretsManager::RotationSchedule": 3,
    "AWS::SecretsManager::ResourcePolicy": 3,
    # the rotation Lambdas (single-user; multi-user for the app role and the publisher)
    "AWS::Serverless::Application": 3,
    "AWS::ElastiCache::ReplicationGroup": 1,
    "AWS::ElastiCache::SubnetGroup": 1,
    "AWS::MSK::Cluster": 1,
    "AWS::MSK::Configuration": 1,  # explicit topic retention
    "Custom::AWS": 1,  # bootstrap-broker lookup
    "AWS::Lambda::Function": 1,  # its provider
    "AWS::S3::Bucket": 2,
    "AWS::S3::BucketPolicy": 2,
    "AWS::IAM::Role": 4,  # monitoring, 2 x replication, lookup provider
    "AWS::IAM::ManagedPolicy": 2,  # replication
    "AWS::IAM::Policy": 1,  # lookup
    "AWS::Logs::LogGroup": 5,  # postgresql, slow-log, engine-log, broker, lookup
    "AWS::Logs::SubscriptionFilter": 5,  # each group's 30-month copy (issue 26)
    "AWS::EC2::SecurityGroup": 2,  # rotation Lambdas (one group), lookup provider
    # rotation -> database, rotation -> endpoints, lookup -> endpoints
    "AWS::EC2::SecurityGroupIngress": 3,
    "AWS::EC2::SecurityGroupEgress": 2,  # rotation's two
}
WITHOUT_KAFKA = {
    "AWS::MSK::Cluster": 1,
    "AWS::MSK::Configuration": 1,
    "Custom::AWS": 1,
    "AWS::Lambda::Function": 1,
    "AWS::SecretsManager::Secret": 1,
    "AWS::IAM::Role": 1,
    "AWS::IAM::Policy": 1,
    "AWS::Logs::LogGroup": 2,
    "AWS::Logs::SubscriptionFilter": 2,
    "AWS::EC2::SecurityGroup": 1,
    "AWS::EC2::SecurityGroupIngress": 1,
}


def test_prod_data_stack_has_exactly_the_data_tiers_resources(prod):
    assert prod.stacks["pcs-prod-data"].resource_types == Counter(DATA_TIER_100K)


def test_dev_data_stack_at_10k_has_the_same_resources_without_kafka(dev):
    expected = Counter(DATA_TIER_100K)
    expected.subtract(WITHOUT_KAFKA)
    assert dev.stacks["pcs-dev-data"].resource_types == +expected


def test_dr_storage_stack_has_three_keys_and_four_buckets(prod):
    # Keys: storage, secrets, the DR audit key; buckets: access logs, the DR log archive and the
    # documents' and backups' replicas.
    assert prod.stacks["pcs-prod-dr-storage"].resource_types == Counter(
        {"AWS::KMS::Key": 3, "AWS::KMS::Alias": 3, "AWS::S3::Bucket": 4, "AWS::S3::BucketPolicy": 4}
    )
