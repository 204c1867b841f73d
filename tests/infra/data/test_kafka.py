"""MSK: 3 brokers over 3 AZs, TLS, IAM auth, KMS at rest, broker logs; none at the 10k tier."""

from __future__ import annotations

from tests.infra.conftest import resources
from tests.infra.data.conftest import by_name, imported, only


def _cluster(result) -> dict:
    return only(result, "data", "AWS::MSK::Cluster")


def test_kafka_has_three_brokers(prod):
    assert _cluster(prod)["NumberOfBrokerNodes"] == 3


def test_kafka_brokers_sit_in_the_three_private_subnets(prod):
    subnets = _cluster(prod)["BrokerNodeGroupInfo"]["ClientSubnets"]
    assert sorted(imported(s).split("Vpc")[1][:14] for s in subnets) == [
        "privateSubnet1",
        "privateSubnet2",
        "privateSubnet3",
    ]


def test_kafka_uses_only_the_kafka_security_group(prod):
    (group,) = _cluster(prod)["BrokerNodeGroupInfo"]["SecurityGroups"]
    assert "SecurityGroupsKafka" in imported(group)


def test_kafka_version_and_broker_type_come_from_config(prod):
    cluster = _cluster(prod)
    assert cluster["KafkaVersion"] == prod.config.kafka.kafka_version
    assert cluster["BrokerNodeGroupInfo"]["InstanceType"] == "kafka.t3.small"  # 100k


def test_kafka_encrypts_client_broker_traffic_with_tls_only(prod):
    transit = _cluster(prod)["EncryptionInfo"]["EncryptionInTransit"]
    assert transit["ClientBroker"] == "TLS"


def test_kafka_encrypts_traffic_between_brokers(prod):
    assert _cluster(prod)["EncryptionInfo"]["EncryptionInTransit"]["InCluster"] is True


def test_kafka_encrypts_storage_with_the_kafka_key(prod):
    at_rest = _cluster(prod)["EncryptionInfo"]["EncryptionAtRest"]
    assert "KeysKafka" in imported(at_rest["DataVolumeKMSKeyId"])


def test_kafka_authenticates_clients_with_iam(prod):
    assert _cluster(prod)["ClientAuthentication"]["Sasl"] == {"Iam": {"Enabled": True}}


def test_kafka_refuses_unauthenticated_clients(prod):
    assert _cluster(prod)["ClientAuthentication"]["Unauthenticated"] == {"Enabled": False}


def test_kafka_sends_broker_logs_to_an_encrypted_log_group_kept_a_year(prod):
    logs = _cluster(prod)["LoggingInfo"]["BrokerLogs"]["CloudWatchLogs"]
    assert logs["Enabled"] is True
    groups = resources(prod, "data", "AWS::Logs::LogGroup")
    group = groups[logs["LogGroup"]["Ref"]]["Properties"]
    assert group["LogGroupName"] == "/aws/msk/pcs-prod-kafka/broker"
    assert "KeysLogs" in imported(group["KmsKeyId"])
    assert group["RetentionInDays"] == 365


def test_kafka_has_per_broker_enhanced_monitoring(prod):
    assert _cluster(prod)["EnhancedMonitoring"] == "PER_BROKER"


def _bootstrap_secret(result) -> dict:
    return by_name(result, "data", "AWS::SecretsManager::Secret", "Name")[
        "pcs-prod/kafka/bootstrap-servers"
    ]


def test_kafka_bootstrap_secret_holds_the_iam_broker_string_read_from_msk(prod):
    (lookup_id,) = resources(prod, "data", "Custom::AWS")
    assert _bootstrap_secret(prod)["SecretString"] == {
        "Fn::GetAtt": [lookup_id, "BootstrapBrokerStringSaslIam"]
    }


def test_kafka_bootstrap_lookup_calls_get_bootstrap_brokers_on_this_cluster(prod):
    (cluster_id,) = resources(prod, "data", "AWS::MSK::Cluster")
    create = only(prod, "data", "Custom::AWS")["Create"]["Fn::Join"][1]
    assert '"action":"getBootstrapBrokers","service":"Kafka"' in create[0]
    assert create[1] == {"Fn::GetAtt": [cluster_id, "Arn"]}


def test_kafka_bootstrap_lookup_may_only_read_this_clusters_brokers(prod):
    (cluster_id,) = resources(prod, "data", "AWS::MSK::Cluster")
    policies = resources(prod, "data", "AWS::IAM::Policy").values()
    (statement,) = [
        s
        for p in policies
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if "kafka" in str(s["Action"])
    ]
    assert statement == {
        "Action": "kafka:GetBootstrapBrokers",
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [cluster_id, "Arn"]},
    }


def test_kafka_bootstrap_secret_is_encrypted_with_the_secrets_key(prod):
    assert "KeysSecrets" in imported(_bootstrap_secret(prod)["KmsKeyId"])


def test_the_10k_tier_has_no_kafka_cluster(dev):
    assert dev.config.tier.name == "10k"
    assert resources(dev, "data", "AWS::MSK::Cluster") == {}


def test_the_10k_tier_has_no_kafka_bootstrap_lookup_or_secret(dev):
    assert resources(dev, "data", "Custom::AWS") == {}
    names = by_name(dev, "data", "AWS::SecretsManager::Secret", "Name")
    assert "pcs-dev/kafka/bootstrap-servers" not in names


def test_kafka_bootstrap_lookup_lambda_may_send_only_https_to_the_endpoints_and_s3(prod):
    (function,) = resources(prod, "data", "AWS::Lambda::Function").values()
    (group_ref,) = function["Properties"]["VpcConfig"]["SecurityGroupIds"]
    groups = resources(prod, "data", "AWS::EC2::SecurityGroup")
    egress = groups[group_ref["Fn::GetAtt"][0]]["Properties"]["SecurityGroupEgress"]
    https = [("tcp", 443, 443)] * 2
    assert [(e["IpProtocol"], e["FromPort"], e["ToPort"]) for e in egress] == https
    # The MSK API's interface endpoint, and CloudFormation's response URL by the S3 gateway.
    endpoints, s3 = egress
    assert "SecurityGroupsEndpoints" in endpoints["DestinationSecurityGroupId"]["Fn::ImportValue"]
    assert s3["DestinationPrefixListId"] == prod.config.network.s3_prefix_list_id
    assert not any("CidrIp" in e for e in egress)


def test_kafka_bootstrap_lookup_is_re_read_when_the_broker_layout_changes(prod):
    create = only(prod, "data", "Custom::AWS")["Create"]["Fn::Join"][1]
    assert '"physicalResourceId":{"id":"pcs-prod-kafka-bootstrap-3xkafka.t3.small"}' in create[2]


def test_topics_keep_messages_for_the_configured_retention_set_on_the_cluster(prod):
    (configuration,) = resources(prod, "data", "AWS::MSK::Configuration").values()
    properties = dict(
        line.split("=", 1) for line in configuration["Properties"]["ServerProperties"].split("\n")
    )
    assert properties["log.retention.ms"] == str(7 * 24 * 3600 * 1000)
    assert properties["auto.create.topics.enable"] == "false"
    assert (properties["default.replication.factor"], properties["min.insync.replicas"]) == (
        "3",
        "2",
    )
    info = _cluster(prod)["ConfigurationInfo"]
    assert "KafkaTopicDefaults" in str(info["Arn"])
