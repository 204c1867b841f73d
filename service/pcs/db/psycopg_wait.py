"""psycopg's waits under the API's gevent worker (docs/decisions/service-psycopg-gevent-wait.md).

Imported only by the worker class, which runs monkey-patched: gevent is loaded here at import.
"""

from __future__ import annotations

import select
from collections.abc import Generator
from contextlib import nullcontext
from typing import TypeVar

from gevent import Timeout, get_hub
from gevent.hub import Waiter
from gevent.monkey import get_original
from psycopg import waiting
from psycopg.errors import _WaitTimeout

T = TypeVar("T")

# psycopg's Wait and Ready flags are libev's event bits: READ 1, WRITE 2.
_POLL_MASK = {
    waiting.Wait.R: select.POLLIN,
    waiting.Wait.W: select.POLLOUT,
    waiting.Wait.RW: select.POLLIN | select.POLLOUT,
}
_POLL_FAILED = select.POLLERR | select.POLLHUP | select.POLLNVAL
# The kernel's poll, whether or not `select` is patched yet.
_kernel_poll = get_original("select", "poll")


def psycopg_wait_cooperative(
    gen: Generator[int, int, T], fileno: int, interval: float = 0.0, timeout: float | None = None
) -> T:
    """psycopg's `waiting.wait` for gevent: the kernel first, then one libev watcher per wait.

    psycopg's own choice under gevent is `wait_poll` through gevent's `select.poll`, which builds
    a poll object, a watcher and a timer (its interval) and goes round the hub for every wait,
    even for a socket that is ready: in pipeline mode psycopg waits for read-or-write before each
    command it sends, and a socket is nearly always writable. So readiness is asked of the kernel
    first (the unpatched poll, without waiting); only a socket that is not ready parks the
    greenlet, and the hub wakes it with the events that fired. `interval` only serves Ctrl-C in
    a blocking wait and is ignored; `timeout`, when psycopg gives one, is kept.
    """
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


def _ready_now(fileno: int, wanted: int) -> int:
    """What the socket is ready for right now, without waiting (0: nothing); a failed socket
    counts as ready for everything, so that libpq reads the failure."""
    poll = _kernel_poll()
    poll.register(fileno, _POLL_MASK[wanted])
    events = poll.poll(0)
    if not events:
        return 0
    fired = events[0][1]
    if fired & _POLL_FAILED:
        return wanted
    ready = waiting.Ready.R if fired & select.POLLIN else 0
    return ready | (waiting.Ready.W if fired & select.POLLOUT else 0)


def psycopg_cooperative_install() -> None:
    """Make psycopg wait through the gevent hub as above (the API's worker, once patched)."""
    waiting.wait = psycopg_wait_cooperative
