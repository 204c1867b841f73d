"""``python -m ops.cost``: the cost model's command line (see :mod:`ops.cost.cli`)."""

from ops.cost.cli import cli

cli()
