"""Test fixtures: a real PostgreSQL (embedded unless a URL is given), the app over httpx ASGI.

Set ``CHARTER_TEST_DATABASE_URL`` (or ``DATABASE_URL``) to run against a separately run
server; the suite then creates a fresh database there and drops it at the end. Tests
isolate themselves by creating their own organization (random ids), never by wiping.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api.auth import issue_token
from app.config import Settings
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import async_url, make_engine
from app.main import create_app

SECRET = "test-secret-" + "x" * 32
ISSUER, AUDIENCE = "charter", "charter-api"


def _external_url() -> str | None:
    return os.environ.get("CHARTER_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """URL of an empty database on the server under test."""
    external = _external_url()
    if external:
        yield from _fresh_database(external)
        return
    from app.infra.embedded import EmbeddedPostgres

    with tempfile.TemporaryDirectory(prefix="charter-test-") as tmp:
        embedded = EmbeddedPostgres(Path(tmp), database="charter_test")
        try:
            yield embedded.start()
        finally:
            embedded.stop()


def _fresh_database(url: str) -> Iterator[str]:
    import asyncio

    import asyncpg

    name = f"charter_test_{uuid.uuid4().hex[:10]}"
    plain = "postgresql://" + async_url(url).removeprefix("postgresql+asyncpg://")

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(plain)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    base, _, query = async_url(url).partition("?")
    try:
        yield base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
async def engine(server_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(server_url, pool_size=10)
    await migrate(eng)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
async def read_engine(server_url: str, engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The production read path: read-only sessions, so a query that writes fails the suite."""
    eng = make_engine(server_url, pool_size=10, read_only=True)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
def settings(server_url: str) -> Settings:
    return Settings(
        database_url=server_url, jwt_secret=SECRET, data_dir=Path(tempfile.gettempdir())
    )


@pytest.fixture(scope="session")
def app(settings: Settings, engine: AsyncEngine, read_engine: AsyncEngine) -> Any:
    return create_app(settings, engine=engine, read_engine=read_engine)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def token(org: str, role: str = "admin", sub: str | None = None, **overrides: Any) -> str:
    return issue_token(
        SECRET,
        org=org,
        sub=sub or f"user-{role}",
        roles=[role],
        issuer=ISSUER,
        audience=AUDIENCE,
        **overrides,
    )


@dataclass
class Org:
    """A fresh organization for one test, with a header per role."""

    id: str

    def headers(self, role: str = "admin", sub: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(self.id, role, sub)}"}

    @property
    def admin(self) -> dict[str, str]:
        return self.headers("admin")

    @property
    def manager(self) -> dict[str, str]:
        return self.headers("manager")

    @property
    def member(self) -> dict[str, str]:
        return self.headers("member")

    @property
    def viewer(self) -> dict[str, str]:
        return self.headers("viewer")


@pytest.fixture
def org() -> Org:
    return Org(f"org-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def other_org() -> Org:
    return Org(f"org-{uuid.uuid4().hex[:12]}")
