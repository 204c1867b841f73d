"""gunicorn's logger with a lean access record: only the fields the JSON line carries.

gunicorn's own `access` builds a dict of every request header, response header and environ
variable, and copies it again to escape quotes, for each request: more CPU than answering
`/health`. pcs.logging.JsonFormatter reads the same atom names from this smaller dict.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from pcs.request_id import HEADER as REQUEST_ID_HEADER

_REQUEST_ID = REQUEST_ID_HEADER.lower()


class AccessLogger(Logger):
    """The API's gunicorn `logger_class` (pcs.gunicorn_conf)."""

    def access(self, resp: Any, req: Any, wsgi_env: dict, request_time: timedelta) -> None:
        """One `gunicorn.access` record: method, path, status, bytes, duration, peer, agent, id."""
        if not self.access_log_enabled or not self.access_log.isEnabledFor(logging.INFO):
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        request_id = next(
            (value for name, value in resp.headers if name.lower() == _REQUEST_ID), None
        )
        atoms = {
            "m": wsgi_env.get("REQUEST_METHOD"),
            "U": wsgi_env.get("PATH_INFO"),
            "s": status,
            "B": getattr(resp, "sent", None),
            "D": request_time.seconds * 1_000_000 + request_time.microseconds,
            "h": wsgi_env.get("REMOTE_ADDR", "-"),
            "a": wsgi_env.get("HTTP_USER_AGENT", "-"),
            "{x-request-id}o": request_id,
        }
        self.access_log.info("request", atoms)
