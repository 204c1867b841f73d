"""The whole assembly, not one template: what each region's tasks, functions and alarms name
exists in that region (infra/gate/integrity.py), and every task runs an image the release
produces and deploys to it (.github/workflows/deploy.yml)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from infra.gate.integrity import GLOBAL, check_assembly
from tests.infra.conftest import resources

DEPLOY_WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "deploy.yml"


def _assembly(result) -> dict[str, tuple[str, Path]]:
    return {name: (s.region, s.template_path) for name, s in result.stacks.items()}


def test_every_value_a_task_function_or_alarm_names_is_its_own_regions(prod):
    findings = check_assembly(_assembly(prod), prod.config.prefix)
    assert [str(f) for f in findings] == []


def test_each_deliberately_global_value_says_why():
    assert all(len(reason.split()) >= 8 for reason in GLOBAL.values())


def test_the_check_finds_a_dr_task_naming_the_primarys_stream(prod, tmp_path):
    """The issue's failure, rebuilt: the DR worker's stream is the us-east-1 one again."""
    import json

    assembly = _assembly(prod)
    region, path = assembly["pcs-prod-dr-compute"]
    template = json.loads(path.read_text())
    primary_stream = (
        "arn:aws:firehose:us-east-1:111111111111:deliverystream/pcs-prod-audit-application"
    )
    for task in template["Resources"].values():
        if task["Type"] == "AWS::ECS::TaskDefinition":
            for container in task["Properties"]["ContainerDefinitions"]:
                for variable in container.get("Environment", []):
                    if variable["Name"] == "AUDIT_FIREHOSE_STREAM":
                        variable["Value"] = primary_stream
    broken = tmp_path / "dr-compute.template.json"
    broken.write_text(json.dumps(template))
    found = check_assembly({**assembly, "pcs-prod-dr-compute": (region, broken)}, "pcs-prod")
    clean = check_assembly(assembly, "pcs-prod")
    assert [(f.field, f.region) for f in set(found) - set(clean)] == [
        ("pcs-prod-worker/AUDIT_FIREHOSE_STREAM", "us-east-1")
    ]


def _commands(job: str, verb: str) -> list[list[str]]:
    """The arguments of every ``cdk <verb>`` of ``job`` in the release workflow, its
    ``$VARIABLES`` expanded from the workflow's env (``IMAGE_TAG``, ``DIGEST_*`` stay symbolic:
    the commit and the scanned digests)."""
    workflow = yaml.safe_load(DEPLOY_WORKFLOW.read_text())
    env = workflow["env"]
    commands = []
    for step in workflow["jobs"][job]["steps"]:
        for command in re.findall(rf"cdk {verb}[^\n]*(?:\n[^\n]*)*", step.get("run", "")):
            words = shlex.split(re.sub(r"\$(\w+)", lambda m: env.get(m[1], m[0]), command))
            commands.append(words[2:])
    return commands


def _stacks(words: list[str]) -> set[str]:
    """The stack names of a cdk command: its words before the first option, after ``--app``'s."""
    if words[:1] == ["--app"]:
        words = words[2:]
    return set(words[: next(i for i, word in enumerate(words) if word.startswith("-"))])


def _released_stacks() -> set[str]:
    """The stacks a release deploys with the release's images: synthesized with the commit's
    tag and scanned digest (the ``assemble`` job), then deployed from that assembly."""
    synthesized = set()
    for words in _commands("assemble", "synth"):
        if "image_tag=$IMAGE_TAG" in words and "image_digest_arm64=$DIGEST_arm64" in words:
            synthesized |= _stacks(words)
    deployed = set()
    for words in _commands("deploy", "deploy"):
        if words[:2] == ["--app", "release.out"]:
            deployed |= _stacks(words)
    return synthesized & deployed


def test_every_task_runs_an_image_the_release_produces_and_deploys_to_it(prod):
    """A task definition in a stack the release does not deploy keeps running the image of its
    last hand deploy (the DR tasks ran ``unreleased-arm64``): every stack with tasks is one the
    release deploys with its images, and each task runs the release's tag. (That the image is
    its own region's registry is the regional check above.)"""
    released = _released_stacks()
    tag = f":{prod.config.delivery.image_tag}-arm64"
    running = {}
    for name in prod.stacks:
        unit = name.removeprefix(f"{prod.config.prefix}-")
        for task in resources(prod, unit, "AWS::ECS::TaskDefinition").values():
            for container in task["Properties"]["ContainerDefinitions"]:
                *_, last = container["Image"]["Fn::Join"][1]
                running[(name, task["Properties"]["Family"])] = last
    assert {stack for stack, _ in running} == {"pcs-prod-compute", "pcs-prod-dr-compute"}
    unreleased = sorted({stack for stack, _ in running} - released)
    assert unreleased == [], f"{unreleased} run images no release deploys"
    assert all(image.endswith(tag) for image in running.values()), running


def test_the_check_finds_an_origin_header_with_no_secret_in_the_dr_region(prod, tmp_path):
    """The DR ALB's listener rules resolve the origin header in us-west-2: without the
    foundation's replica there, CloudFormation could not deploy the DR origin."""
    import json

    assembly = _assembly(prod)
    region, path = assembly["pcs-prod-foundation"]
    template = json.loads(path.read_text())
    for resource in template["Resources"].values():
        if resource["Properties"].get("Name") == "pcs-prod/edge/origin-header":
            del resource["Properties"]["ReplicaRegions"]
    broken = tmp_path / "foundation.template.json"
    broken.write_text(json.dumps(template))
    found = check_assembly({**assembly, "pcs-prod-foundation": (region, broken)}, "pcs-prod")
    assert sorted(f.stack for f in found) == ["pcs-prod-dr-origin", "pcs-prod-dr-origin"]
    assert {f.field.rsplit("/", 1)[-1] for f in found} == {"resolve"}
