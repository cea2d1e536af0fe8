"""A fresh, empty database of its own on the suite's server, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg
from alembic import command
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.migrations.runner import alembic_config
from app.infra.postgres.engine import make_engine


@asynccontextmanager
async def scratch_database(server_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a new empty database beside the shared one (which stays untouched)."""
    name = f"charter_scratch_{uuid.uuid4().hex[:10]}"
    admin_dsn = make_url(server_url).set(drivername="postgresql")
    admin = admin_dsn.render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=1)
    try:
        yield engine
    finally:
        await engine.dispose()
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def upgrade(engine: AsyncEngine, revision: str) -> None:
    """Migrate the database to ``revision`` ("head" for the newest), committed."""

    def run(connection: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    await run_committed(engine, run)


async def run_committed(engine: AsyncEngine, fn: Callable[[Connection], object]) -> None:
    async with engine.connect() as conn:
        await conn.run_sync(fn)
        await conn.commit()
