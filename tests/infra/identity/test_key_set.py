"""The user pool's key set, captured at deploy for the API (which has no route to Cognito)."""

from __future__ import annotations

import io
import json

import pytest

from infra.identity.signing_keys import capture
from tests.infra.conftest import resources

KEY_SET = {"keys": [{"kid": "k1", "kty": "RSA", "alg": "RS256", "e": "AQAB", "n": "xyz"}]}
URL = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab/.well-known/jwks.json"


def _only(result, resource_type: str) -> tuple[str, dict]:
    ((logical_id, resource),) = resources(result, "identity", resource_type).items()
    return logical_id, resource["Properties"]


def test_the_capture_reads_the_pools_own_key_set_url(prod):
    _, key_set = _only(prod, "Custom::UserPoolKeySet")
    parts = key_set["JwksUrl"]["Fn::Join"][1]
    assert parts[0] == "https://cognito-idp.us-east-1.amazonaws.com/"
    assert parts[1] == {"Ref": next(iter(resources(prod, "identity", "AWS::Cognito::UserPool")))}
    assert parts[-1] == "/.well-known/jwks.json"


def test_the_capture_function_may_only_write_its_own_encrypted_log(prod):
    # The stack also holds CDK's cross-region reference writer: follow the capture's token.
    _, key_set = _only(prod, "Custom::UserPoolKeySet")
    function_id = key_set["ServiceToken"]["Fn::GetAtt"][0]
    function = resources(prod, "identity", "AWS::Lambda::Function")[function_id]["Properties"]
    assert "VpcConfig" not in function
    # Its one variable is the FIPS switch every function gets (infra/defaults/fips.py).
    assert function["Environment"]["Variables"] == {"AWS_USE_FIPS_ENDPOINT": "true"}
    role = {"Ref": function["Role"]["Fn::GetAtt"][0]}
    (policy,) = [
        p
        for p in resources(prod, "identity", "AWS::IAM::Policy").values()
        if role in p["Properties"]["Roles"]
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert {a for s in statements for a in s["Action"]} == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    (log,) = [
        v["Properties"]
        for v in resources(prod, "identity", "AWS::Logs::LogGroup").values()
        if "KmsKeyId" in v["Properties"]
    ]
    assert log["RetentionInDays"] == prod.config.identity.log_retention_days


class _Answer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What the handler answers CloudFormation; the key set URL serves KEY_SET."""
    answers: list[dict] = []

    def urlopen(request, timeout):
        assert timeout == capture.TIMEOUT_SECONDS
        if isinstance(request, str):  # the key set
            assert request == URL
            return _Answer(json.dumps(KEY_SET).encode())
        assert request.full_url == "https://cfn-response.example/put" and request.method == "PUT"
        answers.append(json.loads(request.data))
        return _Answer(b"")

    monkeypatch.setattr(capture.urllib.request, "urlopen", urlopen)
    return answers


def _event(request_type: str, url: str = URL) -> dict:
    return {
        "RequestType": request_type,
        "ResourceProperties": {"JwksUrl": url},
        "ResponseURL": "https://cfn-response.example/put",
        "StackId": "stack",
        "RequestId": "request",
        "LogicalResourceId": "KeySet",
    }


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_create_and_update_answer_the_key_set_as_compact_json(sent, request_type):
    capture.handler(_event(request_type), None)
    (answer,) = sent
    assert answer["Status"] == "SUCCESS" and answer["PhysicalResourceId"] == URL
    assert json.loads(answer["Data"]["Jwks"]) == KEY_SET
    assert " " not in answer["Data"]["Jwks"]


def test_delete_fetches_nothing(sent):
    capture.handler(_event("Delete", url="https://cognito-idp.x/none/.well-known/jwks.json"), None)
    assert sent[0]["Status"] == "SUCCESS" and sent[0]["Data"] == {}


def test_a_url_that_is_not_a_cognito_key_set_fails_the_deployment(sent):
    capture.handler(_event("Create", url="https://evil.example/.well-known/jwks.json"), None)
    (answer,) = sent
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("ValueError: not a Cognito user pool key set")


def test_the_standbys_capture_merges_the_primarys_keys_once_each(monkeypatch):
    """The DR API verifies tokens of both pools with one pinned key set."""
    standby = "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Dr/.well-known/jwks.json"
    served = {
        standby: {"keys": [{"kid": "dr1", "kty": "RSA"}, {"kid": "shared", "kty": "RSA"}]},
        URL: {"keys": [{"kid": "k1", "kty": "RSA"}, {"kid": "shared", "kty": "RSA"}]},
    }
    answers: list[dict] = []

    def urlopen(request, timeout):
        if isinstance(request, str):
            return _Answer(json.dumps(served[request]).encode())
        answers.append(json.loads(request.data))
        return _Answer(b"")

    monkeypatch.setattr(capture.urllib.request, "urlopen", urlopen)
    event = _event("Create", url=standby)
    event["ResourceProperties"]["AlsoAcceptedJwksUrls"] = [URL]
    capture.handler(event, None)
    (answer,) = answers
    assert answer["Status"] == "SUCCESS" and answer["PhysicalResourceId"] == standby
    assert [k["kid"] for k in json.loads(answer["Data"]["Jwks"])["keys"]] == ["dr1", "shared", "k1"]
