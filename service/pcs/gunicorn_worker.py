"""gunicorn's gevent worker, answering its own errors (400, 414, 431, ...) in JSON.

Like every other API error, instead of gunicorn's HTML page.
"""

from __future__ import annotations

import json
from typing import Any

import gevent
from gunicorn import util
from gunicorn.workers.ggevent import GeventWorker

from pcs.db.psycopg_wait import psycopg_cooperative_install


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `util.write_error`, answering `{"detail": reason}` (never echoing input)."""
    body = json.dumps({"detail": f"{reason}."}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)


# gunicorn's base worker calls util.write_error for every request it rejects before the app
# sees it; this module is loaded only as the worker class.
util.write_error = write_json_error


class JsonErrorGeventWorker(GeventWorker):
    """The API's worker class (pcs.gunicorn_conf)."""

    def patch(self) -> None:
        """gevent's monkey-patching, then psycopg's waits through the hub (pcs.db.psycopg_wait)."""
        super().patch()
        psycopg_cooperative_install()

    def handle_request(self, listener_name: str, req: Any, sock: Any, addr: Any) -> bool:
        """Serve one request, then let every other ready connection run before the next.

        A keep-alive client whose next request is already buffered is read without blocking,
        so without the yield its greenlet keeps the worker while the other connections wait
        (measured: p50 0.35 ms, p99 500 ms on /health with 8 connections).
        """
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            gevent.sleep(0)
