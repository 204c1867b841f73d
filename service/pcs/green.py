"""Which concurrency the process runs on: gevent (the API) or plain threads (tests, Celery).

Code that must behave under both asks here (docs/decisions/service-server-model.md).
"""

from __future__ import annotations

import select
import sys
from collections.abc import Callable, Generator
from contextlib import nullcontext
from functools import cache
from typing import Any, TypeVar

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
    """psycopg's `waiting.wait` for gevent: the kernel first, then one libev watcher per wait.

    psycopg's own choice under gevent is `wait_poll` through gevent's `select.poll`, which builds
    a poll object, a watcher and a timer (its interval) and goes round the hub for every wait,
    even for a socket that is ready: in pipeline mode psycopg waits for read-or-write before each
    command it sends, and a socket is nearly always writable. So readiness is asked of the kernel
    first (the unpatched poll, without waiting); only a socket that is not ready parks the
    greenlet, and the hub wakes it with the events that fired (psycopg's Wait and Ready flags are
    libev's READ and WRITE bits). `interval` only serves Ctrl-C in a blocking wait and is
    ignored; `timeout`, when psycopg gives one, is kept.
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
                ready = _ready_now(fileno, wanted)
                if not ready:
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


_READ, _WRITE = 1, 2  # psycopg's Wait/Ready flags, and libev's event bits
_POLL_MASK = {
    _READ: select.POLLIN,
    _WRITE: select.POLLOUT,
    _READ | _WRITE: select.POLLIN | select.POLLOUT,
}
_POLL_FAILED = select.POLLERR | select.POLLHUP | select.POLLNVAL


def _ready_now(fileno: int, wanted: int) -> int:
    """What the socket is ready for right now, without waiting (0: nothing); a failed socket
    counts as ready for everything, so that libpq reads the failure."""
    poll = _unpatched_poll()()
    poll.register(fileno, _POLL_MASK[wanted])
    events = poll.poll(0)
    if not events:
        return 0
    fired = events[0][1]
    if fired & _POLL_FAILED:
        return wanted
    return (_READ if fired & select.POLLIN else 0) | (_WRITE if fired & select.POLLOUT else 0)


@cache
def _unpatched_poll() -> Callable[[], Any]:
    from gevent.monkey import get_original

    return get_original("select", "poll")


def psycopg_cooperative_install() -> None:
    """Make psycopg wait through the gevent hub as above (the API's worker, once patched)."""
    from psycopg import waiting

    waiting.wait = psycopg_wait_cooperative
