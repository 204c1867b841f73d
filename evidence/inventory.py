"""The FedRAMP Integrated Inventory Workbook, one row per asset of the synthesized templates.

Every resource is either an asset (a thing that runs, stores, routes or holds keys: a row of the
workbook) or configuration of one (listed apart with the reason it is not an asset). A resource
type that is neither stops the evidence: :func:`classify` raises, so a new kind of resource
needs a decision here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from evidence.assembly import Assembly, Stack
from evidence.origin import alias_targets

# FedRAMP Integrated Inventory Workbook (Attachment 13) columns, in the workbook's order.
COLUMNS = (
    "UNIQUE ASSET IDENTIFIER",
    "IPv4 or IPv6 Address",
    "Virtual",
    "Public",
    "DNS Name or URL",
    "NetBIOS Name",
    "MAC Address",
    "Authenticated Scan",
    "Baseline Configuration Name",
    "OS Name and Version",
    "Location",
    "Asset Type",
    "Hardware Make/Model",
    "In Latest Scan",
    "Software/Database Vendor",
    "Software/Database Name & Version",
    "Patch Level",
    "Diagram Label",
    "Comments",
    "Serial #/Asset Tag#",
    "VLAN/Network ID",
    "System Administrator/Owner",
    "Application Administrator/Owner",
    "Function",
)

DYNAMIC = "dynamic (assigned by AWS at run time)"
NOT_APPLICABLE = "n/a (AWS managed service)"


@dataclass(frozen=True)
class AssetKind:
    asset_type: str
    function: str
    public: bool = False
    software: tuple[str, ...] = ()  # properties naming engine/runtime and version


ASSETS: dict[str, AssetKind] = {
    "AWS::CloudFront::Distribution": AssetKind(
        "CDN", "edge: TLS termination, WAF, caching", public=True
    ),
    "AWS::WAFv2::WebACL": AssetKind(
        "Web application firewall", "filters requests at the edge", public=True
    ),
    # Public as its scheme says (:func:`_public`); a network load balancer's function is the
    # origin entry's (:func:`_function`).
    "AWS::ElasticLoadBalancingV2::LoadBalancer": AssetKind(
        "Load balancer", "routes CloudFront's requests to the API and web tasks"
    ),
    "AWS::ECS::Cluster": AssetKind("Container cluster", "runs the Fargate services"),
    "AWS::ECS::Service": AssetKind("Container service", "long-running Fargate tasks"),
    "AWS::ECS::TaskDefinition": AssetKind(
        "Container task", "image, sizes, variables of a service", software=("RuntimePlatform",)
    ),
    "AWS::ECR::Repository": AssetKind("Container registry", "holds the signed images"),
    "AWS::Lambda::Function": AssetKind(
        "Function", "deploy-time or delivery automation", software=("Runtime", "Architectures")
    ),
    # Issue 25: a Synthetics-managed function that uses the product from outside.
    "AWS::Synthetics::Canary": AssetKind(
        "Synthetic canary",
        "lists documents through the public site on a schedule",
        software=("RuntimeVersion",),
    ),
    "AWS::RDS::DBCluster": AssetKind(
        "Database cluster", "Aurora PostgreSQL: tenant data", software=("Engine", "EngineVersion")
    ),
    "AWS::RDS::DBInstance": AssetKind(
        "Database instance", "Aurora writer or reader", software=("Engine", "DBInstanceClass")
    ),
    "AWS::RDS::DBClusterEndpoint": AssetKind("Database endpoint", "reader endpoint of the cluster"),
    "AWS::ElastiCache::ReplicationGroup": AssetKind(
        "Cache cluster",
        "Valkey/Redis: Celery broker and cache",
        software=("Engine", "EngineVersion", "CacheNodeType"),
    ),
    "AWS::MSK::Cluster": AssetKind(
        "Streaming cluster", "Kafka: domain and audit events", software=("KafkaVersion",)
    ),
    "AWS::S3::Bucket": AssetKind("Object storage", "documents, logs or backups"),
    "AWS::Backup::BackupVault": AssetKind("Backup vault", "locked recovery points"),
    "AWS::KMS::Key": AssetKind("Encryption key", "customer managed key (FIPS 140 validated HSMs)"),
    "AWS::SecretsManager::Secret": AssetKind("Secret", "credentials, rotated"),
    "AWS::SNS::Topic": AssetKind("Notification topic", "alerts to on-call"),
    "AWS::EC2::VPC": AssetKind("Virtual network", "the system's network boundary"),
    "AWS::EC2::Subnet": AssetKind("Subnet", "one tier in one availability zone"),
    "AWS::EC2::NatGateway": AssetKind(
        "NAT gateway", "outbound internet for private subnets", public=True
    ),
    "AWS::EC2::InternetGateway": AssetKind(
        "Internet gateway", "public subnets' route to the internet", public=True
    ),
    "AWS::EC2::VPCEndpoint": AssetKind("VPC endpoint", "private path to an AWS service"),
    "AWS::EC2::EIP": AssetKind("Elastic IP", "the NAT gateway's public address", public=True),
    "AWS::CloudTrail::Trail": AssetKind("Audit trail", "records every AWS API call"),
    "AWS::GuardDuty::Detector": AssetKind("Threat detection", "GuardDuty"),
    "AWS::SecurityHub::Hub": AssetKind("Security posture", "Security Hub"),
    "AWS::Config::ConfigurationRecorder": AssetKind("Configuration recorder", "AWS Config"),
    "AWS::CertificateManager::Certificate": AssetKind(
        "Certificate", "TLS certificate of the domain"
    ),
    # Its function names what it reads (:func:`_function`).
    "AWS::Route53::HealthCheck": AssetKind("Health check", "Route 53 health check", public=True),
    # It answers DNS queries: public unless associated with VPCs (:func:`_public`), its function
    # names its records (:func:`_function`).
    "AWS::Route53::HostedZone": AssetKind("DNS zone", "Route 53 hosted zone", public=True),
    "AWS::Cognito::UserPool": AssetKind(
        "Identity provider", "tenant users' sign-in with MFA", public=True
    ),
    "AWS::KinesisFirehose::DeliveryStream": AssetKind(
        "Delivery stream", "carries audit events to the locked bucket"
    ),
    "AWS::RDS::GlobalCluster": AssetKind(
        "Global database", "cross-region Aurora replication", software=("Engine", "EngineVersion")
    ),
}

# Everything else is configuration of an asset; the reason says of what, by type prefix.
NOT_ASSETS: dict[str, str] = {
    "AWS::IAM::": "identity and access policy (AC-2, AC-6): configuration, not an asset",
    "AWS::KMS::Alias": "a name for a key (the key is the asset)",
    "AWS::EC2::SecurityGroup": "firewall rules: listed in the ports, protocols and services table",
    "AWS::EC2::Route": "routing configuration of a subnet",
    "AWS::EC2::SubnetRouteTableAssociation": "routing configuration of a subnet",
    "AWS::EC2::VPCGatewayAttachment": "attaches the internet gateway (the asset)",
    "AWS::EC2::FlowLog": "logging configuration of the VPC",
    "AWS::EC2::NetworkAcl": "network filtering configuration of subnets",
    "AWS::EC2::SubnetNetworkAclAssociation": "network filtering configuration of subnets",
    "AWS::CloudWatch::": "monitoring configuration (alarms, dashboards)",
    "AWS::Logs::": "log storage and delivery configuration (CloudWatch Logs is the AWS service)",
    "AWS::S3::BucketPolicy": "access policy of a bucket",
    "AWS::SNS::TopicPolicy": "access policy of a topic",
    "AWS::SNS::Subscription": "delivery configuration of a topic",
    "AWS::SSM::Parameter": "a parameter read at deploy time (no data of the system)",
    "AWS::Route53::RecordSet": "DNS record of an asset",
    "AWS::Route53::RecordSetGroup": "DNS record of an asset",
    "AWS::ApplicationAutoScaling::": "scaling configuration of a service",
    "AWS::ElasticLoadBalancingV2::Listener": "a load balancer listener: see the ports table",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "routing configuration of the load balancer",
    "AWS::ECS::ClusterCapacityProviderAssociations": "capacity configuration of the cluster",
    "AWS::RDS::DBSubnetGroup": "placement configuration of the database",
    "AWS::RDS::DBParameterGroup": "engine configuration of the database",
    "AWS::RDS::DBClusterParameterGroup": "engine configuration of the database",
    "AWS::ElastiCache::SubnetGroup": "placement configuration of the cache",
    "AWS::ElastiCache::ParameterGroup": "engine configuration of the cache",
    "AWS::MSK::Configuration": "broker configuration of the Kafka cluster",
    "AWS::SecretsManager::": "rotation or attachment configuration of a secret",
    "AWS::Backup::BackupPlan": "schedule and retention of backups",
    "AWS::Backup::BackupSelection": "which resources a backup plan covers",
    "AWS::WAFv2::LoggingConfiguration": "logging configuration of the web ACL",
    "AWS::WAFv2::IPSet": "rule data of the web ACL",
    "AWS::SecurityHub::Standard": "a standard enabled in Security Hub",
    "AWS::Config::": "configuration of AWS Config (rules, delivery, conformance packs)",
    "AWS::Serverless::Application": "AWS-published rotation function, deployed from the SAR",
    "AWS::CloudFront::": "edge policy or function configuration of the distribution",
    "AWS::Cognito::": "configuration of the user pool (clients, domain, groups)",
    "AWS::Events::Rule": "a schedule or event pattern",
    "AWS::Scheduler::": "a schedule",
    "AWS::CDK::Metadata": "CDK version metadata, not deployed as a resource",
    "Custom::": "a deploy-time custom resource (its function is the asset)",
    "AWS::CloudFormation::": "CloudFormation configuration",
    "AWS::ECR::": "configuration of the registry (replication, policies)",
    "AWS::Lambda::Permission": "invoke permission of a function",
    "AWS::Lambda::EventInvokeConfig": "invocation configuration of a function",
}


class UnclassifiedResource(ValueError):
    """A resource type that is neither an asset nor listed as configuration."""


def classify(resource_type: str) -> AssetKind | str:
    """The asset kind of ``resource_type``, or the reason it is not an asset."""
    if resource_type in ASSETS:
        return ASSETS[resource_type]
    for prefix, reason in sorted(NOT_ASSETS.items(), key=lambda item: -len(item[0])):
        if resource_type.startswith(prefix):
            return reason
    raise UnclassifiedResource(f"{resource_type}: classify it in evidence/inventory.py")


def _scanning_repositories(assembly: Assembly) -> list[tuple[str, str]]:
    """(stack, logical id) of each ECR repository that scans images on push."""
    return [
        (stack.name, logical_id)
        for stack, logical_id, resource in assembly.resources()
        if resource["Type"] == "AWS::ECR::Repository"
        and resource["Properties"].get("ImageScanningConfiguration", {}).get("ScanOnPush")
    ]


def _image_scanned(stack: Stack, resource: dict, repositories: list[tuple[str, str]]) -> bool:
    """A task definition (or the service running it) whose every image comes from a repository
    that scans on push: the only scanning the templates set up (no Inspector, nothing for
    functions)."""
    if resource["Type"] == "AWS::ECS::Service":
        reference = resource["Properties"].get("TaskDefinition", {})
        task = stack.resources.get(reference.get("Ref", "") if isinstance(reference, dict) else "")
        return bool(task) and _image_scanned(stack, task, repositories)
    if resource["Type"] != "AWS::ECS::TaskDefinition":
        return False
    images = [json.dumps(c.get("Image")) for c in resource["Properties"]["ContainerDefinitions"]]
    return all(
        any(
            f"{name}:ExportsOutputFnGetAtt{lid}" in image
            or (name == stack.name and f'"{lid}"' in image)
            for name, lid in repositories
        )
        for image in images
    )


def rows(assembly: Assembly) -> tuple[list[list[str]], list[list[str]]]:
    """(workbook rows, not-an-asset rows) for every resource of every stack."""
    assets, others = [], []
    repositories = _scanning_repositories(assembly)
    for stack, logical_id, resource in assembly.resources():
        kind = classify(resource["Type"])
        asset_id = f"{stack.name}/{logical_id}"
        if isinstance(kind, str):
            others.append([asset_id, resource["Type"], kind])
            continue
        props = resource.get("Properties", {})
        software = "; ".join(f"{p}={_plain(props[p])}" for p in kind.software if p in props)
        if resource["Type"] == "AWS::Lambda::Function" and "Architectures" not in props:
            software += "; Architectures=x86_64 (Lambda's default)"
        scanned = (
            (stack.name, logical_id) in repositories
            if resource["Type"] == "AWS::ECR::Repository"
            else _image_scanned(stack, resource, repositories)
        )
        assets.append(
            [
                asset_id,
                DYNAMIC,
                "Yes",
                "Yes" if _public(resource["Type"], props, kind) else "No",
                DYNAMIC,
                NOT_APPLICABLE,
                NOT_APPLICABLE,
                "No",  # nothing logs in to scan: ECR scans images, not running hosts
                stack.name,
                software or NOT_APPLICABLE,  # a global database's engine is its clusters'
                f"AWS {stack.region}",
                kind.asset_type,
                NOT_APPLICABLE,
                "Yes (ECR scan on push)" if scanned else "No",
                "Amazon Web Services",
                software or resource["Type"],
                NOT_APPLICABLE,
                logical_id,
                stack.paths.get(logical_id, ""),
                asset_id,
                stack.name,
                "Platform engineering",
                "Platform engineering",
                _function(stack, logical_id, resource["Type"], kind),
            ]
        )
    return assets, others


def _public(resource_type: str, props: dict, kind: AssetKind) -> bool:
    if resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        # internet-facing is CloudFormation's default when the template names no scheme.
        return props.get("Scheme", "internet-facing") == "internet-facing"
    if resource_type == "AWS::Route53::HostedZone":
        return not props.get("VPCs")
    return kind.public


_ENTRY = "origin entry: passes the origin port's TCP connections to the load balancer behind it"


def _function(stack: Stack, logical_id: str, resource_type: str, kind: AssetKind) -> str:
    """The kind's function, with what the template says of this one: the alarm a health check
    reads (the edge's or the traffic switch's), a network load balancer's role (the origin entry,
    evidence/origin.py), a hosted zone's VPCs and records."""
    props = stack.resources[logical_id].get("Properties", {})
    config = props.get("HealthCheckConfig", {})
    if resource_type == "AWS::Route53::HealthCheck" and "AlarmIdentifier" in config:
        alarm = config["AlarmIdentifier"]
        return f"{kind.function}: reads alarm {_plain(alarm['Name'])} in {alarm['Region']}"
    if resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer" and props.get("Type") == (
        "network"
    ):
        return _ENTRY
    if resource_type == "AWS::Route53::HostedZone":
        vpcs = ", ".join(v["VPCRegion"] for v in props.get("VPCs", []))
        records = "; ".join(
            f"{r['Properties']['Type']} {r['Properties']['Name']} -> {_target(r['Properties'])}"
            for r in stack.resources.values()
            if r["Type"] == "AWS::Route53::RecordSet"
            and r["Properties"].get("HostedZoneId") == {"Ref": logical_id}
        )
        where = f"private to the VPC in {vpcs}" if vpcs else "public"
        return f"{kind.function} {props.get('Name')} ({where}): {records or 'no records'}"
    return kind.function


def _target(record: dict) -> str:
    """What a record answers with: its alias target's resource, or its values."""
    aliases = alias_targets(record)
    if aliases:
        return f"alias of {', '.join(aliases)}"
    return _plain(record.get("ResourceRecords", [])) or "set at deploy time"


def _plain(value: object) -> str:
    """A property's value as the template states it; an intrinsic is resolved at deploy time."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return "/".join(value[k] for k in sorted(value))  # CpuArchitecture/OperatingSystemFamily
    return "set at deploy time"
