"""ECS-native blue/green for the API: the test-phase hook and the traffic-shifting role."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.functions import platform_function
from infra.defaults.logs import encrypted_log_group
from infra.edge.load_balancer import ApiLoadBalancer
from infra.gate.nag import acknowledge
from infra.names import PlatformNames
from infra.security.secrets import grant_secret_read

_HOOKS = Path(__file__).parent / "hooks"
# Beyond the test phase itself: cold start, the last probe and the answer to ECS.
_HOOK_TIMEOUT_MARGIN_SECONDS = 120


class BlueGreenRelease(Construct):
    """What ECS needs to run the API's blue/green deployment.

    * :attr:`alternate_target` puts green behind the production and test listener rules,
      through a role that may change only those rules and target groups;
    * :attr:`test_phase_hook` holds the test phase for ``delivery.test_traffic_minutes`` while
      smoke-testing green through the test listener as the smoke-test tenant (``smoke_token``),
      and fails the release at the first failed step.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        names: PlatformNames,
        vpc: ec2.IVpc,
        load_balancer: ApiLoadBalancer,
        test_clients: ec2.ISecurityGroup,
        logs_key: kms.IKey,
        smoke_token: secretsmanager.ISecret,
    ) -> None:
        super().__init__(scope, construct_id)
        self._traffic = self._traffic_role(names, load_balancer)
        self.alternate_target = ecs.AlternateTarget(
            "Green",
            alternate_target_group=load_balancer.green,
            production_listener=ecs.ListenerRuleConfiguration.application_listener_rule(
                load_balancer.production.rule
            ),
            test_listener=ecs.ListenerRuleConfiguration.application_listener_rule(
                load_balancer.test.rule
            ),
            role=self._traffic,
        )
        function = self._test_phase_function(
            config, names, vpc, test_clients, logs_key, smoke_token
        )
        invoker = iam.Role(
            self,
            "HookInvokeRole",
            assumed_by=iam.ServicePrincipal("ecs.amazonaws.com"),
            description="ECS invokes the API's blue/green test-phase hook",
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
                "API's listener rules, target groups, hook function or hook log group.",
                "NIST.800.53.R5-IAMNoInlinePolicy",
            )

    def _traffic_role(self, names: PlatformNames, load_balancer: ApiLoadBalancer) -> iam.Role:
        """ECS's infrastructure role for this service: the two rules and two target groups."""
        role = iam.Role(
            self,
            "TrafficRole",
            role_name=names.role("api", "bluegreen"),
            assumed_by=iam.ServicePrincipal("ecs.amazonaws.com"),
            description="ECS shifts API traffic between the blue and green target groups",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ShiftTrafficOnTheApiRules",
                actions=["elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyListener"],
                resources=[
                    load_balancer.production.rule.listener_rule_arn,
                    load_balancer.test.rule.listener_rule_arn,
                    load_balancer.production.listener.listener_arn,
                    load_balancer.test.listener.listener_arn,
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
                resources=[
                    load_balancer.blue.target_group_arn,
                    load_balancer.green.target_group_arn,
                ],
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
            "every action that changes state is limited to the API's two listener rules and "
            "two target groups.",
            "AwsSolutions-IAM5[Resource::*]",
        )
        return role

    def _test_phase_function(
        self,
        config: PlatformConfig,
        names: PlatformNames,
        vpc: ec2.IVpc,
        test_clients: ec2.ISecurityGroup,
        logs_key: kms.IKey,
        smoke_token: secretsmanager.ISecret,
    ) -> lambda_.Function:
        delivery = config.delivery
        edge = config.edge
        test_seconds = delivery.test_traffic_minutes * 60
        function_name = f"{config.prefix}-api-test-phase"
        log_group = encrypted_log_group(
            self,
            "TestPhaseLogs",
            key=logs_key,
            retention_days=config.compute.log_retention_days,
            log_group_name=f"/aws/lambda/{function_name}",
        )
        role = self._test_phase_role = iam.Role(
            self,
            "TestPhaseRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Blue/green test-phase hook: reads the smoke-test token, writes its log",
        )
        log_group.grant_write(role)
        grant_secret_read(role, smoke_token)
        # A service at rest (the DR region's API at 0 tasks) passes without a smoke test.
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ReadTheApiServicesDesiredCount",
                actions=["ecs:DescribeServices"],
                resources=[
                    Stack.of(self).format_arn(
                        service="ecs",
                        resource="service",
                        resource_name=f"{names.ecs_cluster}/{names.service('api')}",
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
                "READY_PATH": delivery.test_probe_path,
                "TEST_PHASE_SECONDS": str(test_seconds),
                "PROBE_INTERVAL_SECONDS": str(delivery.test_probe_interval_seconds),
                "SMOKE_TOKEN_SECRET": smoke_token.secret_arn,
            },
        )
        acknowledge(
            function,
            "ECS invokes the hook synchronously and reads its answer; a failed invocation "
            "fails the deployment and rolls it back, so there is no asynchronous event to "
            "dead-letter. Only ECS may invoke it, for one API deployment at a time; reserving "
            "concurrency would fail the deploy in a new account (concurrency quota of 10).",
            "NIST.800.53.R5-LambdaDLQ",
            "NIST.800.53.R5-LambdaConcurrency",
            "CKV_AWS_116",
            "CKV_AWS_115",
        )
        return function
