"""CI's migration check: a new migration may expand the schema, never contract what the
released code uses (core.migration_check, docs/decisions/service-migration-compatibility.md)."""

from __future__ import annotations

import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from core.migration_check import incompatible_migrations


def _with_new(*steps: list[object]) -> tuple[MigrationLoader, set]:
    """Today's migrations as released, then ``steps`` as new migrations of ``documents``."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    released = set(loader.graph.nodes)
    (parent,) = loader.graph.leaf_nodes("documents")
    for number, operations in enumerate(steps, start=900):
        migration = migrations.Migration(f"{number}_new", "documents")
        migration.dependencies = [parent]
        migration.operations = operations
        node = ("documents", migration.name)
        loader.graph.add_node(node, migration)
        loader.graph.add_dependency(migration, node, parent)
        parent = node
    return loader, released


def _refused(*steps: list[object]) -> list[str]:
    return [str(refusal) for refusal in incompatible_migrations(*_with_new(*steps))]


def test_dropping_a_column_the_released_code_uses_is_refused() -> None:
    assert _refused([migrations.RemoveField("document", "title")]) == [
        "documents.900_new: Remove field title from document: drops column document.title, "
        "the released code still uses it; remove it from the models in one release "
        "(state-only), drop it in a later one"
    ]


@pytest.mark.parametrize(
    "operation",
    [
        migrations.RenameField("document", "title", "name"),
        migrations.DeleteModel("document"),
        migrations.RenameModel("document", "record"),
        migrations.AddField("document", "owner_email", models.CharField(max_length=10, default="")),
        migrations.AlterField("document", "processed_at", models.DateTimeField()),
        migrations.RunSQL('ALTER TABLE "documents_document" DROP COLUMN "title"'),
        migrations.RunSQL("DROP TABLE IF EXISTS documents_document"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RemoveField("document", "title")]
        ),
    ],
    ids=lambda operation: operation.describe(),
)
def test_every_contracting_operation_on_what_the_release_uses_is_refused(operation) -> None:
    assert len(_refused([operation])) == 1


@pytest.mark.parametrize(
    "operation",
    [
        migrations.AddField("document", "note", models.TextField(null=True)),
        migrations.AddField("document", "pages", models.IntegerField(default=0, db_default=0)),
        migrations.AlterField("document", "title", models.CharField(max_length=300)),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("document", "title")]
        ),
        migrations.RunSQL("CREATE INDEX documents_title ON documents_document (title)"),
    ],
    ids=lambda operation: operation.describe(),
)
def test_expanding_operations_pass(operation) -> None:
    assert _refused([operation]) == []


def test_a_column_that_left_the_models_in_an_earlier_release_may_be_dropped() -> None:
    """Release N: state-only removal (the code stops using it); release N+1 drops it."""
    loader, released = _with_new(
        [
            migrations.SeparateDatabaseAndState(
                state_operations=[migrations.RemoveField("document", "failure_reason")]
            )
        ],
        [migrations.RunSQL('ALTER TABLE "documents_document" DROP COLUMN "failure_reason"')],
    )
    released.add(("documents", "900_new"))  # release N shipped
    assert incompatible_migrations(loader, released) == []


def test_the_command_passes_on_the_current_tree_against_head() -> None:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    call_command("migrations_compatible", base=head)


def test_the_command_refuses_an_unknown_base_with_a_one_line_error() -> None:
    with pytest.raises(CommandError, match="--base: git cannot list 'no-such-ref'"):
        call_command("migrations_compatible", base="no-such-ref")
