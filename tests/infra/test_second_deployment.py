"""A second operator's deployment changes only its own values in the templates."""

from __future__ import annotations

import json
import re

from aws_cdk.region_info import RegionInfo

from infra.config import Deployment
from infra.config.network import CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, S3_GATEWAY_PREFIX_LISTS
from infra.synth import SynthResult


def _operator_values(deployment: Deployment) -> list[str]:
    return [
        deployment.account,
        deployment.dr_region,
        S3_GATEWAY_PREFIX_LISTS[deployment.dr_region],  # follows from the DR region
        CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[deployment.dr_region],  # the DR ALB's ingress
        # The account ELB delivers the DR ALB's access logs from is the DR region's.
        RegionInfo.get(deployment.dr_region).elbv2_account,
        *deployment.availability_zones,
        *deployment.dr_availability_zones,
        deployment.domain_name,
        deployment.hosted_zone_name,
        deployment.hosted_zone_id,
        *deployment.alert_emails,
        deployment.github_repository,
        deployment.key_administrator_role,
        *deployment.break_glass_principals,
    ]


def _templates(result: SynthResult) -> dict[str, str]:
    """Each template as text, with logical ids made from an operator value (an alert address
    is the id of its subscription) replaced by one token: their hash differs by construction."""
    deployment = result.config.deployment
    texts = {
        name: json.dumps(stack.template, sort_keys=True) for name, stack in result.stacks.items()
    }
    # The DR region's prefix list names the DR ALB group's rule, and the DR region names CDK's
    # cross-region exports.
    for value in (
        deployment.dr_region,
        *deployment.alert_emails,
        deployment.domain_name,
        deployment.hosted_zone_name,
        CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[deployment.dr_region],
    ):
        token = re.compile(rf"[A-Za-z0-9]*{re.sub('[^A-Za-z0-9]', '', value)}[A-Za-z0-9]*")
        texts = {name: token.sub("OPERATOR_VALUE_ID", text) for name, text in texts.items()}
    return texts


def test_the_second_deployment_has_no_unacknowledged_cdk_nag_error(acme_prod):
    assert [str(f) for f in acme_prod.nag_errors] == []


def test_the_second_deployment_has_every_stack_of_the_first(prod, acme_prod):
    assert sorted(acme_prod.stacks) == sorted(prod.stacks)
    assert acme_prod.stacks["pcs-prod-dr-backup"].region == "us-east-2"


def test_only_the_deployment_files_values_differ_between_two_deployments(prod, acme_prod):
    theirs = _operator_values(acme_prod.config.deployment)
    swap = dict(zip(theirs, _operator_values(prod.config.deployment), strict=True))
    # One pass, longest first: each value is replaced once (the AZ lists overlap), and a domain
    # inside an e-mail address is replaced as part of the address.
    pattern = re.compile("|".join(re.escape(v) for v in sorted(swap, key=len, reverse=True)))
    acme, ours = _templates(acme_prod), _templates(prod)
    changed = {name for name in acme if acme[name] != ours[name]}
    assert {
        "pcs-prod-edge",
        "pcs-prod-alerts",
        "pcs-prod-delivery",
        "pcs-prod-dr-backup",
    } <= changed
    for name, template in ours.items():
        assert pattern.sub(lambda m: swap[m.group(0)], acme[name]) == template, name
