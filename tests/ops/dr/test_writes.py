"""stop-writes / resume-writes: every writer to the database stopped, then given back."""

from __future__ import annotations

from infra.config import DEPLOYMENTS_DIR
from tests.ops.dr.conftest import CLUSTER, SCALED, SERVICES, desired_counts


def _targets(autoscaling) -> dict[str, dict]:
    found = autoscaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    return {t["ResourceId"].rsplit("/", 1)[-1]: t for t in found}


def test_stop_writes_sets_every_service_to_zero_tasks(aws, services):
    ecs, _ = services
    result = aws.run("stop-writes", "--yes")
    assert result.exit_code == 0, result.output
    assert desired_counts(ecs) == dict.fromkeys(SERVICES, 0)


def test_stop_writes_suspends_scaling_so_its_minimum_cannot_restart_tasks(aws, services):
    _, autoscaling = services
    aws.run("stop-writes", "--yes")
    for name, target in _targets(autoscaling).items():
        assert target["MinCapacity"] == 0
        assert target["MaxCapacity"] == SCALED[name][1]
        assert target["SuspendedState"]["DynamicScalingOutSuspended"] is True


def test_stop_writes_dry_run_changes_nothing(aws, services):
    ecs, autoscaling = services
    result = aws.run("stop-writes", "--dry-run")
    assert result.exit_code == 0
    assert "pcs-prod-api: desired 2 -> 0 in pcs-prod-cluster" in result.stdout
    assert desired_counts(ecs) == SERVICES
    assert {n: t["MinCapacity"] for n, t in _targets(autoscaling).items()} == {
        n: low for n, (low, _) in SCALED.items()
    }


def test_declining_stop_writes_changes_nothing(aws, services):
    ecs, _ = services
    result = aws.run("stop-writes", answer="n\n")
    assert result.exit_code == 1
    assert desired_counts(ecs) == SERVICES


def test_resume_writes_restores_configured_counts_and_scaling(aws, services):
    ecs, autoscaling = services
    aws.run("stop-writes", "--yes")
    result = aws.run("resume-writes", "--yes")
    assert result.exit_code == 0, result.output
    assert desired_counts(ecs) == SERVICES
    for name, target in _targets(autoscaling).items():
        assert (target["MinCapacity"], target["MaxCapacity"]) == SCALED[name]
        assert target["SuspendedState"]["DynamicScalingInSuspended"] is False


def test_missing_service_is_refused_and_nothing_stops(aws, services):
    ecs, _ = services
    ecs.delete_service(cluster=CLUSTER, service="pcs-prod-beat", force=True)
    result = aws.run("stop-writes", "--yes")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ECS service=pcs-prod-beat is not allowed; allowed: services of")
    assert desired_counts(ecs)["pcs-prod-api"] == 2


def test_missing_cluster_is_refused(aws):
    result = aws.run("stop-writes", "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ECS cluster=pcs-prod-cluster is not allowed")


def _deployment_at_1m(tmp_path) -> str:
    """The prod deployment file, deployed at the 1m tier."""
    path = tmp_path / "prod-1m.toml"
    path.write_text(f'tier = "1m"\n{(DEPLOYMENTS_DIR / "prod.toml").read_text()}')
    return str(path)


def test_resume_writes_restores_the_task_counts_of_the_deployments_tier(aws, services, tmp_path):
    ecs, _ = services
    deployment = _deployment_at_1m(tmp_path)
    aws.run("--deployment", deployment, "stop-writes", "--yes")
    result = aws.run("--deployment", deployment, "resume-writes", "--yes")
    assert result.exit_code == 0, result.output
    # 1m (infra/config/tiers.toml): API 6 tasks, worker 3, Beat 1; not prod's default 100k (2, 2).
    assert desired_counts(ecs) == {"pcs-prod-api": 6, "pcs-prod-worker": 3, "pcs-prod-beat": 1}
    assert "pcs-prod-api: desired 0 now 6 (scaling 2..20, resumed)" in result.stdout
