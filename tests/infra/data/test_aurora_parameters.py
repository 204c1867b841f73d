"""Parameter groups of spec §3.2, attached to the cluster and its instances (family 17)."""

from __future__ import annotations

from tests.infra.conftest import resources
from tests.infra.data.conftest import only


def _cluster_parameters(result) -> dict[str, str]:
    return only(result, "data", "AWS::RDS::DBClusterParameterGroup")["Parameters"]


def _instance_parameters(result) -> dict[str, str]:
    return only(result, "data", "AWS::RDS::DBParameterGroup")["Parameters"]


def test_cluster_parameter_group_family_is_aurora_postgresql17(prod):
    assert only(prod, "data", "AWS::RDS::DBClusterParameterGroup")["Family"] == (
        "aurora-postgresql17"
    )


def test_cluster_parameter_group_is_attached_to_the_cluster(prod):
    (group_id,) = resources(prod, "data", "AWS::RDS::DBClusterParameterGroup")
    cluster = only(prod, "data", "AWS::RDS::DBCluster")
    assert cluster["DBClusterParameterGroupName"] == {"Ref": group_id}


def test_instance_parameter_group_family_is_aurora_postgresql17(prod):
    assert only(prod, "data", "AWS::RDS::DBParameterGroup")["Family"] == "aurora-postgresql17"


def test_instance_parameter_group_is_attached_to_every_instance(prod):
    (group_id,) = resources(prod, "data", "AWS::RDS::DBParameterGroup")
    instances = resources(prod, "data", "AWS::RDS::DBInstance").values()
    assert [i["Properties"]["DBParameterGroupName"] for i in instances] == [{"Ref": group_id}] * 3


def test_rds_force_ssl_is_on(prod):
    assert _cluster_parameters(prod)["rds.force_ssl"] == "1"


def test_shared_preload_libraries_are_pg_stat_statements_auto_explain_and_pgaudit(prod):
    assert _cluster_parameters(prod)["shared_preload_libraries"] == (
        "pg_stat_statements,auto_explain,pgaudit"
    )


def test_pgvector_is_not_preloaded_because_vector_is_created_by_a_migration(prod):
    libraries = _cluster_parameters(prod)["shared_preload_libraries"].split(",")
    assert not {"pgvector", "vector"} & set(libraries)


def test_pg_stat_statements_tracks_all_statements(prod):
    assert _cluster_parameters(prod)["pg_stat_statements.track"] == "all"


def test_auto_explain_logs_plans_of_queries_over_1000_ms(prod):
    assert _cluster_parameters(prod)["auto_explain.log_min_duration"] == "1000"
    assert prod.config.database.auto_explain_log_min_duration_ms == 1000


def test_connections_are_logged(prod):
    assert _cluster_parameters(prod)["log_connections"] == "1"


def test_disconnections_are_logged(prod):
    assert _cluster_parameters(prod)["log_disconnections"] == "1"


def test_pgaudit_logs_ddl_role_and_write_classes(prod):
    assert _cluster_parameters(prod)["pgaudit.log"] == "ddl,role,write"


def test_log_statement_is_left_off_because_it_would_log_passwords_and_pii(prod):
    assert "log_statement" not in _cluster_parameters(prod)
    assert "log_statement" not in _instance_parameters(prod)


def test_pgaudit_log_is_not_all(prod):
    assert "all" not in _cluster_parameters(prod)["pgaudit.log"].split(",")


def test_max_connections_is_1000_at_instance_level(prod):
    assert _instance_parameters(prod) == {"max_connections": "1000"}
    assert prod.config.database.max_connections == 1000


def test_max_connections_is_not_in_the_cluster_group_where_aurora_ignores_it(prod):
    assert "max_connections" not in _cluster_parameters(prod)
