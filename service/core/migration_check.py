"""Refuse migrations the running release cannot survive (expand/contract, docs/service.md).

The deploy workflow migrates before the services roll, so for the length of a release the old
(blue) tasks run against the new schema. A new migration may therefore only *expand*: it must
not drop, rename or tighten anything the released code still uses. "Still uses" is read from
the released migrations' end state, which equals the released models (CI refuses models
without their migration). The contract happens in two releases: first the code stops using a
field and a state-only migration (``SeparateDatabaseAndState(state_operations=[...])``)
removes it from the models; a later release drops the column (``RunSQL``), which this check
then allows because no released model has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

Node = tuple[str, str]  # (app label, migration name)

_DROP_TABLE = re.compile(r"\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?(\w+)\"?", re.I)
_ALTER_TABLE = re.compile(
    r"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?\"?(\w+)\"?\s+"
    r"(?:DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?\"?(?P<dropped>\w+)\"?"
    r"|RENAME\s+(?:COLUMN\s+)?\"?(?P<renamed>\w+)\"?\s+TO"
    r"|RENAME\s+TO\b(?P<table_renamed>))",
    re.I,
)


@dataclass(frozen=True)
class Refusal:
    """One operation of a new migration that the released code cannot run against."""

    migration: Node
    operation: str
    reason: str

    def __str__(self) -> str:
        app, name = self.migration
        return f"{app}.{name}: {self.operation}: {self.reason}"


class _Released:
    """What the released code uses: its models' fields and their tables and columns."""

    def __init__(self, state: ProjectState) -> None:
        self._state = state
        self._models = state.models
        self.tables = {
            model._meta.db_table: (model._meta.app_label, model._meta.model_name)
            for model in state.apps.get_models()
        }

    def model(self, app: str, name: str) -> bool:
        return (app, name.lower()) in self._models

    def field(self, app: str, model: str, name: str) -> models.Field | None:
        state = self._models.get((app, model.lower()))
        return state.fields.get(name) if state is not None else None

    def column(self, table: str, column: str) -> bool:
        if table not in self.tables:
            return False
        app, name = self.tables[table]
        fields = self._state.apps.get_model(app, name)._meta.concrete_fields
        return any(field.column == column for field in fields)


def _database_operations(ops: Iterable[operations.base.Operation]) -> Iterator:
    """The operations that change the database (a state-only change changes nothing)."""
    for operation in ops:
        if isinstance(operation, operations.SeparateDatabaseAndState):
            yield from _database_operations(operation.database_operations)
        else:
            yield operation


def _not_null_without_database_default(field: models.Field) -> bool:
    return (
        not field.null
        and not field.many_to_many
        and getattr(field, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED
    )


def _sql_statements(operation: operations.RunSQL) -> str:
    sql = operation.sql
    if isinstance(sql, str):
        return sql
    return "\n".join(item if isinstance(item, str) else item[0] for item in sql)


def _refusals(app: str, operation: object, released: _Released) -> Iterator[str]:
    """Why ``operation`` would break the released code, if it would."""
    used = "the released code still uses it"
    later = "remove it from the models in one release (state-only), drop it in a later one"
    if isinstance(operation, operations.RemoveField):
        if released.field(app, operation.model_name, operation.name) is not None:
            yield f"drops column {operation.model_name}.{operation.name}, {used}; {later}"
    elif isinstance(operation, operations.RenameField):
        if released.field(app, operation.model_name, operation.old_name) is not None:
            yield (
                f"renames column {operation.model_name}.{operation.old_name}, {used}; "
                "add the new column, write both, then remove the old one"
            )
    elif isinstance(operation, operations.DeleteModel):
        if released.model(app, operation.name):
            yield f"drops table {operation.name}, {used}; {later}"
    elif isinstance(operation, operations.RenameModel):
        if released.model(app, operation.old_name):
            yield f"renames table {operation.old_name}, {used}; create the new one and move over"
    elif isinstance(operation, operations.AlterField):
        before = released.field(app, operation.model_name, operation.name)
        if (
            before is not None
            and before.null
            and _not_null_without_database_default(operation.field)
        ):
            yield (
                f"makes {operation.model_name}.{operation.name} NOT NULL while the released "
                "code may write NULL; give it a db_default or tighten it a release later"
            )
    elif isinstance(operation, operations.AddField):
        if released.model(app, operation.model_name) and _not_null_without_database_default(
            operation.field
        ):
            yield (
                f"adds NOT NULL column {operation.model_name}.{operation.name} without a "
                "db_default: the released code's inserts omit it; add db_default or null=True"
            )
    elif isinstance(operation, operations.RunSQL):
        sql = _sql_statements(operation)
        for match in _DROP_TABLE.finditer(sql):
            if match[1] in released.tables:
                yield f"SQL drops table {match[1]}, {used}; {later}"
        for match in _ALTER_TABLE.finditer(sql):
            table = match[1]
            column = match["dropped"] or match["renamed"]
            if column is not None and released.column(table, column):
                yield f"SQL drops or renames column {table}.{column}, {used}; {later}"
            elif match["table_renamed"] is not None and table in released.tables:
                yield f"SQL renames table {table}, {used}"


def incompatible_migrations(loader: MigrationLoader, released: set[Node]) -> list[Refusal]:
    """Every operation of the migrations not in ``released`` that the released code cannot
    run against, in the order the migrations apply."""
    released_leaves = {
        node
        for node in released
        if not any(child in released for child in loader.graph.node_map[node].children)
    }
    state = _Released(loader.project_state(tuple(released_leaves), at_end=True))
    refusals = []
    for node in _plan(loader):
        if node in released:
            continue
        migration = loader.graph.nodes[node]
        for operation in _database_operations(migration.operations):
            for reason in _refusals(node[0], operation, state):
                refusals.append(Refusal(node, operation.describe(), reason))
    return refusals


def _plan(loader: MigrationLoader) -> list[Node]:
    """Every migration, each after its dependencies."""
    plan: list[Node] = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for node in loader.graph.forwards_plan(leaf):
            if node not in plan:
                plan.append(node)
    return plan
