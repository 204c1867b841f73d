"""The alert topic: KMS-encrypted with the sns key, TLS-only, e-mailed to config's addresses."""

from __future__ import annotations

import pytest

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


def test_a_pager_endpoint_from_the_deployment_file_is_an_https_subscription():
    import aws_cdk as cdk
    from aws_cdk import aws_kms as kms
    from aws_cdk.assertions import Template

    from infra.monitoring.topic import alert_topic

    stack = cdk.Stack(cdk.App(), "Topic")
    alert_topic(
        stack,
        "Alerts",
        prefix="pcs-test",
        key=kms.Key(stack, "Key"),
        emails=("oncall@pcs.example.com",),
        https_endpoints=("https://pager.example.com/sns",),
    )
    subscriptions = sorted(
        (s["Properties"]["Protocol"], s["Properties"]["Endpoint"])
        for s in Template.from_stack(stack).find_resources("AWS::SNS::Subscription").values()
    )
    assert subscriptions == [
        ("email", "oncall@pcs.example.com"),
        ("https", "https://pager.example.com/sns"),
    ]


def test_a_pager_endpoint_that_is_not_https_is_refused_naming_the_field():
    from infra.config import ConfigError, MonitoringConfig

    with pytest.raises(ConfigError, match="alert_https_endpoints"):
        MonitoringConfig(alert_https_endpoints=("http://pager.example.com/sns",))
