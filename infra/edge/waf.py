"""The CloudFront-scope AWS WAF web ACL: AWS managed rule groups, a rate limit, logging."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.audit.log_copies import waf_log_bucket_name
from infra.config import PlatformConfig

# AWS managed rule groups the issue requires, in evaluation order (cheapest first).
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
)


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


class EdgeWebAcl(Construct):
    """A web ACL for CloudFront (scope CLOUDFRONT: the stack must be in us-east-1).

    Requests pass unless a managed rule group blocks them or one IP exceeds the rate limit over
    five minutes; every request is logged straight to the locked ``aws-waf-logs-*`` bucket of
    the primary region's log copies (:class:`~infra.audit.log_copies.LogCopies`, same region),
    kept 30 months (docs/decisions/cost-waf-logs-to-s3.md).
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: PlatformConfig) -> None:
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
        wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.web_acl.attr_arn,
            # The bucket stands in the foundation stack, which this stack deploys after.
            log_destination_configs=[
                f"arn:{Stack.of(self).partition}:s3:::{waf_log_bucket_name(config.names)}"
            ],
        )
