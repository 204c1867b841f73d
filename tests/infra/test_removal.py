"""What deleting a stack does to the resources the platform keeps (issue 9: a failed first
create stranded named log groups, secrets and buckets, and the retry failed on them)."""

from __future__ import annotations

from collections import Counter

from infra.synth import SynthResult

STATEFUL = (
    "AWS::Logs::LogGroup",
    "AWS::SecretsManager::Secret",
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::Backup::BackupVault",
)


def _policies(result: SynthResult, *types: str) -> Counter[tuple[str, str, str]]:
    return Counter(
        (
            resource["Type"],
            resource.get("DeletionPolicy", "Delete"),
            resource.get("UpdateReplacePolicy", "Delete"),
        )
        for stack in result.stacks.values()
        for resource in stack.template["Resources"].values()
        if resource["Type"] in types
    )


def test_prod_keeps_what_it_created_but_a_failed_first_create_cleans_up(prod):
    kept = [
        (kind, replace)
        for kind, policy, replace in _policies(prod, *STATEFUL)
        if policy != "Delete"
    ]
    assert {kind for kind, _ in kept} == set(STATEFUL)
    assert {replace for _, replace in kept} == {"Retain"}
    assert {policy for _, policy, _ in _policies(prod, *STATEFUL)} <= {
        "RetainExceptOnCreate",
        "Delete",
    }


def test_the_named_resources_a_failed_create_stranded_are_retained_except_on_create(prod):
    def policy(stack: str, kind: str, name_key: str, name: str) -> str:
        (resource,) = [
            r
            for r in prod.stacks[f"pcs-prod-{stack}"].template["Resources"].values()
            if r["Type"] == kind and r["Properties"].get(name_key) == name
        ]
        return resource["DeletionPolicy"]

    assert policy("compute", "AWS::Logs::LogGroup", "LogGroupName", "/ecs/pcs-prod/api") == (
        "RetainExceptOnCreate"
    )
    assert policy("data", "AWS::SecretsManager::Secret", "Name", "pcs-prod/database/app") == (
        "RetainExceptOnCreate"
    )
    assert policy("foundation", "AWS::S3::Bucket", "BucketName", "pcs-prod-logs-111111111111") == (
        "RetainExceptOnCreate"
    )


def test_no_resource_anywhere_is_retained_even_when_its_first_create_fails(prod, dev):
    for result in (prod, dev):
        assert not [
            kind for kind, policy, _ in _policies(result, *_types(result)) if policy == "Retain"
        ]


def test_dev_is_destroyable_its_stateful_resources_go_with_the_stack(dev):
    assert {policy for _, policy, _ in _policies(dev, *STATEFUL)} == {"Delete"}


def test_aurora_is_snapshotted_when_removed_in_every_environment(prod, dev):
    for result in (prod, dev):
        assert {p for _, p, _ in _policies(result, "AWS::RDS::DBCluster")} == {"Snapshot"}


def _types(result: SynthResult) -> set[str]:
    return {
        resource["Type"]
        for stack in result.stacks.values()
        for resource in stack.template["Resources"].values()
    }
