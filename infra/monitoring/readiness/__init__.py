"""DR readiness: the preconditions of a region failover, checked from the DR region.

This folder is the code of the readiness Lambda function (``infra/monitoring/dr_readiness.py``):
``drift.py`` imports nothing but the standard library and boto3, so the function runs it as it
stands, and ``python -m ops.dr failover-region --dry-run`` runs the same checks.
"""
