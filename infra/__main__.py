"""``python -m infra``: the platform's command line (see :mod:`infra.cli`)."""

from infra.cli import cli

cli()
