"""Customer-managed KMS keys: one per data domain, rotated yearly, retained on stack deletion.

Every key policy separates key administration from key use (SC-12, AC-5, AC-6):

- only the deployment's key administrator (``key_administrator_role``) may administer it, and
  an explicit deny keeps everyone else (the CDK bootstrap's CloudFormation execution role and
  the account's root user included) from deleting, disabling or re-policying it, whatever
  their IAM policies say. Keys are created and their policies changed on the key
  administrator's path: CloudFormation acting as that role
  (docs/decisions/security-release-path-separation.md);
- use (encrypt, decrypt, data keys, grants for the services that encrypt for a caller) is
  delegated to IAM in the account: a principal uses the key only if its own policy allows it;
- an AWS service that encrypts on the platform's behalf gets only the actions it needs, under the
  conditions it supports (:class:`ServiceUse`).

No statement allows ``kms:*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

# What only the administrators may do; denied to everyone else.
GUARDED_ACTIONS = (
    "kms:CancelKeyDeletion",
    "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:UpdateKeyDescription",
)
# What the administrators may do: the guarded actions and the rest of the key's upkeep.
ADMINISTRATION_ACTIONS = (
    *GUARDED_ACTIONS,
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
)
# What IAM policies in the account may grant (the key users' own policies decide).
USE_ACTIONS = (
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ListGrants",
    "kms:ReEncrypt*",
)


@dataclass(frozen=True)
class ServiceUse:
    """An AWS service that encrypts on the platform's behalf: its actions and their conditions.

    ``conditions`` must pin the caller (``aws:SourceArn``/``aws:SourceAccount``) or the data
    (an encryption-context key), whichever the service supports; an unconditioned grant is
    refused.
    """

    sid: str
    principal: str
    actions: tuple[str, ...]
    conditions: dict[str, Any] = field(default_factory=dict)

    def statement(self) -> iam.PolicyStatement:
        """The key-policy statement."""
        if not self.conditions:
            raise ValueError(f"key policy statement {self.sid} needs a condition")
        return iam.PolicyStatement(
            sid=self.sid,
            principals=[iam.ServicePrincipal(self.principal)],
            actions=list(self.actions),
            resources=["*"],
            conditions=self.conditions,
        )


def key_policy(stack: Stack, *, administrator: str) -> iam.PolicyDocument:
    """Administration for ``administrator`` (a role name in the stack's account) alone; use
    delegated to IAM.

    The administrator is named by ``aws:PrincipalArn`` under the account principal rather than
    as a principal: KMS refuses a key policy naming a role that does not exist yet, and a role
    deleted and re-created under the same name is the administrator again. That is also the
    key's recovery: the account principal is there so the account can always re-create the
    role; the root user itself is denied the guarded actions like everyone else.
    """
    account = iam.AccountRootPrincipal()
    administrators = [
        stack.format_arn(service="iam", region="", resource="role", resource_name=administrator)
    ]
    return iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(
                sid="KeyAdministration",
                principals=[account],
                actions=list(ADMINISTRATION_ACTIONS),
                resources=["*"],
                conditions={"ArnEquals": {"aws:PrincipalArn": administrators}},
            ),
            iam.PolicyStatement(
                sid="DenyKeyAdministrationToEveryoneElse",
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=list(GUARDED_ACTIONS),
                resources=["*"],
                conditions={"ArnNotEquals": {"aws:PrincipalArn": administrators}},
            ),
            iam.PolicyStatement(
                sid="KeyUseByIamPoliciesInThisAccount",
                principals=[account],
                actions=list(USE_ACTIONS),
                resources=["*"],
            ),
        ]
    )


def domain_key(
    scope: Construct,
    construct_id: str,
    *,
    alias: str,
    description: str,
    administrator: str,
    service_uses: tuple[ServiceUse, ...] = (),
) -> kms.Key:
    """A rotated customer-managed key for one data domain (SC-12, SC-28), administered by the
    role ``administrator`` (:func:`key_policy`) and open to ``service_uses``."""
    policy = key_policy(Stack.of(scope), administrator=administrator)
    for use in service_uses:
        policy.add_statements(use.statement())
    return kms.Key(
        scope,
        construct_id,
        alias=alias,
        description=description,
        policy=policy,
        enable_key_rotation=True,
        rotation_period=Duration.days(365),
        pending_window=Duration.days(30),
        removal_policy=RemovalPolicy.RETAIN,
    )
