"""No CloudFront behaviour reaches /health*: only the ALB's checks and the test client do."""

from __future__ import annotations

import json
import subprocess
from fnmatch import fnmatchcase
from pathlib import Path

from infra.edge.cloudfront import REFUSE_HEALTH_FUNCTION
from tests.infra.conftest import resources

NODE = Path(__file__).resolve().parents[3] / ".venv" / "bin" / "node"
HEALTH_PATHS = ["/health", "/health/ready", "/healthz", "/HEALTH/ready", "/%68ealth", "//health"]
APPLICATION_PATHS = ["/", "/api/v1/documents/", "/static/app.css", "/documents/health"]


def _distribution(result) -> dict:
    (distribution,) = resources(result, "edge", "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _run_function(uris: list[str]) -> dict[str, object]:
    """Each URI's answer from the function as CloudFront would run it: a status or 'forward'."""
    script = (
        "const code = require('fs').readFileSync(process.argv[1], 'utf8');"
        "const handler = new Function(code + '\\nreturn handler;')();"
        "const out = {};"
        "for (const uri of JSON.parse(process.argv[2])) {"
        "  const request = {uri: uri, method: 'GET', headers: {}};"
        "  const answer = handler({request: request});"
        "  out[uri] = answer === request ? 'forward' : answer.statusCode;"
        "}"
        "console.log(JSON.stringify(out));"
    )
    completed = subprocess.run(
        [str(NODE), "-e", script, str(REFUSE_HEALTH_FUNCTION), json.dumps(uris)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(completed.stdout)


def test_no_cache_behaviour_pattern_matches_a_health_path(prod):
    patterns = [b["PathPattern"] for b in _distribution(prod).get("CacheBehaviors", [])]
    assert patterns  # the static paths exist, and none of them matches
    for path in HEALTH_PATHS:
        assert not any(fnmatchcase(path, pattern) for pattern in patterns), path


def test_the_default_behaviour_refuses_health_paths_at_viewer_request(prod):
    (association,) = _distribution(prod)["DefaultCacheBehavior"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    functions = resources(prod, "edge", "AWS::CloudFront::Function")
    function = functions[association["FunctionARN"]["Fn::GetAtt"][0]]["Properties"]
    assert function["FunctionCode"] == REFUSE_HEALTH_FUNCTION.read_text()
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"


def test_the_function_refuses_every_spelling_of_health_and_forwards_the_rest():
    answers = _run_function(HEALTH_PATHS + APPLICATION_PATHS + ["/%E0%A4%A"])
    assert {path: answers[path] for path in HEALTH_PATHS} == dict.fromkeys(HEALTH_PATHS, 404)
    assert {path: answers[path] for path in APPLICATION_PATHS} == dict.fromkeys(
        APPLICATION_PATHS, "forward"
    )
    assert answers["/%E0%A4%A"] == 400  # malformed escapes are refused, not guessed


def test_the_origin_receives_the_viewer_address_for_the_audit_trail(prod):
    all_viewer_and_cloudfront = "33f36d7e-f396-46d9-90e0-52428a34d9dc"
    policy = _distribution(prod)["DefaultCacheBehavior"]["OriginRequestPolicyId"]
    assert policy == all_viewer_and_cloudfront
