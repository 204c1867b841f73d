"""The Kafka client's configuration: MSK IAM in production, failures reported within a flush."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

from outbox.kafka import kafka_config


def test_iam_auth_uses_sasl_ssl_with_a_signed_msk_token(settings, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.KAFKA_IAM_AUTH = True
    settings.KAFKA_BOOTSTRAP_SERVERS = "b-1.msk.test:9098"
    config = kafka_config()
    assert config["security.protocol"] == "SASL_SSL"
    assert config["sasl.mechanisms"] == "OAUTHBEARER"
    token, expires_at = config["oauth_cb"]("")
    url = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    query = parse_qs(urlsplit(url).query)
    assert query["Action"] == ["kafka-cluster:Connect"]
    assert query["X-Amz-Credential"][0].startswith("AKIATESTTESTTEST/")
    assert expires_at > 0


def test_a_message_times_out_before_the_publisher_stops_waiting(settings) -> None:
    settings.KAFKA_IAM_AUTH = False
    config = kafka_config()
    assert config["security.protocol"] == "PLAINTEXT"
    assert config["message.timeout.ms"] < settings.OUTBOX_FLUSH_TIMEOUT_SECONDS * 1000
    assert config["enable.idempotence"] is True and config["acks"] == "all"
