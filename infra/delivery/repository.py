"""The ECR repositories of the two images: ``app`` (API, worker, Beat, migrate) and ``web``,
replicated to the DR region."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import PlatformConfig


def image_repository(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    key: kms.IKey,
    repository_name: str,
) -> ecr.Repository:
    """Scanned on push, immutable tags (a tag is a git SHA), KMS-encrypted, pruned by lifecycle.

    Immutable tags make a task definition's image reference mean one image for ever, so a
    rollback redeploys exactly what ran before.
    """
    compute = config.compute
    return ecr.Repository(
        scope,
        construct_id,
        repository_name=repository_name,
        image_scan_on_push=True,
        image_tag_mutability=ecr.TagMutability.IMMUTABLE,
        encryption=ecr.RepositoryEncryption.KMS,
        encryption_key=key,
        removal_policy=RemovalPolicy.RETAIN,
        lifecycle_rules=[
            ecr.LifecycleRule(
                rule_priority=1,
                description="Build debris: untagged images",
                tag_status=ecr.TagStatus.UNTAGGED,
                max_image_age=Duration.days(compute.untagged_image_expiry_days),
            ),
            ecr.LifecycleRule(
                rule_priority=2,
                description="Keep the most recent releases for rollback",
                tag_status=ecr.TagStatus.ANY,
                max_image_count=compute.image_keep_count,
            ),
        ],
    )


def replicate_images(
    scope: Construct, construct_id: str, *, config: PlatformConfig
) -> ecr.CfnReplicationConfiguration:
    """Every image pushed to the platform's repositories is copied to the DR region's registry.

    ECR replication is registry-wide (one configuration per account and region), filtered here
    to the ``<prefix>/`` repositories; the DR region's services pull the same tags from there.
    """
    deployment = config.deployment
    return ecr.CfnReplicationConfiguration(
        scope,
        construct_id,
        replication_configuration=ecr.CfnReplicationConfiguration.ReplicationConfigurationProperty(
            rules=[
                ecr.CfnReplicationConfiguration.ReplicationRuleProperty(
                    destinations=[
                        ecr.CfnReplicationConfiguration.ReplicationDestinationProperty(
                            region=deployment.dr_region, registry_id=deployment.account
                        )
                    ],
                    repository_filters=[
                        ecr.CfnReplicationConfiguration.RepositoryFilterProperty(
                            filter=f"{config.prefix}/", filter_type="PREFIX_MATCH"
                        )
                    ],
                )
            ]
        ),
    )
