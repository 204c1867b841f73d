"""Each service has its own execution role and task role, each with only what it uses."""

from __future__ import annotations

import pytest

from tests.infra.compute.helpers import actions, role, role_statements, task_definition

SERVICES = ("api", "worker", "beat")


@pytest.mark.parametrize("name", SERVICES)
def test_service_has_its_own_execution_and_task_roles(prod, name):
    definition = task_definition(prod, name)
    assert "ExecutionRole" in definition["ExecutionRoleArn"]["Fn::GetAtt"][0]
    assert "TaskRole" in definition["TaskRoleArn"]["Fn::GetAtt"][0]
    assert name.title() in definition["ExecutionRoleArn"]["Fn::GetAtt"][0]


@pytest.mark.parametrize("name", SERVICES)
def test_roles_carry_no_managed_policies(prod, name):
    for kind in ("execution", "task"):
        assert "ManagedPolicyArns" not in role(prod, f"{name}-{kind}")


@pytest.mark.parametrize("name", SERVICES)
def test_execution_role_pulls_images_writes_logs_and_reads_secrets_only(prod, name):
    allowed = actions(role_statements(prod, f"{name}-execution"))
    assert allowed == {
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:GetAuthorizationToken",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "kms:Decrypt",
    }


@pytest.mark.parametrize("name", SERVICES)
def test_task_role_never_gets_the_execution_roles_permissions(prod, name):
    allowed = actions(role_statements(prod, f"{name}-task"))
    assert not allowed & {"ecr:BatchGetImage", "ecr:GetAuthorizationToken"}
    assert not any(action.startswith("secretsmanager:") for action in allowed)


@pytest.mark.parametrize("name", ["api", "worker"])
def test_api_and_worker_read_and_write_documents_objects(prod, name):
    statements = role_statements(prod, f"{name}-task")
    (statement,) = [s for s in statements if s.get("Sid") == "DocumentsObjects"]
    assert sorted(statement["Action"]) == ["s3:GetObject", "s3:PutObject"]
    documents = f"{prod.config.prefix}-documents-{prod.config.deployment.account}/*"
    assert statement["Resource"]["Fn::Join"][1][-1].endswith(documents)


@pytest.mark.parametrize("name", ["api", "worker"])
def test_api_and_worker_use_the_storage_key_for_documents(prod, name):
    kms = [s for s in role_statements(prod, f"{name}-task") if "KeysStorage" in str(s["Resource"])]
    assert actions(kms) == {"kms:GenerateDataKey", "kms:Decrypt"}


def test_beat_task_role_has_no_documents_or_kafka_access(prod):
    allowed = actions(role_statements(prod, "beat-task"))
    assert not any(a.startswith(("s3:", "kafka-cluster:")) for a in allowed)


def test_api_task_role_has_no_kafka_access(prod):
    allowed = actions(role_statements(prod, "api-task"))
    assert not any(a.startswith("kafka-cluster:") for a in allowed)


def test_worker_publishes_to_kafka_with_iam_on_pcs_topics_only(prod):
    statements = role_statements(prod, "worker-task")
    (publish,) = [s for s in statements if s.get("Sid") == "KafkaPublish"]
    assert sorted(publish["Action"]) == [
        "kafka-cluster:CreateTopic",
        "kafka-cluster:DescribeTopic",
        "kafka-cluster:WriteData",
    ]
    assert publish["Resource"]["Fn::Join"][1][-1].endswith("/*/pcs.*")


@pytest.mark.parametrize("name", SERVICES)
def test_task_role_opens_ecs_exec_channels(prod, name):
    assert "ssmmessages:OpenDataChannel" in actions(role_statements(prod, f"{name}-task"))


@pytest.mark.parametrize("name", SERVICES)
def test_roles_trust_only_ecs_tasks_of_this_account(prod, name):
    trust = role(prod, f"{name}-task")["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": prod.config.deployment.account}
    }


def test_documents_statement_names_the_data_stacks_documents_bucket(prod):
    from tests.infra.conftest import resources

    names = {
        b["Properties"].get("BucketName")
        for b in resources(prod, "data", "AWS::S3::Bucket").values()
    }
    assert f"{prod.config.prefix}-documents-{prod.config.deployment.account}" in names
