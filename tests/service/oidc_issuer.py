"""A test OpenID issuer: RSA keys this run generates, a JWKS served on a free local port, and
access tokens shaped like Amazon Cognito's (NOTES: iss, client_id, token_use, sub, username)."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

JWKS_PATH = "/.well-known/jwks.json"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TestIssuer:
    """Keys by kid, the subset published in the JWKS, and a count of JWKS fetches."""

    __test__ = False  # not a pytest test class

    def __init__(self, *, issuer: str, client_id: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []
        self.fetches = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def jwks_url(self) -> str:
        """Where the key set is served."""
        return f"http://127.0.0.1:{self._server.server_port}{JWKS_PATH}"

    def key_add(self, kid: str, *, publish: bool = True) -> str:
        """Generate an RSA key under `kid` (published in the JWKS unless told not to)."""
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.published.append(kid)
        return kid

    def jwks(self) -> dict[str, Any]:
        """The published public keys."""
        keys = []
        for kid in self.published:
            jwk = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
            keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": keys}

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """A valid access token's claims, with `overrides` (None removes a claim)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "client_id": self.client_id,
            "token_use": "access",
            "sub": str(uuid.uuid4()),
            "username": "someone",
            "scope": "openid",
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def token(self, *, kid: str | None = None, algorithm: str = "RS256", **claims: Any) -> str:
        """A signed access token (by default with the first published key)."""
        kid = kid or self.published[0]
        return jwt.encode(
            self.claims(**claims), self.keys[kid], algorithm=algorithm, headers={"kid": kid}
        )

    def unsigned_token(self, **claims: Any) -> str:
        """An `alg: none` token naming a published kid."""
        header = {"alg": "none", "typ": "JWT", "kid": self.published[0]}
        parts = (json.dumps(header).encode(), json.dumps(self.claims(**claims)).encode())
        return ".".join(_b64url(part) for part in parts) + "."

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.fetches += 1
                body = json.dumps(issuer.jwks()).encode()
                self.send_response(200 if self.path == JWKS_PATH else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                """Quiet: the test output stays readable."""

        return Handler
