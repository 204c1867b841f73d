"""AWS WAF at CloudFront: four AWS managed rule groups, a per-IP rate limit, logging."""

from __future__ import annotations

from tests.infra.conftest import resources


def _acl(result) -> dict:
    (acl,) = resources(result, "edge", "AWS::WAFv2::WebACL").values()
    return acl["Properties"]


def _managed_groups(result) -> set[str]:
    return {
        rule["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for rule in _acl(result)["Rules"]
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }


def test_web_acl_has_cloudfront_scope(prod):
    assert _acl(prod)["Scope"] == "CLOUDFRONT"


def test_cloudfront_scope_web_acl_is_in_us_east_1(prod):
    assert prod.stacks[f"{prod.config.prefix}-edge"].region == "us-east-1"


def test_web_acl_uses_the_aws_common_rule_set(prod):
    assert "AWSManagedRulesCommonRuleSet" in _managed_groups(prod)


def test_web_acl_uses_the_known_bad_inputs_rule_set(prod):
    assert "AWSManagedRulesKnownBadInputsRuleSet" in _managed_groups(prod)


def test_web_acl_uses_the_ip_reputation_list(prod):
    assert "AWSManagedRulesAmazonIpReputationList" in _managed_groups(prod)


def test_web_acl_uses_the_sql_injection_rule_set(prod):
    assert "AWSManagedRulesSQLiRuleSet" in _managed_groups(prod)


def test_web_acl_blocks_an_ip_above_the_rate_limit(prod):
    (rate,) = [r for r in _acl(prod)["Rules"] if "RateBasedStatement" in r["Statement"]]
    statement = rate["Statement"]["RateBasedStatement"]
    assert "Block" in rate["Action"]
    assert statement["AggregateKeyType"] == "IP"
    assert statement["Limit"] == prod.config.edge.waf_rate_limit_per_5_min == 2000


def test_web_acl_logs_to_an_aws_waf_logs_destination(prod):
    (logging,) = resources(prod, "edge", "AWS::WAFv2::LoggingConfiguration").values()
    (destination,) = logging["Properties"]["LogDestinationConfigs"]
    assert ":log-group:aws-waf-logs-" in "".join(
        part for part in destination["Fn::Join"][1] if isinstance(part, str)
    )


def test_waf_log_group_is_kms_encrypted_and_kept_a_year(prod):
    groups = [
        g["Properties"]
        for g in resources(prod, "edge", "AWS::Logs::LogGroup").values()
        if g["Properties"].get("LogGroupName", "").startswith("aws-waf-logs-")
    ]
    assert len(groups) == 1
    assert "KmsKeyId" in groups[0]
    assert groups[0]["RetentionInDays"] == prod.config.compute.log_retention_days >= 365
