"""Benchmark warm `make synth`: the wall time of whole runs, min/median/max, and each step's.

Not a test. Runs `make synth` once on the slow path (the findings cache off: every template
scanned and evaluated in full), once to warm up (the cache filled), then --runs more times,
each with `taskset` over both cores when it exists, and prints per run the wall seconds and the
summary's steps, then min/median/max over the measured runs and the load average before and
after (other processes share the machine and inflate the figures). Each run's gate verdict,
findings and evidence status lines must equal the slow path's: a faster run that found
something else would not be the same gate.

    .venv/bin/python scripts/bench_synth.py [--runs 3] [--deployment prod]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from infra.gate.cache import CACHE_DIR_VARIABLE  # noqa: E402, I001 (run from scripts/)


# The lines that carry the gate's findings and the evidence's verdicts: they must not change
# between runs, nor between the slow path and the cached one.
FINDING_LINES = re.compile(
    r"^(cdk-nag|cfn-lint|checkov|gate)[ :]|^evidence: (control status|\d+ assets)"
)
STEPS = re.compile(r"^synth time: .*$", re.MULTILINE)


def synth_once(deployment: str, *, cached: bool = True) -> tuple[float, str]:
    """One `make synth`; its wall seconds and its output (exits if the gate failed)."""
    pin = ["taskset", "-c", "0,1"] if shutil.which("taskset") else []
    started = time.monotonic()
    run = subprocess.run(
        [*pin, "make", "synth", f"DEPLOYMENT={deployment}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ if cached else {**os.environ, CACHE_DIR_VARIABLE: ""},
    )
    seconds = time.monotonic() - started
    if run.returncode != 0:
        sys.exit(f"make synth exited {run.returncode}:\n{run.stderr[-3000:]}")
    return seconds, run.stdout


def finding_lines(output: str) -> str:
    """The summary's lines that state the gate's findings and verdict."""
    return "\n".join(line for line in output.splitlines() if FINDING_LINES.match(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deployment", default="prod")
    args = parser.parse_args()
    load_before = os.getloadavg()
    print("slow path (findings cache off) ...", flush=True)
    slow_seconds, slow = synth_once(args.deployment, cached=False)
    expected = finding_lines(slow)
    print(f"slow path: {slow_seconds:.1f} s wall; {STEPS.search(slow).group(0)}", flush=True)
    print("warm-up run ...", flush=True)
    _, warm = synth_once(args.deployment)
    if finding_lines(warm) != expected:
        sys.exit(f"the cached run's findings differ from the slow path's:\n{finding_lines(warm)}")
    walls = []
    for number in range(1, args.runs + 1):
        seconds, output = synth_once(args.deployment)
        found = finding_lines(output)
        if found != expected:
            sys.exit(f"run {number}: the gate's findings changed:\n{found}\n!=\n{expected}")
        walls.append(seconds)
        steps = STEPS.search(output)
        print(f"run {number}: {seconds:.1f} s wall; {steps.group(0) if steps else ''}", flush=True)
    print(
        f"make synth warm, {len(walls)} runs: min {min(walls):.1f} s, "
        f"median {statistics.median(walls):.1f} s, max {max(walls):.1f} s"
    )
    print("findings identical to the slow path's in every run:\n" + expected)
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
