"""The alert topic: KMS-encrypted with the sns key, TLS-only, e-mailed to config's addresses."""

from __future__ import annotations

from tests.infra.conftest import resources


def test_topic_is_encrypted_with_the_foundation_sns_key(prod):
    (topic,) = resources(prod, "alerts", "AWS::SNS::Topic").values()
    assert topic["Properties"]["TopicName"] == "pcs-prod-alerts"
    assert "KeysSns" in topic["Properties"]["KmsMasterKeyId"]["Fn::ImportValue"]


def test_topic_refuses_publishing_without_tls(prod):
    (policy,) = resources(prod, "alerts", "AWS::SNS::TopicPolicy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_subscribers_are_the_configured_alert_emails(prod):
    endpoints = sorted(
        s["Properties"]["Endpoint"]
        for s in resources(prod, "alerts", "AWS::SNS::Subscription").values()
        if s["Properties"]["Protocol"] == "email"
    )
    assert endpoints == sorted(prod.config.monitoring.alert_emails)
    assert endpoints == ["oncall+prod@pcs.example.com"]


def test_alerts_stack_deploys_before_compute(prod):
    assert prod.requires("pcs-prod-compute", "pcs-prod-alerts")
