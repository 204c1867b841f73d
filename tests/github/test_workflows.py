"""The GitHub Actions workflows, validated offline: structure, identity, make targets, wiring.

No actionlint or schema validator is in the locked environment, so these are structural checks
of what the platform relies on: OIDC instead of keys, least-privilege tokens, targets that exist,
and a deploy job that reads nothing from another job's steps.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from infra.compute.task import IMAGE_TAG_SUFFIXES
from infra.config import load_config

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
MAKE_CALL = re.compile(r"\bmake\s+([a-z][\w.-]*)")
STEP_REFERENCE = re.compile(r"steps\.([\w-]+)\.")


def _load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the bare key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w.-]*)\s*:", text, flags=re.MULTILINE))


ALL = sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def test_ci_and_deploy_workflows_exist():
    assert set(ALL) == {"ci.yml", "deploy.yml"}


@pytest.mark.parametrize("name", ALL)
def test_workflow_parses_with_name_triggers_and_jobs(name):
    workflow = _load(name)
    assert workflow["name"] and workflow["on"] and workflow["jobs"]


@pytest.mark.parametrize("name", ALL)
def test_every_job_runs_somewhere_or_calls_a_workflow(name):
    for job in _load(name)["jobs"].values():
        assert ("runs-on" in job and job.get("steps")) or "uses" in job


@pytest.mark.parametrize("name", ALL)
def test_default_token_is_read_only(name):
    assert _load(name)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("name", ALL)
def test_every_step_runs_a_command_or_an_action_pinned_by_full_commit_sha(name):
    for step in _steps(_load(name)):
        assert "run" in step or re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step


@pytest.mark.parametrize("name", ALL)
def test_every_pinned_action_names_its_tag_in_a_comment(name):
    lines = [line for line in (WORKFLOWS / name).read_text().splitlines() if "uses:" in line]
    for line in lines:
        if "@" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


@pytest.mark.parametrize("name", ALL)
def test_no_checkout_leaves_the_token_on_disk(name):
    steps = _steps(_load(name))
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("name", ALL)
def test_nothing_unpinned_is_fetched_and_run(name):
    text = (WORKFLOWS / name).read_text()
    assert "npx" not in text and "aws-cdk@" not in text
    assert not re.search(r"(pip|npm) install", text)


def test_zizmor_finds_nothing_at_medium_or_above():
    result = subprocess.run(
        [ROOT / ".venv" / "bin" / "zizmor", "--offline", "--min-severity", "medium", WORKFLOWS],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ALL)
def test_no_long_lived_aws_keys_anywhere(name):
    text = (WORKFLOWS / name).read_text()
    assert "AWS_ACCESS_KEY_ID" not in text
    assert "AWS_SECRET_ACCESS_KEY" not in text
    assert "aws-access-key-id" not in text


@pytest.mark.parametrize("name", ALL)
def test_make_targets_the_workflow_calls_exist(name):
    text = (WORKFLOWS / name).read_text()
    called = set(MAKE_CALL.findall(text))
    assert called
    assert called <= _makefile_targets()


def test_ci_runs_lint_and_tests_on_pull_requests():
    workflow = _load("ci.yml")
    assert "pull_request" in workflow["on"]
    assert any(step.get("run") == "make test" for step in _steps(workflow))


def test_ci_runs_the_synth_gate_for_every_environment():
    synth = _load("ci.yml")["jobs"]["synth"]
    assert synth["strategy"]["matrix"]["environment"] == ["dev", "staging", "prod"]
    assert any("make synth" in step.get("run", "") for step in synth["steps"])


def test_ci_refuses_migrations_incompatible_with_the_released_commit():
    job = _load("ci.yml")["jobs"]["migrations"]
    checkout, _, check = job["steps"]
    assert checkout["with"]["fetch-depth"] == 0  # the base commit's migrations must be there
    assert check["run"] == 'make migration-check BASE="$BASE"'
    assert check["env"]["BASE"] == (
        "${{ github.event.pull_request.base.sha || github.event.before }}"
    )


def test_ci_scans_dependencies_and_the_image():
    runs = " ".join(str(step) for step in _steps(_load("ci.yml")))
    assert "pip-audit" in runs
    assert "aquasecurity/trivy-action" in runs


def test_ci_can_be_called_by_the_deploy_workflow():
    assert "workflow_call" in _load("ci.yml")["on"]


def test_deploy_runs_only_for_the_configured_branch():
    assert _load("deploy.yml")["on"]["push"]["branches"] == [
        load_config("prod").delivery.github_branch
    ]


def test_the_release_needs_the_gate_and_the_assembly_of_the_scanned_images_which_need_ci():
    jobs = _load("deploy.yml")["jobs"]
    assert jobs["deploy"]["needs"] == ["gate", "assemble"]
    assert (jobs["assemble"]["needs"], jobs["image"]["needs"]) == ("image", "ci")


def _ancestors(jobs: dict, name: str) -> set[str]:
    needs = jobs[name].get("needs", [])
    needs = [needs] if isinstance(needs, str) else needs
    return {name}.union(*(_ancestors(jobs, need) for need in needs))


def test_a_run_from_any_ref_but_main_does_nothing():
    # workflow_dispatch may name any ref: every job starts from one that refuses other refs.
    workflow = _load("deploy.yml")
    assert workflow["on"]["workflow_dispatch"] is None  # no inputs
    jobs = workflow["jobs"]
    roots = {name for name, job in jobs.items() if "needs" not in job}
    assert roots == {"ci", "gate"}
    for name in roots:
        assert jobs[name]["if"] == "github.ref == 'refs/heads/main'", name
    for name in jobs:
        assert _ancestors(jobs, name) & roots, name


def test_only_the_release_job_may_request_an_oidc_token():
    jobs = _load("deploy.yml")["jobs"]
    assert [n for n, job in jobs.items() if "id-token" in job.get("permissions", {})] == ["deploy"]


def test_the_job_holding_the_oidc_token_installs_and_checks_out_nothing():
    steps = _load("deploy.yml")["jobs"]["deploy"]["steps"]
    uses = {step["uses"].split("@")[0] for step in steps if "uses" in step}
    assert uses == {"actions/download-artifact", "aws-actions/configure-aws-credentials"}
    runs = " ".join(step.get("run", "") for step in steps)
    for installer in ("make ", "npm ", "npx ", "pip ", "uv ", "apt", "node_modules/.bin"):
        assert installer not in runs, installer


def test_the_gate_runs_before_any_job_that_may_request_credentials():
    config = load_config("prod").delivery
    jobs = _load("deploy.yml")["jobs"]
    gate = jobs["gate"]
    assert gate["permissions"] == {"contents": "read", "actions": "read"}
    (check,) = [step for step in gate["steps"] if "run" in step]
    assert check["run"] == (
        "python3 -m infra.delivery.environment_gate "
        f"--environment {config.github_environment} --branch {config.github_branch}"
    )
    assert check["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert "gate" in _ancestors(jobs, "deploy")
    # The bare runner's python3: nothing is installed before the gate.
    assert not any("setup-python" in step.get("uses", "") for step in gate["steps"])


def test_the_gate_imports_only_the_standard_library():
    import ast
    import sys

    from infra.delivery import environment_gate

    tree = ast.parse(Path(environment_gate.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported - {"__future__"} <= sys.stdlib_module_names


def test_images_are_built_and_scanned_without_aws_credentials():
    image = _load("deploy.yml")["jobs"]["image"]
    assert image["permissions"] == {"contents": "read"}
    uses = [step.get("uses", "") for step in image["steps"]]
    assert not any(u.startswith("aws-actions/") for u in uses)
    # Every archive built is scanned: the app and web images per architecture the tasks run on.
    architectures = _load("deploy.yml")["env"]["IMAGE_ARCHITECTURES"].split()
    scanned = {s["with"]["input"] for s in image["steps"] if "trivy-action" in s.get("uses", "")}
    expected = {f"{image}-{arch}.tar" for image in ("image", "web") for arch in architectures}
    assert scanned == expected == {"image-arm64.tar", "web-arm64.tar"}


def test_the_scanned_digests_are_pushed_unchanged_and_deployed():
    steps = _load("deploy.yml")["jobs"]["deploy"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "skopeo copy --preserve-digests" in runs
    assert '--image-ids imageTag="$IMAGE_TAG-$arch"' in runs  # the pushed digest is compared
    # ...for the app and the web image alike: each push names the archive's scanned digest.
    assert 'push "image-$arch.tar" "$ECR_REPOSITORY" "${!digest_var}"' in runs
    assert 'push "web-$arch.tar" "$WEB_REPOSITORY" "${!web_digest_var}"' in runs
    assert 'test "$pushed" = "$3"' in runs
    assert "$ECR_REPOSITORY@$DIGEST_arm64" in runs  # the migration runs the scanned digest
    release = _assembly_synth()
    assert '--context image_digest_arm64="$DIGEST_arm64"' in release
    assert "amd64" not in release  # no task runs x86 (the Spot worker is arm64 too)


def _assembly_synth() -> str:
    (synth,) = [
        step["run"]
        for step in _load("deploy.yml")["jobs"]["assemble"]["steps"]
        if "cdk synth" in step.get("run", "")
    ]
    return synth


def test_the_release_runs_the_lock_files_cdk_cli_on_the_gated_assembly():
    jobs = _load("deploy.yml")["jobs"]
    assert _assembly_synth().startswith(
        'node_modules/.bin/cdk synth "$COMPUTE_STACK" "$DR_COMPUTE_STACK" --exclusively --quiet '
        "--output release.out"
    )
    (upload,) = [s for s in jobs["assemble"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["path"].split() == ["release.out", "node_modules/aws-cdk"]
    for step, stack in (
        ("Release (CloudFormation", "COMPUTE_STACK"),
        ("Release the DR", "DR_COMPUTE_STACK"),
    ):
        assert _step(jobs["deploy"], step)["run"] == (
            f'node node_modules/aws-cdk/bin/cdk deploy --app release.out "${stack}" '
            "--exclusively --require-approval never"
        )
    # The gate (synth, cdk-nag, cfn-lint) runs before the assembly is built.
    runs = [s.get("run", "") for s in jobs["assemble"]["steps"]]
    assert runs.index('make synth cdk DEPLOYMENT="$DEPLOYMENT"') < runs.index(_assembly_synth())


def test_deploy_job_may_request_an_oidc_token():
    assert _load("deploy.yml")["jobs"]["deploy"]["permissions"] == {
        "contents": "read",
        "id-token": "write",
    }


def test_deploy_assumes_the_cdk_defined_role_through_oidc():
    workflow = _load("deploy.yml")
    (credentials,) = [
        s
        for s in workflow["jobs"]["deploy"]["steps"]
        if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
    ]
    assert credentials["with"]["role-to-assume"].endswith(":role/${{ env.DEPLOY_ROLE }}")
    assert workflow["env"]["DEPLOY_ROLE"] == f"{load_config('prod').prefix}-github-deploy"


def test_deploy_job_reads_no_output_of_another_job():
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert "needs.ci.outputs" not in text
    assert not re.search(r"needs\.[\w-]+\.outputs", text)


def test_deploy_job_reads_only_outputs_of_its_own_steps():
    job = _load("deploy.yml")["jobs"]["deploy"]
    own_ids = {step["id"] for step in job["steps"] if "id" in step}
    referenced = set(STEP_REFERENCE.findall(yaml.safe_dump(job)))
    assert referenced <= own_ids


def test_deploy_pushes_to_the_delivery_stacks_repository():
    assert _load("deploy.yml")["env"]["ECR_REPOSITORY"] == f"{load_config('prod').prefix}/app"


def test_deploy_builds_scans_and_pushes_the_web_image_the_web_service_runs():
    workflow = _load("deploy.yml")
    assert workflow["env"]["WEB_REPOSITORY"] == load_config("prod").names.web_image_repository
    image_steps = workflow["jobs"]["image"]["steps"]
    builds = " ".join(step.get("run", "") for step in image_steps)
    assert "--file web/Dockerfile" in builds
    scanned = [
        step["with"]["input"] for step in image_steps if "trivy-action" in step.get("uses", "")
    ]
    assert "web-arm64.tar" in scanned
    pushes = " ".join(step.get("run", "") for step in workflow["jobs"]["deploy"]["steps"])
    assert '"docker://$registry/$2:$IMAGE_TAG-$arch"' in pushes
    assert '"$WEB_REPOSITORY"' in pushes


def _step(job: dict, name_start: str) -> dict:
    (step,) = [s for s in job["steps"] if s.get("name", "").startswith(name_start)]
    return step


def test_deploy_releases_the_compute_stack_with_the_commit_as_image_tag():
    workflow = _load("deploy.yml")
    job = workflow["jobs"]["deploy"]
    release = _step(job, "Release (CloudFormation")["run"]
    assert workflow["env"]["COMPUTE_STACK"] == f"{load_config('prod').prefix}-compute"
    assert 'deploy --app release.out "$COMPUTE_STACK"' in release
    assert '--context image_tag="$IMAGE_TAG"' in _assembly_synth()
    assert workflow["jobs"]["assemble"]["env"]["IMAGE_TAG"] == "${{ github.sha }}"


def test_the_dr_services_release_the_same_images_once_ecr_has_replicated_them():
    """Issue 20: the DR tasks ran `unreleased-arm64` because only the primary was released."""
    workflow = _load("deploy.yml")
    job = workflow["jobs"]["deploy"]
    deployment = load_config("prod").deployment
    assert workflow["env"]["DR_REGION"] == deployment.dr_region == "us-west-2"
    assert workflow["env"]["DR_COMPUTE_STACK"] == "pcs-prod-dr-compute"
    names = [step.get("name", "") for step in job["steps"]]
    primary = names.index(_step(job, "Release (CloudFormation")["name"])
    wait = names.index(_step(job, "Wait until ECR has replicated")["name"])
    dr = names.index(_step(job, "Release the DR region's services")["name"])
    assert primary < wait < dr == len(names) - 1
    waiting = job["steps"][wait]["run"]
    assert "aws ecr describe-image-replication-status" in waiting
    assert "replicationStatuses[?region=='$DR_REGION'].status" in waiting
    assert 'replicated "$ECR_REPOSITORY" "${!digest_var}"' in waiting
    assert 'replicated "$WEB_REPOSITORY" "${!web_digest_var}"' in waiting
    assert "deadline=$((SECONDS + 1800))" in waiting  # 30 minutes, then the release fails
    primary_release = job["steps"][primary]["run"].replace('"$COMPUTE_STACK"', "STACK")
    dr_release = job["steps"][dr]["run"].replace('"$DR_COMPUTE_STACK"', "STACK")
    assert dr_release == primary_release  # the same assembly and flags
    # ...synthesized with the release's tag and scanned digest, as the primary's stack is.
    assert '"$COMPUTE_STACK" "$DR_COMPUTE_STACK"' in _assembly_synth()


def test_deploy_builds_one_image_per_task_architecture_with_the_tasks_tag_suffix():
    workflow = _load("deploy.yml")
    build = " ".join(s.get("run", "") for s in _steps(workflow))
    compute = load_config("prod").compute
    needed = {IMAGE_TAG_SUFFIXES[a] for a in (compute.architecture, compute.worker_architecture)}
    assert set(workflow["env"]["IMAGE_ARCHITECTURES"].split()) == needed == {"arm64"}
    assert '--platform "linux/$arch"' in build
    assert ':$IMAGE_TAG-$arch"' in build


def test_deploy_job_runs_in_the_environment_the_deploy_role_trusts():
    # GitHub's token subject is then repo:<repo>:environment:prod, the deploy role's only one;
    # the environment's required reviewers approve each release.
    job = _load("deploy.yml")["jobs"]["deploy"]
    assert job["environment"] == load_config("prod").delivery.github_environment == "prod"


def test_deploy_migrates_the_database_before_the_release():
    names = [step.get("name", "") for step in _load("deploy.yml")["jobs"]["deploy"]["steps"]]
    migrate = next(i for i, name in enumerate(names) if name.startswith("Migrate the database"))
    release = next(i for i, name in enumerate(names) if name.startswith("Release"))
    assert migrate == release - 1


def test_deploy_runs_the_compute_stacks_migration_family_in_its_cluster():
    prefix = load_config("prod").prefix
    env = _load("deploy.yml")["env"]
    assert (env["MIGRATION_FAMILY"], env["ECS_CLUSTER"], env["API_SERVICE"]) == (
        f"{prefix}-migrate",
        f"{prefix}-cluster",
        f"{prefix}-api",
    )


def test_the_migration_revision_keeps_the_volumes_of_its_read_only_root_filesystem():
    runs = " ".join(step.get("run", "") for step in _load("deploy.yml")["jobs"]["deploy"]["steps"])
    # The container mounts /tmp from a task volume; a revision without `volumes` is refused.
    assert re.search(r"\{family,[^}]*\bcontainerDefinitions,\s*volumes,", runs)


def test_deploy_runs_the_migration_in_its_own_security_group_in_the_apis_subnets():
    config = load_config("prod")
    workflow = _load("deploy.yml")
    assert workflow["env"]["MIGRATION_SECURITY_GROUP"] == config.names.security_group("migrate")
    (step,) = [s for s in _steps(workflow) if s.get("name", "").startswith("Migrate the database")]
    run = step["run"]
    assert '--filters "Name=group-name,Values=$MIGRATION_SECURITY_GROUP"' in run
    assert ".awsvpcConfiguration.securityGroups = [$group]" in run
    assert run.index("describe-security-groups") < run.index("aws ecs run-task")


_FAKE_AWS = """#!/bin/bash
# The AWS CLI calls of the migration step, answered from the test's state directory.
echo "$*" >> "$STATE/calls"
case "$1 $2" in
  "ecs list-tasks") cat "$STATE/running" ;;
  "ecs describe-task-definition") echo '{"containerDefinitions": [{}]}' ;;
  "ecs register-task-definition") echo arn:task-definition/migrate:2 ;;
  "ec2 describe-security-groups") echo sg-0123 ;;
  "ecs describe-services") echo '{"awsvpcConfiguration": {}}' ;;
  "ecs run-task") echo arn:task/migrate-1 ;;
  "ecs describe-tasks")
    case "$*" in
      *lastStatus*)
        n=$(cat "$STATE/polls"); echo $((n + 1)) > "$STATE/polls"
        if [ "$n" -ge "$(cat "$STATE/stops_after")" ]; then echo STOPPED; else echo RUNNING; fi ;;
      *"tasks[0].containers[0].exitCode"*) cat "$STATE/exit" ;;
      *) echo table ;;
    esac ;;
esac
"""


def _run_migration_step(
    tmp_path: Path, *, running: str, stops_after: int, exit_code: int, timeout_seconds: int = 1800
):
    step = next(
        step
        for step in _load("deploy.yml")["jobs"]["deploy"]["steps"]
        if step.get("name", "").startswith("Migrate the database")
    )
    state = tmp_path / "state"
    state.mkdir()
    for name, value in (
        ("running", running),
        ("polls", "0"),
        ("stops_after", str(stops_after)),
        ("exit", str(exit_code)),
    ):
        (state / name).write_text(value + "\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(_FAKE_AWS)
    (bin_dir / "aws").chmod(0o755)
    (bin_dir / "sleep").write_text("#!/bin/bash\nexit 0\n")  # no real waiting
    (bin_dir / "sleep").chmod(0o755)
    env = {
        **_load("deploy.yml")["env"],
        "MIGRATION_TIMEOUT_SECONDS": str(timeout_seconds),
        "AWS_ACCOUNT_ID": "111111111111",
        "DIGEST_arm64": "sha256:" + "0" * 64,
        "STATE": str(state),
        "PATH": f"{bin_dir}:/usr/bin:/bin",
    }
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = (state / "calls").read_text().splitlines()
    return result, calls


def test_the_migration_step_never_starts_a_second_migration_while_one_runs(tmp_path):
    result, calls = _run_migration_step(
        tmp_path, running="arn:task/migrate-0", stops_after=0, exit_code=0
    )
    assert result.returncode == 1
    assert "a migration is still running: arn:task/migrate-0" in result.stderr
    assert not any(call.startswith("ecs run-task") for call in calls)


def test_the_migration_step_waits_for_its_own_task_and_reports_its_exit(tmp_path):
    result, calls = _run_migration_step(tmp_path, running="", stops_after=3, exit_code=0)
    assert result.returncode == 0, result.stderr
    (run,) = [call for call in calls if call.startswith("ecs run-task")]
    assert "--started-by pcs-migrate" in run
    polls = [call for call in calls if "lastStatus" in call]
    assert len(polls) == 4 and all("arn:task/migrate-1" in call for call in polls)
    assert "migration arn:task/migrate-1 exited 0" in result.stdout


def test_the_migration_step_fails_the_release_on_a_non_zero_exit(tmp_path):
    result, _ = _run_migration_step(tmp_path, running="None", stops_after=1, exit_code=3)
    assert result.returncode == 1
    assert "migration arn:task/migrate-1 exited with 3" in result.stderr


def test_the_migration_step_gives_up_at_the_longest_migration_and_says_so(tmp_path):
    result, _ = _run_migration_step(
        tmp_path, running="", stops_after=10**6, exit_code=0, timeout_seconds=0
    )
    assert result.returncode == 1
    assert "still RUNNING after 0 s" in result.stderr
    assert _load("deploy.yml")["env"]["MIGRATION_TIMEOUT_SECONDS"] == "1800"
