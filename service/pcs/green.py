"""Which concurrency the process runs on: gevent (the API) or plain threads (tests, Celery).

Code that must behave under both asks here (docs/decisions/service-server-model.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def gevent_active() -> bool:
    """True inside gunicorn's gevent worker (sockets are cooperative there)."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("socket"))


def native_thread_call(function: Callable[[], T]) -> T:
    """Run a call that blocks in C (librdkafka) without stalling every other request.

    Under gevent a blocking C call would freeze the event loop, so it goes to gevent's pool of
    real threads; elsewhere the caller's thread may block.
    """
    if gevent_active():
        from gevent import get_hub

        return get_hub().threadpool.apply(function)
    return function()
