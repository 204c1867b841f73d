"""The network tier: VPC, endpoints and security groups."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import NetworkConfig, PlatformConfig
from infra.network.endpoints import ServiceEndpoints
from infra.network.security_groups import SecurityGroups
from infra.network.vpc import PlatformVpc
from infra.stacks.base import PlatformStack


class NetworkStack(PlatformStack):
    """Exposes :attr:`vpc` and :attr:`security_groups` to the stacks that run inside it.

    ``network`` is the region's layout (the primary's, or the DR region's)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        network: NetworkConfig,
        logs_bucket: s3.IBucket,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpc = PlatformVpc(self, "Network", config=network, logs_bucket=logs_bucket).vpc
        self.security_groups = SecurityGroups(
            self,
            "SecurityGroups",
            vpc=self.vpc,
            names=config.names,
            ports=config.ports,
            cloudfront_prefix_list_id=network.cloudfront_prefix_list_id,
            s3_prefix_list_id=network.s3_prefix_list_id,
            kafka=config.kafka.enabled,
        ).groups
        # The MSK API's endpoint, and CloudFormation's response bucket, serve the data stack's
        # bootstrap-broker lookup, a function in this VPC that exists where the tier runs Kafka.
        # Its FIPS one: the function calls kafka-fips (AWS_USE_FIPS_ENDPOINT, docs/cryptography.md).
        kafka_lookup = config.kafka.enabled and network.kafka_api_endpoint
        services = network.interface_endpoints
        if kafka_lookup:
            services = (*services, "kafka-fips")
        self.endpoints = ServiceEndpoints(
            self,
            "Endpoints",
            vpc=self.vpc,
            services=services,
            security_group=self.security_groups.endpoints,
            custom_resource_responses=kafka_lookup,
            availability_zones=network.endpoint_zones(),
        )
