"""Limits that live in the HTTP server, through a real `charter serve` (both parsers):
request heads over 16 KiB get a 431 without being read whole, no `server` header, and HEAD
and 304 answers framed right."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from app.api.auth import issue_token
from tests.integration.test_serve import CHARTER, _free_port, _up, _wait


@pytest.fixture(scope="module", params=["httptools", "h11"])
def served(request: pytest.FixtureRequest, server_url: str) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    env["DATABASE_URL"] = server_url
    env["CHARTER_JWT_SECRET"] = "s" * 40
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [CHARTER, "serve", "--port", str(port), "--no-access-log", "--http", request.param],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait(lambda: _up(url), 90), "the service did not become ready"
        yield f"127.0.0.1:{port}"
    finally:
        serve.terminate()
        serve.wait(30)


def _raw(address: str, head: bytes, *, chunk: int = 65536) -> tuple[bytes, float]:
    """Send ``head`` in chunks (stopping when the server closes) and read the answer."""
    host, port = address.split(":")
    began = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as s:
        try:
            for i in range(0, len(head), chunk):
                s.sendall(head[i : i + chunk])
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while part := s.recv(65536):
                answer += part
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, time.monotonic() - began


def _request(header_bytes: int) -> bytes:
    return (
        b"GET /api/v1/projects HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Authorization: Bearer " + b"a" * header_bytes + b"\r\n\r\n"
    )


def test_a_request_head_over_16_kib_is_a_431(served: str) -> None:
    answer, _ = _raw(served, _request(17 * 1024))
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert b"request_header_fields_too_large" in answer


def test_a_50_mb_header_is_refused_without_being_read_whole(served: str) -> None:
    answer, seconds = _raw(served, _request(50 * 1024 * 1024))
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert seconds < 5  # the connection is closed after 16 KiB, not after 50 MB


def test_heads_under_the_limit_pass_and_keep_alive_requests_are_counted_apart(
    served: str,
) -> None:
    answer, _ = _raw(served, _request(12 * 1024))
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    with httpx.Client(base_url=f"http://{served}") as client:  # one connection, many heads
        for _ in range(3):
            r = client.get("/healthz", headers={"X-Pad": "p" * 10_000})
            assert r.status_code == 200
            assert "server" not in r.headers


def test_head_and_304_keep_the_connection_framed(served: str) -> None:
    """HEAD and 304 answers carry no body through either parser, and the next request on
    the same keep-alive connection is read and answered correctly (HttpSemantics)."""
    token = issue_token(
        "s" * 40,
        org="serve-http",
        sub="s",
        roles=["admin"],
        issuer="charter",
        audience="charter-api",
    )
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"http://{served}", headers=auth, timeout=10) as client:
        made = client.post("/api/v1/people", json={"name": "P", "email": f"{served}@example.com"})
        assert made.status_code == 201, made.text
        url = f"/api/v1/people/{made.json()['id']}"
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers["etag"] == get.headers["etag"] == '"1"'
        cached = client.get(url, headers={"If-None-Match": '"1"'})
        assert cached.status_code == 304 and cached.content == b""
        again = client.get(url)  # the same connection, still in step
        assert again.status_code == 200 and again.json() == get.json()
