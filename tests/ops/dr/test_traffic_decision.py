"""What docs/decisions/dr-traffic-without-us-east-1.md says of the CloudFront KeyValueStore's
write API, read from botocore's own endpoint rules (no network)."""

from __future__ import annotations

import json

from botocore.loaders import Loader


def test_the_keyvaluestore_write_api_has_one_global_endpoint_signed_for_every_region():
    rules = json.dumps(
        Loader().load_service_model("cloudfront-keyvaluestore", "endpoint-rule-set-1")
    )
    assert "https://{parsedArn#accountId}.cloudfront-kvs.global.api.aws" in rules
    assert '"signingRegionSet": ["*"]' in rules
    assert "{Region}" not in rules  # no regional endpoint to choose
