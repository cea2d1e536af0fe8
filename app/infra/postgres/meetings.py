"""SqlMeetingRepository and SqlActionItemRepository: meetings and what they delegated."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import Column, ColumnElement, and_, insert, not_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.team.meetings import (
    ActionItem,
    ActionItemFilter,
    ActionStatus,
    Meeting,
    MeetingKind,
)
from app.infra.postgres.paging import pages_per_group
from app.infra.postgres.tables import action_items, meetings

_MEETING = tuple(c.name for c in meetings.columns)
_ITEM = tuple(c.name for c in action_items.columns)
_MEETING_ORDER: list[Column[Any]] = [meetings.c.held_on, meetings.c.id]
_ITEM_ORDER: list[Column[Any]] = [action_items.c.due_on, action_items.c.id]
_TUPLES = ("attendee_person_ids", "attendee_stakeholder_ids", "decisions")


def meeting_from_row(row: Row[Any]) -> Meeting:
    values = {c: row._mapping[c] for c in _MEETING}
    values["kind"] = MeetingKind(values["kind"])
    for name in _TUPLES:
        values[name] = tuple(values[name])
    return Meeting(**values)


def item_from_row(row: Row[Any]) -> ActionItem:
    values = {c: row._mapping[c] for c in _ITEM}
    values["status"] = ActionStatus(values["status"])
    return ActionItem(**values)


def _meeting_values(m: Meeting) -> dict[str, Any]:
    values = {c: getattr(m, c) for c in _MEETING}
    values["kind"] = m.kind.value
    for name in _TUPLES:
        values[name] = list(values[name])
    return values


def _item_values(a: ActionItem) -> dict[str, Any]:
    values = {c: getattr(a, c) for c in _ITEM}
    values["status"] = a.status.value
    return values


class SqlMeetingRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, meeting: Meeting) -> None:
        await self.conn.execute(insert(meetings).values(**_meeting_values(meeting)))

    async def get(
        self, org_id: str, meeting_id: UUID, *, for_update: bool = False
    ) -> Meeting | None:
        stmt = select(meetings).where(meetings.c.org_id == org_id, meetings.c.id == meeting_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return meeting_from_row(row) if row else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Meeting | None]:
        if not ids:
            return []
        stmt = select(meetings).where(meetings.c.org_id == org_id, meetings.c.id.in_(set(ids)))
        found = {r.id: meeting_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in ids]

    async def update(self, meeting: Meeting) -> None:
        await self.conn.execute(
            update(meetings)
            .where(meetings.c.org_id == meeting.org_id, meetings.c.id == meeting.id)
            .values(**_meeting_values(meeting))
        )

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Meeting]]:
        m = meetings.c
        stmt = select(meetings).where(m.org_id == org_id, m.project_id.in_(set(project_ids)))
        return await pages_per_group(
            self.conn, stmt, m.project_id, project_ids, _MEETING_ORDER, True, page,
            meeting_from_row,
        )  # fmt: skip


def _item_filter(flt: ActionItemFilter) -> list[ColumnElement[bool]]:
    a = action_items.c
    conditions: list[ColumnElement[bool]] = []
    if flt.status is not None:
        conditions.append(a.status == flt.status.value)
    if flt.owner_id is not None:
        conditions.append(a.owner_id == flt.owner_id)
    if flt.overdue is not None:
        assert flt.today is not None
        overdue = and_(a.status == ActionStatus.OPEN.value, a.due_on < flt.today)
        conditions.append(overdue if flt.overdue else not_(overdue))
    return conditions


class SqlActionItemRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add_many(self, items: list[ActionItem]) -> None:
        if items:
            await self.conn.execute(insert(action_items), [_item_values(a) for a in items])

    async def get(
        self, org_id: str, item_id: UUID, *, for_update: bool = False
    ) -> ActionItem | None:
        a = action_items.c
        stmt = select(action_items).where(a.org_id == org_id, a.id == item_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return item_from_row(row) if row else None

    async def update(self, item: ActionItem) -> None:
        a = action_items.c
        await self.conn.execute(
            update(action_items)
            .where(a.org_id == item.org_id, a.id == item.id)
            .values(**_item_values(item))
        )

    async def of_meetings(
        self, org_id: str, meeting_ids: list[UUID]
    ) -> dict[UUID, list[ActionItem]]:
        found: dict[UUID, list[ActionItem]] = defaultdict(list)
        if meeting_ids:
            a = action_items.c
            stmt = (
                select(action_items)
                .where(a.org_id == org_id, a.meeting_id.in_(set(meeting_ids)))
                .order_by(*_ITEM_ORDER)
            )
            for row in await self.conn.execute(stmt):
                found[row.meeting_id].append(item_from_row(row))
        return {m: found.get(m, []) for m in meeting_ids}

    async def _pages(
        self,
        org_id: str,
        group: Column[Any],
        ids: list[UUID],
        flt: ActionItemFilter,
        page: PageRequest,
    ) -> dict[UUID, Page[ActionItem]]:
        stmt = select(action_items).where(
            action_items.c.org_id == org_id, group.in_(set(ids)), *_item_filter(flt)
        )
        return await pages_per_group(
            self.conn, stmt, group, ids, _ITEM_ORDER, False, page, item_from_row
        )

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: ActionItemFilter, page: PageRequest
    ) -> dict[UUID, Page[ActionItem]]:
        return await self._pages(org_id, action_items.c.project_id, project_ids, flt, page)

    async def pages_for_owners(
        self, org_id: str, owner_ids: list[UUID], flt: ActionItemFilter, page: PageRequest
    ) -> dict[UUID, Page[ActionItem]]:
        return await self._pages(org_id, action_items.c.owner_id, owner_ids, flt, page)
