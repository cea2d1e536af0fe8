"""In-memory fakes of the milestones ports, and a unit of work that has them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from app.domain.common.errors import ValidationFailed
from app.domain.common.paging import Page, PageRequest
from app.domain.milestones.model import Dependency, Milestone, MilestoneStatus
from app.domain.milestones.ports import Baseline, PlannedMilestone
from app.domain.milestones.schedule import NetworkLink, ScheduleItem
from tests.fakes import FakeMilestoneLookup, FakeUnitOfWork, _page


class FakeMilestoneRepository(FakeMilestoneLookup):
    def __init__(self) -> None:
        super().__init__()
        self.progress: list[tuple[UUID, int, MilestoneStatus]] = []
        self.history: list[Milestone] = []  # each recorded progress, as the milestone stood

    def _record(self, milestone: Milestone) -> None:
        self.progress.append((milestone.id, milestone.progress, milestone.status))
        self.history.append(milestone)

    async def add(self, milestone: Milestone) -> None:
        self.rows[milestone.id] = milestone
        self._record(milestone)

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Milestone | None]:
        return [await self.get(org_id, i) for i in ids]

    def _of(
        self, org_id: str, project_ids: Iterable[UUID], status: MilestoneStatus | None = None
    ) -> list[Milestone]:
        wanted = set(project_ids)
        found = [
            m
            for m in self.rows.values()
            if m.org_id == org_id and m.project_id in wanted and status in (None, m.status)
        ]
        return sorted(found, key=lambda m: (m.start_date, str(m.id)))

    async def count(self, org_id: str, project_id: UUID, status: MilestoneStatus | None) -> int:
        return len(self._of(org_id, [project_id], status))

    async def counts_for_projects(
        self, org_id: str, project_ids: list[UUID], status: MilestoneStatus | None
    ) -> list[int]:
        return [len(self._of(org_id, [p], status)) for p in project_ids]

    async def pages_for_projects(
        self,
        org_id: str,
        project_ids: list[UUID],
        status: MilestoneStatus | None,
        page: PageRequest,
    ) -> list[Page[Milestone]]:
        return [await self.list(org_id, p, status, page) for p in project_ids]

    async def all_for_projects(self, org_id: str, project_ids: list[UUID]) -> list[Milestone]:
        return self._of(org_id, project_ids)

    async def schedule_items(self, org_id: str, project_ids: list[UUID]) -> list[ScheduleItem]:
        return [
            ScheduleItem(
                m.id, m.project_id, m.name, m.start_date, m.due_date, m.status, m.completed_on
            )
            for m in self._of(org_id, project_ids)
        ]

    async def update(self, milestone: Milestone, progress_changed: bool) -> None:
        self.rows[milestone.id] = milestone
        if progress_changed:
            self._record(milestone)

    async def progress_at(
        self, org_id: str, project_ids: list[UUID], at: datetime
    ) -> dict[UUID, int]:
        found: dict[UUID, int] = {}
        for m in self.history:  # oldest first: the last one before ``at`` wins
            if m.org_id == org_id and m.project_id in project_ids and m.updated_at < at:
                found[m.id] = m.progress
        return found

    async def delete(self, org_id: str, milestone_id: UUID) -> None:
        self.rows.pop(milestone_id, None)

    async def list(
        self, org_id: str, project_id: UUID, status: MilestoneStatus | None, page: PageRequest
    ) -> Page[Milestone]:
        found = self._of(org_id, [project_id], status)
        return _page(found, page, lambda m: [m.start_date.isoformat(), str(m.id)])


class FakeDependencyRepository:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, UUID, UUID], Dependency] = {}

    async def add(self, dependency: Dependency) -> None:
        key = (dependency.org_id, dependency.successor_id, dependency.predecessor_id)
        if key in self.rows:
            raise ValidationFailed.on("predecessor_id", "is already a predecessor")
        self.rows[key] = dependency

    async def get(self, org_id: str, successor_id: UUID, predecessor_id: UUID) -> Dependency | None:
        return self.rows.get((org_id, successor_id, predecessor_id))

    async def delete(self, org_id: str, successor_id: UUID, predecessor_id: UUID) -> None:
        self.rows.pop((org_id, successor_id, predecessor_id), None)

    def _where(self, org_id: str, keep: object) -> list[Dependency]:
        return [d for d in self.rows.values() if d.org_id == org_id and keep(d)]  # type: ignore[operator]

    async def list_predecessors(
        self, org_id: str, successor_id: UUID, page: PageRequest
    ) -> Page[Dependency]:
        found = self._where(org_id, lambda d: d.successor_id == successor_id)
        return _page(found, page, lambda d: [str(d.predecessor_id)])

    async def all_for_projects(self, org_id: str, project_ids: list[UUID]) -> list[Dependency]:
        return self._where(org_id, lambda d: d.project_id in project_ids)

    async def links(self, org_id: str, project_ids: list[UUID]) -> list[NetworkLink]:
        return [
            NetworkLink(d.project_id, d.predecessor_id, d.successor_id, d.type, d.lag_days)
            for d in await self.all_for_projects(org_id, project_ids)
        ]

    async def of_successors(self, org_id: str, ids: list[UUID]) -> list[Dependency]:
        return self._where(org_id, lambda d: d.successor_id in ids)

    async def of_predecessors(self, org_id: str, ids: list[UUID]) -> list[Dependency]:
        return self._where(org_id, lambda d: d.predecessor_id in ids)


class FakeBaselineRepository:
    def __init__(self) -> None:
        self.rows: list[Baseline] = []

    def _of(self, org_id: str, project_id: UUID) -> list[Baseline]:
        return [b for b in self.rows if b.org_id == org_id and b.project_id == project_id]

    async def add(self, baseline: Baseline) -> None:
        self.rows.append(baseline)

    async def next_number(self, org_id: str, project_id: UUID) -> int:
        return max((b.number for b in self._of(org_id, project_id)), default=0) + 1

    async def get(self, org_id: str, project_id: UUID, number: int) -> Baseline | None:
        return next((b for b in self._of(org_id, project_id) if b.number == number), None)

    async def numbers(self, org_id: str, project_ids: list[UUID]) -> dict[UUID, list[int]]:
        found = {p: sorted(b.number for b in self._of(org_id, p)) for p in project_ids}
        return {p: numbers for p, numbers in found.items() if numbers}

    async def snapshots(
        self, org_id: str, chosen: dict[UUID, int]
    ) -> dict[UUID, list[PlannedMilestone]]:
        found: dict[UUID, list[PlannedMilestone]] = {}
        for p, number in chosen.items():
            baseline = await self.get(org_id, p, number)
            found[p] = [
                PlannedMilestone(m.milestone_id, m.start_date, m.due_date, m.planned_value.amount)
                for m in (baseline.milestones if baseline else [])
            ]
        return found

    async def list(self, org_id: str, project_id: UUID, page: PageRequest) -> Page[Baseline]:
        return _page(self._of(org_id, project_id), page, lambda b: [b.number])


class FakeMilestonesUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.milestones: FakeMilestoneRepository = FakeMilestoneRepository()
        self.dependencies = FakeDependencyRepository()
        self.baselines = FakeBaselineRepository()
