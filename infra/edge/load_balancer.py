"""The region's internal ALB: HTTPS only, a production listener (API paths to the API, the rest
to the web front end, both only with the origin header) and the blue/green test listener, which
routes the same way to each service's green."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.s3 import ALB_LOG_PREFIX
from infra.gate.nag import acknowledge
from infra.network.security_groups import PlatformSecurityGroups, ingress_from

# The tasks serve TLS (SC-8): the ALB re-encrypts to them and health-checks over HTTPS
# (docs/decisions/service-tls-to-tasks.md). Each container's SERVE_TLS follows its protocol.
API_TARGET_PROTOCOL = elbv2.ApplicationProtocol.HTTPS
WEB_TARGET_PROTOCOL = elbv2.ApplicationProtocol.HTTPS


def serve_tls(protocol: elbv2.ApplicationProtocol) -> str:
    """The SERVE_TLS value of the containers behind a target group of ``protocol``."""
    return str(protocol is elbv2.ApplicationProtocol.HTTPS).lower()


@dataclass(frozen=True)
class TrafficRoute:
    """A listener and the rule ECS blue/green moves between the two target groups."""

    listener: elbv2.ApplicationListener
    rule: elbv2.ApplicationListenerRule


@dataclass(frozen=True)
class BlueGreenTargets:
    """One service's two target groups and, on each listener, the rule that weighs them.

    Which of the two serves production alternates from release to release (ECS registers the
    new tasks in whichever has weight 0), so whatever watches "green" watches both.
    """

    service: str  # the service's role: api, web
    blue: elbv2.ApplicationTargetGroup
    green: elbv2.ApplicationTargetGroup
    production: TrafficRoute
    test: TrafficRoute

    @property
    def pair(self) -> tuple[elbv2.ApplicationTargetGroup, elbv2.ApplicationTargetGroup]:
        """Both target groups, the one serving and the one a release fills."""
        return self.blue, self.green


class ApiLoadBalancer(Construct):
    """An internal ALB that serves only this distribution (through the region's origin entry)
    and the blue/green test clients.

    Its production listener forwards only requests carrying the origin header
    (``origin_header``: its name and the dynamic reference to its value): CloudFront's
    origin-facing addresses are every distribution's. Anything else gets a 403, but for the
    entry's health check path (``edge.entry_health_check_path``), answered here with a 200.

    On the production listener (443) and the test listener (the blue/green test port) each
    service (:attr:`api`, :attr:`web`) forwards through one rule that weighs its blue and green
    target groups; ECS owns the weights during a deployment, so the rules are created here once
    and not edited by later stack updates (issue 20's header condition was one such edit, taken
    while the blue groups serve: docs/deploy.md). The API's rule matches its paths
    (``edge.api_path_patterns``; on the test listener also the hook's readiness probe,
    ``delivery.test_probe_path``), the web's rule every other path.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        certificate: acm.ICertificate,
        access_logs_bucket: s3.IBucket,
        origin_header: tuple[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        ports = config.ports
        prefix = config.prefix
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            self,
            "Alb",
            load_balancer_name=f"{prefix}-api",
            vpc=vpc,
            internet_facing=False,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            security_group=security_group,
            deletion_protection=config.environment.deletion_protection,
            drop_invalid_header_fields=True,
            idle_timeout=Duration.seconds(config.edge.alb_idle_timeout_seconds),
        )
        # The attributes of log_access_logs() without its bucket-policy grants, which have no
        # source condition: the bucket's stack declares allow_load_balancer_logs (AU-9).
        for attribute, value in (
            ("access_logs.s3.enabled", "true"),
            ("access_logs.s3.bucket", access_logs_bucket.bucket_name),
            ("access_logs.s3.prefix", ALB_LOG_PREFIX),
        ):
            self.load_balancer.set_attribute(attribute, value)
        if not config.environment.deletion_protection:
            acknowledge(
                self.load_balancer,
                "Deletion protection is off only in environments configured as disposable "
                "(dev); staging and prod enable it, and the ALB holds no data.",
                "NIST.800.53.R5-ELBDeletionProtectionEnabled",
            )
        acknowledge(
            self.load_balancer,
            "The ALB is internal: it serves only this distribution, whose AWS WAF web ACL (edge "
            "stack) inspects every request first, through the origin entry, and forwards only "
            "requests with the origin header's secret value; a second, regional ACL would "
            "inspect the same requests twice.",
            "NIST.800.53.R5-ALBWAFEnabled",
        )

        health_path = config.compute.health_check.path
        web_health_path = config.compute.web_health_check_path
        api_pair = (
            self._target_group("Blue", config, health_path, API_TARGET_PROTOCOL),
            self._target_group("Green", config, health_path, API_TARGET_PROTOCOL),
        )
        web_pair = (
            self._target_group("Web", config, web_health_path, WEB_TARGET_PROTOCOL),
            self._target_group("WebGreen", config, web_health_path, WEB_TARGET_PROTOCOL),
        )
        # Both production rules require the origin header, so the default action answers
        # everything that did not come through this distribution.
        production = self._listener(
            "Production",
            ports.https,
            config,
            certificate,
            elbv2.ListenerAction.fixed_response(403, content_type="text/plain"),
        )
        header = elbv2.ListenerCondition.http_header(origin_header[0], [origin_header[1]])
        # After ECS's two rules: reached only without the header, by the entry's health check.
        elbv2.ApplicationListenerRule(
            self,
            "EntryHealthRule",
            listener=production,
            priority=3,
            conditions=[
                elbv2.ListenerCondition.path_patterns([config.edge.entry_health_check_path])
            ],
            action=elbv2.ListenerAction.fixed_response(200, content_type="text/plain"),
        )
        self.production_listener = production
        test = self._listener(
            "Test",
            ports.blue_green_test,
            config,
            certificate,
            elbv2.ListenerAction.fixed_response(404, content_type="text/plain"),
        )
        api_paths = config.edge.api_path_patterns
        self.api = BlueGreenTargets(
            "api",
            *api_pair,
            production=self._rule("ProductionRule", production, 1, api_paths, api_pair, header),
            test=self._rule(
                "TestRule",
                test,
                1,
                (*api_paths, config.delivery.test_probe_path),
                api_pair,
            ),
        )
        self.web = BlueGreenTargets(
            "web",
            *web_pair,
            production=self._rule("ProductionWebRule", production, 2, ("/*",), web_pair, header),
            test=self._rule("TestWebRule", test, 2, ("/*",), web_pair),
        )

    def _target_group(
        self,
        name: str,
        config: PlatformConfig,
        health_path: str,
        protocol: elbv2.ApplicationProtocol,
    ) -> elbv2.ApplicationTargetGroup:
        health = config.compute.health_check
        return elbv2.ApplicationTargetGroup(
            self,
            name,
            vpc=self.load_balancer.vpc,
            target_type=elbv2.TargetType.IP,
            port=config.ports.app,
            protocol=protocol,
            deregistration_delay=Duration.seconds(config.edge.deregistration_delay_seconds),
            health_check=elbv2.HealthCheck(
                path=health_path,
                protocol=elbv2.Protocol(protocol.value),
                interval=Duration.seconds(health.interval_seconds),
                timeout=Duration.seconds(health.timeout_seconds),
                unhealthy_threshold_count=health.retries,
                healthy_threshold_count=config.edge.target_healthy_threshold,
                healthy_http_codes="200",
            ),
        )

    def _listener(
        self,
        name: str,
        port: int,
        config: PlatformConfig,
        certificate: acm.ICertificate,
        default_action: elbv2.ListenerAction,
    ) -> elbv2.ApplicationListener:
        listener = self.load_balancer.add_listener(
            name,
            port=port,
            protocol=elbv2.ApplicationProtocol.HTTPS,
            certificates=[elbv2.ListenerCertificate.from_certificate_manager(certificate)],
            open=False,  # the security groups decide who connects, not a 0.0.0.0/0 rule
            default_action=default_action,
        )
        # The policy is named in configuration by its AWS name; the L2 enum knows only aliases.
        listener_resource = listener.node.default_child
        assert isinstance(listener_resource, elbv2.CfnListener)
        listener_resource.ssl_policy = config.edge.alb_ssl_policy
        return listener

    def _rule(
        self,
        name: str,
        listener: elbv2.ApplicationListener,
        priority: int,
        paths: tuple[str, ...],
        pair: tuple[elbv2.ApplicationTargetGroup, elbv2.ApplicationTargetGroup],
        *also: elbv2.ListenerCondition,
    ) -> TrafficRoute:
        blue, green = pair
        rule = elbv2.ApplicationListenerRule(
            self,
            name,
            listener=listener,
            priority=priority,
            conditions=[elbv2.ListenerCondition.path_patterns(list(paths)), *also],
            action=elbv2.ListenerAction.weighted_forward(
                [
                    elbv2.WeightedTargetGroup(target_group=blue, weight=100),
                    elbv2.WeightedTargetGroup(target_group=green, weight=0),
                ]
            ),
        )
        return TrafficRoute(listener=listener, rule=rule)


def _test_clients_group(
    scope: Construct, *, config: PlatformConfig, vpc: ec2.IVpc, alb: ec2.ISecurityGroup
) -> ec2.SecurityGroup:
    """The group of whatever sends blue/green test traffic: it reaches the test port only.

    Created in the stack of the ALB (not the network stack that owns ``alb``), so the network
    stack needs no reference back to it.
    """
    port = config.ports.blue_green_test
    clients = ec2.SecurityGroup(
        scope,
        "TestClients",
        vpc=vpc,
        security_group_name=f"{config.prefix}-bluegreen-test-sg",
        description=f"{config.prefix} blue/green test traffic to the ALB test listener",
        allow_all_outbound=False,
    )
    clients.add_egress_rule(alb, ec2.Port.tcp(port), "To the ALB test listener")
    ingress_from(
        scope,
        "AlbTestListenerIngress",
        group=alb,
        source=clients,
        port=port,
        description="Blue/green test traffic from the test clients only",
    )
    return clients


def api_origin(
    scope: Construct,
    *,
    config: PlatformConfig,
    vpc: ec2.IVpc,
    security_groups: PlatformSecurityGroups,
    certificate: acm.ICertificate,
    access_logs_bucket: s3.IBucket,
    origin_header: tuple[str, str],
) -> tuple[ApiLoadBalancer, ec2.SecurityGroup]:
    """A region's origin: its ALB and the group of its blue/green test clients, both in
    ``scope``'s stack, which is what that region's services attach to."""
    load_balancer = ApiLoadBalancer(
        scope,
        "Api",
        config=config,
        vpc=vpc,
        security_group=security_groups.alb,
        certificate=certificate,
        access_logs_bucket=access_logs_bucket,
        origin_header=origin_header,
    )
    test_clients = _test_clients_group(scope, config=config, vpc=vpc, alb=security_groups.alb)
    return load_balancer, test_clients
