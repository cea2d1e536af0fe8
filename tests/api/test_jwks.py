"""RS256 through a JWKS URL: keys fetched, cached, refetched on an unknown kid (throttled)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from app.api.auth import Authenticator, JwtSettings
from app.config import Settings
from app.main import create_app
from tests.api.helpers import assert_problem
from tests.conftest import AUDIENCE, ISSUER


class JwksServer:
    """A loopback identity provider publishing a JWKS document and counting fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.fetches += 1
                body = json.dumps({"keys": [
                    {**json.loads(RSAAlgorithm.to_jwk(k.public_key())), "kid": kid, "use": "sig", "alg": "RS256"}
                    for kid, k in owner.keys.items()
                ]}).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"

    def add_key(self, kid: str) -> Any:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.keys[kid]


@pytest.fixture
def idp() -> Iterator[JwksServer]:
    server = JwksServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _token(key: Any, kid: str, org: str = "org-jwks") -> str:
    claims = {
        "sub": "svc",
        "org": org,
        "roles": ["viewer"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": int(time.time()) + 60,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


async def test_keys_come_from_the_jwks_url_and_rotation_is_picked_up(
    idp: JwksServer, settings: Settings, engine: Any
) -> None:
    first = idp.add_key("k1")
    app = create_app(
        settings.model_copy(update={"jwt_secret": None, "jwt_jwks_url": idp.url}), engine=engine
    )
    jwt_settings: JwtSettings = app.state.services.authenticator.settings
    app.state.services.authenticator = Authenticator(jwt_settings, jwks_min_refresh_seconds=0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        for _ in range(3):
            r = await c.get(
                "/api/v1/projects", headers={"Authorization": f"Bearer {_token(first, 'k1')}"}
            )
            assert r.status_code == 200, r.text
        assert idp.fetches == 1  # cached after the first fetch

        rotated = idp.add_key("k2")  # the provider rotates: a new kid appears
        r = await c.get(
            "/api/v1/projects", headers={"Authorization": f"Bearer {_token(rotated, 'k2')}"}
        )
        assert r.status_code == 200, r.text

        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = _token(stranger, "k1")  # a known kid, signed by someone else
        assert_problem(
            await c.get("/api/v1/projects", headers={"Authorization": f"Bearer {forged}"}),
            401,
            "unauthenticated",
        )
        unknown = _token(stranger, "nope")
        assert_problem(
            await c.get("/api/v1/projects", headers={"Authorization": f"Bearer {unknown}"}),
            401,
            "unauthenticated",
        )


async def test_unknown_kids_do_not_hammer_the_identity_provider(
    idp: JwksServer, settings: Settings, engine: Any
) -> None:
    key = idp.add_key("k1")
    app = create_app(
        settings.model_copy(update={"jwt_secret": None, "jwt_jwks_url": idp.url}), engine=engine
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (
            await c.get(
                "/api/v1/projects", headers={"Authorization": f"Bearer {_token(key, 'k1')}"}
            )
        ).status_code == 200
        for i in range(10):
            r = await c.get(
                "/api/v1/projects",
                headers={"Authorization": f"Bearer {_token(key, f'unknown-{i}')}"},
            )
            assert r.status_code == 401
        assert idp.fetches <= 2  # one initial fetch, at most one refetch inside the 30 s window
