"""Every private API the service touches, each checked for the shape the service relies on.

An upgrade of psycopg, Django, gunicorn or Python that moves or reshapes one fails here, by
name, instead of in production. A new use of a private name anywhere in service/ fails the
completeness test until it is listed (and checked) below.
"""

from __future__ import annotations

import ast
import inspect
import os
from collections.abc import Callable
from pathlib import Path

import gunicorn.util
import gunicorn.workers.base
import psycopg.errors
import psycopg.waiting
from django.db.backends.base.base import BaseDatabaseWrapper

SERVICE = Path(__file__).resolve().parents[2] / "service"
FIRST_PARTY = {path.name for path in SERVICE.iterdir() if (path / "__init__.py").exists()}


def _wait_timeout() -> None:
    # Raised into psycopg's wait generator when its own timeout passes (pcs.db.psycopg_wait).
    assert issubclass(psycopg.errors._WaitTimeout, Exception)


def _waiting_wait() -> None:
    # Replaced by the gevent wait, which must accept what psycopg passes it.
    params = list(inspect.signature(psycopg.waiting.wait).parameters)
    assert params == ["gen", "fileno", "interval", "timeout"]


def _commit_rollback() -> None:
    # Wrapped with the client deadline (pcs.db.deadline): the public methods must call them.
    for public, private in (("commit", "_commit"), ("rollback", "_rollback")):
        assert callable(getattr(BaseDatabaseWrapper, private))
        assert f"self.{private}()" in inspect.getsource(getattr(BaseDatabaseWrapper, public))


def _environ_data() -> None:
    # Read by pcs.logging for the environment's names without decoding each.
    assert isinstance(os.environ._data, dict)
    assert len(os.environ._data) == len(os.environ)


def _write_error() -> None:
    # Replaced by pcs.gunicorn_worker's JSON errors: gunicorn must still call it by that name.
    assert list(inspect.signature(gunicorn.util.write_error).parameters) == [
        "sock",
        "status_int",
        "reason",
        "mesg",
    ]
    assert "util.write_error(" in inspect.getsource(gunicorn.workers.base)


# (module, private name) -> its check.
PRIVATE_APIS: dict[tuple[str, str], Callable[[], None]] = {
    ("psycopg.errors", "_WaitTimeout"): _wait_timeout,
    ("psycopg.waiting", "wait"): _waiting_wait,  # public name, but replaced: a private use
    ("django.db.backends.base.base.BaseDatabaseWrapper", "_commit"): _commit_rollback,
    ("django.db.backends.base.base.BaseDatabaseWrapper", "_rollback"): _commit_rollback,
    ("os.environ", "_data"): _environ_data,
    ("gunicorn.util", "write_error"): _write_error,  # public name, but replaced
}


def test_every_private_api_still_has_the_shape_the_service_relies_on() -> None:
    failures = []
    for (module, name), check in PRIVATE_APIS.items():
        try:
            check()
        except (AssertionError, AttributeError, TypeError, OSError) as exc:
            failures.append(f"{module}.{name}: {type(exc).__name__} {exc}")
    assert failures == []


def _uses(path: Path) -> set[tuple[str, str]]:
    """Private names of other packages that `path` reads or sets, and attributes it replaces."""
    tree = ast.parse(path.read_text())
    modules: dict[str, str] = {}  # local name -> module
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {
                (a.asname or a.name).split(".")[0]: a.name.split(".")[0] for a in node.names
            }
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                if alias.name.startswith("_"):
                    found.add((node.module, alias.name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = ast.unparse(node.value)
            root = base.split(".")[0]
            module = modules.get(root)
            if module is None or module.split(".")[0] in FIRST_PARTY:
                continue
            qualified = module + base[len(root) :]
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if private or isinstance(node.ctx, ast.Store):  # read a private, or replace any
                found.add((qualified, node.attr))
        elif (
            isinstance(node, ast.Call) and ast.unparse(node.func) in ("getattr", "setattr")
        ) or isinstance(node, ast.For):
            # Private methods reached by name (the deadline wraps `_commit` and `_rollback`).
            for constant in ast.walk(node):
                if isinstance(constant, ast.Constant) and str(constant.value).startswith("_"):
                    found.add((_BY_NAME, constant.value))
    return found


_BY_NAME = "django.db.backends.base.base.BaseDatabaseWrapper"
# Module switches the standard library documents for setting (the logging HOWTO's
# "Optimization"): assigned, but public.
DOCUMENTED_SWITCHES = {
    ("logging", "logThreads"),
    ("logging", "logProcesses"),
    ("logging", "logMultiprocessing"),
}


def test_the_list_names_every_private_api_in_the_service() -> None:
    used = set().union(*(_uses(path) for path in SERVICE.rglob("*.py")))
    assert used - DOCUMENTED_SWITCHES == set(PRIVATE_APIS)
