"""SqlStakeholderRepository: the stakeholder register, filtered by quadrant and overdue contact."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, ColumnElement, and_, delete, insert, not_, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.team.stakeholders import (
    Channel,
    ContactFrequency,
    Level,
    Quadrant,
    Stakeholder,
    StakeholderFilter,
)
from app.infra.postgres.paging import pages_per_group
from app.infra.postgres.tables import stakeholders

_COLUMNS = tuple(c.name for c in stakeholders.columns)
_ORDER: list[Column[Any]] = [stakeholders.c.name, stakeholders.c.id]


def stakeholder_from_row(row: Row[Any]) -> Stakeholder:
    values = {c: row._mapping[c] for c in _COLUMNS}
    values["influence"] = Level(values["influence"])
    values["interest"] = Level(values["interest"])
    values["contact_frequency"] = ContactFrequency(values["contact_frequency"])
    if values["preferred_channel"] is not None:
        values["preferred_channel"] = Channel(values["preferred_channel"])
    return Stakeholder(**values)


def _values(s: Stakeholder) -> dict[str, Any]:
    values = {c: getattr(s, c) for c in _COLUMNS}
    for name in ("influence", "interest", "contact_frequency", "preferred_channel"):
        if values[name] is not None:
            values[name] = values[name].value
    return values


def _quadrant(q: Quadrant) -> ColumnElement[bool]:
    """Only ``high`` counts: medium is on the low side of the grid."""
    influence = stakeholders.c.influence == Level.HIGH.value
    interest = stakeholders.c.interest == Level.HIGH.value
    return {
        Quadrant.MANAGE_CLOSELY: and_(influence, interest),
        Quadrant.KEEP_SATISFIED: and_(influence, not_(interest)),
        Quadrant.KEEP_INFORMED: and_(not_(influence), interest),
        Quadrant.MONITOR: and_(not_(influence), not_(interest)),
    }[q]


def _overdue(flt: StakeholderFilter) -> ColumnElement[bool]:
    s = stakeholders.c
    return or_(
        s.last_contacted_on.is_(None),
        *[
            and_(s.contact_frequency == f.value, s.last_contacted_on < flt.overdue_before(f))
            for f in ContactFrequency
        ],
    )


class SqlStakeholderRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, stakeholder: Stakeholder) -> None:
        await self.conn.execute(insert(stakeholders).values(**_values(stakeholder)))

    async def get(
        self, org_id: str, stakeholder_id: UUID, *, for_update: bool = False
    ) -> Stakeholder | None:
        return (await self.get_many(org_id, [stakeholder_id], for_update=for_update))[0]

    async def get_many(
        self, org_id: str, ids: list[UUID], *, for_update: bool = False
    ) -> list[Stakeholder | None]:
        if not ids:
            return []
        stmt = select(stakeholders).where(
            stakeholders.c.org_id == org_id, stakeholders.c.id.in_(set(ids))
        )
        if for_update:
            stmt = stmt.order_by(stakeholders.c.id).with_for_update()  # one lock order: no deadlock
        found = {r.id: stakeholder_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in ids]

    async def update(self, stakeholder: Stakeholder) -> None:
        await self.conn.execute(
            update(stakeholders)
            .where(stakeholders.c.org_id == stakeholder.org_id, stakeholders.c.id == stakeholder.id)
            .values(**_values(stakeholder))
        )

    async def delete(self, org_id: str, stakeholder_id: UUID) -> None:
        await self.conn.execute(
            delete(stakeholders).where(
                stakeholders.c.org_id == org_id, stakeholders.c.id == stakeholder_id
            )
        )

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: StakeholderFilter, page: PageRequest
    ) -> dict[UUID, Page[Stakeholder]]:
        s = stakeholders.c
        stmt = select(stakeholders).where(s.org_id == org_id, s.project_id.in_(set(project_ids)))
        if flt.quadrant is not None:
            stmt = stmt.where(_quadrant(flt.quadrant))
        if flt.contact_overdue is not None:
            overdue = _overdue(flt)
            stmt = stmt.where(overdue if flt.contact_overdue else not_(overdue))
        return await pages_per_group(
            self.conn, stmt, s.project_id, project_ids, _ORDER, False, page, stakeholder_from_row
        )
