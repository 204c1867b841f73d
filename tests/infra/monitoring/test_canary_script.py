"""The synthetic canary's script against a local site over real HTTP: it fails its run on any
answer but a page of documents, and sends the token it read, never printing it."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from infra.monitoring.synthetics.python import documents_canary
from infra.monitoring.synthetics.python.documents_canary import CanaryFailure, list_documents
from tests.infra.local_http import QuietHandler, serving

TOKEN = "pcs_" + "c" * 43


class FakeSite(QuietHandler):
    """The documents list of one tenant; ``status``/``body`` set what it answers."""

    status = 200
    body: object = {"count": 2, "results": [{"id": "a"}, {"id": "b"}]}
    seen: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            status, body = 401, {"detail": "not signed in"}
        else:
            status, body = self.status, self.body
        self.answer(status, body)


@pytest.fixture
def site() -> Iterator[tuple[str, type[FakeSite]]]:
    handler = type("Site", (FakeSite,), {"seen": []})
    with serving(handler) as url:
        yield url, handler


def test_a_signed_in_list_passes_the_run(site):
    url, handler = site
    assert list_documents(url, TOKEN) == 2
    assert handler.seen == [("/api/v1/documents/?limit=1", f"Bearer {TOKEN}")]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, {"detail": "server error"}, "answered 500, expected 200"),
        (502, b"<html>bad gateway</html>", "answered 502, expected 200"),
        (200, b"<html>sign in</html>", "not a page of documents"),
        (200, {"detail": "ok"}, "not a page of documents"),
    ],
)
def test_any_other_answer_fails_the_run(site, status, body, message):
    url, handler = site
    handler.status, handler.body = status, body
    with pytest.raises(CanaryFailure, match=message):
        list_documents(url, TOKEN)


def test_a_token_the_site_refuses_fails_the_run(site):
    url, _ = site
    with pytest.raises(CanaryFailure, match="answered 401"):
        list_documents(url, "pcs_" + "x" * 43)


def test_no_answer_fails_the_run():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSite)
    port = server.server_port
    server.server_close()  # nothing listens there any more
    with pytest.raises(CanaryFailure, match="no answer"):
        list_documents(f"http://127.0.0.1:{port}", TOKEN, timeout=2)


def test_the_handler_reads_the_named_secret_and_never_prints_the_token(site, monkeypatch, capsys):
    url, handler = site
    monkeypatch.setenv("SITE_URL", url)
    monkeypatch.setenv("TOKEN_SECRET", "pcs-prod/smoketesttoken")
    asked: list[str] = []

    def reader(secret_id: str) -> str:
        asked.append(secret_id)
        return TOKEN

    assert documents_canary.handler({}, None, token_reader=reader) == "listed"
    assert asked == ["pcs-prod/smoketesttoken"]
    handler.status = 500
    with pytest.raises(CanaryFailure) as failure:
        documents_canary.handler({}, None, token_reader=reader)
    assert TOKEN not in str(failure.value)
    assert TOKEN not in capsys.readouterr().out
