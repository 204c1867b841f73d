#!/usr/bin/env python
"""Django's command-line utility for the PCS service."""

import os
import sys


def main() -> None:
    """Run a Django management command with the developer's settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcs.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
