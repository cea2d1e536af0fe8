"""SqlMilestoneRepository: milestones and their progress history in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.milestones.model import Milestone, MilestoneStatus
from app.domain.milestones.schedule import ScheduleItem
from app.infra.postgres.paging import keyset, pages_per_group, to_page
from app.infra.postgres.raw import fetch
from app.infra.postgres.tables import milestone_progress, milestones, projects

_COLUMNS = tuple(c.name for c in milestones.columns)
_ORDER: list[Column[Any]] = [milestones.c.start_date, milestones.c.id]


def _select() -> Any:
    """Milestones with their project's currency (planned value is money in it)."""
    return select(milestones, projects.c.currency).join(
        projects,
        (projects.c.org_id == milestones.c.org_id) & (projects.c.id == milestones.c.project_id),
    )


def milestone_from_row(row: Row[Any]) -> Milestone:
    m = row._mapping
    values = {c: m[c] for c in _COLUMNS}
    values["status"] = MilestoneStatus(values["status"])
    values["planned_value"] = Money(values["planned_value"], m["currency"])
    return Milestone(**values)


def _values(milestone: Milestone) -> dict[str, Any]:
    values = {c: getattr(milestone, c) for c in _COLUMNS}
    values["status"] = milestone.status.value
    values["planned_value"] = milestone.planned_value.amount
    return values


class SqlMilestoneRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _progress(self, milestone: Milestone) -> None:
        await self.conn.execute(
            insert(milestone_progress).values(
                org_id=milestone.org_id,
                project_id=milestone.project_id,
                milestone_id=milestone.id,
                at=milestone.updated_at,
                progress=milestone.progress,
                status=milestone.status.value,
            )
        )

    async def add(self, milestone: Milestone) -> None:
        await self.conn.execute(insert(milestones).values(**_values(milestone)))
        await self._progress(milestone)

    async def get(
        self, org_id: str, milestone_id: UUID, *, for_update: bool = False
    ) -> Milestone | None:
        stmt = _select().where(milestones.c.org_id == org_id, milestones.c.id == milestone_id)
        if for_update:
            stmt = stmt.with_for_update(of=milestones)
        row = (await self.conn.execute(stmt)).first()
        return milestone_from_row(row) if row else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Milestone | None]:
        if not ids:
            return []
        stmt = _select().where(milestones.c.org_id == org_id, milestones.c.id.in_(set(ids)))
        found = {r.id: milestone_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in ids]

    @staticmethod
    def _filter(stmt: Any, org_id: str, status: MilestoneStatus | None) -> Any:
        stmt = stmt.where(milestones.c.org_id == org_id)
        if status is not None:
            stmt = stmt.where(milestones.c.status == status.value)
        return stmt

    async def pages_for_projects(
        self,
        org_id: str,
        project_ids: list[UUID],
        status: MilestoneStatus | None,
        page: PageRequest,
    ) -> list[Page[Milestone]]:
        """One page per project in a single statement (a window per project)."""
        base = self._filter(_select(), org_id, status).where(
            milestones.c.project_id.in_(set(project_ids))
        )
        pages = await pages_per_group(
            self.conn, base, milestones.c.project_id, project_ids, _ORDER, False, page,
            milestone_from_row,
        )  # fmt: skip
        return [pages[p] for p in project_ids]

    async def count(self, org_id: str, project_id: UUID, status: MilestoneStatus | None) -> int:
        return (await self.counts_for_projects(org_id, [project_id], status))[0]

    async def counts_for_projects(
        self, org_id: str, project_ids: list[UUID], status: MilestoneStatus | None
    ) -> list[int]:
        stmt = (
            self._filter(select(milestones.c.project_id, func.count()), org_id, status)
            .where(milestones.c.project_id.in_(set(project_ids)))
            .group_by(milestones.c.project_id)
        )
        found = {r[0]: int(r[1]) for r in await self.conn.execute(stmt)}
        return [found.get(p, 0) for p in project_ids]

    async def all_for_projects(self, org_id: str, project_ids: list[UUID]) -> list[Milestone]:
        if not project_ids:
            return []
        stmt = (
            _select()
            .where(milestones.c.org_id == org_id, milestones.c.project_id.in_(set(project_ids)))
            .order_by(*_ORDER)
        )
        return [milestone_from_row(r) for r in await self.conn.execute(stmt)]

    async def schedule_items(self, org_id: str, project_ids: list[UUID]) -> list[ScheduleItem]:
        if not project_ids:
            return []
        rows = await fetch(
            self.conn,
            "SELECT id, project_id, name, start_date, due_date, status, completed_on "
            "FROM milestones WHERE org_id = $1 AND project_id = ANY($2::uuid[])",
            org_id,
            list(set(project_ids)),
        )
        status = {s.value: s for s in MilestoneStatus}
        return [ScheduleItem(r[0], r[1], r[2], r[3], r[4], status[r[5]], r[6]) for r in rows]

    async def update(self, milestone: Milestone, progress_changed: bool) -> None:
        await self.conn.execute(
            update(milestones)
            .where(milestones.c.org_id == milestone.org_id, milestones.c.id == milestone.id)
            .values(**_values(milestone))
        )
        if progress_changed:
            await self._progress(milestone)

    async def progress_at(
        self, org_id: str, project_ids: list[UUID], at: datetime
    ) -> dict[UUID, int]:
        if not project_ids:
            return {}
        rows = await fetch(
            self.conn,
            "SELECT DISTINCT ON (milestone_id) milestone_id, progress "
            "FROM milestone_progress WHERE org_id = $1 "
            "AND project_id = ANY($2::uuid[]) AND at < $3 "
            "ORDER BY milestone_id, at DESC, id DESC",
            org_id,
            list(set(project_ids)),
            at,
        )
        return {r[0]: r[1] for r in rows}

    async def delete(self, org_id: str, milestone_id: UUID) -> None:
        await self.conn.execute(
            delete(milestones).where(milestones.c.org_id == org_id, milestones.c.id == milestone_id)
        )

    async def list(
        self, org_id: str, project_id: UUID, status: MilestoneStatus | None, page: PageRequest
    ) -> Page[Milestone]:
        stmt = self._filter(_select(), org_id, status).where(milestones.c.project_id == project_id)
        rows = (await self.conn.execute(keyset(stmt, _ORDER, False, page))).all()
        return to_page(rows, page, _ORDER, milestone_from_row)
