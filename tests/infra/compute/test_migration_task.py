"""The one-off migration task: /app/bin/migrate with the new image before each release."""

from __future__ import annotations

from tests.infra.compute.helpers import container, role, role_statements
from tests.infra.compute.helpers import task_definition as task
from tests.infra.conftest import resources


def test_migration_runs_the_migrate_start_script(prod):
    assert container(prod, "migrate")["Command"] == ["/app/bin/migrate"]


def test_migration_has_the_api_task_size(prod):
    assert (task(prod, "migrate")["Cpu"], task(prod, "migrate")["Memory"]) == ("1024", "2048")


def test_migration_gets_the_database_credentials(prod):
    names = {s["Name"] for s in container(prod, "migrate")["Secrets"]}
    assert {"DB_USER", "DB_PASSWORD"} <= names


def test_migration_is_not_a_service(prod):
    services = resources(prod, "compute", "AWS::ECS::Service").values()
    assert not any(s["Properties"]["ServiceName"].endswith("-migrate") for s in services)


def test_migration_task_role_has_no_permissions(prod):
    assert role_statements(prod, "migrate-task") == []
    assert "ManagedPolicyArns" not in role(prod, "migrate-task")
