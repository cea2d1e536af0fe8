"""SqlActivityRepository: the append-only project history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.common.ports import ActivityEntry
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.tables import project_activity as activity

_COLUMNS = (
    "id",
    "org_id",
    "project_id",
    "actor",
    "at",
    "action",
    "entity_type",
    "entity_id",
    "changes",
)


def entry_from_row(row: Row[Any]) -> ActivityEntry:
    m = row._mapping
    return ActivityEntry(**{c: m[c] for c in _COLUMNS})


class SqlActivityRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, entry: ActivityEntry) -> None:
        await self.conn.execute(insert(activity).values(**{c: getattr(entry, c) for c in _COLUMNS}))

    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[ActivityEntry]:
        stmt = select(activity).where(
            activity.c.org_id == org_id, activity.c.project_id == project_id
        )
        columns = [activity.c.seq]
        rows = (await self.conn.execute(keyset(stmt, columns, True, page))).all()
        return to_page(rows, page, columns, entry_from_row)
