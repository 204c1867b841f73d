"""Every port the platform listens on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ports:
    """Every port the platform listens on (spec §1.2, §2.2)."""

    https: int = 443
    app: int = 8000
    blue_green_test: int = 8443
    postgres: int = 5432
    redis: int = 6379
    kafka_tls: int = 9094
    kafka_iam: int = 9098
