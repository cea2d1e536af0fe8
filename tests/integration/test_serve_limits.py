"""Limits that live in the HTTP server, through a real `charter serve` (both parsers):
request heads over 16 KiB get a 431 without being read whole, and no `server` header."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

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
