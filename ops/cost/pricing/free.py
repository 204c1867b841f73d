"""Resource types AWS does not bill for (or that bill through another resource), with why."""

from __future__ import annotations

NO_CHARGE: dict[str, str] = {
    "AWS::CDK::Metadata": "CDK metadata",
    "AWS::IAM::Role": "IAM is free",
    "AWS::IAM::Policy": "IAM is free",
    "AWS::IAM::ManagedPolicy": "IAM is free",
    "AWS::IAM::OIDCProvider": "IAM is free",
    "AWS::IAM::InstanceProfile": "IAM is free",
    "AWS::EC2::Subnet": "VPC building block, free",
    "AWS::EC2::RouteTable": "VPC building block, free",
    "AWS::EC2::Route": "VPC building block, free",
    "AWS::EC2::SubnetRouteTableAssociation": "VPC building block, free",
    "AWS::EC2::InternetGateway": "free (its traffic is billed as data transfer)",
    "AWS::EC2::VPCGatewayAttachment": "VPC building block, free",
    "AWS::EC2::SecurityGroup": "free",
    "AWS::EC2::SecurityGroupIngress": "free",
    "AWS::EC2::SecurityGroupEgress": "free",
    "AWS::EC2::NetworkAcl": "free",
    "AWS::EC2::NetworkAclEntry": "free",
    "AWS::EC2::SubnetNetworkAclAssociation": "free",
    "AWS::EC2::PrefixList": "free",
    "AWS::KMS::Alias": "free",
    "AWS::S3::BucketPolicy": "free",
    "AWS::SNS::Topic": "alarm notifications stay within the free 1,000 emails and 1 M publishes",
    "AWS::SNS::Subscription": "free",
    "AWS::SNS::TopicPolicy": "free",
    "AWS::Lambda::Function": "CDK custom-resource and rotation handlers (a few invocations a "
    "month) and the scheduled checks (the DR readiness check every 30 minutes: about 1,460 a "
    "month), within Lambda's always-free 1 M requests and 400,000 GB-seconds",
    "AWS::Lambda::Permission": "free",
    "AWS::Lambda::LayerVersion": "free",
    "AWS::Logs::ResourcePolicy": "free",
    "AWS::Logs::LogStream": "billed as its log group's ingestion",
    "AWS::Logs::DeliverySource": "billed through its destination (a log group's ingestion, "
    "or vended delivery to S3)",
    "AWS::Logs::Delivery": "billed through its destination (a log group's ingestion, or "
    "vended delivery to S3)",
    "AWS::Serverless::Application": "the Secrets Manager rotation application: one Lambda "
    "running monthly, within Lambda's always-free tier",
    "AWS::Logs::SubscriptionFilter": "free (the destination bills)",
    "AWS::ECS::TaskDefinition": "billed through the ECS service that runs it",
    "AWS::ECS::ClusterCapacityProviderAssociations": "free (read as the service's strategy)",
    "AWS::ApplicationAutoScaling::ScalableTarget": "free",
    "AWS::ApplicationAutoScaling::ScalingPolicy": "free",
    "AWS::ElasticLoadBalancingV2::Listener": "billed through the load balancer",
    "AWS::ElasticLoadBalancingV2::ListenerRule": "billed through the load balancer",
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": "free",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "billed through the load balancer",
    "AWS::CertificateManager::Certificate": "public ACM certificates are free",
    "AWS::RDS::DBSubnetGroup": "free",
    "AWS::RDS::GlobalCluster": "free itself; its secondary's storage, replicated writes and "
    "transfer are billed on the secondary cluster",
    "AWS::RDS::DBClusterParameterGroup": "free",
    "AWS::RDS::DBParameterGroup": "free",
    "AWS::RDS::DBClusterEndpoint": "custom Aurora endpoints are free",
    "AWS::ElastiCache::SubnetGroup": "free",
    "AWS::ElastiCache::ParameterGroup": "free",
    "AWS::ElastiCache::User": "free",
    "AWS::ElastiCache::UserGroup": "free",
    "AWS::MSK::Configuration": "free",
    "AWS::Cognito::UserPoolDomain": "free (billed as the pool's active users)",
    "AWS::Cognito::UserPoolClient": "free (billed as the pool's active users)",
    "AWS::Cognito::UserPoolIdentityProvider": "free (federated users bill as active users)",
    "AWS::Cognito::UserPoolRiskConfigurationAttachment": "included in the Plus plan's MAU price",
    "AWS::Cognito::LogDeliveryConfiguration": "free (the Firehose stream bills its ingestion)",
    "AWS::Cognito::ManagedLoginBranding": "free",
    "AWS::SecretsManager::RotationSchedule": "free (the rotation Lambda is within the free tier)",
    "AWS::SecretsManager::SecretTargetAttachment": "free",
    "AWS::SecretsManager::ResourcePolicy": "free",
    "AWS::CodeDeploy::Application": "CodeDeploy to ECS is free",
    "AWS::CodeDeploy::DeploymentGroup": "CodeDeploy to ECS is free",
    "AWS::CodeDeploy::DeploymentConfig": "CodeDeploy to ECS is free",
    "AWS::WAFv2::WebACLAssociation": "free",
    "AWS::WAFv2::IPSet": "free",
    "AWS::WAFv2::RegexPatternSet": "free",
    "AWS::WAFv2::RuleGroup": "billed as one rule of each web ACL that uses it",
    "AWS::CloudFront::OriginAccessControl": "free",
    "AWS::CloudFront::CachePolicy": "free",
    "AWS::CloudFront::OriginRequestPolicy": "free",
    "AWS::CloudFront::ResponseHeadersPolicy": "free",
    "AWS::Route53::RecordSet": "free (alias queries to AWS resources are free)",
    "AWS::Route53::RecordSetGroup": "free (alias queries to AWS resources are free)",
    "AWS::Backup::BackupSelection": "billed through the recovery points of the plans",
    "AWS::SSM::Parameter": "standard parameters are free",
    "AWS::CloudTrail::Trail": "the first copy of management events is free; its S3 delivery "
    "is the logs bucket's growth",
    "AWS::SecurityHub::Standard": "billed as checks of the hub",
    "AWS::Config::DeliveryChannel": "free (delivery is S3 storage)",
    "AWS::Config::ConfigRule": "billed as rule evaluations of the recorder",
    "AWS::Config::ConformancePack": "billed as rule evaluations of the recorder",
    "AWS::ECR::PullThroughCacheRule": "free",
    "AWS::S3::BucketVersioning": "free",
}


def no_charge_reason(resource_type: str) -> str | None:
    """Why a type costs nothing, or None if it may cost something."""
    if resource_type.startswith("Custom::"):
        return "CloudFormation custom resource: its Lambda runs at deploy time only"
    return NO_CHARGE.get(resource_type)
