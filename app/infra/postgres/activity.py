"""SqlActivityRepository: the event table, one row per committed domain event.

Each organization's events are numbered by ``seq``, gapless and in commit order: the
statement that inserts them takes the numbers from the organization's
``event_counters`` row, whose lock it keeps until the commit. The unit of work writes
the events as its last statement before COMMIT, so the lock is held that briefly, and
a later number is never visible before an earlier one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.events import DomainEvent, Subject
from app.domain.common.paging import Page, PageRequest
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.tables import project_activity as activity

# Takes n numbers for one organization (the counter row is created on first use) and
# inserts the events numbered in the order given.
_ADD = text("""
WITH counter AS (
    INSERT INTO event_counters AS k (org_id, last_seq) VALUES (:org_id, :n)
    ON CONFLICT (org_id) DO UPDATE SET last_seq = k.last_seq + excluded.last_seq
    RETURNING last_seq
)
INSERT INTO project_activity (id, org_id, project_id, seq, actor, at, action, entity_type,
    entity_id, changes)
SELECT e.id, :org_id, e.project_id, counter.last_seq - :n + e.ord, e.actor, e.at, e.action,
    e.entity_type, e.entity_id, e.changes
FROM counter, jsonb_to_recordset(CAST(:events AS jsonb)) AS e (id uuid, project_id uuid,
    ord bigint, actor text, at timestamptz, action text, entity_type text, entity_id uuid,
    changes jsonb)
""")


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
        m["seq"],
    )


def _json(event: DomainEvent, ord: int) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "project_id": str(event.project_id),
        "ord": ord,
        "actor": event.actor,
        "at": event.occurred_at.isoformat(),
        "action": event.type,
        "entity_type": event.subject.type,
        "entity_id": str(event.subject.id),
        "changes": dict(event.changes),
    }


class SqlActivityRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        """Write events numbered by their organization's seq (the unit of work calls this as it commits)."""
        by_org: dict[str, list[DomainEvent]] = {}
        for e in events:
            by_org.setdefault(e.org, []).append(e)
        for org in sorted(by_org):  # one org in practice; sorted so counters lock in one order
            batch = by_org[org]
            payload = json.dumps([_json(e, i) for i, e in enumerate(batch, 1)], default=str)
            await self.conn.execute(_ADD, {"org_id": org, "n": len(batch), "events": payload})

    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[DomainEvent]:
        stmt = select(activity).where(
            activity.c.org_id == org_id, activity.c.project_id == project_id
        )
        columns = [activity.c.seq]
        rows = (await self.conn.execute(keyset(stmt, columns, True, page))).all()
        return to_page(rows, page, columns, event_from_row)

    async def list_after(self, org_id: str, after_seq: int, limit: int) -> list[DomainEvent]:
        """The organization's events after ``after_seq``, oldest first."""
        stmt = (
            select(activity)
            .where(activity.c.org_id == org_id, activity.c.seq > after_seq)
            .order_by(activity.c.seq)
            .limit(limit)
        )
        return [event_from_row(r) for r in (await self.conn.execute(stmt)).all()]
