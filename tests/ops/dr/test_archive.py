"""Restore from the 7-year archive: an exported table (Parquet, as RDS writes it) loads into a
real PostgreSQL; the plan names the month's export and refuses one that did not complete."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from ops.dr.cli import cli

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
ROWS = [
    (uuid.UUID(int=1), "SOC 2 report", 1_204, datetime(2026, 1, 5, 9, 30, tzinfo=UTC)),
    (uuid.UUID(int=2), "Penetration test", 88_000, datetime(2026, 2, 1, 12, 0, tzinfo=UTC)),
    (uuid.UUID(int=3), "Policy (draft)", 0, datetime(2026, 2, 3, 8, 15, tzinfo=UTC)),
]


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh database of this run with the migrated table the export came from."""
    name = f"pcs_archive_{os.getpid()}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    dsn = f"host=127.0.0.1 port=5432 user=postgres dbname={name}"
    with psycopg.connect(dsn) as connection:
        connection.execute(
            "CREATE TABLE public.documents (id uuid PRIMARY KEY, title text NOT NULL, "
            "size_bytes bigint NOT NULL, created_at timestamptz NOT NULL)"
        )
    yield dsn
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _export(root: Path) -> Path:
    """The table as an RDS snapshot export lays it out: <db>/<schema.table>/<n>/part-*.parquet,
    gzip-compressed, rows split over part files."""
    folder = root / "pcs" / "public.documents"
    schema = pa.schema(
        [
            ("id", pa.string()),  # RDS exports uuid as a string
            ("title", pa.string()),
            ("size_bytes", pa.int64()),
            ("created_at", pa.timestamp("us", tz="UTC")),
        ]
    )
    for part, rows in enumerate((ROWS[:2], ROWS[2:])):
        (folder / "1").mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(
            [dict(zip(schema.names, (str(r[0]), *r[1:]), strict=True)) for r in rows], schema
        )
        pq.write_table(table, folder / "1" / f"part-0000{part}-x.gz.parquet", compression="gzip")
    return folder


def _run(*args: str, clients=None):
    obj = {"clients": clients} if clients else None
    return CliRunner().invoke(cli, list(args), obj=obj, catch_exceptions=False)


def test_an_exported_table_loads_into_a_real_postgresql(database, tmp_path):
    folder = _export(tmp_path)
    result = _run(
        "load-export",
        "--dir",
        str(folder),
        "--table",
        "public.documents",
        "--dsn",
        database,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert "3 rows into public.documents" in result.output
    with psycopg.connect(database) as connection:
        loaded = connection.execute(
            "SELECT id, title, size_bytes, created_at FROM public.documents ORDER BY id"
        ).fetchall()
    assert loaded == ROWS


def test_a_table_the_export_does_not_fit_is_one_line_and_loads_nothing(database, tmp_path):
    folder = _export(tmp_path)
    with psycopg.connect(database) as connection:
        connection.execute("ALTER TABLE public.documents RENAME COLUMN title TO name")
    result = _run(
        "load-export",
        "--dir",
        str(folder),
        "--table",
        "public.documents",
        "--dsn",
        database,
        "--yes",
    )
    assert result.exit_code == 2
    assert "--table=public.documents is not allowed" in result.output
    with psycopg.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM public.documents").fetchone() == (0,)


def test_dry_run_loads_nothing(database, tmp_path):
    folder = _export(tmp_path)
    result = _run(
        "load-export",
        "--dir",
        str(folder),
        "--table",
        "public.documents",
        "--dsn",
        database,
        "--dry-run",
    )
    assert result.exit_code == 0 and "dry run: nothing changed" in result.output
    with psycopg.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM public.documents").fetchone() == (0,)


def _rds_with(status: str | None):
    rds = boto3.client("rds", region_name="us-east-1")
    stub = Stubber(rds)
    tasks = (
        []
        if status is None
        else [
            {
                "ExportTaskIdentifier": "pcs-prod-archive-2026-03",
                "Status": status,
                "SnapshotTime": datetime(2026, 3, 2, 3, tzinfo=UTC),
            }
        ]
    )
    stub.add_response(
        "describe_export_tasks",
        {"ExportTasks": tasks},
        {"ExportTaskIdentifier": "pcs-prod-archive-2026-03"},
    )
    stub.activate()
    return lambda service, region: rds


def test_plan_names_the_months_export_folder_and_every_step(tmp_path):
    result = _run("plan-restore-export", "--month", "2026-03", clients=_rds_with("COMPLETE"))
    assert result.exit_code == 0, result.output
    source = "s3://pcs-prod-backups-111111111111/aurora/2026/03/pcs-prod-archive-2026-03/pcs/public.documents/"
    assert source in result.output
    for step in ("restore-object", "aws s3 cp", "migrations", "load-export"):
        assert step in result.output


@pytest.mark.parametrize(("status", "shown"), [("FAILED", "FAILED"), (None, "no such task")])
def test_plan_refuses_a_month_without_a_completed_export(status, shown):
    result = _run("plan-restore-export", "--month", "2026-03", clients=_rds_with(status))
    assert result.exit_code == 2
    assert f"--month=2026-03 (pcs-prod-archive-2026-03: {shown}) is not allowed" in result.output


def test_plan_refuses_a_malformed_month():
    result = _run("plan-restore-export", "--month", "2026-13")
    assert result.exit_code == 2
    assert "--month=2026-13 is not allowed; allowed: a month as YYYY-MM" in result.output
