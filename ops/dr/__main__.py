"""``python -m ops.dr``: the DR runbook CLI."""

from ops.dr.cli import main

main()
