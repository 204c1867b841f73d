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


def test_web_acl_logs_straight_to_the_locked_aws_waf_logs_bucket(prod):
    (logging,) = resources(prod, "edge", "AWS::WAFv2::LoggingConfiguration").values()
    assert logging["Properties"]["LogDestinationConfigs"] == [
        {
            "Fn::Join": [
                "",
                ["arn:", {"Ref": "AWS::Partition"}, ":s3:::aws-waf-logs-pcs-prod-111111111111"],
            ]
        }
    ]
    buckets = [
        b["Properties"]
        for b in resources(prod, "foundation", "AWS::S3::Bucket").values()
        if b["Properties"].get("BucketName") == "aws-waf-logs-pcs-prod-111111111111"
    ]
    (bucket,) = buckets
    assert bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "COMPLIANCE",
        "Days": 913,
    }
    assert "KMSMasterKeyID" in str(bucket["BucketEncryption"])


def test_waf_logs_stay_warm_a_year_then_cold_until_30_months(prod):
    (bucket,) = [
        b["Properties"]
        for b in resources(prod, "foundation", "AWS::S3::Bucket").values()
        if b["Properties"].get("BucketName", "").startswith("aws-waf-logs-")
    ]
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert [(t["StorageClass"], t["TransitionInDays"]) for t in rule["Transitions"]] == [
        ("GLACIER_IR", 90),
        ("GLACIER", 365),
    ]
    assert rule["ExpirationInDays"] == 913


def test_only_this_accounts_log_delivery_writes_waf_logs(prod):
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "foundation", "AWS::S3::BucketPolicy").values()
        if "aws-waf-logs" in str(p["Properties"]["Bucket"])
        or "WafLogs" in str(p["Properties"]["Bucket"])
    ]
    (statements,) = policies
    write = next(s for s in statements if s.get("Sid") == "WafLogDeliveryWrite")
    assert write["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert write["Condition"]["StringEquals"] == {
        "aws:SourceAccount": "111111111111",
        "s3:x-amz-acl": "bucket-owner-full-control",
    }
    assert write["Condition"]["ArnLike"] == {
        "aws:SourceArn": {
            "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:us-east-1:111111111111:*"]]
        }
    }


def test_no_waf_log_group_is_left_in_cloudwatch(prod):
    names = [
        g["Properties"].get("LogGroupName", "")
        for stack in ("edge", "foundation")
        for g in resources(prod, stack, "AWS::Logs::LogGroup").values()
    ]
    assert not [n for n in names if isinstance(n, str) and n.startswith("aws-waf-logs-")]
