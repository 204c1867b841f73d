"""Pricing rules by CloudFormation resource type; types absent here and from NO_CHARGE are
listed as not priced."""

from __future__ import annotations

from collections.abc import Callable

from ops.cost.inventory import CfnResource
from ops.cost.lines import LineItem
from ops.cost.pricing import (
    backup,
    compute,
    database,
    edge,
    identity,
    network,
    observability,
    security,
    storage,
)
from ops.cost.pricing.context import PricingContext

Rule = Callable[[CfnResource, PricingContext], list[LineItem]]

RULES: dict[str, Rule] = {
    "AWS::ECS::Service": compute.price_service,
    "AWS::ECS::Cluster": compute.price_cluster,
    "AWS::RDS::DBCluster": database.price_aurora_cluster,
    "AWS::RDS::DBInstance": database.price_db_instance,
    "AWS::ElastiCache::ReplicationGroup": database.price_replication_group,
    "AWS::ElastiCache::CacheCluster": database.price_cache_cluster,
    "AWS::MSK::Cluster": database.price_msk_cluster,
    "AWS::EC2::VPC": network.price_vpc,
    "AWS::EC2::NatGateway": network.price_nat_gateway,
    "AWS::EC2::EIP": network.price_elastic_ip,
    "AWS::EC2::VPCEndpoint": network.price_vpc_endpoint,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": network.price_load_balancer,
    "AWS::CloudFront::Distribution": edge.price_distribution,
    "AWS::CloudFront::Function": edge.price_function,
    "AWS::WAFv2::WebACL": edge.price_web_acl,
    "AWS::Route53::HostedZone": edge.price_hosted_zone,
    "AWS::Route53::HealthCheck": edge.price_health_check,
    "AWS::S3::Bucket": storage.price_bucket,
    "AWS::ECR::Repository": storage.price_repository,
    "AWS::ECR::ReplicationConfiguration": storage.price_image_replication,
    "AWS::Backup::BackupPlan": backup.price_backup_plan,
    "AWS::Backup::BackupVault": backup.price_backup_vault,
    "AWS::Events::Rule": backup.price_event_rule,
    "AWS::CloudWatch::Alarm": observability.price_alarm,
    "AWS::CloudWatch::CompositeAlarm": observability.price_composite_alarm,
    "AWS::CloudWatch::Dashboard": observability.price_dashboard,
    "AWS::Synthetics::Canary": observability.price_canary,
    "AWS::Logs::LogGroup": observability.price_log_group,
    "AWS::Logs::MetricFilter": observability.price_metric_filter,
    "AWS::EC2::FlowLog": observability.price_flow_log,
    "AWS::WAFv2::LoggingConfiguration": observability.price_waf_logging,
    "AWS::Logs::DeliveryDestination": observability.price_delivery_destination,
    "AWS::KMS::Key": security.price_key,
    "AWS::KMS::ReplicaKey": security.price_key,  # a multi-Region replica bills as a key
    "AWS::SecretsManager::Secret": security.price_secret,
    "AWS::GuardDuty::Detector": security.price_detector,
    "AWS::Config::ConfigurationRecorder": security.price_config_recorder,
    "AWS::SecurityHub::Hub": security.price_security_hub,
    "AWS::Cognito::UserPool": identity.price_user_pool,
    "AWS::KinesisFirehose::DeliveryStream": identity.price_delivery_stream,
}
