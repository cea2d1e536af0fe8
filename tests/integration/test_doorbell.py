"""The LISTEN connection: rings on NOTIFY, and comes back by itself when it is cut."""

from __future__ import annotations

import asyncio
import uuid

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
