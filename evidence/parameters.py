"""The values of the baseline's organization-defined parameters that the templates fix.

Each is read from the synthesized templates (which the deployment's typed configuration wrote),
so the SSP's ``set-parameters`` say what is deployed; a parameter no template fixes is left to a
person (fedramp-validation.csv lists them).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable

from evidence.assembly import Assembly
from evidence.catalog import DATA
from evidence.deviations import recorded
from evidence.mechanisms import is_log_bucket

_MINUTES_PER = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 24 * 60}


def _of_type(assembly: Assembly, resource_type: str) -> list[tuple[dict, dict]]:
    return [
        (resource.get("Properties", {}), stack.template)
        for stack, _lid, resource in assembly.resources()
        if resource["Type"] == resource_type
    ]


def _days(values: list[int]) -> str:
    low, high = min(values), max(values)
    return f"{low} days" if low == high else f"{low} to {high} days"


def _retention(assembly: Assembly) -> list[str]:
    groups = [p.get("RetentionInDays") for p, _t in _of_type(assembly, "AWS::Logs::LogGroup")]
    kept = [d for d in groups if d is not None]
    locks = [
        p["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Days"]
        for p, t in _of_type(assembly, "AWS::S3::Bucket")
        if is_log_bucket(p, t) and "Rule" in p.get("ObjectLockConfiguration", {})
    ]
    found = []
    if kept:
        indefinite = " (the rest indefinitely)" if len(kept) < len(groups) else ""
        found.append(f"CloudWatch log groups: {_days(kept)} online{indefinite}")
    if locks:
        found.append(f"log and audit archive buckets: Object Lock (compliance mode) {_days(locks)}")
    return ["; ".join(found) + " (OMB M-21-31: 12 months active, 18 months cold)"] if found else []


def _minutes(props: dict, token: str, default_unit: str) -> float | None:
    value = props.get(f"{token}Validity")
    unit = props.get("TokenValidityUnits", {}).get(token, default_unit)
    return None if value is None else value * _MINUTES_PER[unit]


def _sessions(assembly: Assembly) -> list[str]:
    found = []
    for props, _t in _of_type(assembly, "AWS::Cognito::UserPoolClient"):
        access = _minutes(props, "AccessToken", "hours")
        refresh = _minutes(props, "RefreshToken", "days")
        if access is None or refresh is None:
            continue
        revoke = (
            "; sign-out revokes the session's tokens" if props.get("EnableTokenRevocation") else ""
        )
        found.append(
            f"a session ends when its access token expires after {access:g} minutes without "
            f"a refresh, and {refresh:g} minutes after sign-in at the latest (refresh token)"
            + revoke
        )
    return found


def _backups(assembly: Assembly) -> dict[str, list[str]]:
    rules = [
        rule
        for props, _t in _of_type(assembly, "AWS::Backup::BackupPlan")
        for rule in props.get("BackupPlan", {}).get("BackupPlanRule", [])
    ]
    if not rules:
        return {}
    schedule = "; ".join(
        f"{r.get('RuleName', 'rule')}: {r.get('ScheduleExpression', 'AWS Backup default')}, kept "
        f"{r.get('Lifecycle', {}).get('DeleteAfterDays', 'indefinitely')} days"
        for r in rules
    )
    selected = sorted(
        {
            arn_type
            for props, _t in _of_type(assembly, "AWS::Backup::BackupSelection")
            for arn_type in _selected_types(props)
        }
    )
    components = "the resources the AWS Backup plan selects" + (
        f" ({', '.join(selected)})" if selected else ""
    )
    return {
        "cp-09_odp.01": [components],
        "cp-09_odp.02": [schedule],
        "cp-09_odp.03": [schedule],
    }


def _selected_types(props: dict) -> list[str]:
    resources = props.get("BackupSelection", {}).get("Resources", [])
    found = []
    for resource in resources:
        text = str(resource)
        for service, name in (("rds", "Aurora"), ("elasticache", "ElastiCache"), ("s3", "S3")):
            if f":{service}:" in text:
                found.append(name)
    return found


def _authenticators(assembly: Assembly) -> list[str]:
    found = []
    for props, _t in _of_type(assembly, "AWS::Cognito::UserPool"):
        policy = props.get("Policies", {}).get("PasswordPolicy", {})
        temporary = policy.get("TemporaryPasswordValidityDays")
        if temporary is not None:
            found.append(
                f"temporary passwords: {temporary} days; passwords, TOTP devices and passkeys: "
                "no periodic change (NIST SP 800-63B)"
            )
    return found


def _password_rules(assembly: Assembly) -> dict[str, list[str]]:
    """IA-5(1): each pool's composition rules and the compromised-password list it screens."""
    rules, screened = set(), set()
    for props, _t in _of_type(assembly, "AWS::Cognito::UserPool"):
        policy = props.get("Policies", {}).get("PasswordPolicy", {})
        if "MinimumLength" not in policy:
            continue
        required = [
            kind.lower()
            for kind in ("Uppercase", "Lowercase", "Numbers", "Symbols")
            if policy.get(f"Require{kind}")
        ]
        composition = f"required {', '.join(required)}" if required else "no composition rules"
        rules.add(
            f"at least {policy['MinimumLength']} characters (the user pool's password policy), "
            f"{composition} (NIST SP 800-63B)"
        )
    for props, _t in _of_type(assembly, "AWS::Cognito::UserPoolRiskConfigurationAttachment"):
        screening = props.get("CompromisedCredentialsRiskConfiguration", {})
        if screening.get("Actions", {}).get("EventAction") == "BLOCK":
            screened.add(", ".join(e.lower().replace("_", " ") for e in screening["EventFilter"]))
    found = {"ia-05.01_odp.02": sorted(rules)} if rules else {}
    if screened:
        events = " / ".join(sorted(screened))
        found["ia-05.01_odp.01"] = [
            "continuously: Cognito threat protection's compromised-credentials list, maintained "
            f"by AWS, blocks a breached password at {events}"
        ]
        found["ia-05_odp.02"] = [
            f"suspected compromise: a password found in a breach is refused at {events}, and an "
            "organization admin disables the user"
        ]
    return found


# Cognito's lockout is AWS's, fixed and not in any template: its values are those the decision
# record gives in its deviation (one place), read here.
_LOCKOUT = re.compile(
    r"after (\d+) consecutive failed attempts it locks the user temporarily, starting at "
    r"([^,]+?) and doubling each further failure up to ([^;]+); a success resets it"
)


def _lockout() -> dict[str, list[str]]:
    deviation = recorded().get("ac-7")
    match = _LOCKOUT.search(deviation.statement) if deviation else None
    if not match:
        return {}
    attempts, first, longest = match.groups()
    source = f"Cognito's fixed lockout, a deviation recorded in {deviation.decision}"
    return {
        "ac-07_odp.01": [f"{attempts} consecutive ({source})"],
        "ac-07_odp.02": ["until a successful sign-in (Cognito counts consecutive failures)"],
        "ac-07_odp.03": ["delay next logon prompt per the delay algorithm (ac-07_odp.05)"],
        "ac-07_odp.04": [f"from {first}, doubling to {longest}"],
        "ac-07_odp.05": [f"{first} after the {attempts}th failure, doubling with each further "
                         f"failure up to {longest}"],
        "ac-07_odp.06": ["block high-risk sign-ins (threat protection) and record every failure "
                         "in the audit archive"],
    }  # fmt: skip


# At rest, per store type: CloudFormation type -> (what it is, is it encrypted).
_AT_REST: dict[str, tuple[str, Callable[[dict], bool]]] = {
    "AWS::RDS::DBCluster": ("Aurora clusters", lambda p: bool(p.get("StorageEncrypted"))),
    "AWS::ElastiCache::ReplicationGroup": ("Valkey replication groups",
     lambda p: bool(p.get("AtRestEncryptionEnabled"))),
    "AWS::MSK::Cluster": ("MSK clusters",
     lambda p: "DataVolumeKMSKeyId" in p.get("EncryptionInfo", {}).get("EncryptionAtRest", {})),
    "AWS::S3::Bucket": ("S3 buckets", lambda p: "BucketEncryption" in p),
    "AWS::Logs::LogGroup": ("log groups with a customer managed key", lambda p: "KmsKeyId" in p),
    "AWS::SecretsManager::Secret": ("secrets", lambda p: "KmsKeyId" in p),
    "AWS::Backup::BackupVault": ("backup vaults", lambda p: "EncryptionKeyArn" in p),
    "AWS::KinesisFirehose::DeliveryStream": ("Firehose streams",
     lambda p: "DeliveryStreamEncryptionConfigurationInput" in p),
}  # fmt: skip


def _encrypted(assembly: Assembly, resource_type: str, test: Callable[[dict], bool]) -> tuple:
    found = [test(props) for props, _t in _of_type(assembly, resource_type)]
    return sum(found), len(found)


def _at_rest(assembly: Assembly) -> dict[str, dict[str, list[str]]]:
    """SC-28 (what is encrypted at rest), CP-9(8) (backups) and SC-13 (what cryptography is for)."""
    stores = []
    for resource_type, (what, test) in _AT_REST.items():
        encrypted, total = _encrypted(assembly, resource_type, test)
        if total:
            stores.append(f"{what}: {encrypted} of {total}")
    if not stores:
        return {}
    found = {
        "sc-28": {
            "sc-28_odp.01": ["confidentiality and integrity (AWS KMS keys of the platform)"],
            "sc-28_odp.02": ["tenant data, logs, secrets and backups, encrypted at rest as "
                             "deployed: " + "; ".join(stores)],
        },
    }  # fmt: skip
    vault = "AWS::Backup::BackupVault"
    vaults, total = _encrypted(assembly, vault, _AT_REST[vault][1])
    if total:
        found["cp-9.8"] = {
            "cp-09.08_odp": [f"every backup: {vaults} of {total} backup vaults encrypt with a "
                             "customer managed KMS key"]
        }  # fmt: skip
    listeners = sorted(
        {p["SslPolicy"] for p, _t in _of_type(assembly, "AWS::ElasticLoadBalancingV2::Listener")
         if p.get("Protocol") == "HTTPS" and "SslPolicy" in p}
    )  # fmt: skip
    viewers = sorted(
        {p["DistributionConfig"]["ViewerCertificate"]["MinimumProtocolVersion"]
         for p, _t in _of_type(assembly, "AWS::CloudFront::Distribution")
         if "MinimumProtocolVersion" in p["DistributionConfig"].get("ViewerCertificate", {})}
    )  # fmt: skip
    keys = _of_type(assembly, "AWS::KMS::Key")
    rotated = sum(1 for p, _t in keys if p.get("EnableKeyRotation"))
    found["sc-13"] = {
        "sc-13_odp.01": [
            f"TLS in transit (load balancer listeners: {', '.join(listeners) or 'none'}; "
            f"CloudFront viewers: {', '.join(viewers) or 'none'}); encryption at rest with "
            f"AWS KMS ({len(keys)} customer managed keys, {rotated} with yearly rotation)"
        ]
    }
    found["sc-13"]["sc-13_odp.02"] = [_validated_modules()]
    return found


def _validated_modules() -> str:
    """SC-13's types of cryptography: each module with its FIPS 140 certificate, or none."""
    modules = tomllib.loads((DATA / "cryptographic-modules.toml").read_text())["module"]
    said = [f"{m['service']}: {m['certificate'] or 'no certificate published'}" for m in modules]
    return "FIPS-validated modules where AWS publishes a certificate (docs/cryptography.md): " + (
        "; ".join(said)
    )


def set_parameters(assembly: Assembly) -> dict[str, dict[str, list[str]]]:
    """control -> parameter id -> values, for the parameters the templates fix."""
    found: dict[str, dict[str, list[str]]] = {}
    if retention := _retention(assembly):
        found["au-11"] = {"au-11_odp": retention}
    if sessions := _sessions(assembly):
        found["ac-12"] = {"ac-12_odp": sessions}
    # CP-9's system documentation (odp.04) lives in git, which no template describes.
    if backups := _backups(assembly):
        found["cp-9"] = backups
    passwords = _password_rules(assembly)
    if authenticators := _authenticators(assembly):
        found["ia-5"] = {"ia-05_odp.01": authenticators}
    if "ia-05_odp.02" in passwords:
        found.setdefault("ia-5", {})["ia-05_odp.02"] = passwords.pop("ia-05_odp.02")
    if passwords:
        found["ia-5.1"] = passwords
    if lockout := _lockout():
        found["ac-7"] = lockout
    found.update(_at_rest(assembly))
    # Both regions' pools and clients say the same: one value each.
    return {
        control: {param: list(dict.fromkeys(values)) for param, values in params.items()}
        for control, params in found.items()
    }
