"""The DR region's watch (issue 20): its own alert topic, first of the standby's stacks, and the
readiness check every half hour, all evaluated in us-west-2."""

from __future__ import annotations

from tests.infra.conftest import resources


def _topic_export(prod) -> str:
    (topic_id,) = resources(prod, "dr-alerts", "AWS::SNS::Topic")
    return f"pcs-prod-dr-alerts:ExportsOutputRef{topic_id}"  # + CDK's hash


def test_the_dr_region_has_its_own_encrypted_alert_topic(prod):
    assert prod.stacks["pcs-prod-dr-alerts"].region == "us-west-2"
    (topic,) = resources(prod, "dr-alerts", "AWS::SNS::Topic").values()
    assert topic["Properties"]["TopicName"] == "pcs-prod-alerts"
    aliases = [
        a["Properties"]["AliasName"]
        for a in resources(prod, "dr-alerts", "AWS::KMS::Alias").values()
    ]
    assert aliases == ["alias/pcs-prod/dr-sns"]
    # The same subscribers as the primary's topic (alert_emails, alert_https_endpoints).
    subscriptions = [
        (s["Properties"]["Protocol"], s["Properties"]["Endpoint"])
        for s in resources(prod, "dr-alerts", "AWS::SNS::Subscription").values()
    ]
    assert subscriptions == [("email", "oncall+prod@pcs.example.com")]


def test_readiness_runs_every_30_minutes_from_the_dr_region(prod):
    (function,) = [
        f
        for f in resources(prod, "dr-watch", "AWS::Lambda::Function").values()
        if f["Properties"].get("FunctionName") == "pcs-prod-dr-readiness"
    ]
    props = function["Properties"]
    assert props["Handler"] == "drift.handler"
    variables = props["Environment"]["Variables"]
    assert variables["DR_PRIMARY_REGION"] == "us-east-1"
    assert variables["DR_DR_REGION"] == "us-west-2"
    assert variables["DR_RPO_SECONDS"] == "60"
    assert variables["DR_USER_POOL"] == "pcs-prod-users"
    (rule,) = resources(prod, "dr-watch", "AWS::Events::Rule").values()
    assert rule["Properties"]["ScheduleExpression"] == "rate(30 minutes)"


def test_drift_or_silence_pages_from_the_dr_region(prod):
    # Beside issue 25's canary alarm (tests/infra/monitoring/test_canary.py).
    (props,) = [
        a["Properties"]
        for a in resources(prod, "dr-watch", "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["AlarmName"] == "pcs-prod-dr-readiness-drift"
    ]
    assert (props["Namespace"], props["MetricName"]) == ("PCS/DrReadiness", "DriftedChecks")
    assert (props["Period"], props["Threshold"], props["EvaluationPeriods"]) == (1800, 1, 1)
    assert props["TreatMissingData"] == "breaching"  # a check that stops running is drift
    ((action,), (ok,)) = props["AlarmActions"], props["OKActions"]
    assert action == ok and action["Fn::ImportValue"].startswith(_topic_export(prod))
