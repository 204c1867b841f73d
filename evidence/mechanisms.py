"""The project's checks of each control's own mechanism, read from the templates.

cdk-nag maps many rules to a control tangentially (a Lambda outside a VPC "is" SC-7); these rules
read the property that carries the mechanism itself, so removing the mechanism fails its check and
turns the control away from ``implemented`` (tests/evidence/test_mechanisms.py removes each one).
The thresholds are FedRAMP's (or the NIST/OMB text a FedRAMP parameter points to), not this
platform's configuration: an assessor compares them with the SSP. Each rule names the AWS Config
rule of the NIST 800-53 Rev 5 conformance pack that verifies the same mechanism in the running
account, or none where the pack has no such rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from evidence.rules import LOG_DELIVERY, Rule, Verdict, listed, logical_id_of, refers_to
from infra.config.storage import M_21_31_LOG_DAYS

# IA-5: NIST SP 800-63B rev. 4's minimum for a password used alone (FedRAMP IA-5(1) follows it).
PASSWORD_MIN_LENGTH = 15
# AC-12: the session ends; FedRAMP's AC-11/AC-12 inactivity is 15 minutes, and no token that
# proves a session may outlive a working day.
ACCESS_TOKEN_MAX_MINUTES = 60
REFRESH_TOKEN_MAX_MINUTES = 24 * 60
# CP-9: FedRAMP's "daily incremental; weekly full" needs a backup kept at least a week.
BACKUP_MIN_RETENTION_DAYS = 7
_MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 24 * 60}


def _bucket_policies(logical_id: str, template: dict) -> list[dict]:
    return [
        r["Properties"]["PolicyDocument"]
        for r in template.get("Resources", {}).values()
        if r["Type"] == "AWS::S3::BucketPolicy"
        and refers_to(r["Properties"].get("Bucket"), logical_id)
    ]


def is_log_bucket(props: dict, template: dict) -> bool:
    """A bucket a log-delivery service may write to, or a Firehose stream's destination."""
    logical_id = logical_id_of(props, template)
    if logical_id is None:
        return False
    for policy in _bucket_policies(logical_id, template):
        for statement in policy.get("Statement", []):
            services = set(listed(statement.get("Principal", {}).get("Service", [])))
            if statement["Effect"] == "Allow" and services & LOG_DELIVERY:
                return True
    return any(
        refers_to(
            r["Properties"].get("ExtendedS3DestinationConfiguration", {}).get("BucketARN"),
            logical_id,
        )
        for r in template.get("Resources", {}).values()
        if r["Type"] == "AWS::KinesisFirehose::DeliveryStream"
    )


def _log_bucket_locked(props: dict, template: dict) -> Iterator[Verdict]:
    if not is_log_bucket(props, template):
        return
    lock = props.get("ObjectLockConfiguration", {})
    enabled = lock.get("ObjectLockEnabled") or (
        "Enabled" if props.get("ObjectLockEnabled") else None
    )
    yield Verdict(enabled == "Enabled", "ObjectLockConfiguration.ObjectLockEnabled", enabled)
    mode = lock.get("Rule", {}).get("DefaultRetention", {}).get("Mode")
    denied = sorted(
        {
            action
            for policy in _bucket_policies(logical_id_of(props, template) or "", template)
            for s in policy.get("Statement", [])
            if s["Effect"] == "Deny" and s.get("Principal") in ("*", {"AWS": "*"})
            for action in listed(s.get("Action", []))
            if action in ("s3:DeleteObjectVersion", "s3:*") and not s.get("Condition")
        }
    )
    # Compliance mode stops every principal deleting a locked version; without a default
    # retention, a bucket policy must deny version deletes to everyone.
    yield Verdict(
        mode == "COMPLIANCE" or bool(denied),
        "ObjectLockConfiguration.Rule.DefaultRetention.Mode | BucketPolicy Deny",
        {"mode": mode, "denied to every principal": denied},
    )


def _log_bucket_kept(props: dict, template: dict) -> Iterator[Verdict]:
    if not is_log_bucket(props, template):
        return
    expirations = [
        rule.get("ExpirationInDays")
        for rule in props.get("LifecycleConfiguration", {}).get("Rules", [])
        if rule.get("Status") == "Enabled" and rule.get("ExpirationInDays")
    ]
    shortest = min(expirations, default=None)
    yield Verdict(
        shortest is None or shortest >= M_21_31_LOG_DAYS,
        "LifecycleConfiguration.Rules[].ExpirationInDays",
        shortest,
    )


def _guardduty_on(props: dict, _template: dict) -> Iterator[Verdict]:
    yield Verdict(props.get("Enable") is True, "Enable", props.get("Enable"))


def _security_hub_nist(props: dict, template: dict) -> Iterator[Verdict]:
    standards = [
        r["Properties"].get("StandardsArn")
        for r in template.get("Resources", {}).values()
        if r["Type"] == "AWS::SecurityHub::Standard"
    ]
    nist = [s for s in standards if "nist-800-53" in str(s)]
    yield Verdict(bool(nist), "(AWS::SecurityHub::Standard).StandardsArn", len(nist))


def _config_records_all(props: dict, _template: dict) -> Iterator[Verdict]:
    group = props.get("RecordingGroup", {})
    yield Verdict(
        group.get("AllSupported") is True, "RecordingGroup.AllSupported", group.get("AllSupported")
    )


def _vpc_flow_logged(props: dict, template: dict) -> Iterator[Verdict]:
    logical_id = logical_id_of(props, template) or ""
    traffic = [
        r["Properties"].get("TrafficType")
        for r in template.get("Resources", {}).values()
        if r["Type"] == "AWS::EC2::FlowLog"
        and refers_to(r["Properties"].get("ResourceId"), logical_id)
    ]
    yield Verdict("ALL" in traffic, "(AWS::EC2::FlowLog).TrafficType", traffic)


def _password_policy(props: dict, _template: dict) -> Iterator[Verdict]:
    policy = props.get("Policies", {}).get("PasswordPolicy", {})
    length = policy.get("MinimumLength")
    yield Verdict(
        (length or 0) >= PASSWORD_MIN_LENGTH, "Policies.PasswordPolicy.MinimumLength", length
    )


def _breached_passwords_blocked(props: dict, _template: dict) -> Iterator[Verdict]:
    action = props.get("CompromisedCredentialsRiskConfiguration", {}).get("Actions", {})
    events = props.get("CompromisedCredentialsRiskConfiguration", {}).get("EventFilter", [])
    yield Verdict(
        action.get("EventAction") == "BLOCK" and {"SIGN_IN", "PASSWORD_CHANGE"} <= set(events),
        "CompromisedCredentialsRiskConfiguration",
        {"EventAction": action.get("EventAction"), "EventFilter": events},
    )


def _threat_protection(props: dict, _template: dict) -> Iterator[Verdict]:
    mode = props.get("UserPoolAddOns", {}).get("AdvancedSecurityMode")
    yield Verdict(mode == "ENFORCED", "UserPoolAddOns.AdvancedSecurityMode", mode)


def _token_lifetimes(props: dict, _template: dict) -> Iterator[Verdict]:
    units = props.get("TokenValidityUnits", {})
    limits = {
        "AccessToken": ACCESS_TOKEN_MAX_MINUTES,
        "IdToken": ACCESS_TOKEN_MAX_MINUTES,
        "RefreshToken": REFRESH_TOKEN_MAX_MINUTES,
    }
    for token, limit in limits.items():
        value = props.get(f"{token}Validity")
        # Cognito's defaults (60 minutes, 30 days) apply when the property is absent.
        minutes = (
            value * _MINUTES[units.get(token, "hours" if token != "RefreshToken" else "days")]
            if value is not None
            else {"RefreshToken": 30 * 24 * 60}.get(token, 60)
        )
        yield Verdict(minutes <= limit, f"{token}Validity", {"value": value, "minutes": minutes})


def _database_tls(props: dict, _template: dict) -> Iterator[Verdict]:
    value = props.get("Parameters", {}).get("rds.force_ssl")
    yield Verdict(str(value) == "1", "Parameters.rds.force_ssl", value)


def _cache_tls(props: dict, _template: dict) -> Iterator[Verdict]:
    enabled, mode = props.get("TransitEncryptionEnabled"), props.get("TransitEncryptionMode")
    yield Verdict(
        enabled is True and mode in (None, "required"),
        "TransitEncryptionEnabled, TransitEncryptionMode",
        {"TransitEncryptionEnabled": enabled, "TransitEncryptionMode": mode},
    )


def _kafka_tls(props: dict, _template: dict) -> Iterator[Verdict]:
    transit = props.get("EncryptionInfo", {}).get("EncryptionInTransit", {})
    # MSK's defaults are TLS between clients and brokers and inside the cluster.
    client, in_cluster = transit.get("ClientBroker", "TLS"), transit.get("InCluster", True)
    yield Verdict(
        client == "TLS" and in_cluster is True,
        "EncryptionInfo.EncryptionInTransit",
        {"ClientBroker": client, "InCluster": in_cluster},
    )


def _target_group_tls(props: dict, template: dict) -> Iterator[Verdict]:
    protocol, health = props.get("Protocol"), props.get("HealthCheckProtocol")
    passed = _passed_to_https(props, template)
    said = {"Protocol": protocol, "HealthCheckProtocol": health}
    if protocol == "TCP":
        said["TLS passed through to"] = passed or "no HTTPS listener"
    yield Verdict(
        (protocol == "HTTPS" or bool(passed)) and health in (None, "HTTPS"),
        "Protocol, HealthCheckProtocol, Targets",
        said,
    )


def _passed_to_https(props: dict, template: dict) -> str:
    """A TCP target group whose every target is a load balancer of this template with an HTTPS
    listener on the target's port (the origin entry's): TLS passes through the group and ends
    at that listener. Its listeners ("<logical id>:<port>"), or "" for any other group."""
    if props.get("Protocol") != "TCP" or props.get("TargetType") != "alb":
        return ""
    resources = template.get("Resources", {}).values()
    found = []
    for target in props.get("Targets", []):
        port = int(target.get("Port", props.get("Port", 0)))
        listener = next(
            (
                r["Properties"]
                for r in resources
                if r["Type"] == "AWS::ElasticLoadBalancingV2::Listener"
                and r["Properties"].get("LoadBalancerArn") == target["Id"]
                and r["Properties"].get("Port") == port
                and r["Properties"].get("Protocol") == "HTTPS"
            ),
            None,
        )
        if listener is None:
            return ""
        found.append(f"{target['Id'].get('Ref', target['Id'])} HTTPS {port}")
    return ", ".join(found)


_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_"


def _task_endpoints(props: dict, _template: dict) -> Iterator[Verdict]:
    for index, container in enumerate(props.get("ContainerDefinitions", [])):
        for variable in container.get("Environment", []):
            if variable["Name"].startswith(_ENDPOINT_VARIABLE):
                url = variable.get("Value")
                yield Verdict(
                    "-fips." in str(url),
                    f"ContainerDefinitions[{index}].Environment.{variable['Name']}",
                    url,
                )


def _bucket_encrypted(props: dict, _template: dict) -> Iterator[Verdict]:
    rules = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    algorithms = [r.get("ServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
    yield Verdict(
        bool(algorithms), "BucketEncryption.ServerSideEncryptionConfiguration", algorithms
    )


def _flag(name: str):
    def check(props: dict, _template: dict) -> Iterator[Verdict]:
        yield Verdict(props.get(name) is True, name, props.get(name))

    return check


def _kafka_at_rest(props: dict, _template: dict) -> Iterator[Verdict]:
    key = props.get("EncryptionInfo", {}).get("EncryptionAtRest", {}).get("DataVolumeKMSKeyId")
    yield Verdict(
        key is not None, "EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId", key is not None
    )


def _backup_retention(props: dict, _template: dict) -> Iterator[Verdict]:
    for index, rule in enumerate(props.get("BackupPlan", {}).get("BackupPlanRule", [])):
        days = rule.get("Lifecycle", {}).get("DeleteAfterDays")
        yield Verdict(
            days is None or days >= BACKUP_MIN_RETENTION_DAYS,  # None: kept until deleted
            f"BackupPlan.BackupPlanRule[{index}].Lifecycle.DeleteAfterDays",
            days,
        )


MECHANISM_RULES: tuple[Rule, ...] = (
    Rule("PCS-AU9-LogBucketLocked", "Log and audit buckets are under Object Lock and no principal "
         "may delete a log version", ("au-9",), "AWS::S3::Bucket", _log_bucket_locked, ""),
    Rule("PCS-AU11-LogBucketRetention", "Log and audit buckets keep objects at least OMB M-21-31's "
         "30 months (12 active, 18 cold)", ("au-11",), "AWS::S3::Bucket", _log_bucket_kept, ""),
    Rule("PCS-SI4-GuardDuty", "GuardDuty's detector is enabled", ("si-4", "ca-7"),
         "AWS::GuardDuty::Detector", _guardduty_on, "guardduty-enabled-centralized"),
    Rule("PCS-SI4-SecurityHub", "Security Hub runs the NIST 800-53 Rev 5 standard",
         ("si-4", "ca-7"), "AWS::SecurityHub::Hub", _security_hub_nist, "securityhub-enabled"),
    Rule("PCS-CA7-ConfigRecorder", "AWS Config records every supported resource type",
         ("ca-7", "cm-8"), "AWS::Config::ConfigurationRecorder", _config_records_all, ""),
    Rule("PCS-SI4-FlowLogs", "Every VPC has a flow log of all traffic", ("si-4", "au-12"),
         "AWS::EC2::VPC", _vpc_flow_logged, "vpc-flow-logs-enabled"),
    Rule("PCS-IA5-PasswordLength", f"Passwords are at least {PASSWORD_MIN_LENGTH} characters",
         ("ia-5", "ia-5.1"), "AWS::Cognito::UserPool", _password_policy, ""),
    Rule("PCS-IA5-BreachedPasswords", "Breached passwords are blocked at sign-in and change",
         ("ia-5", "ia-5.1"), "AWS::Cognito::UserPoolRiskConfigurationAttachment",
         _breached_passwords_blocked, ""),
    Rule("PCS-AC7-ThreatProtection", "The user pool's threat protection is enforced "
         "(high-risk sign-ins blocked)", ("ac-7",), "AWS::Cognito::UserPool",
         _threat_protection, ""),
    Rule("PCS-AC12-TokenLifetimes", f"Access and ID tokens live at most "
         f"{ACCESS_TOKEN_MAX_MINUTES} minutes, refresh tokens "
         f"{REFRESH_TOKEN_MAX_MINUTES // 60} hours",
         ("ac-12",), "AWS::Cognito::UserPoolClient", _token_lifetimes, ""),
    Rule("PCS-SC8-DatabaseTLS", "Aurora refuses connections without TLS (rds.force_ssl)",
         ("sc-8", "sc-8.1"), "AWS::RDS::DBClusterParameterGroup", _database_tls, ""),
    Rule("PCS-SC8-CacheTLS", "Valkey requires TLS in transit", ("sc-8", "sc-8.1"),
         "AWS::ElastiCache::ReplicationGroup", _cache_tls, ""),
    Rule("PCS-SC8-KafkaTLS", "MSK requires TLS between clients and brokers and inside the cluster",
         ("sc-8", "sc-8.1"), "AWS::MSK::Cluster", _kafka_tls, ""),
    Rule("PCS-SC8-TargetGroupTLS", "The load balancer reaches its targets over HTTPS (or passes "
         "TCP through to a load balancer's HTTPS listener)",
         ("sc-8", "sc-8.1"), "AWS::ElasticLoadBalancingV2::TargetGroup", _target_group_tls, ""),
    Rule("PCS-SC13-TaskEndpoints", "Every AWS endpoint a task pins is a FIPS endpoint",
         ("sc-13",), "AWS::ECS::TaskDefinition", _task_endpoints, ""),
    Rule("PCS-SC28-BucketEncrypted", "Buckets encrypt objects at rest", ("sc-28", "sc-28.1"),
         "AWS::S3::Bucket", _bucket_encrypted, "s3-bucket-server-side-encryption-enabled"),
    Rule("PCS-SC28-DatabaseEncrypted", "Aurora encrypts its storage", ("sc-28", "sc-28.1"),
         "AWS::RDS::DBCluster", _flag("StorageEncrypted"), ""),
    Rule("PCS-SC28-CacheEncrypted", "Valkey encrypts at rest", ("sc-28", "sc-28.1"),
         "AWS::ElastiCache::ReplicationGroup", _flag("AtRestEncryptionEnabled"), ""),
    Rule("PCS-SC28-KafkaEncrypted", "MSK encrypts its volumes with a customer managed key",
         ("sc-28", "sc-28.1"), "AWS::MSK::Cluster", _kafka_at_rest, ""),
    Rule("PCS-CP9-BackupRetention", f"Every backup rule keeps its backups at least "
         f"{BACKUP_MIN_RETENTION_DAYS} days", ("cp-9",), "AWS::Backup::BackupPlan",
         _backup_retention, ""),
)  # fmt: skip
