"""Observability (spec §5): the alert topic, the alarms and the dashboards."""
