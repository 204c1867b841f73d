"""The data-flow diagrams of prod: each step's port, protocol and protection as the templates say,
and a label that changes when the template does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence import flows
from evidence.assembly import read_assembly

FIPS_POLICY = "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"


def _edges(flow: flows.Flow) -> dict[tuple[str, str], str]:
    return {(e.source, e.target): e.label for e in flow.edges}


@pytest.fixture(scope="module")
def drawn(prod) -> dict[str, flows.Flow]:
    return {flow.view: flow for flow in flows.build(read_assembly(prod.outdir))}


def test_a_document_upload_is_drawn_hop_by_hop_with_what_protects_each(drawn):
    flow = drawn["flow-document-upload"]
    edges = _edges(flow)
    assert "HTTPS 443, viewer TLS >= TLSv1.2_2021 (https-only)" in edges["browser", "cdn"]
    assert edges["cdn", "dns"] == "2, 7. resolves origin.app.pcs.example.com"
    assert edges["dns", "entry"] == (
        "PRIMARY, health check reads alarm pcs-prod-primary-serves in us-west-2: answers at rest"
    )
    assert edges["dns", "entry_us_west_2"] == "SECONDARY: answers after a traffic switch"
    assert edges["cdn", "entry"] == (
        "2, 7. origin.app.pcs.example.com over HTTPS 443 (custom origin https-only TLSv1.2, "
        "header X-Origin-Verify)"
    )
    passes = (
        "TCP 443 to target group EntryNlbHttpsAlbGroup3739EF35 (type alb, health check HTTPS "
        f"/health/entry)\nTLS ends at the ALB: listener HTTPS 443 {FIPS_POLICY}, forwards only "
        "requests with the origin header (else fixed-response 403)"
    )
    assert edges["entry", "alb"] == f"2, 7. {passes}"
    assert edges["entry_us_west_2", "alb_us_west_2"] == passes
    for suffix, region, prefix_list in (
        ("", "AWS us-east-1", "pl-3b927c52"),
        ("_us_west_2", "AWS us-west-2 (DR region)", "pl-82a045eb"),
    ):
        assert flow.nodes[f"entry{suffix}"] == (
            region,
            "Origin entry: network load balancer pcs-prod-entry (internet-facing)\n443 admitted "
            f"only from {prefix_list} (HTTPS from CloudFront origin-facing servers)",
        )
        assert flow.nodes[f"alb{suffix}"] == (
            region,
            "ALB pcs-prod-api (internal)\n443 admitted only from pcs-prod-entry-sg (HTTPS from "
            f"the origin entry) and {prefix_list} (HTTPS from CloudFront origin-facing servers)",
        )
    assert edges["alb", "api"] == "3, 8. target group HTTPS 8000 (health check HTTPS)"
    assert edges["api", "db"].endswith("tcp 5432, TLS required by the server (rds.force_ssl=1)")
    assert edges["api", "cache"].endswith("tcp 6379, TLS required (in-transit encryption)")
    assert edges["worker", "cache"].endswith("tcp 6379, TLS required (in-transit encryption)")
    assert "tcp 443, TLS 1.2+ (HTTPS to AWS APIs) (S3 gateway endpoint)" in edges["api", "bucket"]
    direct = edges["browser", "bucket"]
    assert "<bucket>.s3-fips.us-east-1.amazonaws.com, HTTPS 443" in direct
    assert "stored SSE aws:kms (key KeysStorage" in direct
    bucket = flow.nodes["bucket"][1]
    assert bucket.startswith("S3 bucket pcs-prod-documents-111111111111\nSSE aws:kms (key Keys")
    assert "policy denies requests without TLS" in bucket
    assert edges["bucket", "replica"] == (
        "15. S3 replication (AWS network, TLS), re-encrypted with alias/pcs-prod/dr-storage, "
        "within 15 minutes (RTC)"
    )
    assert flow.nodes["replica"][0] == "AWS us-west-2 (DR region)"
    assert flow.nodes["browser"][0] == flows.OUTSIDE


def test_the_audit_record_reaches_a_locked_archive_in_each_region(drawn):
    flow = drawn["flow-audit-record"]
    edges = _edges(flow)
    for region, key in (("us_east_1", "KeysAudit"), ("us_west_2", "AuditKey")):
        n = f"n_{region}"
        dashed = region.replace("_", "-")
        assert edges[f"{n}_worker", f"{n}_stream"] == (
            f"3. PutRecordBatch to https://firehose.{dashed}.amazonaws.com through the interface "
            "endpoint\ntcp 443, TLS 1.2+ (HTTPS to AWS APIs)"
        )
        assert edges[f"{n}_stream", f"{n}_archive"].startswith(
            f"4. GZIP objects under application/ (AWS network, TLS)\nSSE-KMS {key}"
        )
        assert "\nObject Lock COMPLIANCE 913 days\n" in flow.nodes[f"{n}_archive"][1]
        assert flow.nodes[f"{n}_stream"][1].startswith(
            f"Kinesis Data Firehose pcs-prod-audit-application\nencrypted with {key}"
        )
        assert edges[f"{n}_signin", f"{n}_archive"] == "same bucket, under sign-in/"
    assert edges["n_us_east_1_worker", "n_us_east_1_kafka"] == (
        "3. produce\ntcp 9098, TLS (client-broker TLS, IAM authentication)"
    )
    # The DR region runs no MSK cluster: its worker's rule towards the brokers draws nothing.
    assert "n_us_west_2_kafka" not in flow.nodes
    assert edges["n_us_east_1_db", "n_us_west_2_db"].startswith(
        "Aurora global database pcs-prod-global: storage replication"
    )


def test_the_deploy_path_reads_the_trust_the_registry_and_the_release(drawn):
    flow = drawn["flow-deploy"]
    edges = _edges(flow)
    assert edges["github", "sts"] == (
        "1. HTTPS 443 (TLS): AssumeRoleWithWebIdentity, OIDC token of "
        "https://token.actions.githubusercontent.com\naud sts.amazonaws.com, sub "
        "repo:patriot-compliance/pcs-platform:environment:prod"
    )
    assert flow.nodes["role"][1] == "IAM role pcs-prod-github-deploy"
    assert flow.nodes["ecr"][1] == (
        "ECR pcs-prod/app, pcs-prod/web\ntags IMMUTABLE, KMS-encrypted, scan on push: yes"
    )
    assert flow.nodes["cfn"][1].endswith(
        "execution policy pcs-cdk-execution, boundary pcs-permissions-boundary"
    )
    assert flow.nodes["ecs"][1] == (
        "ECS service pcs-prod-api: CANARY 10 %, bake 10 min\n"
        "rolls back on alarms: yes, on the circuit breaker: yes"
    )
    assert edges["ecr", "ecs"] == (
        "6. tasks pull images through the ecr.api interface, ecr.dkr interface, s3 gateway "
        "endpoints, HTTPS 443"
    )
    assert edges["ecs", "hook"] == "7. POST_TEST_TRAFFIC_SHIFT: invoke (AWS API, TLS)"
    assert edges["hook", "alb"] == (
        f"8. smoke tests HTTPS 8443, {FIPS_POLICY}\nhttps://origin.app.pcs.example.com:8443: the "
        "VPC's private zone origin.app.pcs.example.com. answers with pcs-prod-origin/ApiAlb37BD42AF"
    )
    assert edges["alb", "green"] == "9. HTTPS 8000 to the new tasks"


def _change(assembly_copy: Path, stack: str, prefix: str, change) -> None:
    path = assembly_copy / f"pcs-prod-{stack}.template.json"
    template = json.loads(path.read_text())
    logical_id = next(lid for lid in sorted(template["Resources"]) if lid.startswith(prefix))
    change(template["Resources"][logical_id]["Properties"])
    path.write_text(json.dumps(template))


def test_the_labels_follow_the_templates(assembly_copy):
    def plain_listener(props: dict) -> None:
        props["Protocol"] = "HTTP"
        del props["SslPolicy"]

    _change(assembly_copy, "origin", "ApiAlbProduction", plain_listener)
    _change(assembly_copy, "data", "AuroraClusterParameters",
            lambda props: props["Parameters"].pop("rds.force_ssl"))  # fmt: skip
    drawn = {flow.view: flow for flow in flows.build(read_assembly(assembly_copy))}
    edges = _edges(drawn["flow-document-upload"])
    assert edges["entry", "alb"].endswith(
        "\nTLS ends at the ALB: listener HTTP 443 no TLS, forwards only requests with the origin "
        "header (else fixed-response 403)"
    )
    assert edges["api", "db"].endswith(
        "tcp 5432, TLS by the client (sslmode); the template does not make the server require it"
    )


def _without_header_condition(props: dict) -> None:
    props["Conditions"] = [c for c in props["Conditions"] if c["Field"] != "http-header"]


def test_the_path_in_says_what_the_primary_alb_forwards(assembly_copy):
    # The web rule (every path) without the origin header: the primary's ALB forwards anyone's.
    _change(assembly_copy, "origin", "ApiProductionWebRule", _without_header_condition)
    edges = _edges(flows.build(read_assembly(assembly_copy))[0])
    assert edges["entry", "alb"].endswith(
        f"listener HTTPS 443 {FIPS_POLICY}, forwards requests without the origin header"
    )


def test_after_a_traffic_switch_in_the_templates_the_flow_starts_in_the_dr_region(assembly_copy):
    def failover(role: str):
        def change(props: dict) -> None:
            props["Failover"] = role
            props.pop("HealthCheckId", None)

        return change

    _change(assembly_copy, "origin", "OriginRecord", failover("SECONDARY"))
    _change(assembly_copy, "dr-origin", "OriginRecord", failover("PRIMARY"))
    flow = flows.build(read_assembly(assembly_copy))[0]
    edges = _edges(flow)
    assert edges["dns", "entry"] == "PRIMARY: answers at rest"
    assert edges["dns", "entry_us_east_1"] == "SECONDARY: answers after a traffic switch"
    assert edges["entry", "alb"].startswith("2, 7. TCP 443")
    assert not edges["entry_us_east_1", "alb_us_east_1"].startswith("2, 7.")
    assert flow.nodes["entry"][0] == flow.nodes["alb"][0] == "AWS us-west-2"
    assert flow.nodes["alb_us_east_1"][0] == "AWS us-east-1 (DR region)"
    assert flow.nodes["api"][0] == "AWS us-west-2"


def test_without_its_private_zone_the_test_hook_is_said_to_find_none(assembly_copy):
    path = assembly_copy / "pcs-prod-origin.template.json"
    template = json.loads(path.read_text())
    for logical_id in ("EntryInside55DF5604", "EntryInsideAlb56FFD28D"):
        del template["Resources"][logical_id]
    path.write_text(json.dumps(template))
    edges = _edges(flows.build(read_assembly(assembly_copy))[2])
    assert edges["hook", "alb"].endswith(
        "\nhttps://origin.app.pcs.example.com:8443: no private zone of the VPC answers "
        "origin.app.pcs.example.com."
    )


def test_the_package_draws_each_flow_and_the_ssp_lists_it(package_dir: Path):
    for view in flows.FLOWS:
        assert (package_dir / "diagrams" / f"{view}.png").read_bytes()[:4] == b"\x89PNG"
        assert (package_dir / "diagrams" / f"{view}.svg").read_text().lstrip().startswith("<?xml")
    ssp = json.loads(
        (package_dir / "oscal/system-security-plans/pcs/system-security-plan.json").read_text()
    )["system-security-plan"]
    resources = {r["title"]: r for r in ssp["back-matter"]["resources"]}
    drawn = {d["links"][0]["href"] for d in ssp["system-characteristics"]["data-flow"]["diagrams"]}
    for view, caption in flows.FLOWS.items():
        assert resources[caption]["rlinks"][0]["href"] == f"../../../diagrams/{view}.svg"
        assert f"#{resources[caption]['uuid']}" in drawn
