"""Shapes of the audit API."""

from rest_framework import serializers

from audit.models import AuditEvent, Outcome

MAX_PAGE = 500


class AuditFilterInput(serializers.Serializer):
    """Query parameters: each narrows the list; `since` inclusive, `until` exclusive; a page of
    `limit` (default 100) from `offset`. Nothing else is accepted."""

    action = serializers.CharField(max_length=100, required=False)
    actor = serializers.CharField(max_length=150, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    object_type = serializers.CharField(max_length=50, required=False)
    object_id = serializers.CharField(max_length=64, required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    # PostgreSQL takes OFFSET as a bigint.
    offset = serializers.IntegerField(min_value=0, max_value=2**63 - 1, required=False)


class AuditEventOutput(serializers.ModelSerializer):
    """One event."""

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "organization_id",
            "actor",
            "actor_id",
            "action",
            "object_type",
            "object_id",
            "outcome",
            "reason",
            "source_ip",
            "user_agent",
            "request_id",
            "details",
        ]
        read_only_fields = fields


class AuditPageOutput(serializers.Serializer):
    """One page of events (limit/offset)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AuditEventOutput(many=True)
