"""``python -m infra synth``: bad input gets one line naming the field, exit 2, nothing written."""

from __future__ import annotations

from click.testing import CliRunner

from infra.cli import cli


def test_unknown_deployment_exits_2_with_one_line_naming_the_allowed_values(tmp_path):
    out = str(tmp_path / "out")
    result = CliRunner().invoke(cli, ["synth", "--deployment", "qa", "--outdir", out])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "config error: deployment='qa' is not allowed; allowed: acme-prod, dev, prod, staging"
    ]
    assert not (tmp_path / "out").exists()


def test_unknown_tier_exits_2_with_one_line_naming_the_allowed_values(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "--tier", "huge", "--outdir", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "tier='huge' is not allowed; allowed: 10k, 100k, 1m" in result.output
    assert len(result.output.strip().splitlines()) == 1
