"""``python -m evidence`` (see :mod:`evidence.cli`)."""

from evidence.cli import main

main()
