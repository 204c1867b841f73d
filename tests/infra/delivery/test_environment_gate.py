"""The deploy workflow's gate: it refuses a prod environment without reviewers or a main-only
branch policy, reading GitHub's REST API (response shapes from GitHub's documentation)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from infra.delivery import environment_gate

GUARDED = {
    "name": "prod",
    "protection_rules": [
        {"id": 3, "type": "required_reviewers", "prevent_self_review": True,
         "reviewers": [{"type": "User", "reviewer": {"login": "octocat", "id": 1}}]},
        {"id": 4, "type": "branch_policy"},
    ],
    "deployment_branch_policy": {"protected_branches": False, "custom_branch_policies": True},
}  # fmt: skip
MAIN_ONLY = {"total_count": 1, "branch_policies": [{"id": 361, "name": "main", "type": "branch"}]}


def _fetch(environment: dict, policies: dict = MAIN_ONLY):
    responses = {
        "/repos/acme/pcs/environments/prod": environment,
        "/repos/acme/pcs/environments/prod/deployment-branch-policies": policies,
    }
    return lambda path: responses[path]


def _run(fetch, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/pcs")
    code = environment_gate.main(["--environment", "prod", "--branch", "main"], fetch=fetch)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_guarded_environment_passes(monkeypatch, capsys):
    code, output = _run(_fetch(GUARDED), monkeypatch, capsys)
    assert (code, output) == (
        0,
        "environment gate: prod requires reviewers and deploys only main\n",
    )


def _without_reviewers(environment: dict) -> dict:
    rules = [r for r in environment["protection_rules"] if r["type"] != "required_reviewers"]
    return {**environment, "protection_rules": rules}


@pytest.mark.parametrize(
    ("environment", "policies", "problem"),
    [
        (_without_reviewers(GUARDED), MAIN_ONLY, "prod: no required reviewers"),
        (
            {**GUARDED, "protection_rules": [{**GUARDED["protection_rules"][0], "reviewers": []}]},
            MAIN_ONLY,
            "prod: no required reviewers",
        ),
        (
            {
                **GUARDED,
                "protection_rules": [
                    {**GUARDED["protection_rules"][0], "prevent_self_review": False}
                ],
            },
            MAIN_ONLY,
            "prod: the releasing user may approve their own run",
        ),
        (
            {**GUARDED, "deployment_branch_policy": None},
            MAIN_ONLY,
            "prod: deployment branches are any, not only main",
        ),
        (
            {
                **GUARDED,
                "deployment_branch_policy": {
                    "protected_branches": True,
                    "custom_branch_policies": False,
                },
            },
            MAIN_ONLY,
            'prod: deployment branches are {"protected_branches": true, '
            '"custom_branch_policies": false}, not only main',
        ),
        (
            GUARDED,
            {"total_count": 1, "branch_policies": [{"name": "*", "type": "branch"}]},
            "prod: deployment branch policies [('branch', '*')], not only main",
        ),
        (
            GUARDED,
            {
                "total_count": 2,
                "branch_policies": [
                    {"name": "main", "type": "branch"},
                    {"name": "release/*", "type": "branch"},
                ],
            },
            "not only main",
        ),
        (
            GUARDED,
            {"total_count": 1, "branch_policies": [{"name": "main", "type": "tag"}]},
            "prod: deployment branch policies [('tag', 'main')], not only main",
        ),
    ],
    ids=[
        "no-reviewer-rule",
        "empty-reviewers",
        "self-review",
        "any-branch",
        "protected-branches",
        "wildcard-branch",
        "a-second-branch",
        "a-tag-named-main",
    ],
)
def test_an_unguarded_environment_is_refused_naming_what_it_lacks(
    environment, policies, problem, monkeypatch, capsys
):
    code, output = _run(_fetch(environment, policies), monkeypatch, capsys)
    assert code == 1
    assert output.startswith("environment gate: environment ")
    assert problem in output


def test_both_missing_protections_are_named(monkeypatch, capsys):
    environment = {**_without_reviewers(GUARDED), "deployment_branch_policy": None}
    code, output = _run(_fetch(environment), monkeypatch, capsys)
    assert code == 1
    assert output.splitlines() == [
        "environment gate: environment prod: no required reviewers",
        "environment gate: environment prod: deployment branches are any, not only main",
    ]


class _GitHub(BaseHTTPRequestHandler):
    """GitHub's environment endpoints for acme/pcs, answering only an authorized request."""

    seen: list[dict] = []

    def do_GET(self):
        self.seen.append({"path": self.path, "version": self.headers["X-GitHub-Api-Version"]})
        body = {
            "/repos/acme/pcs/environments/prod": GUARDED,
            "/repos/acme/pcs/environments/prod/deployment-branch-policies": MAIN_ONLY,
        }.get(self.path)
        if body is None or self.headers["Authorization"] != "Bearer t0ken":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def github():
    server = HTTPServer(("127.0.0.1", 0), _GitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _GitHub.seen = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_gate_reads_githubs_api_with_the_workflow_token(github, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_API_URL", github)
    monkeypatch.setenv("GH_TOKEN", "t0ken")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/pcs")
    assert environment_gate.main(["--environment", "prod", "--branch", "main"]) == 0
    assert [request["path"] for request in _GitHub.seen] == [
        "/repos/acme/pcs/environments/prod",
        "/repos/acme/pcs/environments/prod/deployment-branch-policies",
    ]
    assert {request["version"] for request in _GitHub.seen} == {"2022-11-28"}
    assert "t0ken" not in capsys.readouterr().out


def test_an_unreadable_environment_refuses_the_release_in_one_line(github, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_API_URL", github)
    monkeypatch.setenv("GH_TOKEN", "wrong")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/pcs")
    assert environment_gate.main(["--environment", "prod", "--branch", "main"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("environment gate: cannot read environment prod: HTTP Error 404")
