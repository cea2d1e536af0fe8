"""SqlActivityRepository: the project history, one row per committed domain event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.events import DomainEvent, Subject
from app.domain.common.paging import Page, PageRequest
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.tables import project_activity as activity


def event_row(event: DomainEvent) -> dict[str, Any]:
    """The columns of an event's row (``project_activity``)."""
    return {
        "id": event.id,
        "org_id": event.org,
        "project_id": event.project_id,
        "actor": event.actor,
        "at": event.occurred_at,
        "action": event.type,
        "entity_type": event.subject.type,
        "entity_id": event.subject.id,
        "changes": dict(event.changes),
    }


def event_from_row(row: Row[Any]) -> DomainEvent:
    m = row._mapping
    subject = Subject(m["entity_type"], m["entity_id"])
    return DomainEvent(
        m["id"],
        m["action"],
        m["at"],
        m["org_id"],
        m["project_id"],
        m["actor"],
        subject,
        m["changes"],
    )


class SqlActivityRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        """Write events in one statement (the unit of work calls this as it commits)."""
        await self.conn.execute(insert(activity).values([event_row(e) for e in events]))

    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[DomainEvent]:
        stmt = select(activity).where(
            activity.c.org_id == org_id, activity.c.project_id == project_id
        )
        columns = [activity.c.seq]
        rows = (await self.conn.execute(keyset(stmt, columns, True, page))).all()
        return to_page(rows, page, columns, event_from_row)
