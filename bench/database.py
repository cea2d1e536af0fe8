"""The database a benchmark runs on: its own, created and dropped on the server that
``DATABASE_URL`` names, or else an embedded PostgreSQL in a temporary directory."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

from app.infra.postgres.engine import async_url


@contextmanager
def bench_database(prefix: str = "charter_bench") -> Iterator[str]:
    """Yield an asyncpg URL of an empty database that is gone afterwards."""
    external = os.environ.get("DATABASE_URL")
    if external:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        admin = "postgresql://" + async_url(external).removeprefix("postgresql+asyncpg://")

        async def admin_sql(sql: str) -> None:
            conn = await asyncpg.connect(admin)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

        asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
        try:
            yield async_url(external).rsplit("/", 1)[0] + "/" + name
        finally:
            asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    from app.infra.embedded import EmbeddedPostgres

    with tempfile.TemporaryDirectory(prefix=f"{prefix.replace('_', '-')}-") as tmp:
        embedded = EmbeddedPostgres(Path(tmp), database=prefix)
        try:
            yield embedded.start()
        finally:
            embedded.stop()
