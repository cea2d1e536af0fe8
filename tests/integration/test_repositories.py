"""Repositories and migrations against real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.common.paging import PageRequest, decode_cursor
from app.domain.projects.model import BusinessArea, Phase, Project, ProjectFilter
from app.infra.migrations.runner import alembic_config, head_revision, is_current
from app.infra.postgres.uow import SqlUnitOfWork


def _project(org: str, key: str, end: date | None, at: datetime) -> Project:
    return Project(
        id=uuid.uuid4(), org_id=org, key=key, name=f"Project {key}", description=None,
        business_area=BusinessArea.OTHER, sponsor_id=None, manager_id=None, start_date=None,
        target_end_date=end, currency="EUR", phase=Phase.INITIATION, held_from=None,
        no_known_risks=False, version=1, created_at=at, updated_at=at,
    )  # fmt: skip


async def _all_pages(engine: AsyncEngine, org: str, sort: str, limit: int) -> list[str]:
    keys: list[str] = []
    page = PageRequest(limit=limit)
    while True:
        async with SqlUnitOfWork(engine) as uow:
            result = await uow.projects.list(org, ProjectFilter(), sort, page)
        keys += [p.key for p in result.items]
        if result.next_cursor is None:
            return keys
        page = PageRequest(limit=limit, after=decode_cursor(result.next_cursor))


async def test_keyset_pages_walk_every_row_once_in_order_including_nulls(
    engine: AsyncEngine,
) -> None:
    org = f"org-{uuid.uuid4().hex[:8]}"
    base = datetime(2026, 1, 1, tzinfo=UTC)
    ends: list[date | None] = [
        date(2026, 5, 1),
        None,
        date(2026, 3, 1),
        None,
        date(2026, 3, 1),
        date(2027, 1, 1),
        None,
    ]
    rows = [_project(org, f"K{i}", end, base + timedelta(minutes=i)) for i, end in enumerate(ends)]
    async with SqlUnitOfWork(engine) as uow:
        for p in rows:
            await uow.projects.add(p)
        await uow.commit()

    def expected(descending: bool) -> list[str]:
        dated = sorted(
            (p for p in rows if p.target_end_date),
            key=lambda p: (p.target_end_date, p.id),
            reverse=descending,
        )
        undated = sorted(
            (p for p in rows if p.target_end_date is None), key=lambda p: p.id, reverse=descending
        )
        ordered = (
            undated + dated if descending else dated + undated
        )  # nulls last ascending, first descending
        return [p.key for p in ordered]

    for limit in (1, 2, 3, 10):
        assert await _all_pages(engine, org, "target_end_date", limit) == expected(False)
        assert await _all_pages(engine, org, "-target_end_date", limit) == expected(True)
    assert await _all_pages(engine, org, "-created_at", 2) == [f"K{i}" for i in reversed(range(7))]


async def test_nothing_is_written_when_a_unit_of_work_is_left_without_commit(
    engine: AsyncEngine,
) -> None:
    org = f"org-{uuid.uuid4().hex[:8]}"
    async with SqlUnitOfWork(engine) as uow:
        await uow.projects.add(_project(org, "GONE", None, datetime.now(UTC)))
    async with SqlUnitOfWork(engine) as uow:
        assert await uow.projects.get_by_key(org, "GONE") is None


async def test_a_nested_unit_of_work_commits_with_the_outer_one(engine: AsyncEngine) -> None:
    org = f"org-{uuid.uuid4().hex[:8]}"
    outer = SqlUnitOfWork(engine)
    try:
        async with outer:
            async with outer:
                await outer.projects.add(_project(org, "INNER", None, datetime.now(UTC)))
                await outer.commit()  # deferred to the outermost block
            raise RuntimeError("the outer block fails after the inner commit")
    except RuntimeError:
        pass
    async with SqlUnitOfWork(engine) as uow:
        assert await uow.projects.get_by_key(org, "INNER") is None


async def test_migrations_go_down_to_nothing_and_back_up(
    engine: AsyncEngine, server_url: str
) -> None:
    import asyncpg

    name = f"charter_mig_{uuid.uuid4().hex[:8]}"
    admin_dsn = server_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    from sqlalchemy.engine import make_url

    from app.infra.postgres.engine import make_engine

    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    scratch = make_engine(url, pool_size=1)
    try:
        async with scratch.connect() as c:

            def cycle(sync_conn: Any) -> None:
                cfg = alembic_config()
                cfg.attributes["connection"] = sync_conn
                command.upgrade(cfg, "head")
                command.downgrade(cfg, "base")
                command.upgrade(cfg, "head")

            await c.run_sync(cycle)
            await c.commit()
        assert await is_current(scratch)
        async with scratch.connect() as c:
            version = (
                await c.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar_one()
        assert version == head_revision()
    finally:
        await scratch.dispose()
        conn = await asyncpg.connect(admin_dsn)
        await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await conn.close()
