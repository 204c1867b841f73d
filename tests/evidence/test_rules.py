from evidence.catalog import moderate
from evidence.rules import RULES


def _verdicts(rule_id: str, props: dict, template: dict | None = None):
    rule = next(r for r in RULES if r.id == rule_id)
    return [(v.passed, v.value) for v in rule.check(props, template or {})]


def test_log_groups_must_keep_twelve_months():
    assert _verdicts("PCS-AU11-LogRetention", {"RetentionInDays": 365}) == [(True, 365)]
    assert _verdicts("PCS-AU11-LogRetention", {"RetentionInDays": 30}) == [(False, 30)]
    # No RetentionInDays: CloudWatch Logs keeps the events indefinitely.
    assert _verdicts("PCS-AU11-LogRetention", {}) == [(True, None)]


def test_egress_to_the_whole_internet_fails_and_to_a_group_passes():
    props = {"SecurityGroupEgress": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/16"}]}
    assert _verdicts("PCS-SC7-EgressInline", props) == [(False, "0.0.0.0/0"), (True, "10.0.0.0/16")]
    assert _verdicts("PCS-SC7-EgressRule", {"CidrIpv6": "::/0"}) == [(False, "::/0")]


def test_a_plan_needs_one_daily_rule():
    daily = {"BackupPlan": {"BackupPlanRule": [{"ScheduleExpression": "cron(0 3 * * ? *)"}]}}
    weekly = {"BackupPlan": {"BackupPlanRule": [{"ScheduleExpression": "cron(0 4 ? * SUN *)"}]}}
    assert _verdicts("PCS-CP9-BackupCadence", daily)[0][0] is True
    assert _verdicts("PCS-CP9-BackupCadence", weekly)[0][0] is False


def test_tls_and_fips_and_mfa_rules():
    assert _verdicts("PCS-SC8-LoadBalancerTLS", {"Protocol": "HTTP"}) == []
    fips = {"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"}
    assert _verdicts("PCS-SC8-LoadBalancerTLS", fips)[0][0] is True
    plain = {"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-2016-08"}
    assert _verdicts("PCS-SC8-LoadBalancerTLS", plain)[0][0] is False
    env = {"Environment": {"Variables": {"AWS_USE_FIPS_ENDPOINT": "true"}}}
    assert _verdicts("PCS-SC13-FipsFunctions", env) == [(True, "true")]
    assert _verdicts("PCS-IA2-UserPoolMfa", {"MfaConfiguration": "OPTIONAL"})[0][0] is False


def test_ecs_exec_on_fails():
    assert _verdicts("PCS-AC17-EcsExecOff", {"EnableExecuteCommand": True}) == [(False, True)]
    assert _verdicts("PCS-AC17-EcsExecOff", {"EnableExecuteCommand": False})[0][0] is True


def test_a_key_policy_needs_no_kms_star_and_the_administration_deny():
    root = {"Effect": "Allow", "Action": "kms:*"}
    deny = {"Effect": "Deny", "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"]}
    assert [p for p, _ in _verdicts("PCS-SC12-KeyAdministration", _key(root, deny))] == [
        False,
        False,
    ]
    deny["Action"].append("kms:PutKeyPolicy")
    use = {"Effect": "Allow", "Action": ["kms:Decrypt"]}
    assert [p for p, _ in _verdicts("PCS-SC12-KeyAdministration", _key(use, deny))] == [True, True]


def _key(*statements):
    return {"KeyPolicy": {"Statement": list(statements)}}


def test_a_log_delivery_grant_without_its_source_fails():
    grant = {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}}
    policy = {"PolicyDocument": {"Statement": [grant]}}
    assert _verdicts("PCS-AU9-LogDeliveryPinned", policy) == [(False, [])]
    grant["Condition"] = {
        "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"},
        "StringEquals": {"aws:SourceAccount": "1"},
    }
    assert _verdicts("PCS-AU9-LogDeliveryPinned", policy)[0][0] is True
    tls = {"Effect": "Deny", "Principal": {"AWS": "*"}}
    assert _verdicts("PCS-AU9-LogDeliveryPinned", {"PolicyDocument": {"Statement": [tls]}}) == []


def test_the_default_group_is_closed_only_by_the_restricting_resource():
    closer = {"Resources": {"R": {"Type": "Custom::VpcRestrictDefaultSG",
                                  "Properties": {"DefaultSecurityGroupId": "sg"}}}}  # fmt: skip
    assert _verdicts("PCS-SC7-DefaultGroupClosed", {}, closer)[0][0] is True
    assert _verdicts("PCS-SC7-DefaultGroupClosed", {}, {"Resources": {}})[0][0] is False


def test_the_project_rules_name_only_moderate_baseline_controls():
    assert all(set(rule.controls) <= set(moderate()) for rule in RULES)
