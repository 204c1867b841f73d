"""docs/cryptography.md's module table says what the evidence package says (SC-13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence.crypto import modules

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cryptography.md").read_text()
TABLE = DOC.split("## Cryptographic modules per service")[1].split("\n## ")[0]
ROWS = {
    cells[0]: cells
    for line in TABLE.splitlines()
    if line.startswith("| ") and not line.startswith("| ---")
    for cells in [[c.strip() for c in line.strip("|").split("|")]]
}


@pytest.mark.parametrize("module", modules(), ids=lambda m: m["service"])
def test_each_evidence_module_has_a_row_with_its_certificate_numbers(module):
    row = ROWS[module["service"]]
    for number in re.findall(r"#\d+", module["certificate"]):
        assert number in row[3], (module["service"], number)
    if not module["certificate"]:
        assert "none published" in row[3]


def test_the_table_lists_no_service_the_evidence_does_not():
    assert set(ROWS) - {"service"} == {m["service"] for m in modules()}
