"""Where a `make synth` spends its time: the breakdown issue 24 asked for, printed as a table.

Not a test. Each synth variant runs in a process of its own (one jsii runtime each) and reports
its app construction, synthesis and jsii traffic; the per-pack and validation-plugin figures are
differences between variants:

- ``full``: NIST 800-53 R5 and AwsSolutions, and CDK's built-in CloudFormation Validate plugin
- ``packs``: both packs, the plugin off (``CDK_VALIDATION=false``)
- ``nist`` / ``aws-solutions``: one pack, the plugin off
- ``bare``: no pack, the plugin off: construction, template writing and the app's own aspects

then cfn-lint, checkov and the evidence step with their caches off, and the cost model.

    .venv/bin/python scripts/profile_synth.py [--deployment prod]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from infra.gate.cache import CACHE_DIR_VARIABLE  # noqa: E402 (run from scripts/)

VARIANTS = ("full", "packs", "nist", "aws-solutions", "bare")


def _variant(name: str, deployment: str, outdir: Path) -> None:
    """Runs in the child: one synth of ``deployment`` as the variant asks; prints JSON."""
    import jsii._kernel.providers.process as process

    traffic = {"requests": 0}
    send = process._NodeProcess.send

    def counted(self, request, response_type):
        traffic["requests"] += 1
        return send(self, request, response_type)

    process._NodeProcess.send = counted
    started = time.monotonic()
    import aws_cdk  # the jsii runtime starts here

    imported = time.monotonic()
    from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks

    import infra.app
    from infra.config import load_config

    packs = {
        "full": (NIST80053R5Checks, AwsSolutionsChecks),
        "packs": (NIST80053R5Checks, AwsSolutionsChecks),
        "nist": (NIST80053R5Checks,),
        "aws-solutions": (AwsSolutionsChecks,),
        "bare": (),
    }[name]

    def register(app) -> None:
        if packs:
            aws_cdk.Validations.of(app).add_plugins(*(pack(app) for pack in packs))

    infra.app.register_compliance_packs = register
    app = infra.app.build_app(load_config(deployment, None), outdir=outdir)
    built = time.monotonic()
    requests_to_build = traffic["requests"]
    try:
        app.synth()
    except RuntimeError as error:
        if "ValidationFailed" not in str(error):
            raise
    print(
        json.dumps(
            {
                "import": imported - started,
                "build": built - imported,
                "synth": time.monotonic() - built,
                "requests": traffic["requests"],
                "build_requests": requests_to_build,
            }
        )
    )


def _run_variant(name: str, deployment: str, outdir: Path) -> dict:
    environment = {**os.environ, "CDK_VALIDATION": "true" if name == "full" else "false"}
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--variant",
            name,
            "--deployment",
            deployment,
            "--outdir",
            str(outdir),
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=REPO,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _scanners(outdir: Path) -> tuple[float, float]:
    """cfn-lint, then checkov, over every template of ``outdir`` with no cache: seconds each."""
    from infra.gate.cache import FindingsCache
    from infra.gate.checkov import start_scan
    from infra.gate.lint import lint_assembly

    manifest = json.loads((outdir / "manifest.json").read_text())["artifacts"]
    templates = {
        name: (artifact["environment"].rsplit("/", 1)[-1], outdir / f"{name}.template.json")
        for name, artifact in manifest.items()
        if artifact["type"] == "aws:cloudformation:stack"
    }
    started = time.monotonic()
    lint_assembly(templates, cache=FindingsCache("cfn-lint", None))
    linted = time.monotonic()
    start_scan(
        {n: path for n, (_, path) in templates.items()}, cache=FindingsCache("checkov", None)
    ).report()
    return linted - started, time.monotonic() - linted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployment", default="prod")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--outdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        _variant(args.variant, args.deployment, args.outdir)
        return
    work = Path(tempfile.mkdtemp())
    runs = {}
    for name in VARIANTS:
        runs[name] = _run_variant(name, args.deployment, work / name)
        print(f"{name}: {runs[name]}", flush=True)
    bare, packs = runs["bare"], runs["packs"]
    rows = [
        ("import aws_cdk (jsii runtime, aws-cdk-lib)", bare["import"]),
        (f"app construction ({bare['build_requests']:,} jsii requests)", bare["build"]),
        (
            f"synthesis without packs: aspects, template writing "
            f"({bare['requests'] - bare['build_requests']:,} jsii requests)",
            bare["synth"],
        ),
        ("cdk-nag NIST 800-53 R5", runs["nist"]["synth"] - bare["synth"]),
        ("cdk-nag AwsSolutions", runs["aws-solutions"]["synth"] - bare["synth"]),
        ("CloudFormation Validate plugin", runs["full"]["synth"] - packs["synth"]),
    ]
    cfn_lint, checkov = _scanners(work / "full")
    rows += [("cfn-lint, every template, no cache", cfn_lint), ("checkov, the same", checkov)]
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence",
            "--assembly",
            str(work / "full"),
            "--out",
            str(work / "evidence"),
        ],
        cwd=REPO,
        env={**os.environ, CACHE_DIR_VARIABLE: ""},
        check=True,
        capture_output=True,
    )
    rows.append(("evidence package, no cache (python -m evidence)", time.monotonic() - started))
    width = max(len(label) for label, _ in rows)
    print(f"\nwhere a {args.deployment} synth spends its time (load {os.getloadavg()[0]:.2f}):")
    for label, seconds in rows:
        print(f"  {label:<{width}}  {seconds:6.1f} s")


if __name__ == "__main__":
    main()
