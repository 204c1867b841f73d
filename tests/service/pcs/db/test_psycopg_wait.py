"""Under the API's gevent worker psycopg waits through the hub: one wait lets others run."""

from __future__ import annotations

from tests.service.gevent_child import run_patched as run


def test_the_worker_installs_the_cooperative_wait() -> None:
    assert run("from psycopg import waiting; print(waiting.wait.__name__)") == (
        "psycopg_wait_cooperative"
    )


def test_eight_slow_queries_wait_together_and_pipelines_still_work() -> None:
    elapsed = run("""
def slow(i):
    with psycopg.connect(DSN) as conn:
        with conn.pipeline():
            conn.execute("SELECT 1")
            cursor = conn.execute("SELECT pg_sleep(0.5), %s::int", [i])
        assert cursor.fetchone()[1] == i
        assert len(conn.execute("SELECT repeat('x', 5000000)").fetchone()[0]) == 5000000

with psycopg.connect(DSN):  # the first connection's set-up is not what is measured
    pass
started = time.monotonic()
gevent.joinall([gevent.spawn(slow, i) for i in range(8)], raise_error=True)
print(time.monotonic() - started)
""")
    assert float(elapsed) < 2.0  # one after another: 4 s and more


def test_a_wait_with_a_timeout_gives_up_in_time() -> None:
    out = run("""
conn = psycopg.connect(DSN, autocommit=True)
conn.pgconn.send_query(b"SELECT pg_sleep(5)")
started = time.monotonic()
try:
    conn.wait(psycopg.generators.fetch_many(conn.pgconn), timeout=0.3)
except psycopg.errors._WaitTimeout:
    print(round(time.monotonic() - started, 1))
conn.close()
""")
    assert out == "0.3"
