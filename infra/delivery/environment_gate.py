"""The deploy workflow's refusal to release through an unguarded environment (CM-5, AC-5).

The two-person rule lives in GitHub: environment ``prod`` has required reviewers and accepts
deployments only from ``main``. Before any job asks for an OIDC token, the workflow's ``gate``
job runs this module with the workflow's read-only token; it reads the environment through
GitHub's REST API and exits 1, with one line per missing protection, unless:

- a ``required_reviewers`` rule names at least one reviewer and prevents self-review;
- the deployment branch policy is custom (not "protected branches") and lists exactly the
  release branch.

Standard library only: it runs on the bare runner, before anything is installed.

Usage: ``python3 -m infra.delivery.environment_gate --environment prod --branch main``
(``GITHUB_REPOSITORY``, ``GITHUB_API_URL`` and ``GH_TOKEN`` from the workflow). Exit codes: 0
guarded, 1 not guarded, 2 the API could not be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

API_TIMEOUT_SECONDS = 15
API_VERSION = "2022-11-28"

Fetch = Callable[[str], Any]


def problems(
    environment: dict[str, Any], branch_policies: dict[str, Any], *, branch: str
) -> list[str]:
    """What the environment lacks to guard a release from ``branch``; empty when guarded."""
    name = environment.get("name", "?")
    found = []
    rules = {rule.get("type"): rule for rule in environment.get("protection_rules") or []}
    reviewers = rules.get("required_reviewers")
    if reviewers is None or not reviewers.get("reviewers"):
        found.append(f"environment {name}: no required reviewers")
    elif reviewers.get("prevent_self_review") is not True:
        found.append(f"environment {name}: the releasing user may approve their own run")
    policy = environment.get("deployment_branch_policy") or {}
    if policy != {"protected_branches": False, "custom_branch_policies": True}:
        found.append(
            f"environment {name}: deployment branches are {json.dumps(policy) if policy else 'any'}"
            f", not only {branch}"
        )
    else:
        names = sorted(
            (p.get("type", "branch"), p.get("name"))
            for p in branch_policies.get("branch_policies") or []
        )
        if names != [("branch", branch)]:
            found.append(
                f"environment {name}: deployment branch policies {names}, not only {branch}"
            )
    return found


def github_fetch(api_url: str, token: str) -> Fetch:
    """A GET of GitHub's REST API with ``token``, answering parsed JSON (one timeout per call)."""

    def fetch(path: str) -> Any:
        request = urllib.request.Request(
            f"{api_url}{path}",
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": API_VERSION,
            },
        )
        with urllib.request.urlopen(request, timeout=API_TIMEOUT_SECONDS) as response:
            return json.load(response)

    return fetch


def check(fetch: Fetch, *, repository: str, environment: str, branch: str) -> list[str]:
    """Read ``environment`` of ``repository`` and its branch policies; what it lacks."""
    base = f"/repos/{repository}/environments/{environment}"
    settings = fetch(base)
    policies: dict[str, Any] = {}
    if (settings.get("deployment_branch_policy") or {}).get("custom_branch_policies"):
        policies = fetch(f"{base}/deployment-branch-policies")
    return problems(settings, policies, branch=branch)


def main(argv: list[str] | None = None, *, fetch: Fetch | None = None) -> int:
    """The command line; see the module docstring for the exit codes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--environment", required=True, help="The GitHub environment (prod).")
    parser.add_argument("--branch", required=True, help="The only branch it may deploy (main).")
    args = parser.parse_args(argv)
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if fetch is None:
        api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com")
        fetch = github_fetch(api_url, os.environ.get("GH_TOKEN", ""))
    try:
        found = check(
            fetch, repository=repository, environment=args.environment, branch=args.branch
        )
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        print(
            f"environment gate: cannot read environment {args.environment}: {error}",
            file=sys.stderr,
        )
        return 2
    for problem in found:
        print(f"environment gate: {problem}", file=sys.stderr)
    if not found:
        guarded = f"{args.environment} requires reviewers and deploys only {args.branch}"
        print(f"environment gate: {guarded}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
