"""The LISTEN connection: rings on NOTIFY, and comes back by itself when it is cut."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.events import PgDoorbell, asyncpg_dsn
from app.infra.postgres.engine import async_url


async def _listeners(engine: AsyncEngine, name: str) -> int:
    async with engine.connect() as conn:
        found = await conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": name},
        )
        return int(found.scalar_one())


async def _notify(engine: AsyncEngine, payload: str) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_notify('charter_events', :p)"), {"p": payload})
        await conn.commit()


async def test_the_doorbell_rings_and_reconnects_after_its_connection_is_killed(
    server_url: str, engine: AsyncEngine
) -> None:
    org = f"org-{uuid.uuid4().hex[:12]}"
    name = f"listen-{uuid.uuid4().hex[:8]}"
    dsn = asyncpg_dsn(async_url(server_url))
    bell = PgDoorbell(dsn, retry_seconds=0.1, application_name=name)
    try:
        await bell.wait(org, 0, 0.5)  # starts listening; nothing rings
        assert await _listeners(engine, name) == 1
        ringing = asyncio.create_task(bell.wait(org, 0, 30))
        await asyncio.sleep(0.2)
        await _notify(engine, f"{org} 1")
        await asyncio.wait_for(ringing, 5)  # rung, not timed out

        async with engine.connect() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name"
                ),
                {"name": name},
            )
        for _ in range(100):
            await asyncio.sleep(0.1)
            if await _listeners(engine, name) == 1:
                break
        assert await _listeners(engine, name) == 1, "the listener did not come back"
        ringing = asyncio.create_task(bell.wait(org, 1, 30))
        await asyncio.sleep(0.2)
        await _notify(engine, f"{org} 2")
        await asyncio.wait_for(ringing, 5)
        # A known newer seq returns at once (a ring before the wait is not lost).
        await asyncio.wait_for(bell.wait(org, 1, 30), 1)
    finally:
        await bell.aclose()


async def test_a_ring_wakes_other_processes_with_the_committed_seq_coalesced(
    server_url: str, engine: AsyncEngine
) -> None:
    """What a unit of work does after a commit: ring; another doorbell's waiter wakes."""
    org = f"org-{uuid.uuid4().hex[:12]}"
    async with engine.connect() as conn:
        await conn.execute(
            text("INSERT INTO event_counters (org_id, last_seq) VALUES (:o, 7)"), {"o": org}
        )
        await conn.commit()
    dsn = asyncpg_dsn(async_url(server_url))
    heard: list[str] = []
    raw = await asyncpg.connect(dsn)
    await raw.add_listener("charter_events", lambda *args: heard.append(args[-1]))
    writer = PgDoorbell(dsn, application_name=f"ring-{uuid.uuid4().hex[:8]}")
    reader = PgDoorbell(dsn, application_name=f"listen-{uuid.uuid4().hex[:8]}")
    try:
        await reader.wait(org, 0, 0.3)  # listening
        waiting = asyncio.create_task(reader.wait(org, 6, 30))
        await asyncio.sleep(0.1)
        for _ in range(200):  # a burst of commits in one process
            writer.ring(org)
            await asyncio.sleep(0)
        await asyncio.wait_for(waiting, 5)  # rung, not timed out
        await asyncio.sleep(0.3)
        mine = [p for p in heard if p.startswith(org + " ")]
        assert mine[0] == f"{org} 7"  # the newest committed seq, not a guess
        assert 1 <= len(mine) <= 3, mine  # coalesced: one NOTIFY carries many commits
        # The reader now knows seq 7: a wait after an older seq returns at once.
        await asyncio.wait_for(reader.wait(org, 6, 30), 1)
    finally:
        await raw.close()
        await writer.aclose()
        await reader.aclose()
