"""The readiness check's function, built alone (no deployment synth): it may read what the
checks of ``infra/monitoring/readiness/drift.py`` read, and is deployed with what they expect."""

from __future__ import annotations

from infra.config import load_config
from infra.monitoring.dr_readiness import expected_of


def test_the_function_may_read_the_traffic_switch_alarm_it_is_told_of():
    import aws_cdk as cdk
    from aws_cdk import aws_kms as kms
    from aws_cdk.assertions import Template

    from infra.monitoring.dr_readiness import DrReadiness

    stack = cdk.Stack(cdk.App(), "Watch", env=cdk.Environment(region="us-west-2"))
    DrReadiness(
        stack,
        "Readiness",
        prefix="pcs-prod",
        expected=expected_of(load_config("prod")),
        every_minutes=30,
        logs_key=kms.Key(stack, "Key"),
        log_retention_days=30,
    )
    template = Template.from_stack(stack)
    statements = [
        statement
        for policy in template.find_resources("AWS::IAM::ManagedPolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    actions = [
        action
        for statement in statements
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    ]
    assert "cloudwatch:DescribeAlarms" in actions
    (function,) = [
        f
        for f in template.find_resources("AWS::Lambda::Function").values()
        if f["Properties"].get("FunctionName") == "pcs-prod-dr-readiness"
    ]
    variables = function["Properties"]["Environment"]["Variables"]
    assert variables["DR_TRAFFIC_SWITCH_ALARM"] == "pcs-prod-primary-serves"
