"""Credentials this process accepted a moment ago, remembered for CREDENTIAL_CACHE_SECONDS.

Authenticating reads the token with its member, user and organization (a joined query, the
largest single cost of a read), and an access token also costs an RS256 verification. An
accepted credential is remembered under the SHA-256 of its raw value for a few seconds, so a busy
client pays that once per window. What it costs (docs/decisions/service-credential-cache.md): a
revocation, a deactivation or a role change made elsewhere takes effect within
CREDENTIAL_CACHE_SECONDS on every task; the process that makes one forgets at once. A
credential's expiry is checked on every use, and refused credentials are never remembered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from django.conf import settings

from tenancy.models import Membership


@dataclass
class Remembered:
    """An accepted credential: who it stands for and until when it may be used."""

    membership: Membership
    method: str
    credential_id: str
    expires_at: datetime  # the credential's own expiry, checked on every use
    last_used_at: datetime | None  # API tokens: the stamp as this process last wrote or read it
    remembered_until: float  # monotonic()


class CredentialCache:
    """A bounded map from credential hash to Remembered; least recently used evicted first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Remembered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Remembered | None:
        """The entry, unless absent or older than CREDENTIAL_CACHE_SECONDS."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.remembered_until <= monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(
        self,
        key: str,
        *,
        membership: Membership,
        method: str,
        credential_id: str,
        expires_at: datetime,
        last_used_at: datetime | None = None,
    ) -> None:
        """Remember an accepted credential (nothing when the cache is configured off)."""
        seconds = settings.CREDENTIAL_CACHE_SECONDS
        if seconds <= 0:
            return
        entry = Remembered(
            membership, method, credential_id, expires_at, last_used_at, monotonic() + seconds
        )
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > settings.CREDENTIAL_CACHE_MAX_ENTRIES:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def forget(self, key: str) -> None:
        """Drop one credential (revoked in this process)."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop every credential (a member's role or state changed in this process)."""
        with self._lock:
            self._entries.clear()


credential_cache = CredentialCache()
