"""Reading the environment the ECS task definitions inject, failing fast on anything missing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

import container_contract
from container_contract import Kind

# Variables the task definitions inject from Secrets Manager (the container contract's secrets).
# Log lines never carry their values (pcs.logging); any other variable named like a credential
# is treated alike.
SECRET_VARIABLES = frozenset(
    variable.name for variable in container_contract.VARIABLES if variable.kind is Kind.SECRET
)
SECRET_NAME_SUFFIXES = ("PASSWORD", "SECRET", "SECRET_KEY", "TOKEN", "AUTH_TOKEN", "PRIVATE_KEY")


def secret_variable_names(environ: Mapping[str, str] | None = None) -> list[str]:
    """The variables whose values are secret: the injected ones and any named like a credential."""
    source = os.environ if environ is None else environ
    return sorted(
        name
        for name in source
        if name in SECRET_VARIABLES or name.upper().endswith(SECRET_NAME_SUFFIXES)
    )


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


def env_int(
    name: str, *, default: int, low: int, high: int, environ: Mapping[str, str] | None = None
) -> int:
    """An optional integer variable within [low, high], or one line naming it and the range."""
    source = os.environ if environ is None else environ
    raw = source.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be an integer from {low} to {high}, not {raw!r}")
    return value


def env_list(value: str) -> list[str]:
    """Split a comma-separated variable into its non-empty items."""
    return [item.strip() for item in value.split(",") if item.strip()]


def redis_url_with_auth(url: str, auth_token: str) -> str:
    """Put the ElastiCache AUTH token into the Redis URL so every client authenticates."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f":{quote(auth_token, safe='')}@{netloc}"))
