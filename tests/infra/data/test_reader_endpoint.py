"""The custom READER endpoint of spec §3.1: the two replicas, never the writer."""

from __future__ import annotations

from tests.infra.data.conftest import only


def test_reader_endpoint_is_a_custom_reader_endpoint(prod):
    assert only(prod, "data", "AWS::RDS::DBClusterEndpoint")["CustomEndpointType"] == "READER"


def test_reader_endpoint_members_are_the_two_replicas(prod):
    assert only(prod, "data", "AWS::RDS::DBClusterEndpoint")["StaticMembers"] == [
        "pcs-prod-aurora-reader-1",
        "pcs-prod-aurora-reader-2",
    ]


def test_reader_endpoint_belongs_to_the_cluster(prod):
    endpoint = only(prod, "data", "AWS::RDS::DBClusterEndpoint")
    assert endpoint["DBClusterIdentifier"]["Ref"].startswith("AuroraCluster")


def test_reader_endpoint_identifier_is_unique_per_environment(prod):
    endpoint = only(prod, "data", "AWS::RDS::DBClusterEndpoint")
    assert endpoint["DBClusterEndpointIdentifier"] == "pcs-prod-reader"
