"""Which concurrency the process runs on: gevent (the API) or plain threads (tests, Celery).

Code that must behave under both asks here (docs/decisions/service-server-model.md).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from collections.abc import Callable, Generator
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


def psycopg_wait_cooperative(
    gen: Generator[int, int, T], fileno: int, interval: float = 0.0, timeout: float | None = None
) -> T:
    """psycopg's `waiting.wait` for gevent: one libev watcher on the socket per wait.

    psycopg's own choice under gevent is `wait_poll` through gevent's `select.poll`, which builds
    a poll object, a watcher and a timer (its interval) for every wait: a quarter of a document
    list's CPU. Here the hub wakes the greenlet with the events that fired (psycopg's Wait and
    Ready flags are libev's READ and WRITE bits). `interval` only serves Ctrl-C in a blocking
    wait and is ignored; `timeout`, when psycopg gives one, is kept.
    """
    from gevent import Timeout, get_hub
    from gevent.hub import Waiter
    from psycopg.errors import _WaitTimeout

    hub = get_hub()
    try:
        wanted = next(gen)
        expiry = nullcontext() if timeout is None else Timeout(timeout, _WaitTimeout("timed out"))
        with expiry:
            while True:
                watcher = hub.loop.io(fileno, wanted)
                waiter = Waiter(hub)
                watcher.start(waiter.switch, pass_events=True)
                try:
                    ready = waiter.get()
                finally:
                    watcher.close()
                wanted = gen.send(ready)
    except StopIteration as done:
        return done.value


def psycopg_cooperative_install() -> None:
    """Make psycopg wait through the gevent hub as above (the API's worker, once patched)."""
    from psycopg import waiting

    waiting.wait = psycopg_wait_cooperative
