"""The values of the baseline's organization-defined parameters that the templates fix.

Each is read from the synthesized templates (which the deployment's typed configuration wrote),
so the SSP's ``set-parameters`` say what is deployed; a parameter no template fixes is left to a
person (fedramp-validation.csv lists them).
"""

from __future__ import annotations

import re

from evidence.assembly import Assembly
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
    # Both regions' pools and clients say the same: one value each.
    return {
        control: {param: list(dict.fromkeys(values)) for param, values in params.items()}
        for control, params in found.items()
    }
