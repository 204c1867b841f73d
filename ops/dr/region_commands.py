"""Region commands: ``switchover-region``, ``failover-region``, ``failback-region``, ``scale-dr``,
``move-traffic``.

Each checks the global database and the services first (read-only), prints its steps with their
expected durations and the total, asks, then runs the steps in order (``ops/dr/region.py``).
"""

from __future__ import annotations

import click
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from infra.monitoring.readiness.drift import check_all
from ops.dr import services
from ops.dr.cli import Session, _carry_out, _common, _reported_errors, cli, pass_session
from ops.dr.errors import BadInput, Unreachable
from ops.dr.region import Move, RegionClients, Step, check_member, global_members, total_minutes

# move-traffic's --to: which region's entry the origin name answers with.
TRAFFIC_TO = ("primary", "standby")


def _clients(session: Session) -> RegionClients:
    targets = session.targets
    return RegionClients(
        sleep=session.sleep,
        rds_primary=session.client("rds", targets.region),
        rds_dr=session.client("rds", targets.dr_region),
        ecs_primary=session.client("ecs", targets.region),
        ecs_dr=session.client("ecs", targets.dr_region),
        autoscaling_primary=session.client("application-autoscaling", targets.region),
        autoscaling_dr=session.client("application-autoscaling", targets.dr_region),
        cloudwatch_switch=session.client("cloudwatch", targets.traffic_switch.region),
    )


def _run(steps: list[Step], *, dry_run: bool, yes: bool, next_step: str) -> None:
    plan = [step.plan_line(number) for number, step in enumerate(steps, 1)]
    plan.append(f"expected total: {total_minutes(steps):g} min")

    def act() -> list[str]:
        report = []
        for number, step in enumerate(steps, 1):
            click.echo(f"step {number}/{len(steps)}: {step.description} ...", err=True)
            done = step.action()
            click.echo(f"  done: {done}", err=True)  # shown even if a later step fails
            report.append(f"{number}. {done}")
        report.append(f"next: {next_step}")
        return report

    _carry_out(plan, dry_run=dry_run, yes=yes, action=act)


def _check_services(move: Move, *regions: str) -> None:
    """Every service exists in each of ``regions`` (a one-line error before anything changes)."""
    for region in regions:
        ecs, _ = move._ecs(region)
        services.check_services(
            ecs, cluster=move.targets.ecs_cluster, services=list(move.all_services)
        )


def _print_readiness(session: Session) -> None:
    """The DR readiness checks the scheduled function runs (infra/monitoring/readiness), here
    read with the commands' clients: what a failover would find drifted."""
    findings = check_all(session.client, session.targets.readiness)
    drifted = [f for f in findings if not f.ok]
    click.echo("readiness (the DR region's preconditions):")
    for finding in findings:
        click.echo(f"  {finding}")
    click.echo(f"  {len(findings) - len(drifted)}/{len(findings)} ready")


def _check_primary_answers(move: Move) -> None:
    """The primary region's services exist, or, if its API does not answer, a one-line error
    that says how to fail over without it (before anything changes)."""
    region = move.targets.region
    try:
        _check_services(move, region)
    except (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError):
        raise Unreachable(
            f"{region}'s ECS API does not answer: if the region is down, its writers are "
            "fenced by the outage; run again with --primary-down"
        ) from None


def _check_roles(move: Move, *, writer_region: str) -> None:
    """The global writer is in ``writer_region`` and the other region holds a secondary."""
    targets = move.targets
    other = targets.dr_region if writer_region == targets.region else targets.region
    rds = move.clients.rds_dr
    members = global_members(rds, targets.global_cluster)
    check_member(members, move._cluster_arn(writer_region), writer=True)
    check_member(members, move._cluster_arn(other), writer=False)


@cli.command("switchover-region")
@_common
@pass_session
def switchover_region(session: Session, dry_run: bool, yes: bool) -> None:
    """Planned move to the DR region with no data loss (both regions healthy)."""
    targets = session.targets
    move = Move(targets, _clients(session))
    with _reported_errors():
        _check_roles(move, writer_region=targets.region)
        _check_services(move, targets.region, targets.dr_region)
    _run(
        [
            move.fence(region=targets.region),
            move.writer_instance(),
            move.promote(to_region=targets.dr_region, planned=True),
            move.scale_up(region=targets.dr_region),
            move.traffic(to_region=targets.dr_region),
        ],
        dry_run=dry_run,
        yes=yes,
        next_step=session.next_step("failback-region"),
    )


@cli.command("failover-region")
@_common
@click.option(
    "--primary-down",
    is_flag=True,
    help="The primary region's APIs do not answer: its writers are fenced by the outage.",
)
@pass_session
def failover_region(session: Session, dry_run: bool, yes: bool, primary_down: bool) -> None:
    """Unplanned move to the DR region: fence writes, promote accepting the lag, move traffic."""
    targets = session.targets
    move = Move(targets, _clients(session))
    with _reported_errors():
        members = global_members(move.clients.rds_dr, targets.global_cluster)
        check_member(members, move._cluster_arn(targets.dr_region), writer=False)
        _check_services(move, targets.dr_region)
        if not primary_down:
            _check_primary_answers(move)
    if dry_run:
        _print_readiness(session)
    steps = [] if primary_down else [move.fence(region=targets.region)]
    steps += [
        move.writer_instance(),
        move.promote(to_region=targets.dr_region, planned=False),
        move.scale_up(region=targets.dr_region),
        move.traffic(to_region=targets.dr_region),
    ]
    _run(steps, dry_run=dry_run, yes=yes, next_step=session.next_step("failback-region"))


@cli.command("failback-region")
@_common
@pass_session
def failback_region(session: Session, dry_run: bool, yes: bool) -> None:
    """Planned move back to the primary region (RPO 0), leaving the DR region scaled down."""
    targets = session.targets
    move = Move(targets, _clients(session))
    with _reported_errors():
        _check_roles(move, writer_region=targets.dr_region)
        _check_services(move, targets.region, targets.dr_region)
    _run(
        [
            move.fence(region=targets.dr_region),
            move.promote(to_region=targets.region, planned=True),
            move.scale_up(region=targets.region),
            move.traffic(to_region=targets.region),
            move.scale_down(region=targets.dr_region),
        ],
        dry_run=dry_run,
        yes=yes,
        next_step=session.next_step("verify --cluster " + targets.source_cluster),
    )


@cli.command("scale-dr")
@_common
@click.option("--to", "direction", type=click.Choice(["up", "down"]), required=True)
@pass_session
def scale_dr(session: Session, dry_run: bool, yes: bool, direction: str) -> None:
    """The DR region's services to their configured counts (up) or to 0 (down)."""
    targets = session.targets
    move = Move(targets, _clients(session))
    with _reported_errors():
        _check_services(move, targets.dr_region)
    step = (
        move.scale_up(region=targets.dr_region)
        if direction == "up"
        else move.scale_down(region=targets.dr_region)
    )
    _run([step], dry_run=dry_run, yes=yes, next_step=session.next_step("failover-region"))


@cli.command("move-traffic")
@_common
@click.option(
    "--to",
    "to",
    default=None,
    help="primary: the origin name answers with the primary region's entry; standby: the DR "
    "region's.",
)
@pass_session
def move_traffic(session: Session, dry_run: bool, yes: bool, to: str | None) -> None:
    """Only the traffic step: the switch's metric written in the DR region, its alarm awaited
    (a move whose last step did not finish, or a game day of the switch alone)."""
    targets = session.targets
    with _reported_errors():
        if to not in TRAFFIC_TO:
            raise BadInput("--to", to or "missing", ", ".join(TRAFFIC_TO))
    to_region = targets.region if to == "primary" else targets.dr_region
    verified = targets.source_cluster if to == "primary" else targets.secondary_cluster
    region = "" if to == "primary" else "--region dr "
    _run(
        [Move(targets, _clients(session)).traffic(to_region=to_region)],
        dry_run=dry_run,
        yes=yes,
        next_step=session.next_step(f"verify {region}--cluster {verified}"),
    )
