"""Restore from the 7-year archive: where a month's export lives and how its tables load.

An Aurora snapshot export writes, under ``<S3 prefix>/<export task>/``, one folder per table
(``<database>/<schema>.<table>/``) of Parquet part files, plus ``export_info_*.json`` and
``export_tables_info_*.json``. The archive bucket's lifecycle moves them to Glacier Deep Archive,
so a restore first retrieves them (bulk: up to 48 h), then loads each table into a database
migrated to the schema of that month's release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
from psycopg import Connection, sql

from ops.dr.errors import BadInput

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_TABLE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class ExportLocation:
    """One month's export in the archive bucket."""

    bucket: str
    task: str
    prefix: str

    @classmethod
    def of(cls, *, archive_prefix: str, bucket: str, month: str) -> ExportLocation:
        """The export of ``month`` (``YYYY-MM``) as the exporter names it."""
        match = _MONTH.fullmatch(month)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise BadInput("--month", month, "a month as YYYY-MM")
        year, number = match.groups()
        task = f"{archive_prefix}-{year}-{number}"
        return cls(bucket=bucket, task=task, prefix=f"aurora/{year}/{number}/{task}/")

    def table_prefix(self, database: str, table: str) -> str:
        """Where ``schema.table`` of ``database`` lies."""
        if _TABLE.fullmatch(table) is None:
            raise BadInput("--table", table, "schema.table in lower case, e.g. public.documents")
        return f"{self.prefix}{database}/{table}/"


def part_files(folder: Path) -> list[Path]:
    """The Parquet part files of one exported table folder, in name order."""
    files = sorted(folder.rglob("*.parquet"))
    if not files:
        raise BadInput("--dir", str(folder), "a folder holding the table's .parquet part files")
    return files


def load_table(connection: Connection, files: list[Path], table: str) -> int:
    """COPY every row of ``files`` into ``table`` (``schema.table``, already created by the
    migrations), matching columns by name; returns the rows loaded. One transaction: a failure
    leaves the table as it was."""
    if _TABLE.fullmatch(table) is None:
        raise BadInput("--table", table, "schema.table in lower case, e.g. public.documents")
    schema_name, table_name = table.split(".")
    rows = 0
    with connection.transaction(), connection.cursor() as cursor:
        for path in files:
            data = pq.read_table(path)
            columns = sql.SQL(", ").join(sql.Identifier(name) for name in data.column_names)
            statement = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
                sql.Identifier(schema_name), sql.Identifier(table_name), columns
            )
            with cursor.copy(statement) as copy:
                for record in data.to_pylist():
                    copy.write_row([record[name] for name in data.column_names])
                    rows += 1
    return rows
