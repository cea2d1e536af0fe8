"""Deliverables and their decisions in PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.deliverables.model import (
    Decision,
    DecisionRecord,
    Deliverable,
    DeliverableStatus,
)
from app.infra.postgres.paging import pages_per_group
from app.infra.postgres.tables import deliverable_decisions, deliverables

_COLUMNS = tuple(c.name for c in deliverables.columns)
_DECISION = tuple(c.name for c in deliverable_decisions.columns)
_ORDER: list[Column[Any]] = [deliverables.c.created_at, deliverables.c.id]
_DECISION_ORDER: list[Column[Any]] = [deliverable_decisions.c.at, deliverable_decisions.c.id]


def _deliverable(row: Row[Any]) -> Deliverable:
    values = {c: row._mapping[c] for c in _COLUMNS}
    values["status"] = DeliverableStatus(values["status"])
    return Deliverable(**values)


def _values(d: Deliverable) -> dict[str, Any]:
    values = {c: getattr(d, c) for c in _COLUMNS}
    values["status"] = d.status.value
    return values


def _decision(row: Row[Any]) -> DecisionRecord:
    values = {c: row._mapping[c] for c in _DECISION}
    values["decision"] = Decision(values["decision"])
    values["from_status"] = DeliverableStatus(values["from_status"])
    values["to_status"] = DeliverableStatus(values["to_status"])
    return DecisionRecord(**values)


class SqlDeliverableRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, deliverable: Deliverable) -> None:
        await self.conn.execute(insert(deliverables).values(**_values(deliverable)))

    async def get(
        self, org_id: str, deliverable_id: UUID, *, for_update: bool = False
    ) -> Deliverable | None:
        d = deliverables.c
        stmt = select(deliverables).where(d.org_id == org_id, d.id == deliverable_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return _deliverable(row) if row else None

    async def update(self, deliverable: Deliverable) -> None:
        d = deliverables.c
        await self.conn.execute(
            update(deliverables)
            .where(d.org_id == deliverable.org_id, d.id == deliverable.id)
            .values(**_values(deliverable))
        )

    async def pages_for_projects(
        self,
        org_id: str,
        project_ids: list[UUID],
        status: DeliverableStatus | None,
        page: PageRequest,
    ) -> dict[UUID, Page[Deliverable]]:
        d = deliverables.c
        stmt = select(deliverables).where(d.org_id == org_id, d.project_id.in_(set(project_ids)))
        if status is not None:
            stmt = stmt.where(d.status == status.value)
        return await pages_per_group(
            self.conn, stmt, d.project_id, project_ids, _ORDER, False, page, _deliverable
        )

    async def status_counts(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, dict[DeliverableStatus, int]]:
        found: dict[UUID, dict[DeliverableStatus, int]] = {p: {} for p in project_ids}
        if project_ids:
            d = deliverables.c
            stmt = (
                select(d.project_id, d.status, func.count())
                .where(d.org_id == org_id, d.project_id.in_(set(project_ids)))
                .group_by(d.project_id, d.status)
            )
            for pid, status, n in await self.conn.execute(stmt):
                found[pid][DeliverableStatus(status)] = int(n)
        return found


class SqlDecisionRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, record: DecisionRecord) -> None:
        values = {c: getattr(record, c) for c in _DECISION}
        for name in ("decision", "from_status", "to_status"):
            values[name] = values[name].value
        await self.conn.execute(insert(deliverable_decisions).values(**values))

    async def pages_for_deliverables(
        self, org_id: str, deliverable_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[DecisionRecord]]:
        c = deliverable_decisions.c
        stmt = select(deliverable_decisions).where(
            c.org_id == org_id, c.deliverable_id.in_(set(deliverable_ids))
        )
        return await pages_per_group(
            self.conn, stmt, c.deliverable_id, deliverable_ids, _DECISION_ORDER, True, page,
            _decision,
        )  # fmt: skip
