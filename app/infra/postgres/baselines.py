"""SqlBaselineRepository: immutable, numbered baselines in PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, func, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.milestones.ports import Baseline, BaselineMilestone, PlannedMilestone
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.raw import fetch
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


def _item(row: Row[Any], currency: str | None = None) -> BaselineMilestone:
    money = Money(row.planned_value, currency or row.currency)
    return BaselineMilestone(row.milestone_id, row.start_date, row.due_date, money)


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
        return baseline_from_row(head, [_item(r, currency) for r in rows])

    async def numbers(self, org_id: str, project_ids: list[UUID]) -> dict[UUID, list[int]]:
        if not project_ids:
            return {}
        found: dict[UUID, list[int]] = {}
        for r in await fetch(
            self.conn,
            "SELECT project_id, number FROM baselines "
            "WHERE org_id = $1 AND project_id = ANY($2::uuid[]) ORDER BY project_id, number",
            org_id,
            list(set(project_ids)),
        ):
            found.setdefault(r[0], []).append(r[1])
        return found

    async def snapshots(
        self, org_id: str, chosen: dict[UUID, int]
    ) -> dict[UUID, list[PlannedMilestone]]:
        if not chosen:
            return {}
        rows = await fetch(
            self.conn,
            "SELECT i.project_id, i.milestone_id, i.start_date, i.due_date, i.planned_value "
            "FROM baseline_milestones i WHERE i.org_id = $1 AND (i.project_id, i.number) IN "
            "(SELECT * FROM unnest($2::uuid[], $3::int[])) "
            "ORDER BY i.project_id, i.start_date, i.milestone_id",
            org_id,
            list(chosen),
            list(chosen.values()),
        )
        found: dict[UUID, list[PlannedMilestone]] = {p: [] for p in chosen}
        for pid, *item in rows:
            found[pid].append(PlannedMilestone(*item))
        return found

    async def list(self, org_id: str, project_id: UUID, page: PageRequest) -> Page[Baseline]:
        stmt = _summary().where(baselines.c.org_id == org_id, baselines.c.project_id == project_id)
        columns: list[Column[Any]] = [baselines.c.number]
        rows = (await self.conn.execute(keyset(stmt, columns, False, page))).all()
        return to_page(rows, page, columns, baseline_from_row)
