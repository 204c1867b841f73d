"""The API's JSON parser: DRF's, with a nesting limit (deep nesting crashed the decoder: 500)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _depth(document: Any) -> int:
    """Nesting depth of a decoded JSON value, without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


class LimitedJSONParser(JSONParser):
    """JSON bodies nested at most REQUEST_JSON_MAX_DEPTH levels; deeper ones get 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        """The decoded body, or ParseError naming the limit."""
        limit = settings.REQUEST_JSON_MAX_DEPTH
        too_deep = ParseError(f"JSON nested deeper than {limit} levels.")
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _depth(document) > limit:
            raise too_deep
        return document
