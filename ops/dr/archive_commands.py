"""``plan-restore-export`` and ``load-export``: restoring a month from the 7-year archive."""

from __future__ import annotations

from pathlib import Path

import click
import psycopg

from ops.dr.archive import ExportLocation, load_table, part_files
from ops.dr.cli import Session, _carry_out, _common, _reported_errors, cli, pass_session
from ops.dr.errors import BadInput


@cli.command("plan-restore-export")
@click.option("--month", required=True, help="The month whose export to restore, YYYY-MM.")
@click.option("--table", default="public.documents", show_default=True, help="schema.table.")
@pass_session
def plan_restore_export(session: Session, month: str, table: str) -> None:
    """Print the steps that restore one table from a month's archive export (changes nothing).

    Reads the export task's status; the steps are commands to run in order.
    """
    targets = session.targets
    with _reported_errors():
        where = ExportLocation.of(
            archive_prefix=targets.archive_prefix, bucket=targets.archive_bucket, month=month
        )
        folder = where.table_prefix(targets.database_name, table)
        rds = session.client("rds", targets.region)
        tasks = rds.describe_export_tasks(ExportTaskIdentifier=where.task)["ExportTasks"]
        if not tasks or tasks[0]["Status"] != "COMPLETE":
            status = tasks[0]["Status"] if tasks else "no such task"
            raise BadInput("--month", f"{month} ({where.task}: {status})", "a completed export")
    source = f"s3://{where.bucket}/{folder}"
    click.echo(f"export {where.task}: complete; snapshot time {tasks[0].get('SnapshotTime')}")
    click.echo("steps (Deep Archive: bulk retrieval takes up to 48 h, standard up to 12 h):")
    steps = [
        f"retrieve: for each key under {source}: aws s3api restore-object --bucket "
        f"{where.bucket} --key <key> --restore-request "
        '\'{"Days":7,"GlacierJobParameters":{"Tier":"Bulk"}}\'',
        f"download when restored: aws s3 cp --recursive {source} ./{table}/",
        "schema: create an empty database and run the migrations of the release deployed that "
        "month (bin/migrate of image <sha>); the export holds data, not DDL",
        f"load: python -m ops.dr --deployment {session.deployment} load-export "
        f"--dir ./{table}/ --table {table} --dsn <the new database's DSN>",
    ]
    for number, step in enumerate(steps, 1):
        click.echo(f"  {number}. {step}")


@cli.command("load-export")
@_common
@click.option("--dir", "folder", required=True, type=click.Path(path_type=Path))
@click.option("--table", required=True, help="schema.table to load into (already migrated).")
@click.option("--dsn", required=True, help="libpq connection string of the target database.")
def load_export(dry_run: bool, yes: bool, folder: Path, table: str, dsn: str) -> None:
    """Load one exported table's Parquet part files into a migrated database, in one transaction."""
    with _reported_errors():
        files = part_files(folder)
        try:
            connection = psycopg.connect(dsn, connect_timeout=10)
        except psycopg.Error as error:
            raise BadInput("--dsn", "(hidden)", f"a reachable database ({error})") from None

    def act() -> list[str]:
        with connection:
            try:
                rows = load_table(connection, files, table)
            except psycopg.Error as error:
                reason = str(error).splitlines()[0]
                raise BadInput(
                    "--table", table, f"a migrated table the export fits ({reason})"
                ) from None
        return [f"{rows} rows into {table}"]

    _carry_out(
        [f"COPY {len(files)} Parquet file(s) from {folder} into {table} (one transaction)"],
        dry_run=dry_run,
        yes=yes,
        action=act,
    )
