"""The pinned AWS CDK CLI synthesizes offline, without credentials, what `make synth` writes.

`npx cdk synth --all` runs the app through cdk.json exactly as `cdk deploy` would; the prod
session synth (tests/conftest.py) is the `make synth` path. They must produce the same
templates, CDK metadata aside, and neither may ask for a context lookup.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CDK_INIT_TEMPLATES = ROOT / "node_modules" / "aws-cdk" / "lib" / "init-templates"
CDK_JSON = json.loads((ROOT / "cdk.json").read_text())
# Proxies that refuse every connection: anything the CLI or the app tried to fetch would fail.
NO_NETWORK = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}


def _offline_prefix() -> list[str]:
    """A network namespace with no interface but loopback, where this user may create one."""
    unshare = shutil.which("unshare")
    if os.geteuid() == 0 and unshare and subprocess.run([unshare, "-n", "true"]).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.fixture(scope="session")
def cli_synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cloud assembly `npx cdk synth --all` writes with no credentials and no network."""
    outdir = tmp_path_factory.mktemp("cdk-cli")
    home = tmp_path_factory.mktemp("home")  # no ~/.aws, no npm cache
    environment = {
        "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin",
        "HOME": str(home),
        "AWS_EC2_METADATA_DISABLED": "true",
        **NO_NETWORK,
    }
    result = subprocess.run(
        [*_offline_prefix(), "npx", "cdk", "synth", "--all", "--output", str(outdir)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return outdir


def _templates(outdir: Path) -> dict[str, dict]:
    return {
        path.name: _without_cdk_metadata(json.loads(path.read_text()))
        for path in outdir.glob("*.template.json")
    }


def _without_cdk_metadata(template: dict) -> dict:
    """The template less what only describes the CDK: paths, asset metadata, version reporting."""
    resources = template.get("Resources", {})
    resources.pop("CDKMetadata", None)
    for resource in resources.values():
        resource.pop("Metadata", None)
    conditions = template.get("Conditions", {})
    conditions.pop("CDKMetadataAvailable", None)
    if "Conditions" in template and not conditions:
        del template["Conditions"]
    return template


def test_the_cli_writes_the_same_templates_as_make_synth(cli_synth, prod):
    made = _templates(prod.outdir)
    assert len(made) == len(prod.stacks)
    assert _templates(cli_synth) == made


@pytest.mark.parametrize("kind", ["cli", "make"])
def test_no_context_lookup_is_recorded(request, cli_synth, prod, kind):
    outdir = cli_synth if kind == "cli" else prod.outdir
    assert "missing" not in json.loads((outdir / "manifest.json").read_text())
    assert not (ROOT / "cdk.context.json").exists()


def test_the_cli_is_pinned_by_the_lock_file():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = package["devDependencies"]["aws-cdk"]
    assert pinned[0].isdigit()  # an exact version, no range
    assert lock["packages"]["node_modules/aws-cdk"]["version"] == pinned
    installed = json.loads((ROOT / "node_modules" / "aws-cdk" / "package.json").read_text())
    assert installed["version"] == pinned


def test_cdk_json_runs_the_venvs_app_with_telemetry_and_version_reporting_off():
    assert CDK_JSON["app"].endswith(".venv/bin/python -m infra.app")
    assert CDK_JSON["versionReporting"] is False
    assert CDK_JSON["context"]["cli-telemetry"] is False


def test_cross_stack_references_are_strong_and_partition_literals_off():
    context = CDK_JSON["context"]
    assert context["@aws-cdk/core:defaultCrossStackReferences"] == "strong"
    assert context["@aws-cdk/core:enablePartitionLiterals"] is False


def test_every_flag_the_pinned_cli_recommends_is_set_and_each_one_off_is_recorded():
    recommended = json.loads((CDK_INIT_TEMPLATES / ".recommended-feature-flags.json").read_text())
    context = CDK_JSON["context"]
    assert set(recommended) <= set(context)
    differing = {flag for flag, value in recommended.items() if context[flag] != value}
    decision = (ROOT / "docs/decisions/cdk-cli-and-feature-flags.md").read_text()
    assert differing == {
        "@aws-cdk/core:enablePartitionLiterals",
        "@aws-cdk/core:defaultCrossStackReferences",
    }
    for flag in differing:
        assert f"`{flag}`" in decision
