"""In-memory fakes of the team ports (assignments, stakeholders, meetings, action items)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from app.domain.common.paging import Page, PageRequest
from app.domain.team.assignments import Assignment
from app.domain.team.meetings import ActionItem, ActionItemFilter, Meeting
from app.domain.team.stakeholders import Stakeholder, StakeholderFilter
from app.domain.team.workload import Allocation, Member, WeekRange
from tests.fakes import FakeUnitOfWork, _page

T = TypeVar("T")


def _pages(
    groups: Iterable[UUID],
    rows: Callable[[UUID], list[T]],
    key: Callable[[T], Any],
    page: PageRequest,
) -> dict[UUID, Page[T]]:
    return {g: _page(sorted(rows(g), key=key), page, key) for g in groups}


class FakeAssignmentRepository:
    def __init__(self, uow: FakeTeamUnitOfWork) -> None:
        self.rows: dict[UUID, Assignment] = {}
        self.uow = uow

    async def add(self, assignment: Assignment) -> None:
        self.rows[assignment.id] = assignment

    async def get(
        self, org_id: str, assignment_id: UUID, *, for_update: bool = False
    ) -> Assignment | None:
        a = self.rows.get(assignment_id)
        return a if a and a.org_id == org_id else None

    async def update(self, assignment: Assignment) -> None:
        self.rows[assignment.id] = assignment

    async def delete(self, org_id: str, assignment_id: UUID) -> None:
        self.rows.pop(assignment_id, None)

    def _of(self, org_id: str) -> list[Assignment]:
        return [a for a in self.rows.values() if a.org_id == org_id]

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        return _pages(
            project_ids,
            lambda p: [a for a in self._of(org_id) if a.project_id == p],
            lambda a: [a.start_date.isoformat(), str(a.id)],
            page,
        )

    async def pages_for_people(
        self, org_id: str, person_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        return _pages(
            person_ids,
            lambda p: [a for a in self._of(org_id) if a.person_id == p],
            lambda a: [a.start_date.isoformat(), str(a.id)],
            page,
        )

    async def allocations(
        self, org_id: str, span: WeekRange, person_ids: list[UUID] | None = None
    ) -> list[Allocation]:
        projects = self.uow.projects.rows
        return [
            Allocation(a.id, a.person_id, a.project_id, projects[a.project_id].key,
                       a.allocation_percent, a.start_date, a.end_date)
            for a in self._of(org_id)
            if a.start_date <= span.end and a.end_date >= span.start
            and (person_ids is None or a.person_id in person_ids)
        ]  # fmt: skip

    async def staffing(self, org_id: str, span: WeekRange) -> tuple[list[Allocation], list[Member]]:
        found = await self.allocations(org_id, span)
        return found, await self.roster(org_id, list({a.person_id for a in found}))

    async def people_on_project(
        self, org_id: str, project_id: UUID, person_ids: list[UUID]
    ) -> set[UUID]:
        return {
            a.person_id
            for a in self._of(org_id)
            if a.project_id == project_id and a.person_id in person_ids
        }

    async def roster(self, org_id: str, person_ids: list[UUID] | None = None) -> list[Member]:
        return [
            Member(p.id, p.name, p.weekly_capacity_hours)
            for p in sorted(self.uow.people.rows.values(), key=lambda p: (p.name, str(p.id)))
            if p.org_id == org_id and (person_ids is None or p.id in person_ids)
        ]


class FakeStakeholderRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Stakeholder] = {}

    async def add(self, stakeholder: Stakeholder) -> None:
        self.rows[stakeholder.id] = stakeholder

    async def get(
        self, org_id: str, stakeholder_id: UUID, *, for_update: bool = False
    ) -> Stakeholder | None:
        s = self.rows.get(stakeholder_id)
        return s if s and s.org_id == org_id else None

    async def get_many(
        self, org_id: str, ids: list[UUID], *, for_update: bool = False
    ) -> list[Stakeholder | None]:
        return [await self.get(org_id, i) for i in ids]

    async def update(self, stakeholder: Stakeholder) -> None:
        self.rows[stakeholder.id] = stakeholder

    async def delete(self, org_id: str, stakeholder_id: UUID) -> None:
        self.rows.pop(stakeholder_id, None)

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: StakeholderFilter, page: PageRequest
    ) -> dict[UUID, Page[Stakeholder]]:
        def ok(s: Stakeholder) -> bool:
            assert flt.today is not None
            return (flt.quadrant is None or s.quadrant == flt.quadrant) and (
                flt.contact_overdue is None or s.contact_overdue(flt.today) == flt.contact_overdue
            )

        return _pages(
            project_ids,
            lambda p: [
                s for s in self.rows.values() if s.org_id == org_id and s.project_id == p and ok(s)
            ],
            lambda s: [s.name, str(s.id)],
            page,
        )


class FakeMeetingRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Meeting] = {}

    async def add(self, meeting: Meeting) -> None:
        self.rows[meeting.id] = meeting

    async def get(
        self, org_id: str, meeting_id: UUID, *, for_update: bool = False
    ) -> Meeting | None:
        m = self.rows.get(meeting_id)
        return m if m and m.org_id == org_id else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Meeting | None]:
        return [await self.get(org_id, i) for i in ids]

    async def update(self, meeting: Meeting) -> None:
        self.rows[meeting.id] = meeting

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Meeting]]:
        result = {}
        for p in project_ids:
            mine = [m for m in self.rows.values() if m.org_id == org_id and m.project_id == p]
            mine.sort(key=lambda m: (m.held_on, str(m.id)), reverse=True)
            result[p] = Page(mine[: page.limit], None, [str(m.id) for m in mine[: page.limit]])
        return result


class FakeActionItemRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, ActionItem] = {}

    async def add_many(self, items: list[ActionItem]) -> None:
        self.rows.update((a.id, a) for a in items)

    async def get(
        self, org_id: str, item_id: UUID, *, for_update: bool = False
    ) -> ActionItem | None:
        a = self.rows.get(item_id)
        return a if a and a.org_id == org_id else None

    async def update(self, item: ActionItem) -> None:
        self.rows[item.id] = item

    def _match(self, org_id: str, flt: ActionItemFilter) -> list[ActionItem]:
        def ok(a: ActionItem) -> bool:
            overdue = flt.today is not None and a.overdue(flt.today)
            return (
                (flt.status is None or a.status == flt.status)
                and (flt.owner_id is None or a.owner_id == flt.owner_id)
                and (flt.overdue is None or overdue == flt.overdue)
            )

        return [a for a in self.rows.values() if a.org_id == org_id and ok(a)]

    async def of_meetings(
        self, org_id: str, meeting_ids: list[UUID]
    ) -> dict[UUID, list[ActionItem]]:
        every = self._match(org_id, ActionItemFilter())
        return {
            m: sorted((a for a in every if a.meeting_id == m), key=lambda a: (a.due_on, str(a.id)))
            for m in meeting_ids
        }

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: ActionItemFilter, page: PageRequest
    ) -> dict[UUID, Page[ActionItem]]:
        found = self._match(org_id, flt)
        return _pages(
            project_ids,
            lambda p: [a for a in found if a.project_id == p],
            lambda a: [a.due_on.isoformat(), str(a.id)],
            page,
        )

    async def pages_for_owners(
        self, org_id: str, owner_ids: list[UUID], flt: ActionItemFilter, page: PageRequest
    ) -> dict[UUID, Page[ActionItem]]:
        found = self._match(org_id, flt)
        return _pages(
            owner_ids,
            lambda o: [a for a in found if a.owner_id == o],
            lambda a: [a.due_on.isoformat(), str(a.id)],
            page,
        )


class FakeTeamUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.assignments = FakeAssignmentRepository(self)
        self.stakeholders = FakeStakeholderRepository()
        self.meetings = FakeMeetingRepository()
        self.action_items = FakeActionItemRepository()
