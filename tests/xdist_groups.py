"""`--dist loadgroup` under pytest 9: the tests of one `xdist_group` run in one process.

pytest-xdist 3.8 tells its scheduler a test's group by renaming the test (`nodeid@group`), and
pytest 9 ignores the rename, so every group was split across the processes (each built the
session synths again). Here each worker writes the group of every test it collected to a file
before it reports its collection, and the controller's scheduler, which sees only test ids,
reads the groups from that file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

# Set by the controller before it starts the workers, who inherit it: where they write.
GROUPS_FILE = "PCS_TEST_XDIST_GROUPS"


def group_of(item: pytest.Item) -> str:
    """The test's `xdist_group`, or its module (whose module fixtures are then built once)."""
    marker = item.get_closest_marker("xdist_group")
    return str(marker.args[0]) if marker else item.nodeid.split("::")[0]


def write(worker: str, items: list[pytest.Item]) -> None:
    """In a worker: write each collected test's group where the controller will read it."""
    target = Path(os.environ[GROUPS_FILE])
    partial = target.with_name(f"{target.name}.{worker}")
    partial.write_text(json.dumps({item.nodeid: group_of(item) for item in items}))
    partial.replace(target)  # whole or absent: both workers write the same groups


class GroupScheduling(LoadScopeScheduling):
    """LoadScope's balancing, with a test's group as its scope."""

    def __init__(self, config: pytest.Config, log=None) -> None:
        super().__init__(config, log)
        self._groups: dict[str, str] | None = None

    def _split_scope(self, nodeid: str) -> str:
        if self._groups is None:  # first called once every worker has reported its collection
            self._groups = json.loads(Path(os.environ[GROUPS_FILE]).read_text())
        return self._groups[nodeid]
