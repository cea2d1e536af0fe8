"""Helpers for the live tests: `charter serve` processes on the test database, a WS client."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import SECRET

CHARTER = str(Path(sys.executable).parent / "charter")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(database_url: str, **env: str) -> Iterator[str]:
    """A `charter serve` process on ``database_url``; yields its base URL."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    environ.update(DATABASE_URL=database_url, CHARTER_JWT_SECRET=SECRET, **env)
    proc = subprocess.Popen(
        [CHARTER, "serve", "--port", str(port), "--no-access-log"],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError("charter serve did not become ready")
        yield url
    finally:
        proc.terminate()
        try:
            # Past CHARTER_SHUTDOWN_TIMEOUT_S (20 s) uvicorn stops waiting for open connections.
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Subscriber:
    """A graphql-transport-ws client: init with a token, subscribe, read messages."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(cls, base_url: str, token: str | None) -> Subscriber:
        ws = await connect(
            base_url.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"]
        )
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        return cls(ws)

    async def acked(self) -> None:
        message = await self.receive()
        assert message["type"] == "connection_ack", message

    async def subscribe(self, id: str, query: str, **variables: Any) -> None:
        await self.ws.send(
            json.dumps(
                {"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
            )
        )

    async def receive(self, within: float = 5.0) -> dict[str, Any]:
        return dict(json.loads(await asyncio.wait_for(self.ws.recv(), within)))

    async def events(self, n: int, within: float = 5.0) -> list[dict[str, Any]]:
        """The next ``n`` events of the subscriptions (``next`` messages' payload data)."""
        found = []
        while len(found) < n:
            message = await self.receive(within)
            assert message["type"] == "next", message
            data = message["payload"]["data"]
            found.append(next(iter(data.values())))
        return found

    async def close(self) -> None:
        await self.ws.close()


ORG_QUERY = """subscription($after: Int!) { organizationActivity(afterSeq: $after) {
    seq type org projectId subject { type id } changes } }"""
PROJECT_QUERY = """subscription($project: ID!, $after: Int!) {
    projectActivity(projectId: $project, afterSeq: $after) { seq type projectId } }"""
