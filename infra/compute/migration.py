"""The one-off database migration task (docs/service.md): run before each release, no service."""

from __future__ import annotations

from constructs import Construct

from infra.compute.environment import ServiceInputs
from infra.compute.task import Placement, PlatformTask, TaskSpec, platform_task
from service.container_contract import Service

MIGRATION_CONTAINER = "migrate"


class MigrationTask(Construct):
    """Task definition family ``<prefix>-migrate``: ``/app/bin/migrate`` at the API's size.

    The deploy workflow registers a revision with the new image and runs it to completion
    before CloudFormation rolls the services (migrations must stay backward compatible with the
    running blue tasks). Its task role has no permissions: migrations touch only the database.
    It alone connects as the master (the tables' owner) and receives the app role's secret,
    which it applies to the database (``manage.py db_app_role``) after migrating.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        inputs: ServiceInputs,
        placement: Placement,
    ) -> None:
        super().__init__(scope, construct_id)
        api = inputs.config.compute.api
        self.task: PlatformTask = platform_task(
            self,
            spec=TaskSpec(
                service=Service.MIGRATE,
                container_name=MIGRATION_CONTAINER,
                cpu=api.cpu,
                memory_mib=api.memory_mib,
                ecs_exec=False,
            ),
            inputs=inputs,
            placement=placement,
        )
