"""What every API operation documents besides its success: the error body and the error codes."""

from rest_framework import serializers


class ErrorOutput(serializers.Serializer):
    """Every error: `detail` (one message) or `errors` (messages per field)."""

    detail = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# Errors every operation may answer: no or a bad credential, a role that may not
# (tenancy.permissions), a dependency down (with Retry-After).
COMMON_ERRORS = {401: ErrorOutput, 403: ErrorOutput, 503: ErrorOutput}
# And those with a JSON body: malformed or invalid (400), body too slow (408) or too large (413),
# not JSON (415).
BODY_ERRORS = {400: ErrorOutput, 408: ErrorOutput, 413: ErrorOutput, 415: ErrorOutput}
