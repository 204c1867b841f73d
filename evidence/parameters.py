"""The values of the baseline's organization-defined parameters that the templates fix.

Each is read from the synthesized templates (which the deployment's typed configuration wrote),
so the SSP's ``set-parameters`` say what is deployed; a parameter no template fixes is left to a
person (fedramp-validation.csv lists them).
"""

from __future__ import annotations

from evidence.assembly import Assembly
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
                "no periodic change (NIST SP 800-63B), changed when compromise is suspected"
            )
    return found


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
    if authenticators := _authenticators(assembly):
        found["ia-5"] = {"ia-05_odp.01": authenticators}
    return found
