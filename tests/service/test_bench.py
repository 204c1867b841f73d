"""make bench-service measures the API as production runs it (issue 22: it used to drop the
access lines with `--access-logfile /dev/null`, which production does not)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_service", REPO / "scripts/bench_service.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_service"] = bench  # its dataclass looks its module up
_spec.loader.exec_module(bench)


def test_the_bench_starts_the_api_with_its_production_start_script_and_nothing_else() -> None:
    assert bench.server_command() == ["taskset", "-c", "0", str(REPO / "service/bin/api")]
    start = (REPO / "service/bin/api").read_text()
    assert start.splitlines()[-1] == (
        'exec gunicorn --config python:pcs.gunicorn_conf "${tls[@]}" pcs.wsgi:application'
    )


def test_the_server_gets_the_api_tasks_settings_and_none_of_its_own(monkeypatch) -> None:
    monkeypatch.setitem(bench.ENV, "LOG_LEVEL", "WARNING")  # a developer's shell
    monkeypatch.setitem(bench.ENV, "GUNICORN_WORKERS", "4")
    environment = bench.server_environment(8443)
    assert (environment["SERVE_TLS"], environment["PORT"]) == ("true", "8443")
    assert {"LOG_LEVEL", "GUNICORN_WORKERS", "GUNICORN_WORKER_CONNECTIONS"}.isdisjoint(environment)


def test_the_script_names_no_gunicorn_option_of_its_own() -> None:
    source = (REPO / "scripts/bench_service.py").read_text()
    assert re.findall(r"--(?:access-logfile|workers|bind|log-level|config)\b", source) == []
