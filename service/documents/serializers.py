"""Input and output shapes of the documents API."""

from django.core.validators import RegexValidator
from rest_framework import serializers

from documents.models import ALLOWED_CONTENT_TYPES, Document

MAX_PAGE = 200


class StrictCharField(serializers.CharField):
    """A string, and only a string (DRF's CharField turns 12 into "12"), taken as sent.

    No NUL characters (which DRF refuses anyway: the pattern puts that rule in the OpenAPI
    schema too), and not trimmed: the schema's minLength counts what the client sends, and
    trimming a lone Unicode space (Python's whitespace is wider than JSON Schema's) would refuse
    input the schema allows.
    """

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(r"^[^\x00]*$", message="Null characters are not allowed.")
        )

    def to_internal_value(self, data: object) -> str:
        """Refuse numbers and booleans instead of coercing them."""
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DocumentRegisterInput(serializers.Serializer):
    """What a caller sends to register a document."""

    title = StrictCharField(max_length=200)
    filename = StrictCharField(max_length=255)
    content_type = serializers.ChoiceField(
        choices=ALLOWED_CONTENT_TYPES,
        error_messages={
            "invalid_choice": (
                '"{input}" is not an allowed content type; allowed: '
                + ", ".join(ALLOWED_CONTENT_TYPES)
            )
        },
    )


class DocumentOutput(serializers.ModelSerializer):
    """A document and its processing state."""

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "filename",
            "content_type",
            "status",
            "size_bytes",
            "checksum_sha256",
            "detected_content_type",
            "failure_reason",
            "created_at",
            "processed_at",
        ]
        read_only_fields = fields


class UploadOutput(serializers.Serializer):
    """A pre-signed POST: send `fields` plus the file as multipart form data to `url`."""

    url = serializers.URLField()
    fields = serializers.DictField(child=serializers.CharField())
    expires_in = serializers.IntegerField()


class DocumentRegisteredOutput(serializers.Serializer):
    """The new document and how to upload its content."""

    document = DocumentOutput()
    upload = UploadOutput()


class DocumentPageOutput(serializers.Serializer):
    """One page of documents (limit/offset)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DocumentOutput(many=True)


class DocumentListQuery(serializers.Serializer):
    """The list's query parameters: each at most once, integers in range, nothing else."""

    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    # PostgreSQL takes OFFSET as a bigint.
    offset = serializers.IntegerField(min_value=0, max_value=2**63 - 1, required=False)
