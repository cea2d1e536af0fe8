"""SqlAssignmentRepository: assignments, and what the workload reads of them and of people."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.team.assignments import Assignment
from app.domain.team.workload import Allocation, Member, WeekRange
from app.infra.postgres.paging import pages_per_group
from app.infra.postgres.tables import assignments, people, projects

_COLUMNS = tuple(c.name for c in assignments.columns)
_ORDER: list[Column[Any]] = [assignments.c.start_date, assignments.c.id]


def assignment_from_row(row: Row[Any]) -> Assignment:
    m = row._mapping
    return Assignment(**{c: m[c] for c in _COLUMNS})


def _values(a: Assignment) -> dict[str, Any]:
    return {c: getattr(a, c) for c in _COLUMNS}


class SqlAssignmentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, assignment: Assignment) -> None:
        await self.conn.execute(insert(assignments).values(**_values(assignment)))

    async def get(
        self, org_id: str, assignment_id: UUID, *, for_update: bool = False
    ) -> Assignment | None:
        stmt = select(assignments).where(
            assignments.c.org_id == org_id, assignments.c.id == assignment_id
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return assignment_from_row(row) if row else None

    async def update(self, assignment: Assignment) -> None:
        await self.conn.execute(
            update(assignments)
            .where(assignments.c.org_id == assignment.org_id, assignments.c.id == assignment.id)
            .values(**_values(assignment))
        )

    async def delete(self, org_id: str, assignment_id: UUID) -> None:
        await self.conn.execute(
            delete(assignments).where(
                assignments.c.org_id == org_id, assignments.c.id == assignment_id
            )
        )

    async def _pages(
        self, org_id: str, group: Column[Any], ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        base = select(assignments).where(assignments.c.org_id == org_id, group.in_(set(ids)))
        return await pages_per_group(
            self.conn, base, group, ids, _ORDER, False, page, assignment_from_row
        )

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        return await self._pages(org_id, assignments.c.project_id, project_ids, page)

    async def pages_for_people(
        self, org_id: str, person_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        return await self._pages(org_id, assignments.c.person_id, person_ids, page)

    async def allocations(
        self, org_id: str, span: WeekRange, person_ids: list[UUID] | None = None
    ) -> list[Allocation]:
        a = assignments.c
        stmt = (
            select(a.id, a.person_id, a.project_id, projects.c.key, a.allocation_percent,
                   a.start_date, a.end_date)
            .join(projects, (projects.c.org_id == a.org_id) & (projects.c.id == a.project_id))
            .where(a.org_id == org_id, a.start_date <= span.end, a.end_date >= span.start)
        )  # fmt: skip
        if person_ids is not None:
            stmt = stmt.where(a.person_id.in_(set(person_ids)))
        return [Allocation(*r) for r in await self.conn.execute(stmt)]

    async def staffing(self, org_id: str, span: WeekRange) -> tuple[list[Allocation], list[Member]]:
        a, p = assignments.c, people.c
        stmt = (
            select(a.id, a.person_id, a.project_id, projects.c.key, a.allocation_percent,
                   a.start_date, a.end_date, p.name, p.weekly_capacity_hours)
            .join(projects, (projects.c.org_id == a.org_id) & (projects.c.id == a.project_id))
            .join(people, (p.org_id == a.org_id) & (p.id == a.person_id))
            .where(a.org_id == org_id, a.start_date <= span.end, a.end_date >= span.start)
        )  # fmt: skip
        found: list[Allocation] = []
        members: dict[UUID, Member] = {}
        for r in await self.conn.execute(stmt):
            found.append(Allocation(r[0], r[1], r[2], r[3], r[4], r[5], r[6]))
            if r[1] not in members:
                members[r[1]] = Member(r[1], r[7], r[8])
        return found, list(members.values())

    async def people_on_project(
        self, org_id: str, project_id: UUID, person_ids: list[UUID]
    ) -> set[UUID]:
        a = assignments.c
        stmt = (
            select(a.person_id)
            .distinct()
            .where(a.org_id == org_id, a.project_id == project_id, a.person_id.in_(set(person_ids)))
        )
        return {r[0] for r in await self.conn.execute(stmt)}

    async def roster(self, org_id: str, person_ids: list[UUID] | None = None) -> list[Member]:
        p = people.c
        stmt = select(p.id, p.name, p.weekly_capacity_hours).where(p.org_id == org_id)
        if person_ids is not None:
            stmt = stmt.where(p.id.in_(set(person_ids)))
        return [Member(*r) for r in await self.conn.execute(stmt.order_by(p.name, p.id))]
