"""Aurora PostgreSQL parameter groups (spec §3.2), with the spec's invalid or unsafe values fixed.

Changes from the spec, recorded in docs/decisions/data-aurora-parameters.md:
``pgvector`` is not a preload library (the ``vector`` extension is created by a migration);
``log_statement=all`` (passwords and PII in the logs) is replaced by pgaudit; ``max_connections``
is an instance-level parameter in Aurora PostgreSQL, so it sits in the instance parameter group.
"""

from __future__ import annotations

from infra.config import DatabaseConfig

PRELOAD_LIBRARIES = ("pg_stat_statements", "auto_explain", "pgaudit")


def cluster_parameters(database: DatabaseConfig) -> dict[str, str]:
    """The cluster parameter group's values."""
    return {
        "rds.force_ssl": "1",
        "shared_preload_libraries": ",".join(PRELOAD_LIBRARIES),
        "pg_stat_statements.track": "all",
        "auto_explain.log_min_duration": str(database.auto_explain_log_min_duration_ms),
        "log_connections": "1",
        "log_disconnections": "1",
        "pgaudit.log": database.pgaudit_log,
        # Acts on the global database's primary, whichever region's cluster that is.
        "rds.global_db_rpo": str(database.global_rpo_seconds),
    }


def instance_parameters(database: DatabaseConfig) -> dict[str, str]:
    """The instance parameter group's values (parameters Aurora sets per instance)."""
    return {"max_connections": str(database.max_connections)}
