"""Where the primary region's buckets replicate to: names both regions derive the same way.

The DR-region stack creates the replica buckets and their key; the primary stack points its
replication rules at them by these deterministic names and ARNs instead of CDK's
``cross_region_references`` (which would add custom-resource Lambdas to both stacks).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws

from infra.config import PlatformConfig
from infra.names import PlatformNames


@dataclass(frozen=True)
class DrStorageNames:
    """ARNs of the DR region's replica buckets and storage keys, from :class:`PlatformNames`."""

    names: PlatformNames

    @classmethod
    def of(cls, config: PlatformConfig) -> DrStorageNames:
        """The names of ``config``'s deployment (both regions derive them from this)."""
        return cls(config.names)

    @property
    def account(self) -> str:
        """The deployment's account."""
        return self.names.account

    @property
    def dr_region(self) -> str:
        """The region the replicas live in."""
        return self.names.dr_region

    def replica_bucket_name(self, purpose: str) -> str:
        """The replica of the ``purpose`` bucket."""
        return self.names.replica_bucket(purpose)

    def replica_bucket_arn(self, purpose: str) -> str:
        """The ARN of :meth:`replica_bucket_name` (bucket ARNs carry no region or account)."""
        return f"arn:{Aws.PARTITION}:s3:::{self.replica_bucket_name(purpose)}"

    @property
    def key_alias(self) -> str:
        """The alias of the DR region's storage key."""
        return self.names.key_alias("dr-storage")

    @property
    def key_alias_arn(self) -> str:
        """The alias ARN S3 replication accepts as the replica's KMS key."""
        return self._alias_arn(self.key_alias)

    @property
    def secrets_key_alias(self) -> str:
        """The alias of the DR region's key for the database secrets' replicas."""
        return self.names.key_alias("dr-secrets")

    @property
    def secrets_key_alias_arn(self) -> str:
        """The alias ARN Secrets Manager accepts as a replica's KMS key."""
        return self._alias_arn(self.secrets_key_alias)

    def _alias_arn(self, alias: str) -> str:
        return f"arn:{Aws.PARTITION}:kms:{self.dr_region}:{self.account}:{alias}"
