"""SqlBaselineRepository: immutable, numbered baselines in PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Column, func, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.milestones.ports import Baseline, BaselineMilestone
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.tables import baseline_milestones as items
from app.infra.postgres.tables import baselines, projects


def _summary() -> Any:
    """Baselines with the project's currency and how many milestones each holds."""
    count = (
        select(func.count())
        .where(
            items.c.org_id == baselines.c.org_id,
            items.c.project_id == baselines.c.project_id,
            items.c.number == baselines.c.number,
        )
        .scalar_subquery()
    )
    return select(baselines, projects.c.currency, count.label("milestone_count")).join(
        projects,
        (projects.c.org_id == baselines.c.org_id) & (projects.c.id == baselines.c.project_id),
    )


def baseline_from_row(row: Row[Any], milestones: list[BaselineMilestone] | None = None) -> Baseline:
    m = row._mapping
    return Baseline(
        org_id=m["org_id"],
        project_id=m["project_id"],
        number=m["number"],
        name=m["name"],
        taken_by=m["taken_by"],
        taken_at=m["taken_at"],
        currency=m["currency"],
        milestone_count=m["milestone_count"],
        milestones=milestones or [],
    )


class SqlBaselineRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, baseline: Baseline) -> None:
        key = {"org_id": baseline.org_id, "project_id": baseline.project_id}
        await self.conn.execute(
            insert(baselines).values(
                **key,
                number=baseline.number,
                name=baseline.name,
                taken_by=baseline.taken_by,
                taken_at=baseline.taken_at,
            )
        )
        if baseline.milestones:
            await self.conn.execute(
                insert(items),
                [
                    {
                        **key,
                        "number": baseline.number,
                        "milestone_id": m.milestone_id,
                        "start_date": m.start_date,
                        "due_date": m.due_date,
                        "planned_value": m.planned_value.amount,
                    }
                    for m in baseline.milestones
                ],
            )

    async def next_number(self, org_id: str, project_id: UUID) -> int:
        stmt = select(func.coalesce(func.max(baselines.c.number), 0) + 1).where(
            baselines.c.org_id == org_id, baselines.c.project_id == project_id
        )
        return int((await self.conn.execute(stmt)).scalar_one())

    async def get(self, org_id: str, project_id: UUID, number: int) -> Baseline | None:
        head = (
            await self.conn.execute(
                _summary().where(
                    baselines.c.org_id == org_id,
                    baselines.c.project_id == project_id,
                    baselines.c.number == number,
                )
            )
        ).first()
        if head is None:
            return None
        rows = await self.conn.execute(
            select(items)
            .where(
                items.c.org_id == org_id,
                items.c.project_id == project_id,
                items.c.number == number,
            )
            .order_by(items.c.start_date, items.c.milestone_id)
        )
        currency = head._mapping["currency"]
        snapshot = [
            BaselineMilestone(
                r.milestone_id, r.start_date, r.due_date, Money(r.planned_value, currency)
            )
            for r in rows
        ]
        return baseline_from_row(head, snapshot)

    async def due_dates(
        self, org_id: str, project_ids: list[UUID], number: int | None = None
    ) -> dict[UUID, tuple[int, dict[UUID, date]]]:
        if not project_ids:
            return {}
        chosen = (
            select(baselines.c.project_id, func.max(baselines.c.number).label("number"))
            .where(baselines.c.org_id == org_id, baselines.c.project_id.in_(set(project_ids)))
            .group_by(baselines.c.project_id)
        )
        if number is not None:
            chosen = (
                select(baselines.c.project_id, baselines.c.number)
                .where(baselines.c.org_id == org_id, baselines.c.project_id.in_(set(project_ids)))
                .where(baselines.c.number == number)
            )
        pick = chosen.subquery()
        stmt = (
            select(pick.c.project_id, pick.c.number, items.c.milestone_id, items.c.due_date)
            .select_from(pick)
            .outerjoin(
                items,
                (items.c.org_id == org_id)
                & (items.c.project_id == pick.c.project_id)
                & (items.c.number == pick.c.number),
            )
        )
        found: dict[UUID, tuple[int, dict[UUID, date]]] = {}
        for r in await self.conn.execute(stmt):
            _, dues = found.setdefault(r.project_id, (r.number, {}))
            if r.milestone_id is not None:
                dues[r.milestone_id] = r.due_date
        return found

    async def list(self, org_id: str, project_id: UUID, page: PageRequest) -> Page[Baseline]:
        stmt = _summary().where(baselines.c.org_id == org_id, baselines.c.project_id == project_id)
        columns: list[Column[Any]] = [baselines.c.number]
        rows = (await self.conn.execute(keyset(stmt, columns, False, page))).all()
        return to_page(rows, page, columns, baseline_from_row)
