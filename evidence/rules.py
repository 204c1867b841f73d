"""The project's own checks of FedRAMP Moderate parameter values that cdk-nag does not look at.

Each rule reads one property of one resource type in the synthesized template and says pass or
fail with the property path and the value it saw. The thresholds are FedRAMP's parameter values
(the baseline's, not this platform's configuration): an assessor compares them with the SSP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# AU-11: OMB M-21-31 keeps event logs 12 months in active storage (then 18 months cold).
AU11_ACTIVE_DAYS = 365
# SC-8 / SC-13: TLS 1.2 or later, with FIPS-validated cipher suites where AWS offers a policy.
_FIPS_ALB_POLICY_PREFIX = "ELBSecurityPolicy-TLS13-1-2-FIPS"
_CLOUDFRONT_TLS12 = ("TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
_ANYWHERE = ("0.0.0.0/0", "::/0")
FIPS_VARIABLE = "AWS_USE_FIPS_ENDPOINT"


@dataclass(frozen=True)
class Verdict:
    passed: bool
    path: str
    value: Any


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    controls: tuple[str, ...]
    resource_type: str
    check: Callable[[dict, dict], Iterator[Verdict]]  # (properties, whole template)
    # The AWS Config rule of the NIST 800-53 Rev 5 conformance pack (which the audit stack
    # deploys) that verifies the same mechanism in the running account; "" where it has none.
    config_rule: str = ""


def _log_retention(props: dict, _template: dict) -> Iterator[Verdict]:
    days = props.get("RetentionInDays")
    # Without RetentionInDays, CloudWatch Logs keeps events indefinitely.
    yield Verdict(days is None or days >= AU11_ACTIVE_DAYS, "RetentionInDays", days)


def _backup_daily(props: dict, _template: dict) -> Iterator[Verdict]:
    schedules = [
        rule.get("ScheduleExpression", "")
        for rule in props.get("BackupPlan", {}).get("BackupPlanRule", [])
    ]
    yield Verdict(
        any(map(_daily, schedules)), "BackupPlan.BackupPlanRule[].ScheduleExpression", schedules
    )


def _daily(schedule: str) -> bool:
    # cron(minutes hours day-of-month month day-of-week year): every day of every month.
    fields = schedule.removeprefix("cron(").removesuffix(")").split()
    return (
        len(fields) == 6
        and fields[2] in ("*", "?")
        and fields[3] == "*"
        and fields[4] in ("*", "?")
    )


def _alb_tls(props: dict, _template: dict) -> Iterator[Verdict]:
    if props.get("Protocol") != "HTTPS":
        return
    policy = props.get("SslPolicy")
    yield Verdict(str(policy).startswith(_FIPS_ALB_POLICY_PREFIX), "SslPolicy", policy)


def _cloudfront_tls(props: dict, _template: dict) -> Iterator[Verdict]:
    config = props.get("DistributionConfig", {})
    version = config.get("ViewerCertificate", {}).get("MinimumProtocolVersion")
    path = "DistributionConfig.ViewerCertificate.MinimumProtocolVersion"
    yield Verdict(version in _CLOUDFRONT_TLS12, path, version)


def logical_id_of(props: dict, template: dict) -> str | None:
    # Rules see a resource's properties; the resource is the one whose properties they are.
    return next(
        (lid for lid, r in template.get("Resources", {}).items() if r.get("Properties") is props),
        None,
    )


def refers_to(value: Any, logical_id: str) -> bool:
    return value == {"Ref": logical_id} or (
        isinstance(value, dict) and value.get("Fn::GetAtt", [None])[0] == logical_id
    )


def _egress(props: dict, template: dict) -> Iterator[Verdict]:
    inline = props.get("SecurityGroupEgress", [])
    for index, rule in enumerate(inline):
        cidr = rule.get("CidrIp") or rule.get("CidrIpv6")
        yield Verdict(cidr not in _ANYWHERE, f"SecurityGroupEgress[{index}]", cidr)
    if inline:
        return
    # A group created with no egress rule keeps EC2's default allow-all egress; an egress rule
    # resource of the group (CloudFormation strips the default when one is added) replaces it.
    group = logical_id_of(props, template) or ""
    rules = [
        lid
        for lid, r in template.get("Resources", {}).items()
        if r["Type"] == "AWS::EC2::SecurityGroupEgress"
        and refers_to(r["Properties"].get("GroupId"), group)
    ]
    yield Verdict(bool(rules), "SecurityGroupEgress | (AWS::EC2::SecurityGroupEgress)", len(rules))


def _egress_rule(props: dict, _template: dict) -> Iterator[Verdict]:
    cidr = props.get("CidrIp") or props.get("CidrIpv6")
    yield Verdict(cidr not in _ANYWHERE, "CidrIp", cidr)


def _environment_has_fips(variables: dict[str, Any]) -> bool:
    return str(variables.get(FIPS_VARIABLE, "")).lower() == "true"


def _containers_fips(props: dict, _template: dict) -> Iterator[Verdict]:
    for index, container in enumerate(props.get("ContainerDefinitions", [])):
        env = {e["Name"]: e.get("Value") for e in container.get("Environment", [])}
        path = f"ContainerDefinitions[{index}].Environment.{FIPS_VARIABLE}"
        yield Verdict(_environment_has_fips(env), path, env.get(FIPS_VARIABLE))


def _function_fips(props: dict, _template: dict) -> Iterator[Verdict]:
    env = props.get("Environment", {}).get("Variables", {})
    yield Verdict(
        _environment_has_fips(env), f"Environment.Variables.{FIPS_VARIABLE}", env.get(FIPS_VARIABLE)
    )


def _user_pool_mfa(props: dict, _template: dict) -> Iterator[Verdict]:
    yield Verdict(
        props.get("MfaConfiguration") == "ON", "MfaConfiguration", props.get("MfaConfiguration")
    )


def _default_group_closed(props: dict, template: dict) -> Iterator[Verdict]:
    # cdk-nag decides this from the construct tree, which a template no longer has: the VPC's
    # default group is closed when a Custom::VpcRestrictDefaultSG resource names it.
    closers = [
        r["Properties"]["DefaultSecurityGroupId"]
        for r in template.get("Resources", {}).values()
        if r["Type"] == "Custom::VpcRestrictDefaultSG"
    ]
    yield Verdict(bool(closers), "(Custom::VpcRestrictDefaultSG).DefaultSecurityGroupId", closers)


def _exec_off(props: dict, _template: dict) -> Iterator[Verdict]:
    enabled = props.get("EnableExecuteCommand", False)
    yield Verdict(enabled is not True, "EnableExecuteCommand", enabled)


# AC-5/AC-6: what only a key administrator may do (infra/defaults/kms.py denies it to others).
_GUARDED_KEY_ACTIONS = {"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"}


def listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _key_administration(props: dict, _template: dict) -> Iterator[Verdict]:
    statements = props.get("KeyPolicy", {}).get("Statement", [])

    def actions(effect: str) -> list[str]:
        chosen = [s for s in statements if s["Effect"] == effect]
        return sorted({action for s in chosen for action in listed(s["Action"])})

    allowed, denied = actions("Allow"), actions("Deny")
    yield Verdict("kms:*" not in allowed, "KeyPolicy.Statement[Allow].Action", allowed)
    yield Verdict(set(denied) >= _GUARDED_KEY_ACTIONS, "KeyPolicy.Statement[Deny].Action", denied)


# AU-9: the services that deliver logs into buckets; each grant must name its source.
LOG_DELIVERY = {
    "cloudtrail.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "logging.s3.amazonaws.com",
    "logdelivery.elasticloadbalancing.amazonaws.com",
}


def _log_delivery_pinned(props: dict, _template: dict) -> Iterator[Verdict]:
    for index, statement in enumerate(props.get("PolicyDocument", {}).get("Statement", [])):
        services = set(listed(statement.get("Principal", {}).get("Service", [])))
        if statement["Effect"] == "Allow" and services & LOG_DELIVERY:
            keys = sorted({k for test in statement.get("Condition", {}).values() for k in test})
            pinned = {"aws:SourceArn", "aws:SourceAccount"} <= set(keys)
            yield Verdict(pinned, f"PolicyDocument.Statement[{index}].Condition", keys)


# cdk-nag rules that read the construct tree; :mod:`evidence.observations` uses these instead.
REPLACED_NAG_RULES = {"NIST.800.53.R5-VPCDefaultSecurityGroupClosed": "PCS-SC7-DefaultGroupClosed"}

RULES: tuple[Rule, ...] = (
    Rule(
        "PCS-SC7-DefaultGroupClosed",
        "The VPC's default security group allows no traffic",
        ("ac-4", "sc-7"),
        "AWS::EC2::VPC",
        _default_group_closed,
        "vpc-default-security-group-closed",
    ),
    Rule(
        "PCS-AU11-LogRetention",
        "Log groups keep events 12 months in active storage",
        ("au-11",),
        "AWS::Logs::LogGroup",
        _log_retention,
    ),
    Rule(
        "PCS-CP9-BackupCadence",
        "Each backup plan backs up at least daily",
        ("cp-9",),
        "AWS::Backup::BackupPlan",
        _backup_daily,
    ),
    Rule(
        "PCS-SC8-LoadBalancerTLS",
        "HTTPS listeners use a TLS 1.2+ FIPS security policy",
        ("sc-8", "sc-8.1", "sc-13"),
        "AWS::ElasticLoadBalancingV2::Listener",
        _alb_tls,
    ),
    Rule(
        "PCS-SC8-CloudFrontTLS",
        "CloudFront viewers need TLS 1.2 or later",
        ("sc-8", "sc-8.1"),
        "AWS::CloudFront::Distribution",
        _cloudfront_tls,
    ),
    Rule(
        "PCS-SC7-EgressInline",
        "Security groups allow no egress to the whole internet",
        ("sc-7", "sc-7.5", "ac-4"),
        "AWS::EC2::SecurityGroup",
        _egress,
    ),
    Rule(
        "PCS-SC7-EgressRule",
        "Egress rules allow no destination of the whole internet",
        ("sc-7", "sc-7.5", "ac-4"),
        "AWS::EC2::SecurityGroupEgress",
        _egress_rule,
    ),
    Rule(
        "PCS-SC13-FipsContainers",
        "Containers call AWS through FIPS endpoints",
        ("sc-13",),
        "AWS::ECS::TaskDefinition",
        _containers_fips,
    ),
    Rule(
        "PCS-SC13-FipsFunctions",
        "Lambda functions call AWS through FIPS endpoints",
        ("sc-13",),
        "AWS::Lambda::Function",
        _function_fips,
    ),
    Rule(
        "PCS-AC17-EcsExecOff",
        "No ECS service runs with ECS Exec on (break-glass turns it on for one service)",
        ("ac-6", "ac-17"),
        "AWS::ECS::Service",
        _exec_off,
    ),
    Rule(
        "PCS-SC12-KeyAdministration",
        "No key policy allows kms:*; deletion, disabling and policy changes are denied to all "
        "but the key administrator",
        ("sc-12", "ac-5", "ac-6"),
        "AWS::KMS::Key",
        _key_administration,
    ),
    Rule(
        "PCS-AU9-LogDeliveryPinned",
        "Every log-delivery grant of a bucket policy names its source ARN and account",
        ("au-9",),
        "AWS::S3::BucketPolicy",
        _log_delivery_pinned,
    ),
    Rule(
        "PCS-IA2-UserPoolMfa",
        "The user pool requires multi-factor authentication",
        ("ia-2", "ia-2.1", "ia-2.2"),
        "AWS::Cognito::UserPool",
        _user_pool_mfa,
    ),
)
