"""``python -m ops.dr``: restore Aurora, find DR copies, switch the app over, verify.

Every command reads and validates first (read-only calls), prints what it will change, then asks
(unless ``--yes``), changes, and reports. ``--dry-run`` stops after the plan. Data and reports go
to stdout, progress and errors to stderr. Exit codes: 0 done; 1 AWS refused, the operator
declined, or ``verify`` found a mismatch; 2 bad input, nothing changed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import click
from botocore.exceptions import BotoCoreError, ClientError

from infra.cli import DEPLOYMENT_OPTION
from infra.config import ConfigError, load_config
from ops.dr import aurora, pointing, services, verify
from ops.dr.clients import boto3_client
from ops.dr.errors import BadInput, SwitchNotConfirmed, Unreachable
from ops.dr.recovery_points import latest_recovery_point
from ops.dr.targets import DrTargets

ClientFactory = Callable[[str, str], Any]


@dataclass
class Session:
    """The deployment's targets and a way to get AWS clients (tests inject a stubbed one)."""

    deployment: str
    targets: DrTargets
    clients: ClientFactory
    sleep: Callable[[float], None] = time.sleep  # between polls of a wait (tests count it)

    def client(self, service: str, region: str) -> Any:
        """A client of ``service`` in ``region``."""
        return self.clients(service, region)

    def next_step(self, command: str) -> str:
        """The command line of the runbook's next step, for the same deployment."""
        return f"python -m ops.dr --deployment {self.deployment} {command}"


pass_session = click.make_pass_decorator(Session)


@contextmanager
def _reported_errors(*, changing: bool = False) -> Iterator[None]:
    """Bad input: one line, exit 2. AWS refusals: one line, exit 1. Never a traceback.

    ``changing``: the block makes changes, so a refusal may come after some of them; say so.
    """
    partial = (
        "; earlier steps of this command may have been applied: run verify" if changing else ""
    )
    try:
        yield
    except (BadInput, ConfigError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    except ClientError as error:
        details = error.response["Error"]
        click.echo(
            f"error: AWS refused: {details['Code']}: {details['Message']}{partial}", err=True
        )
        sys.exit(1)
    except BotoCoreError as error:
        click.echo(f"error: AWS call failed: {error}{partial}", err=True)
        sys.exit(1)
    except (TimeoutError, Unreachable, SwitchNotConfirmed) as error:
        click.echo(f"error: {error}{partial}", err=True)
        sys.exit(1)


def _carry_out(
    plan: list[str], *, dry_run: bool, yes: bool, action: Callable[[], list[str]]
) -> None:
    """Show ``plan``; unless a dry run, confirm, run ``action`` and print what it reports."""
    click.echo("plan:")
    for line in plan:
        click.echo(f"  - {line}")
    if dry_run:
        click.echo("dry run: nothing changed")
        return
    if not yes:
        click.confirm("Proceed?", abort=True, err=True)
    with _reported_errors(changing=True):
        report = action()
    click.echo("done:")
    for line in report:
        click.echo(f"  - {line}")


def _common(command: Callable) -> Callable:
    """--dry-run and --yes, shared by every command that changes something."""
    command = click.option("--yes", is_flag=True, help="Do not ask before changing anything.")(
        command
    )
    return click.option(
        "--dry-run", is_flag=True, help="Validate and print the plan; change nothing."
    )(command)


_INSTANCE_CLASS = click.option(
    "--instance-class",
    default=None,
    help="Class of the restored cluster's writer (default: the tier's, e.g. db.serverless).",
)


@click.group()
@DEPLOYMENT_OPTION
@click.pass_context
def cli(ctx: click.Context, deployment: str) -> None:
    """PCS Platform disaster recovery (docs/runbook.md)."""
    with _reported_errors():
        targets = DrTargets.of(load_config(deployment))
    injected = ctx.obj or {}
    ctx.obj = Session(
        deployment=deployment,
        targets=targets,
        clients=injected.get("clients", boto3_client),
        sleep=injected.get("sleep", time.sleep),
    )


@cli.command("restore-pitr")
@_common
@click.option("--target-cluster", required=True, help="Identifier of the NEW cluster.")
@click.option("--restore-time", default=None, help="ISO 8601 UTC time, e.g. 2026-11-24T10:15:00Z.")
@click.option("--latest", is_flag=True, help="Restore to the latest restorable time instead.")
@click.option("--source-cluster", default=None, help="Cluster to restore (default: the env's).")
@_INSTANCE_CLASS
@pass_session
def restore_pitr(
    session: Session,
    dry_run: bool,
    yes: bool,
    target_cluster: str,
    restore_time: str | None,
    latest: bool,
    source_cluster: str | None,
    instance_class: str | None,
) -> None:
    """Point-in-time restore of the Aurora cluster into a new cluster (same region)."""
    instance_class = instance_class or session.targets.writer_instance_class
    region = session.targets.region
    rds = session.client("rds", region)
    with _reported_errors():
        if latest == (restore_time is not None):
            raise BadInput(
                "--restore-time", restore_time, "exactly one of --restore-time or --latest"
            )
        source = aurora.describe_cluster(
            rds, "--source-cluster", source_cluster or session.targets.source_cluster
        )
        when = None if latest else aurora.parse_time(restore_time or "")
        if when is not None:
            aurora.restore_window(source, datetime.now(UTC)).check(when)
        aurora.check_new_identifier(rds, "--target-cluster", target_cluster)
    as_of = "the latest restorable time" if when is None else when.isoformat()
    name = source["DBClusterIdentifier"]

    def act() -> list[str]:
        restored = aurora.restore_to_point_in_time(
            rds, source=source, target=target_cluster, when=when, instance_class=instance_class
        )
        return [
            f"restored {name} as of {as_of} into {target_cluster} ({region})",
            f"writer instance {aurora.writer_name(target_cluster)} ({instance_class}) created",
            f"status {restored['Status']}; endpoint {restored.get('Endpoint')}",
            f"next: {session.next_step(f'point-app --cluster {target_cluster}')}",
        ]

    _carry_out(
        [
            f"restore {name} as of {as_of} into NEW cluster {target_cluster} in {region}",
            f"create writer instance {aurora.writer_name(target_cluster)} ({instance_class})",
            f"{name} itself is not touched",
        ],
        dry_run=dry_run,
        yes=yes,
        action=act,
    )


@cli.command("restore-dr-copy")
@_common
@click.option("--target-cluster", required=True, help="Identifier of the NEW cluster.")
@click.option("--vault", default=None, help="DR-region backup vault (default: the env's).")
@click.option("--source-cluster", default=None, help="Cluster whose copy to restore.")
@click.option("--subnet-group", default=None, help="DB subnet group in the DR region.")
@click.option("--security-group", "security_groups", multiple=True, help="VPC security group.")
@_INSTANCE_CLASS
@pass_session
def restore_dr_copy(
    session: Session,
    dry_run: bool,
    yes: bool,
    target_cluster: str,
    vault: str | None,
    source_cluster: str | None,
    subnet_group: str | None,
    security_groups: tuple[str, ...],
    instance_class: str | None,
) -> None:
    """Restore the latest DR-region copy into a new cluster in the DR region, sized as the tier."""
    instance_class = instance_class or session.targets.writer_instance_class
    targets = session.targets
    region = targets.dr_region
    rds = session.client("rds", region)
    source_arn = targets.cluster_arn(source_cluster or targets.source_cluster)
    vault_name = vault or targets.dr_vault
    with _reported_errors():
        point = latest_recovery_point(
            session.client("backup", region), vault=vault_name, source_arn=source_arn
        )
        aurora.check_new_identifier(rds, "--target-cluster", target_cluster)

    def act() -> list[str]:
        restored = aurora.restore_from_snapshot(
            rds,
            snapshot_arn=point.arn,
            target=target_cluster,
            engine_version=targets.engine_version,
            instance_class=instance_class,
            serverless_scaling=targets.serverless_scaling,
            subnet_group=subnet_group,
            security_groups=security_groups,
        )
        return [
            f"restored recovery point {point.arn} (taken {point.created.isoformat()})",
            f"into {target_cluster} in {region}; status {restored['Status']}",
            f"writer instance {aurora.writer_name(target_cluster)} ({instance_class}) created",
        ]

    _carry_out(
        [
            f"latest completed copy of {source_arn} in {vault_name} ({region}): {point.arn}",
            f"taken {point.created.isoformat()}: data written after it is not in the restore",
            f"restore it into NEW cluster {target_cluster} in {region}",
            f"create writer instance {aurora.writer_name(target_cluster)} ({instance_class})",
        ],
        dry_run=dry_run,
        yes=yes,
        action=act,
    )


_REGION = click.option(
    "--region",
    type=click.Choice(["primary", "dr"]),
    default="primary",
    show_default=True,
    help="Where the restored cluster (and the secret) live.",
)
_DNS = [
    click.option("--hosted-zone-id", default=None, help="Route 53 zone of --record-name."),
    click.option("--record-name", default=None, help="DNS name to CNAME to the writer endpoint."),
]


def _dns_options(command: Callable) -> Callable:
    for option in reversed(_DNS):
        command = option(command)
    return command


def _dns_pair(zone_id: str | None, record_name: str | None, *, region: str) -> None:
    """Both DNS options or neither, and none in the DR region: Route 53's API (a change or a
    read of a record set) is a us-east-1 control plane, the region a DR move runs without."""
    if (zone_id is None) != (record_name is None):
        raise BadInput(
            "--record-name" if zone_id else "--hosted-zone-id",
            "missing",
            "--hosted-zone-id and --record-name together, or neither",
        )
    if zone_id is not None and region == "dr":
        raise BadInput(
            "--hosted-zone-id",
            zone_id,
            "omitted with --region dr (Route 53's API runs in us-east-1; the DR services name "
            "the secondary's endpoint themselves)",
        )


@cli.command("point-app")
@_common
@click.option("--cluster", required=True, help="The restored cluster the app should use.")
@click.option("--secret-id", default=None, help="Credentials secret (default: the env's).")
@_REGION
@_dns_options
@pass_session
def point_app(
    session: Session,
    dry_run: bool,
    yes: bool,
    cluster: str,
    secret_id: str | None,
    region: str,
    hosted_zone_id: str | None,
    record_name: str | None,
) -> None:
    """Point the app's database secret (and optionally a DNS name) at a restored cluster."""
    aws_region = session.targets.region if region == "primary" else session.targets.dr_region
    secret_name = secret_id or session.targets.credentials_secret
    secrets = session.client("secretsmanager", aws_region)
    with _reported_errors():
        _dns_pair(hosted_zone_id, record_name, region=region)
        restored = aurora.describe_cluster(session.client("rds", aws_region), "--cluster", cluster)
        if restored["Status"] != "available":
            raise BadInput("--cluster", f"{cluster} ({restored['Status']})", "an available cluster")
        current = pointing.read_secret(secrets, secret_name)
        name = route53 = None
        if hosted_zone_id and record_name:
            route53 = session.client("route53", "us-east-1")  # Route 53's API is in us-east-1
            name = pointing.check_record_name(
                route53, zone_id=hosted_zone_id, record_name=record_name
            )
    endpoint = restored["Endpoint"]
    plan = [f"secret {secret_name}: host {current.get('host')} -> {endpoint} (password unchanged)"]
    if name:
        plan.append(f"DNS {name} CNAME -> {endpoint} (TTL {pointing.DNS_TTL_SECONDS} s)")
    plan.append("then restart the ECS services so open connections move (runbook)")

    def act() -> list[str]:
        pointing.point_secret(secrets, secret_id=secret_name, current=current, cluster=restored)
        report = [f"secret {secret_name} now names {endpoint}"]
        if name and route53:
            pointing.point_record(
                route53, zone_id=str(hosted_zone_id), record_name=name, target=endpoint
            )
            report.append(f"DNS {name} now CNAME {endpoint}")
        report.append(f"next: {session.next_step(f'verify --cluster {cluster}')}")
        return report

    _carry_out(plan, dry_run=dry_run, yes=yes, action=act)


@cli.command("verify")
@click.option("--cluster", required=True, help="The restored cluster to read back.")
@click.option("--secret-id", default=None, help="Credentials secret (default: the env's).")
@click.option(
    "--cluster-only", is_flag=True, help="Check the cluster only (before the app is switched)."
)
@_REGION
@_dns_options
@pass_session
def verify_restore(
    session: Session,
    cluster: str,
    secret_id: str | None,
    cluster_only: bool,
    region: str,
    hosted_zone_id: str | None,
    record_name: str | None,
) -> None:
    """Read back the restored cluster, the secret and the DNS name; exit 1 on any mismatch."""
    aws_region = session.targets.region if region == "primary" else session.targets.dr_region
    rds = session.client("rds", aws_region)
    with _reported_errors():
        _dns_pair(hosted_zone_id, record_name, region=region)
        restored = aurora.describe_cluster(rds, "--cluster", cluster)
        checks = verify.cluster_checks(rds, restored)
        if not cluster_only:
            secret = pointing.read_secret(
                session.client("secretsmanager", aws_region),
                secret_id or session.targets.credentials_secret,
            )
            checks.append(verify.secret_check(secret, restored))
        if hosted_zone_id and record_name and not cluster_only:
            checks.append(
                verify.dns_check(
                    session.client("route53", "us-east-1"),
                    zone_id=hosted_zone_id,
                    record_name=record_name,
                    cluster=restored,
                )
            )
    for check in checks:
        click.echo(str(check))
    failed = [c for c in checks if not c.passed]
    click.echo(f"{len(checks) - len(failed)}/{len(checks)} checks passed")
    sys.exit(1 if failed else 0)


def _writers(session: Session) -> tuple[DrTargets, Any, Any, dict[str, int]]:
    """The deployment's targets, its ECS and auto-scaling clients, and each writer's desired
    count (checked to exist: a missing service is a one-line error before anything changes)."""
    targets = session.targets
    ecs_client = session.client("ecs", targets.region)
    with _reported_errors():
        desired = services.check_services(
            ecs_client, cluster=targets.ecs_cluster, services=list(targets.services)
        )
    return targets, ecs_client, session.client("application-autoscaling", targets.region), desired


@cli.command("stop-writes")
@_common
@pass_session
def stop_writes(session: Session, dry_run: bool, yes: bool) -> None:
    """Stop every writer to the database: API, worker and Beat to 0 tasks, scaling suspended."""
    targets, ecs_client, autoscaling, desired = _writers(session)
    names = list(targets.services)

    def act() -> list[str]:
        services.stop(ecs_client, autoscaling, cluster=targets.ecs_cluster, services=names)
        return [
            *(f"{name}: 0 tasks (was {desired[name]}), scaling suspended" for name in names),
            f"next, when recovered: {session.next_step('resume-writes')}",
        ]

    _carry_out(
        [f"{name}: desired {desired[name]} -> 0 in {targets.ecs_cluster}" for name in names]
        + ["suspend their auto scaling (its minimum would start tasks again)"],
        dry_run=dry_run,
        yes=yes,
        action=act,
    )


@cli.command("resume-writes")
@_common
@pass_session
def resume_writes(session: Session, dry_run: bool, yes: bool) -> None:
    """Give API, worker and Beat the deployment's tier's task counts back, resume scaling."""
    targets, ecs_client, autoscaling, desired = _writers(session)
    plan = [
        f"{name}: desired {desired[name]} -> {scaling.desired_count} "
        f"(scaling {scaling.min_count}..{scaling.max_count}, resumed)"
        for name, scaling in targets.services.items()
    ]

    def act() -> list[str]:
        services.resume(
            ecs_client, autoscaling, cluster=targets.ecs_cluster, services=targets.services
        )
        return [line.replace("->", "now", 1) for line in plan]

    _carry_out(plan, dry_run=dry_run, yes=yes, action=act)


def main() -> None:
    """Entry point of ``python -m ops.dr``."""
    cli(prog_name="python -m ops.dr")


# Commands kept in their own modules register on the group when it is imported.
from ops.dr import archive_commands, region_commands  # noqa: E402, F401
