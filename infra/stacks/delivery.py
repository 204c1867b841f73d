"""Release prerequisites, deployed before compute: the image repository, GitHub's deploy role."""

from __future__ import annotations

from typing import Any

from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.kms import domain_key
from infra.delivery.github_oidc import GithubDeployRole
from infra.delivery.repository import image_repository, replicate_images
from infra.stacks.base import PlatformStack


class DeliveryStack(PlatformStack):
    """Exposes :attr:`repository` and :attr:`web_repository` (ECR, the app and web images) and
    :attr:`deploy_role` (GitHub Actions via OIDC).

    A stack of its own so the repository exists, and holds the first image, before the compute
    stack's services ask for it.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        images_key = domain_key(
            self,
            "ImagesKey",
            alias=f"alias/{config.prefix}/images",
            description=f"{config.prefix}: container images in ECR",
            administrator=config.deployment.key_administrator_role,
        )
        self.repository = image_repository(
            self,
            "Repository",
            config=config,
            key=images_key,
            repository_name=config.names.image_repository,
        )
        self.web_repository = image_repository(
            self,
            "WebRepository",
            config=config,
            key=images_key,
            repository_name=config.names.web_image_repository,
        )
        self.replication = replicate_images(self, "ImageReplication", config=config)
        self.deploy_role = GithubDeployRole(
            self,
            "GithubDeploy",
            config=config,
            repositories=(self.repository, self.web_repository),
        ).role
