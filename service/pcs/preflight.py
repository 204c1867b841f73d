"""Start-script preflight: load the settings or exit with one line naming what is missing.

`python -m pcs.preflight` exits 0 when the settings load, 78 (EX_CONFIG) with a single line on
stderr otherwise, so a task with a missing variable stops at once with a readable reason.
"""

from __future__ import annotations

import sys

EX_CONFIG = 78


def main() -> int:
    """Import the configured settings module; report a configuration error in one line."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EX_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
