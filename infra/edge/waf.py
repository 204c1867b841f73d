"""The CloudFront-scope AWS WAF web ACL: AWS managed rule groups, a rate limit, logging."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.logs import encrypted_log_group

# AWS managed rule groups the issue requires, in evaluation order (cheapest first).
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
)
# WAF delivers to CloudWatch Logs only into groups whose name starts with this.
WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


class EdgeWebAcl(Construct):
    """A web ACL for CloudFront (scope CLOUDFRONT: the stack must be in us-east-1).

    Requests pass unless a managed rule group blocks them or one IP exceeds the rate limit over
    five minutes; every request is logged to a KMS-encrypted ``aws-waf-logs-*`` log group.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, logs_key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        prefix = config.prefix
        rules = [
            wafv2.CfnWebACL.RuleProperty(
                name=group,
                priority=index,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS", name=group
                    )
                ),
                visibility_config=_visibility(f"{prefix}-{group}"),
            )
            for index, group in enumerate(MANAGED_RULE_GROUPS)
        ]
        rules.append(
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimitPerIp",
                priority=len(rules),
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=config.edge.waf_rate_limit_per_5_min,
                        aggregate_key_type="IP",
                        evaluation_window_sec=300,
                    )
                ),
                visibility_config=_visibility(f"{prefix}-rate-limit"),
            )
        )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=f"{prefix}-edge",
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=rules,
            visibility_config=_visibility(f"{prefix}-edge"),
        )
        log_group_name = f"{WAF_LOG_GROUP_PREFIX}{prefix}-edge"
        self.log_group = encrypted_log_group(
            self,
            "Logs",
            key=logs_key,
            retention_days=config.compute.log_retention_days,
            log_group_name=log_group_name,
        )
        logging = wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.web_acl.attr_arn,
            # WAF wants the group's ARN without the ":*" CloudFormation's Arn attribute adds.
            log_destination_configs=[
                Stack.of(self).format_arn(
                    service="logs",
                    resource="log-group",
                    resource_name=log_group_name,
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            ],
        )
        logging.node.add_dependency(self.log_group)
