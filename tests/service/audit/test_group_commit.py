"""Records of concurrent requests share one transaction, and nobody returns before theirs is in."""

from __future__ import annotations

import threading

from audit.group_commit import GroupCommit, NotStored


class SlowStore:
    """A store_batch whose first batch waits until the test lets it finish."""

    def __init__(self, *, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def __call__(self, items: list[int]) -> None:
        if not self.batches:
            self.first_started.set()
            assert self.release.wait(10)
        self.batches.append(items)
        if self.fail:
            raise ConnectionError("writer gone")


def submit_all(group: GroupCommit[int], items: range) -> tuple[list[threading.Thread], dict]:
    outcome: dict[int, object] = {}

    def submit(item: int) -> None:
        try:
            group.submit(item)
            outcome[item] = "stored"
        except Exception as exc:
            outcome[item] = type(exc)

    threads = [threading.Thread(target=submit, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    return threads, outcome


def test_callers_arriving_during_a_write_are_stored_together_and_wait_for_it() -> None:
    store = SlowStore()
    group = GroupCommit(store)
    first, outcome = submit_all(group, range(1))
    assert store.first_started.wait(10)
    rest, more = submit_all(group, range(1, 5))
    while len(group._queue) < 4:  # all four queued behind the first write
        threading.Event().wait(0.01)
    assert outcome == {} and more == {}  # nobody returned before their record is stored
    store.release.set()
    for thread in first + rest:
        thread.join(10)
    assert store.batches == [[0], [1, 2, 3, 4]]
    assert outcome | more == dict.fromkeys(range(5), "stored")


def test_a_failed_batch_fails_every_caller_in_it() -> None:
    store = SlowStore(fail=True)
    group = GroupCommit(store)
    first, outcome = submit_all(group, range(1))
    assert store.first_started.wait(10)
    rest, more = submit_all(group, range(1, 3))
    while len(group._queue) < 2:
        threading.Event().wait(0.01)
    store.release.set()
    for thread in first + rest:
        thread.join(10)
    assert outcome == {0: ConnectionError}
    # the caller that wrote the second batch sees the error itself, the other NotStored
    assert sorted(kind.__name__ for kind in more.values()) == ["ConnectionError", "NotStored"]


def test_a_lone_caller_writes_a_batch_of_one() -> None:
    batches: list[list[str]] = []
    group = GroupCommit(batches.append)
    group.submit("a")
    group.submit("b")
    assert batches == [["a"], ["b"]]


def test_not_stored_is_a_database_error_the_api_answers_with_503() -> None:
    from pcs.api_errors import DEPENDENCY_UNAVAILABLE

    assert issubclass(NotStored, DEPENDENCY_UNAVAILABLE)
