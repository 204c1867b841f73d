"""Start-script preflight: load the settings, then refuse a database role that bypasses RLS.

`python -m pcs.preflight` exits 0 when the settings load and (where the settings require it:
every process but the migrate task) the database role is neither superuser nor BYPASSRLS on
any alias; otherwise 78 (EX_CONFIG) with a single line on stderr, so a task stops at once with
a readable reason. bin/api, bin/worker, bin/beat (and a bare `celery -A pcs ...`) run it.
"""

from __future__ import annotations

import sys

EX_CONFIG = 78


def main() -> int:
    """Import the configured settings module and check the role; report a failure in one line."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EX_CONFIG
    return _rls_role_check()


def _rls_role_check() -> int:
    from django.db import DatabaseError, connections

    from tenancy.checks import rls_role_check

    try:
        errors = rls_role_check(databases=list(connections.settings))
    except DatabaseError as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"configuration error: database role check failed: {first_line}", file=sys.stderr)
        return EX_CONFIG
    finally:
        connections.close_all()
    if errors:
        message = "; ".join(f"{error.id} {error.msg}" for error in errors)
        print(f"configuration error: {message}", file=sys.stderr)
        return EX_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
