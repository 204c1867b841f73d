"""ECS-native blue/green for the API and the portal: the test-phase hook and the
traffic-shifting role of one service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.compute.service import released_behind_load_balancer
from infra.config import HealthCheck, PlatformConfig
from infra.defaults.functions import function_log_and_role, platform_function
from infra.edge.load_balancer import BlueGreenTargets
from infra.gate.nag import acknowledge
from infra.names import PlatformNames
from infra.security.secrets import grant_secret_read

_HOOKS = Path(__file__).parent / "hooks"
# Beyond the test phase itself: cold start, the last probe and the answer to ECS.
_HOOK_TIMEOUT_MARGIN_SECONDS = 120


@dataclass(frozen=True)
class DocumentsSmokeTest:
    """The API's smoke test: readiness, then the documents API signed in as the smoke-test
    tenant, whose token the hook reads from ``token``."""

    ready_path: str
    token: secretsmanager.ISecret

    def environment(self) -> dict[str, str]:
        return {"READY_PATH": self.ready_path, "SMOKE_TOKEN_SECRET": self.token.secret_arn}

    def grant(self, role: iam.IRole) -> None:
        grant_secret_read(role, self.token)


@dataclass(frozen=True)
class PageSmokeTest:
    """The portal's smoke test: liveness, then ``page_path`` rendered as HTML with ``marker``."""

    ready_path: str
    page_path: str
    marker: str

    def environment(self) -> dict[str, str]:
        return {
            "READY_PATH": self.ready_path,
            "PAGE_PATH": self.page_path,
            "PAGE_MARKER": self.marker,
        }

    def grant(self, role: iam.IRole) -> None:
        """Nothing to read: the page needs no sign-in."""


class BlueGreenRelease(Construct):
    """What ECS needs to run one service's blue/green deployment (``targets.service``).

    * :attr:`alternate_target` puts green behind the service's production and test listener
      rules, through a role that may change only those rules and target groups;
    * :attr:`test_phase_hook` holds the test phase for ``delivery.test_traffic_minutes`` while
      running ``smoke`` against green through the test listener, and fails the release at the
      first failed step;
    * :meth:`service_options` and :meth:`attach` make the service a canary release of green.

    Once the hook succeeds, ECS moves ``delivery.canary_percent`` of production traffic to
    green, waits ``canary_minutes``, moves the rest and keeps blue for ``bake_minutes``
    (docs/decisions/delivery-release-gates.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        names: PlatformNames,
        vpc: ec2.IVpc,
        targets: BlueGreenTargets,
        test_clients: ec2.ISecurityGroup,
        logs_key: kms.IKey,
        smoke: DocumentsSmokeTest | PageSmokeTest,
    ) -> None:
        super().__init__(scope, construct_id)
        service = targets.service
        self._delivery = config.delivery
        self._targets = targets
        self._traffic = self._traffic_role(names, targets)
        self.alternate_target = ecs.AlternateTarget(
            "Green",
            alternate_target_group=targets.green,
            production_listener=ecs.ListenerRuleConfiguration.application_listener_rule(
                targets.production.rule
            ),
            test_listener=ecs.ListenerRuleConfiguration.application_listener_rule(
                targets.test.rule
            ),
            role=self._traffic,
        )
        function = self._test_phase_function(
            config, names, service, vpc, test_clients, logs_key, smoke
        )
        invoker = iam.Role(
            self,
            "HookInvokeRole",
            assumed_by=iam.ServicePrincipal("ecs.amazonaws.com"),
            description=f"ECS invokes the {service}'s blue/green test-phase hook",
        )
        invoker.add_to_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"], resources=[function.function_arn]
            )
        )
        self.test_phase_hook = ecs.DeploymentLifecycleLambdaTarget(
            function,
            "TestPhase",
            lifecycle_stages=[ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT],
            role=invoker,
        )
        for role in (self._traffic, self._test_phase_role, invoker):
            acknowledge(
                role,
                "The policy is this role's own (created and deleted with it) and scoped to the "
                "service's listener rules, target groups, hook function or hook log group.",
                "NIST.800.53.R5-IAMNoInlinePolicy",
            )

    def service_options(self, health: HealthCheck, *alarms: cloudwatch.IAlarm) -> dict[str, Any]:
        """FargateService options: the canary strategy, its bake times, the test-phase hook and
        rollback on the circuit breaker or any of ``alarms``."""
        delivery = self._delivery
        return {
            **released_behind_load_balancer(health, *alarms),
            "deployment_strategy": ecs.DeploymentStrategy.CANARY,
            "canary_configuration": ecs.TrafficShiftConfig(
                step_percent=delivery.canary_percent,
                step_bake_time=Duration.minutes(delivery.canary_minutes),
            ),
            "bake_time": Duration.minutes(delivery.bake_minutes),
            "lifecycle_hooks": [self.test_phase_hook],
        }

    def attach(self, service: ecs.FargateService, *, container_name: str, port: int) -> None:
        """Register ``service``'s container in blue, with green as its alternate target."""
        service.load_balancer_target(
            container_name=container_name,
            container_port=port,
            alternate_target=self.alternate_target,
        ).attach_to_application_target_group(self._targets.blue)

    def _traffic_role(self, names: PlatformNames, targets: BlueGreenTargets) -> iam.Role:
        """ECS's infrastructure role for this service: the two rules and two target groups."""
        role = iam.Role(
            self,
            "TrafficRole",
            role_name=names.role(targets.service, "bluegreen"),
            assumed_by=iam.ServicePrincipal("ecs.amazonaws.com"),
            description=(
                f"ECS shifts {targets.service} traffic between the blue and green target groups"
            ),
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ShiftTrafficOnTheServicesRules",
                actions=["elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyListener"],
                resources=[
                    targets.production.rule.listener_rule_arn,
                    targets.test.rule.listener_rule_arn,
                    targets.production.listener.listener_arn,
                    targets.test.listener.listener_arn,
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="RegisterTasksInBlueAndGreen",
                actions=[
                    "elasticloadbalancing:RegisterTargets",
                    "elasticloadbalancing:DeregisterTargets",
                ],
                resources=[group.target_group_arn for group in targets.pair],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ReadLoadBalancerState",
                actions=[
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth",
                ],
                resources=["*"],
            )
        )
        acknowledge(
            role,
            "Elastic Load Balancing Describe* actions support no resource-level permissions; "
            "every action that changes state is limited to the service's two listener rules "
            "and two target groups.",
            "AwsSolutions-IAM5[Resource::*]",
        )
        return role

    def _test_phase_function(
        self,
        config: PlatformConfig,
        names: PlatformNames,
        service: str,
        vpc: ec2.IVpc,
        test_clients: ec2.ISecurityGroup,
        logs_key: kms.IKey,
        smoke: DocumentsSmokeTest | PageSmokeTest,
    ) -> lambda_.Function:
        delivery = config.delivery
        edge = config.edge
        test_seconds = delivery.test_traffic_minutes * 60
        function_name = f"{config.prefix}-{service}-test-phase"
        log_group, role = function_log_and_role(
            self,
            description=f"The {service}'s blue/green test-phase hook: smoke-tests, writes its log",
            logs_key=logs_key,
            retention_days=config.compute.log_retention_days,
            function_name=function_name,
            log_id="TestPhaseLogs",
            role_id="TestPhaseRole",
        )
        self._test_phase_role = role
        log_group.grant_write(role)
        smoke.grant(role)
        # A service at rest (the DR region's services at 0 tasks) passes without a smoke test.
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ReadTheServicesDesiredCount",
                actions=["ecs:DescribeServices"],
                resources=[
                    Stack.of(self).format_arn(
                        service="ecs",
                        resource="service",
                        resource_name=f"{names.ecs_cluster}/{names.service(service)}",
                    )
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="LambdaVpcInterfaces",
                actions=[
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets",
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                resources=["*"],
            )
        )
        acknowledge(
            role,
            "Lambda's VPC network-interface actions support no resource-level permissions "
            "(the AWSLambdaVPCAccessExecutionRole policy grants them on * too); the role can "
            "write only its own log group.",
            "AwsSolutions-IAM5[Resource::*]",
            "CKV_AWS_111",
        )
        function = platform_function(
            self,
            "TestPhase",
            function_name=function_name,
            description="ECS blue/green: smoke-test green through the test listener, then decide",
            handler="test_phase.handler",
            source=_HOOKS,
            timeout=Duration.seconds(test_seconds + _HOOK_TIMEOUT_MARGIN_SECONDS),
            role=role,
            log_group=log_group,
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            security_groups=[test_clients],
            environment={
                "TEST_BASE_URL": f"https://{edge.origin_name}:{config.ports.blue_green_test}",
                "TEST_PHASE_SECONDS": str(test_seconds),
                "PROBE_INTERVAL_SECONDS": str(delivery.test_probe_interval_seconds),
                **smoke.environment(),
            },
        )
        acknowledge(
            function,
            "ECS invokes the hook synchronously and reads its answer; a failed invocation "
            "fails the deployment and rolls it back, so there is no asynchronous event to "
            "dead-letter. Only ECS may invoke it, for one deployment at a time; reserving "
            "concurrency would fail the deploy in a new account (concurrency quota of 10).",
            "NIST.800.53.R5-LambdaDLQ",
            "NIST.800.53.R5-LambdaConcurrency",
            "CKV_AWS_116",
            "CKV_AWS_115",
        )
        return function
