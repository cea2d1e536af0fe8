"""Pooled connections the server closed are discarded before use: no request fails on one."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx

from tests.api.helpers import make_project
from tests.conftest import Org


async def _terminate_pooled(server_url: str, application_name: str) -> int:
    """Terminate the service's pooled connections to this test database (as an admin would)."""
    conn = await asyncpg.connect("postgresql://" + server_url.split("://", 1)[1])
    try:
        killed = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = $1",
            application_name,
        )
    finally:
        await conn.close()
    await asyncio.sleep(0.2)  # the closed sockets reach the event loop
    return int(killed or 0)


async def test_reads_and_commands_after_their_pooled_connections_died_succeed(
    client: httpx.AsyncClient, org: Org, server_url: str
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}"
    for _ in range(3):  # pooled read connections exist
        assert (await client.get(url, headers=org.viewer)).status_code == 200
    assert await _terminate_pooled(server_url, "charter-read") > 0
    assert (await client.get(url, headers=org.viewer)).status_code == 200

    # A command whose connection was lost is not run again (it may have committed), so
    # this one succeeds only because the dead connection is discarded before use.
    assert await _terminate_pooled(server_url, "charter") > 0
    r = await client.patch(url, json={"name": "Renamed"}, headers=org.manager)
    assert r.status_code == 200, r.text
    query = {"query": f'{{ project(id: "{project["id"]}") {{ name }} }}'}
    assert await _terminate_pooled(server_url, "charter-read") > 0
    r = await client.post("/graphql", json=query, headers=org.viewer)
    assert r.json() == {"data": {"project": {"name": "Renamed"}}}


async def _kill_when_waiting(server_url: str, table: str, call: Any) -> httpx.Response:
    """Run ``call`` while ``table`` is locked; terminate its backend once it waits on the lock."""
    conn = await asyncpg.connect("postgresql://" + server_url.split("://", 1)[1])
    try:
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            pending = asyncio.create_task(call())
            for _ in range(100):
                # pg_stat_activity is a snapshot kept for the transaction: take a new one.
                await conn.execute("SELECT pg_stat_clear_snapshot()")
                killed = await conn.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                    "AND application_name LIKE 'charter%'"
                )
                if killed:
                    break
                await asyncio.sleep(0.05)
            assert killed, "the request never waited on the lock"
    finally:
        await conn.close()
    return await pending


async def test_a_read_whose_connection_dies_mid_statement_runs_again_a_command_does_not(
    client: httpx.AsyncClient, org: Org, server_url: str
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}"
    query = {"query": f'{{ project(id: "{project["id"]}") {{ name }} }}'}

    r = await _kill_when_waiting(
        server_url, "projects", lambda: client.get(url, headers=org.viewer)
    )
    assert r.status_code == 200, r.text
    r = await _kill_when_waiting(
        server_url, "projects", lambda: client.post("/graphql", json=query, headers=org.viewer)
    )
    assert r.json() == {"data": {"project": {"name": project["name"]}}}

    # The command may have committed when its connection died: 503, for the client to retry.
    r = await _kill_when_waiting(
        server_url,
        "projects",
        lambda: client.patch(url, json={"name": "Renamed"}, headers=org.manager),
    )
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "service_unavailable"
    assert r.headers["retry-after"] == "1"
    r = await client.patch(url, json={"name": "Renamed"}, headers=org.manager)
    assert r.status_code == 200, r.text
