"""Bounded waits: a held ledger lock costs its project 503s after the lock timeout while
other projects keep posting; SIGTERM lets a request in flight finish before exiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest

from tests.faults.load import Load, seed_projects
from tests.faults.service import Service, admin_headers

pytestmark = pytest.mark.faults

POSTING = {"kind": "budget", "category": "labour", "amount": "5.00", "occurred_on": "2026-01-15"}


@asynccontextmanager
async def ledger_lock(database: str, project: str) -> AsyncIterator[None]:
    """Hold the project's ledger lock (its totals rows) from a connection of our own."""
    conn = await asyncpg.connect(database)
    try:
        async with conn.transaction():
            await conn.execute(
                "SELECT 1 FROM ledger_totals WHERE project_id = $1 FOR UPDATE", project
            )
            yield
    finally:
        await conn.close()


async def test_a_held_ledger_lock_costs_503s_after_the_lock_timeout_and_only_to_its_project(
    database: str, serve: Callable[..., Service]
) -> None:
    service = serve(db_lock_timeout_ms="500")
    _, headers = admin_headers()
    locked, *others = await seed_projects(service.url, headers, 3)
    load = Load(service.url, headers, others)
    async with ledger_lock(database, locked):
        stuck = Load(service.url, headers, [locked])
        clients = [
            *(asyncio.create_task(stuck.poster(give_up_after=0)) for _ in range(2)),
            *(asyncio.create_task(load.poster()) for _ in range(3)),
        ]
        await asyncio.sleep(3)
        stuck.done.set()
        load.done.set()
        await asyncio.gather(*clients)
    waited = [a.ended - a.started for a in stuck.answers]
    assert {a.status for a in stuck.answers} == {503}
    assert min(waited) >= 0.5, "answered before the lock timeout"
    assert max(waited) < 5, "a stuck lock hung the request"
    assert {a.status for a in load.answers} == {201}
    assert len(load.answers) > 2 * len(stuck.answers), "other projects were held up"
    async with httpx.AsyncClient(base_url=service.url, headers=headers) as client:
        r = await client.post(f"/api/v1/projects/{locked}/ledger/entries", json=POSTING)
        assert r.status_code == 201, "the lock is released: postings go through again"
    print(
        f"\nlocked ledger: {len(stuck.answers)} postings answered 503 after "
        f"{min(waited):.2f}-{max(waited):.2f} s; other projects: {len(load.answers)} created"
    )


async def test_sigterm_lets_a_request_in_flight_finish_then_exits(
    database: str, serve: Callable[..., Service]
) -> None:
    service = serve(db_lock_timeout_ms="10000")
    _, headers = admin_headers()
    (project,) = await seed_projects(service.url, headers, 1)
    assert service.process is not None
    async with httpx.AsyncClient(base_url=service.url, headers=headers, timeout=30) as client:
        async with ledger_lock(database, project):
            in_flight = asyncio.create_task(
                client.post(f"/api/v1/projects/{project}/ledger/entries", json=POSTING)
            )
            await asyncio.sleep(0.5)  # the posting now waits for the lock
            service.process.terminate()
            await asyncio.sleep(1.0)
            assert service.process.poll() is None, "exited with a request in flight"
            with pytest.raises(httpx.ConnectError):
                await client.get("/healthz")  # no new connections while draining
        began = time.monotonic()
        answered = await in_flight
    assert answered.status_code == 201, answered.text
    exited = await asyncio.to_thread(service.process.wait, 30)
    assert exited is not None
    print(
        f"\nSIGTERM: the request in flight answered 201 and the process exited {time.monotonic() - began:.2f} s later"
    )
