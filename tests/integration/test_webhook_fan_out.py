"""Fan-out: the webhook workers queue deliveries from the event table, after the commit.

No trigger runs in the command (migration 0011); a worker turns the events after each
endpoint's ``through_seq`` into deliveries. These tests call the worker's ``fan_out``
directly (the in-process app starts no worker) and read the delivery log.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.webhook_worker import WebhookWorker
from tests.conftest import Org
from tests.integration.test_live_subscriptions import _writes

URL = "/api/v1/webhooks/endpoints"


async def _endpoint(client: httpx.AsyncClient, org: Org, types: list[str]) -> str:
    r = await client.post(
        URL, json={"url": "https://example.com/hook", "event_types": types}, headers=org.admin
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _queued(engine: AsyncEngine, endpoint_id: str) -> list[tuple[int, str]]:
    """(seq, type) of the deliveries queued for an endpoint, by seq."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT a.seq, d.event_type FROM webhook_deliveries AS d"
                " JOIN project_activity AS a ON a.org_id = d.org_id AND a.id = d.event_id"
                " WHERE d.endpoint_id = CAST(:e AS uuid) ORDER BY a.seq"
            ),
            {"e": endpoint_id},
        )
        return [(int(r.seq), str(r.event_type)) for r in rows]


async def _feed(client: httpx.AsyncClient, org: Org) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/activity?limit=100", headers=org.viewer)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def test_each_committed_event_is_queued_once_per_endpoint_that_wants_it(
    client: httpx.AsyncClient, engine: AsyncEngine, org: Org
) -> None:
    everything = await _endpoint(client, org, [])
    created_only = await _endpoint(client, org, ["project.created"])
    await _writes(client, org)
    await _writes(client, org)
    # Nothing is queued by the commands themselves any more...
    assert await _queued(engine, everything) == []
    # ...and two workers racing queue each event once (the endpoint rows are claimed).
    workers = [WebhookWorker(engine, allow_private=True, fan_out_events=3) for _ in range(2)]
    for _ in range(10):
        await asyncio.gather(*(w.fan_out() for w in workers))
    feed = await _feed(client, org)
    assert len(feed) == 8
    assert await _queued(engine, everything) == [(e["seq"], e["type"]) for e in feed]
    assert await _queued(engine, created_only) == [
        (e["seq"], e["type"]) for e in feed if e["type"] == "project.created"
    ]
    await workers[0].fan_out()  # a further round adds nothing
    assert len(await _queued(engine, everything)) == 8


async def test_an_endpoint_gets_what_commits_after_it_and_nothing_while_disabled(
    client: httpx.AsyncClient, engine: AsyncEngine, org: Org
) -> None:
    worker = WebhookWorker(engine, allow_private=True)
    await _writes(client, org)  # before the endpoint: never queued for it
    endpoint = await _endpoint(client, org, [])
    await _writes(client, org)
    await worker.fan_out()
    after = [(e["seq"], e["type"]) for e in await _feed(client, org)][4:]
    assert await _queued(engine, endpoint) == after

    r = await client.patch(f"{URL}/{endpoint}", json={"disabled": True}, headers=org.admin)
    assert r.status_code == 200, r.text
    await _writes(client, org)  # while disabled
    await worker.fan_out()
    r = await client.patch(f"{URL}/{endpoint}", json={"disabled": False}, headers=org.admin)
    assert r.status_code == 200, r.text
    await worker.fan_out()
    assert await _queued(engine, endpoint) == after
    # Enabling an endpoint that is already enabled does not skip anything.
    await _writes(client, org)
    r = await client.patch(f"{URL}/{endpoint}", json={"disabled": False}, headers=org.admin)
    assert r.status_code == 200, r.text
    await worker.fan_out()
    latest = [(e["seq"], e["type"]) for e in await _feed(client, org)][-4:]
    assert await _queued(engine, endpoint) == after + latest
