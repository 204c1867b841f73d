"""Sign-in: the Cognito user pool and the web front end's app client."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import PlatformConfig
from infra.identity.user_pool import IdentityEndpoint, PlatformUserPool
from infra.stacks.base import PlatformStack


class IdentityStack(PlatformStack):
    """Exposes :attr:`endpoint` (issuer, JWKS URL, client id, pool id and ARN) for the API.

    Built in each region (:func:`infra.region.build_region`); the standby's API also accepts the
    primary's tokens (``also_accepted``, docs/decisions/identity-standby-pool.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        sign_in_events: firehose.IDeliveryStream,
        logs_key: kms.IKey,
        also_accepted: tuple[IdentityEndpoint, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.endpoint = PlatformUserPool(
            self,
            "Users",
            prefix=config.prefix,
            identity=config.identity,
            site_domain=config.edge.domain_name,
            sign_in_events=sign_in_events,
            logs_key=logs_key,
            also_accepted=also_accepted,
        ).endpoint
