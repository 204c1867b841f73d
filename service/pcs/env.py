"""Reading the environment the ECS task definitions inject, failing fast on anything missing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured


def env_require(
    names: Iterable[str], *, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return the named variables, or raise ONE one-line error naming every missing or empty one."""
    source = os.environ if environ is None else environ
    names = list(names)
    missing = [name for name in names if not source.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured("Missing required environment variables: " + ", ".join(missing))
    return {name: source[name].strip() for name in names}


def env_list(value: str) -> list[str]:
    """Split a comma-separated variable into its non-empty items."""
    return [item.strip() for item in value.split(",") if item.strip()]


def redis_url_with_auth(url: str, auth_token: str) -> str:
    """Put the ElastiCache AUTH token into the Redis URL so every client authenticates."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f":{quote(auth_token, safe='')}@{netloc}"))
