"""Data-flow diagrams an assessor follows step by step: a document upload, an audit record's way to
the locked archive (and the DR region's), and the deploy path.

Each edge is one numbered step labelled with port, protocol and protection read from the templates:
CloudFront's viewer policy and origin, the origin name's failover records, each region's origin
entry and the ALB behind it with what each admits and the ALB's listener (:mod:`evidence.origin`),
the target group, the tasks' security-group rules (with :mod:`evidence.ports`' transport
security), bucket and stream encryption, Object Lock, replication, the deploy role's trust policy
and the ECS deployment configuration. What no template holds (GitHub's side of the deploy, how
the service signs an upload form) is said with the file it comes from.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from evidence import origin
from evidence.assembly import Assembly, Stack
from evidence.diagrams import Edge, _node_id, _quote, _service_name, render
from evidence.ports import Resolver, Rule, rules
from infra.delivery import bootstrap

OUTSIDE = "Outside the boundary"
DR_REGION = "DR region"
EDGE = "Global edge (inside the boundary)"
# view -> caption; the files are diagrams/<view>.{dot,svg,png}
FLOWS = {
    "flow-document-upload": "Data flow: a document upload, from the browser to the encrypted "
    "bucket and the worker that inspects it",
    "flow-audit-record": "Data flow: an audit record from the change that causes it to the "
    "Object Lock archive, in each region",
    "flow-deploy": "Deploy path: GitHub OIDC, the deploy role, CloudFormation, ECR and the ECS "
    "blue/green release with its test hook",
}


@dataclass(frozen=True)
class Flow:
    view: str
    nodes: dict[str, tuple[str, str]]  # node id -> (cluster, label)
    edges: list[Edge]


class _Reader:
    """The templates as the flows read them: resources by type, references resolved."""

    def __init__(self, assembly: Assembly) -> None:
        self.assembly = assembly
        self.resolver = Resolver(assembly)
        self.rules = rules(assembly)
        self.path_in = origin.path_in(assembly)

    def of_type(self, kind: str) -> list[tuple[Stack, str, dict]]:
        return [
            (stack, lid, resource.get("Properties", {}))
            for stack, lid, resource in self.assembly.resources()
            if resource["Type"] == kind
        ]

    def get(self, reference: str) -> tuple[Stack, str, dict]:
        stack_name, lid = reference.split("/", 1)
        stack = self.assembly.stacks[stack_name]
        return stack, lid, stack.resources[lid].get("Properties", {})

    def ref(self, stack: Stack, value: object) -> str:
        return self.resolver.resolve(stack, value)

    def egress(self, group: str, peer_group: str | None = None, port: int | None = None) -> Rule:
        return next(
            r
            for r in self.rules
            if r.group == group
            and r.direction == "egress"
            and (peer_group is None or r.peer == peer_group)
            and (port is None or r.to_port == port)
        )

    def service_group(self, stack: Stack, props: dict) -> str:
        config = props["NetworkConfiguration"]["AwsvpcConfiguration"]
        return self.ref(stack, config["SecurityGroups"][0])

    def env(self, stack: Stack, service: dict) -> dict[str, object]:
        _s, _l, task = self.get(self.ref(stack, service["TaskDefinition"]))
        return {
            e["Name"]: e.get("Value")
            for c in task["ContainerDefinitions"]
            for e in c.get("Environment", [])
        }


def _yes(value: object) -> str:
    return "yes" if value is True else "no"


def _flow_label(rule: Rule) -> str:
    return f"{rule.protocol} {rule.ports}, {rule.transport}"


def _key(reader: _Reader, stack: Stack, value: object) -> str:
    """A KMS key as "<stack>/<logical id>", or the alias or ARN the template names."""
    if isinstance(value, dict) and "Fn::Join" in value:
        return "".join(p for p in value["Fn::Join"][1] if isinstance(p, str)).split(":")[-1]
    return reader.ref(stack, value).split("/", 1)[-1]


def _bucket(reader: _Reader, reference: str) -> tuple[str, str]:
    """(node label, encryption) of a bucket, read from its properties and its policy."""
    stack, lid, props = reader.get(reference)
    rules_ = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    default = rules_[0]["ServerSideEncryptionByDefault"] if rules_ else {}
    encryption = (
        f"SSE {default.get('SSEAlgorithm')} (key {_key(reader, stack, default['KMSMasterKeyID'])})"
        if default.get("KMSMasterKeyID")
        else f"SSE {default.get('SSEAlgorithm', 'none set')}"
    )
    lines = [f"S3 bucket {props.get('BucketName', lid)}", encryption]
    lock = props.get("ObjectLockConfiguration", {}).get("Rule", {}).get("DefaultRetention")
    if lock:
        lines.append(f"Object Lock {lock['Mode']} {lock['Days']} days")
    for policy in reader.of_type("AWS::S3::BucketPolicy"):
        if reader.ref(policy[0], policy[2]["Bucket"]) == reference:
            conditions = json.dumps(policy[2]["PolicyDocument"])
            if '"aws:SecureTransport": "false"' in conditions:
                lines.append("policy denies requests without TLS")
    return "\n".join(lines), encryption


def _service(reader: _Reader, region: str, container: str) -> tuple[Stack, str, dict]:
    """The ECS service of ``region`` whose task runs ``container`` (by the container's name)."""
    for stack, lid, props in reader.of_type("AWS::ECS::Service"):
        if stack.region != region:
            continue
        _s, _l, task = reader.get(reader.ref(stack, props["TaskDefinition"]))
        if any(c["Name"] == container for c in task["ContainerDefinitions"]):
            return stack, lid, props
    raise LookupError(f"no service running {container} in {region}")


def _uses(reader: _Reader, kind: str, key: str, group: str) -> tuple[Stack, str, dict]:
    """The resource of ``kind`` whose ``key`` (a list of security groups) names ``group``."""
    for stack, lid, props in reader.of_type(kind):
        if group in {reader.ref(stack, g) for g in props.get(key, [])}:
            return stack, lid, props
    raise LookupError(f"no {kind} in group {group}")


def _edge_path(reader: _Reader) -> dict[str, str]:
    """The primary path in: CloudFront's default origin (a name over HTTPS with the origin
    header), the failover record that answers it with the primary region's origin entry, and
    the load balancer behind it (:mod:`evidence.origin`)."""
    path = reader.path_in
    primary = path.primary
    return {
        "region": primary.region,
        "alb": primary.balancer.resource,
        "viewer": f"HTTPS 443, viewer TLS >= {path.viewer_tls} ({path.viewer_policy})",
        "origin": path.origin,
        "waf": "AWS WAF web ACL" if path.waf else "no web ACL",
    }


def _origin_nodes(reader: _Reader) -> tuple[dict[str, tuple[str, str]], list[Edge]]:
    """The origin name's failover records, the entry each answers with and the load balancer
    behind it, as the flow's nodes and edges (the primary region's are the nodes "entry" and
    "alb"; another region's "entry_<region>" and "alb_<region>")."""
    path = reader.path_in
    nodes = {"dns": (EDGE, f"Amazon Route 53: failover records of {path.name}")}
    edges = [
        Edge("cdn", "dns", f"2, 7. resolves {path.name}"),
        Edge("cdn", "entry", f"2, 7. {path.origin}"),
    ]
    for region in path.regions:
        entry, balancer = region.entry, region.balancer
        primary = region is path.primary
        suffix = "" if primary else f"_{region.region.replace('-', '_')}"
        zone = f"AWS {region.region}" + ("" if primary else f" ({DR_REGION})")
        nodes[f"entry{suffix}"] = (
            zone,
            f"Origin entry: {entry.kind} load balancer {entry.name} ({entry.scheme})\n"
            f"{entry.admission}",
        )
        nodes[f"alb{suffix}"] = (
            zone,
            f"ALB {balancer.name} ({balancer.scheme})\n{balancer.admission}",
        )
        decided = f", health check reads {region.health_check}" if region.health_check else ""
        when = "at rest" if primary else "after a traffic switch"
        steps = "2, 7. " if primary else ""
        edges += [
            Edge("dns", f"entry{suffix}", f"{region.failover}{decided}: answers {when}"),
            Edge(f"entry{suffix}", f"alb{suffix}", f"{steps}{entry.passes}\nTLS ends at the "
                 f"ALB: {balancer.terminates}, {balancer.forwarding}"),
        ]  # fmt: skip
    return nodes, edges


def _api_target(reader: _Reader, alb: str) -> dict:
    """The target group the ALB's /api/* rule forwards to (the API's blue group)."""
    for stack, _lid, props in reader.of_type("AWS::ElasticLoadBalancingV2::ListenerRule"):
        patterns = json.dumps(props.get("Conditions", []))
        if '"/api/*"' not in patterns:
            continue
        _ls, _ll, listener = reader.get(reader.ref(stack, props["ListenerArn"]))
        if reader.ref(stack, listener["LoadBalancerArn"]) != alb:
            continue
        group = props["Actions"][0]["ForwardConfig"]["TargetGroups"][0]["TargetGroupArn"]
        return reader.get(reader.ref(stack, group))[2]
    raise LookupError(f"no /api/* rule on {alb}")


def document_upload(reader: _Reader) -> Flow:
    path = _edge_path(reader)
    region = path["region"]
    api_stack, _a, api = _service(reader, region, "django-api")
    _w, _wl, worker = _service(reader, region, "celery-worker")
    api_group, worker_group = reader.service_group(api_stack, api), reader.service_group(_w, worker)
    env = reader.env(api_stack, api)
    bucket = reader.ref(api_stack, env["DOCUMENTS_BUCKET"])
    bucket_label, encryption = _bucket(reader, bucket)
    target = _api_target(reader, path["alb"])
    db = _uses(reader, "AWS::RDS::DBCluster", "VpcSecurityGroupIds", _peer(reader, api_group, 5432))
    to_db, to_cache = reader.egress(api_group, port=5432), reader.egress(api_group, port=6379)
    to_s3 = reader.egress(api_group, port=443, peer_group=_prefix_list(reader, api_group))
    worker_to_s3 = reader.egress(
        worker_group, port=443, peer_group=_prefix_list(reader, worker_group)
    )
    fips = "s3-fips" if str(env.get("AWS_USE_FIPS_ENDPOINT")).lower() == "true" else "s3"
    zone = f"AWS {region}"
    origin_nodes, origin_edges = _origin_nodes(reader)
    nodes = origin_nodes | {
        "browser": (OUTSIDE, "Tenant user's browser"),
        "cdn": (EDGE, f"Amazon CloudFront + {path['waf']}"),
        "api": (zone, "API tasks (ECS Fargate)"),
        "db": (zone, f"Aurora PostgreSQL {db[2].get('DBClusterIdentifier', db[1])}"),
        "cache": (zone, "Valkey (Celery broker)"),
        "bucket": (zone, bucket_label),
        "worker": (zone, "Worker tasks (ECS Fargate)"),
    }
    edges = [
        Edge("browser", "cdn", "1, 6. POST /api/documents/, .../upload-complete/\n"
             f"{path['viewer']}"),
        *origin_edges,
        Edge("alb", "api", f"3, 8. target group {target['Protocol']} {target['Port']} "
             f"(health check {target.get('HealthCheckProtocol', target['Protocol'])})"),
        Edge("api", "db", f"4, 10. document + audit rows (+ outbox task at 10), one transaction\n"
             f"{_flow_label(to_db)}"),
        Edge("browser", "bucket", f"5. pre-signed POST to <bucket>.{fips}.{region}.amazonaws.com, "
             "HTTPS 443\n(service/documents/storage.py: the form requires "
             f"x-amz-server-side-encryption aws:kms), stored {encryption}"),
        Edge("api", "bucket", f"9. HEAD object (upload landed)\n{_flow_label(to_s3)} "
             "(S3 gateway endpoint)"),
        Edge("api", "cache", f"11. Celery task after commit\n{_flow_label(to_cache)}"),
        Edge("worker", "cache", f"12. takes the task\n"
             f"{_flow_label(reader.egress(worker_group, port=6379))}"),
        Edge("worker", "bucket", "13. GET object in 1 MiB chunks (decrypted with the bucket's "
             f"key)\n{_flow_label(worker_to_s3)}"),
        Edge("worker", "db", f"14. result + audit row + outbox events\n"
             f"{_flow_label(reader.egress(worker_group, port=5432))}"),
    ]  # fmt: skip
    _, _, bucket_props = reader.get(bucket)
    for rule in bucket_props.get("ReplicationConfiguration", {}).get("Rules", []):
        destination = rule["Destination"]
        name = "".join(p for p in destination["Bucket"]["Fn::Join"][1] if isinstance(p, str))
        replica_key = _key(
            reader, api_stack, destination["EncryptionConfiguration"]["ReplicaKmsKeyID"]
        )
        replica_region = next(
            part.split(":")[2]
            for part in destination["EncryptionConfiguration"]["ReplicaKmsKeyID"]["Fn::Join"][1]
            if isinstance(part, str) and part.startswith(":kms:")
        )
        nodes["replica"] = (
            f"AWS {replica_region} ({DR_REGION})",
            f"S3 bucket {name.split(':::')[-1]}\nSSE-KMS (key {replica_key})",
        )
        minutes = destination.get("ReplicationTime", {}).get("Time", {}).get("Minutes")
        edges.append(Edge("bucket", "replica", "15. S3 replication (AWS network, TLS), "
                          f"re-encrypted with {replica_key}"
                          + (f", within {minutes} minutes (RTC)" if minutes else "")))  # fmt: skip
    return Flow("flow-document-upload", nodes, edges)


def _peer(reader: _Reader, group: str, port: int) -> str:
    return reader.egress(group, port=port).peer


def _prefix_list(reader: _Reader, group: str) -> str:
    return next(r.peer for r in reader.rules if r.group == group and r.peer.startswith("pl-"))


def audit_record(reader: _Reader) -> Flow:
    nodes: dict[str, tuple[str, str]] = {}
    edges: list[Edge] = []
    regions = sorted({s.region for s, _l, _p in reader.of_type("AWS::ECS::Service")})
    primary = _edge_path(reader)["region"]
    for region in sorted(regions, key=lambda r: r != primary):
        zone = f"AWS {region}" + (" (primary)" if region == primary else " (DR: after a failover)")
        n = _node_id(region)
        api_stack, _a, api = _service(reader, region, "django-api")
        w_stack, _w, worker = _service(reader, region, "celery-worker")
        api_group = reader.service_group(api_stack, api)
        worker_group = reader.service_group(w_stack, worker)
        env = reader.env(w_stack, worker)
        stream_ref = reader.ref(w_stack, env["AUDIT_FIREHOSE_STREAM"])
        s_stack, _sl, stream = reader.get(stream_ref)
        destination = stream["ExtendedS3DestinationConfiguration"]
        bucket = reader.ref(s_stack, destination["BucketARN"])
        bucket_label, _enc = _bucket(reader, bucket)
        stream_key = _key(
            reader, s_stack, stream["DeliveryStreamEncryptionConfigurationInput"]["KeyARN"]
        )
        archive_key = _key(
            reader,
            s_stack,
            destination["EncryptionConfiguration"]["KMSEncryptionConfig"]["AWSKMSKeyARN"],
        )
        to_endpoints = reader.egress(
            worker_group, port=443, peer_group=_endpoints(reader, worker_group)
        )
        nodes |= {
            f"{n}_api": (zone, "API tasks (ECS Fargate)"),
            f"{n}_worker": (zone, "Worker tasks: outbox publisher"),
            f"{n}_db": (zone, "Aurora PostgreSQL: audit_auditevent (insert-only) + outbox"),
            f"{n}_stream": (zone, f"Kinesis Data Firehose {stream['DeliveryStreamName']}\n"
                            f"encrypted with {stream_key}"),
            f"{n}_archive": (zone, bucket_label),
        }  # fmt: skip
        edges += [
            Edge(f"{n}_api", f"{n}_db", "1. audit row + outbox event in the change's transaction"
                 f"\n{_flow_label(reader.egress(api_group, port=5432))}"),
            Edge(f"{n}_worker", f"{n}_db", "2. reads pending outbox events\n"
                 f"{_flow_label(reader.egress(worker_group, port=5432))}"),
            Edge(f"{n}_worker", f"{n}_stream", "3. PutRecordBatch to "
                 f"{env.get('AWS_ENDPOINT_URL_FIREHOSE', 'the SDK endpoint')} through the "
                 "interface endpoint\n"
                 f"{_flow_label(to_endpoints)}"),
            Edge(f"{n}_stream", f"{n}_archive", f"4. {destination['CompressionFormat']} objects "
                 f"under {destination['Prefix'].split('/')[0]}/ (AWS network, TLS)\nSSE-KMS "
                 f"{archive_key}"),
        ]  # fmt: skip
        for rule in (r for r in reader.rules if r.group == worker_group and r.to_port == 9098):
            # A rule towards the brokers' group draws MSK only where a cluster is in it.
            for _k, _kl, kafka in reader.of_type("AWS::MSK::Cluster"):
                if rule.peer in {reader.ref(_k, g) for g in
                                 kafka["BrokerNodeGroupInfo"]["SecurityGroups"]}:  # fmt: skip
                    nodes[f"{n}_kafka"] = (zone, f"MSK {kafka['ClusterName']}: audit topic (relay)")
                    edges.append(Edge(f"{n}_worker", f"{n}_kafka",
                                      f"3. produce\n{_flow_label(rule)}"))  # fmt: skip
        for stack, _lid, props in reader.of_type("AWS::Cognito::LogDeliveryConfiguration"):
            for config in props.get("LogConfigurations", []):
                target = reader.ref(stack, config.get("FirehoseConfiguration", {}).get("StreamArn"))
                if target.split("/", 1)[0] == s_stack.name and stack.region == region:
                    sign_in = reader.get(target)[2]
                    nodes[f"{n}_cognito"] = (zone, "Amazon Cognito user pool")
                    nodes[f"{n}_signin"] = (
                        zone,
                        f"Kinesis Data Firehose {sign_in['DeliveryStreamName']}",
                    )
                    edges += [
                        Edge(f"{n}_cognito", f"{n}_signin",
                             f"sign-in events ({config['EventSource']}), AWS network, TLS"),
                        Edge(f"{n}_signin", f"{n}_archive", "same bucket, under sign-in/"),
                    ]  # fmt: skip
    for stack, _lid, props in reader.of_type("AWS::RDS::DBCluster"):
        if props.get("GlobalClusterIdentifier") and stack.region != primary:
            edges.append(
                Edge(_node_id(primary) + "_db", _node_id(stack.region) + "_db",
                     f"Aurora global database {props['GlobalClusterIdentifier']}: storage "
                     "replication (AWS network), encrypted at rest with each region's key")
            )  # fmt: skip
    return Flow("flow-audit-record", nodes, edges)


def _endpoints(reader: _Reader, group: str) -> str:
    """The interface endpoints' security group a task's group sends 443 to."""
    return next(
        r.peer
        for r in reader.rules
        if r.group == group and r.direction == "egress" and r.to_port == 443
        and not r.peer.startswith("pl-")
    )  # fmt: skip


def deploy(reader: _Reader) -> Flow:
    primary = _edge_path(reader)["region"]
    _ps, _pl, provider = reader.of_type("AWS::IAM::OIDCProvider")[0]
    _rs, _rl, role = next(
        r for r in reader.of_type("AWS::IAM::Role")
        if "AssumeRoleWithWebIdentity" in json.dumps(r[2].get("AssumeRolePolicyDocument"))
    )  # fmt: skip
    trust = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
    subject = next(v for k, v in trust.items() if k.endswith(":sub"))
    repositories = reader.of_type("AWS::ECR::Repository")
    repo = repositories[0][2]
    api_stack, _a, api = _service(reader, primary, "django-api")
    deployment = api["DeploymentConfiguration"]
    canary = deployment.get("CanaryConfiguration", {})
    hook = deployment["LifecycleHooks"][0]
    balancer = api["LoadBalancers"][0]["AdvancedConfiguration"]
    test_rule = reader.get(reader.ref(api_stack, balancer["TestListenerRule"]))
    test_listener = reader.get(reader.ref(test_rule[0], test_rule[2]["ListenerArn"]))[2]
    green = reader.get(reader.ref(api_stack, balancer["AlternateTargetGroupArn"]))[2]
    pulls = ", ".join(
        sorted(
            f"{_service_name(p.get('ServiceName'))} {p.get('VpcEndpointType', 'Interface').lower()}"
            for s, _l, p in reader.of_type("AWS::EC2::VPCEndpoint")
            if s.region == primary
            and _service_name(p.get("ServiceName")) in ("ecr.api", "ecr.dkr", "s3")
        )
    )
    zone = f"AWS {primary}"
    nodes = {
        "github": (OUTSIDE, "GitHub Actions: .github/workflows/deploy.yml\n(environment prod, "
                   "required reviewers)"),
        "sts": (zone, "AWS STS"),
        "role": (zone, f"IAM role {role.get('RoleName')}"),
        "ecr": (zone, "ECR " + ", ".join(p.get("RepositoryName", lid)
                                         for _s, lid, p in repositories)
                + f"\ntags {repo.get('ImageTagMutability')}, KMS-encrypted, "
                f"scan on push: {_yes(repo['ImageScanningConfiguration']['ScanOnPush'])}"),
        "cfn": (zone, f"AWS CloudFormation\nexecution policy {bootstrap.EXECUTION_POLICY}, "
                f"boundary {bootstrap.PERMISSIONS_BOUNDARY}"),
        "ecs": (zone, f"ECS service {api.get('ServiceName', 'API')}: {deployment['Strategy']} "
                f"{canary.get('CanaryPercent', '')} %, bake "
                f"{canary.get('CanaryBakeTimeInMinutes', deployment.get('BakeTimeInMinutes'))} min"
                f"\nrolls back on alarms: {_yes(deployment['Alarms']['Rollback'])}, on the circuit "
                f"breaker: {_yes(deployment['DeploymentCircuitBreaker']['Rollback'])}"),
        "hook": (zone, f"Lambda test hook ({', '.join(hook['LifecycleStages'])})"),
        "alb": (zone, "ALB test listener"),
        "green": (zone, "API green target group (new tasks)"),
    }  # fmt: skip
    edges = [
        Edge("github", "sts", f"1. HTTPS 443 (TLS): AssumeRoleWithWebIdentity, OIDC token of "
             f"{provider['Url']}\naud {','.join(provider['ClientIdList'])}, sub {subject}"),
        Edge("sts", "role", "2. short-lived credentials for the gated job only"),
        Edge("role", "ecr", "3. docker push over HTTPS 443 (TLS), images by digest"),
        Edge("role", "cfn", "4. cdk deploy through the CDK bootstrap roles (sts:AssumeRole), "
             "HTTPS 443"),
        Edge("cfn", "ecs", "5. new task definition (images by digest)"),
        Edge("ecr", "ecs", f"6. tasks pull images through the {pulls} endpoints, HTTPS 443"),
        Edge("ecs", "hook", f"7. {', '.join(hook['LifecycleStages'])}: invoke (AWS API, TLS)"),
        Edge("hook", "alb", f"8. smoke tests {test_listener['Protocol']} {test_listener['Port']}, "
             f"{test_listener.get('SslPolicy', 'no TLS')}\n{_test_url(reader, api_stack, hook)}"),
        Edge("alb", "green", f"9. {green['Protocol']} {green['Port']} to the new tasks"),
    ]  # fmt: skip
    return Flow("flow-deploy", nodes, edges)


def _test_url(reader: _Reader, stack: Stack, hook: dict) -> str:
    """The address the test hook calls and what answers its name inside the hook's VPC: the
    private hosted zone of that name associated with a VPC of the hook's region (one VPC a
    region), if any; the public records of the origin name answer with the entry, which passes
    only the origin port (:mod:`evidence.origin`)."""
    _fs, _fl, function = reader.get(reader.ref(stack, hook["HookTargetArn"]))
    url = function.get("Environment", {}).get("Variables", {}).get("TEST_BASE_URL", "")
    name = f"{urlparse(url).hostname}."
    for zone_stack, zone_id, zone in reader.of_type("AWS::Route53::HostedZone"):
        vpc_regions = {v["VPCRegion"] for v in zone.get("VPCs", [])}
        if zone.get("Name") != name or stack.region not in vpc_regions:
            continue
        answers = sorted(
            reader.ref(zone_stack, {"Fn::GetAtt": [target, "DNSName"]})
            for record_stack, _lid, record in reader.of_type("AWS::Route53::RecordSet")
            if record_stack is zone_stack
            and record.get("HostedZoneId") == {"Ref": zone_id}
            and record.get("Name") == name
            for target in origin.alias_targets(record)
        )
        return f"{url}: the VPC's private zone {name} answers with {', '.join(answers)}"
    return f"{url}: no private zone of the VPC answers {name}"


def build(assembly: Assembly) -> list[Flow]:
    reader = _Reader(assembly)
    return [document_upload(reader), audit_record(reader), deploy(reader)]


def dot(flow: Flow) -> str:
    lines = [
        f"digraph {_node_id(flow.view)} {{",
        "  rankdir=TB; nodesep=0.6; ranksep=0.5; node [shape=box, fontsize=10]; edge [fontsize=9];",
        f"  labelloc=t; label={_quote(FLOWS[flow.view])};",
    ]
    clusters: dict[str, list[str]] = {}
    for node, (cluster, label) in flow.nodes.items():
        clusters.setdefault(cluster, []).append(f"    {node} [label={_quote(label)}];")
    for index, (cluster, members) in enumerate(sorted(clusters.items())):
        style = "dashed" if cluster == OUTSIDE else "bold"
        lines.append(f"  subgraph cluster_{index} {{ label={_quote(cluster)}; style={style};")
        lines += members
        lines.append("  }")
    lines += [
        f"  {e.source} -> {e.target} [label={_quote(_wrapped(e.label))}];" for e in flow.edges
    ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _wrapped(label: str) -> str:
    """Each line of a label at most 60 characters, so a page stays readable."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, 60, break_on_hyphens=False)) for line in label.split("\n")
    )


def write(assembly: Assembly, folder: Path) -> dict[str, tuple[str, str, str]]:
    """Render every flow into ``folder``; returns the SSP's figures: view -> (href from the SSP,
    media type, caption)."""
    figures = {}
    for flow in build(assembly):
        render(dot(flow), folder / flow.view)
        figures[flow.view] = (f"../../../diagrams/{flow.view}.svg", "image/svg+xml",
                              FLOWS[flow.view])  # fmt: skip
    return figures
