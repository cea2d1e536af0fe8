"""In-memory fakes of objectives, deliverables and the closure review, and a unit of work
with every port (the composite one)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from app.domain.closure.model import ClosureReport, Lesson, LessonFilter, LessonKind
from app.domain.common.paging import Page, PageRequest
from app.domain.deliverables.model import DecisionRecord, Deliverable, DeliverableStatus
from app.domain.objectives.model import CheckIn, KeyResult, Objective
from app.domain.projects.model import Phase
from tests.fakes import FakeProjectRepository, _page
from tests.fakes_ledger import FakeLedgerUnitOfWork


class FakeObjectiveRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Objective] = {}

    async def add(self, objective: Objective) -> None:
        self.rows[objective.id] = objective

    async def get(
        self, org_id: str, objective_id: UUID, *, for_update: bool = False
    ) -> Objective | None:
        o = self.rows.get(objective_id)
        return o if o and o.org_id == org_id and o.deleted_at is None else None

    async def update(self, objective: Objective) -> None:
        self.rows[objective.id] = objective

    def _of(self, org_id: str, project_id: UUID) -> list[Objective]:
        found = [
            o
            for o in self.rows.values()
            if o.org_id == org_id and o.project_id == project_id and o.deleted_at is None
        ]
        return sorted(found, key=lambda o: (o.created_at, str(o.id)))

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Objective]]:
        key = lambda o: [o.created_at.isoformat(), str(o.id)]  # noqa: E731
        return {p: _page(self._of(org_id, p), page, key) for p in project_ids}

    async def all_for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, list[Objective]]:
        return {p: self._of(org_id, p) for p in project_ids}


class FakeKeyResultRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, KeyResult] = {}

    async def add(self, key_result: KeyResult) -> None:
        self.rows[key_result.id] = key_result

    async def get(
        self, org_id: str, key_result_id: UUID, *, for_update: bool = False
    ) -> KeyResult | None:
        k = self.rows.get(key_result_id)
        return k if k and k.org_id == org_id else None

    async def update(self, key_result: KeyResult) -> None:
        self.rows[key_result.id] = key_result

    async def for_objectives(
        self, org_id: str, objective_ids: list[UUID]
    ) -> dict[UUID, list[KeyResult]]:
        live = sorted(
            (k for k in self.rows.values() if k.org_id == org_id and k.deleted_at is None),
            key=lambda k: (k.created_at, str(k.id)),
        )
        return {o: [k for k in live if k.objective_id == o] for o in objective_ids}

    async def delete_of_objective(self, org_id: str, objective_id: UUID, at: datetime) -> None:
        for k in list(self.rows.values()):
            if k.org_id == org_id and k.objective_id == objective_id and k.deleted_at is None:
                self.rows[k.id] = replace(k, deleted_at=at)


class FakeCheckInRepository:
    def __init__(self) -> None:
        self.rows: list[CheckIn] = []

    async def add(self, check_in: CheckIn) -> None:
        self.rows.append(check_in)

    async def pages_for_key_results(
        self, org_id: str, key_result_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[CheckIn]]:
        result = {}
        for k in key_result_ids:
            mine = [c for c in reversed(self.rows) if c.org_id == org_id and c.key_result_id == k]
            result[k] = Page(mine[: page.limit], None, [str(c.id) for c in mine[: page.limit]])
        return result


class FakeDeliverableRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Deliverable] = {}

    async def add(self, deliverable: Deliverable) -> None:
        self.rows[deliverable.id] = deliverable

    async def get(
        self, org_id: str, deliverable_id: UUID, *, for_update: bool = False
    ) -> Deliverable | None:
        d = self.rows.get(deliverable_id)
        return d if d and d.org_id == org_id else None

    async def update(self, deliverable: Deliverable) -> None:
        self.rows[deliverable.id] = deliverable

    def _of(self, org_id: str, project_id: UUID) -> list[Deliverable]:
        found = [d for d in self.rows.values() if d.org_id == org_id and d.project_id == project_id]
        return sorted(found, key=lambda d: (d.created_at, str(d.id)))

    async def pages_for_projects(
        self,
        org_id: str,
        project_ids: list[UUID],
        status: DeliverableStatus | None,
        page: PageRequest,
    ) -> dict[UUID, Page[Deliverable]]:
        key = lambda d: [d.created_at.isoformat(), str(d.id)]  # noqa: E731
        return {
            p: _page([d for d in self._of(org_id, p) if status in (None, d.status)], page, key)
            for p in project_ids
        }

    async def status_counts(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, dict[DeliverableStatus, int]]:
        return {p: dict(Counter(d.status for d in self._of(org_id, p))) for p in project_ids}


class FakeDecisionRepository:
    def __init__(self) -> None:
        self.rows: list[DecisionRecord] = []

    async def add(self, record: DecisionRecord) -> None:
        self.rows.append(record)

    async def pages_for_deliverables(
        self, org_id: str, deliverable_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[DecisionRecord]]:
        result = {}
        for d in deliverable_ids:
            mine = [r for r in reversed(self.rows) if r.org_id == org_id and r.deliverable_id == d]
            result[d] = Page(mine[: page.limit], None, [str(r.id) for r in mine[: page.limit]])
        return result


class FakeClosureReportRepository:
    def __init__(self, projects: FakeProjectRepository) -> None:
        self.rows: dict[tuple[str, UUID], ClosureReport] = {}
        self._projects = projects

    async def get(self, org_id: str, project_id: UUID) -> ClosureReport | None:
        return self.rows.get((org_id, project_id))

    async def save(self, report: ClosureReport) -> None:
        self.rows[(report.org_id, report.project_id)] = report

    async def for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, ClosureReport | None]:
        return {p: self.rows.get((org_id, p)) for p in project_ids}

    async def lessons(self, org_id: str, flt: LessonFilter, page: PageRequest) -> Page[Lesson]:
        found = []
        for (org, pid), r in self.rows.items():
            project = self._projects.rows[pid]
            if org != org_id or project.phase != Phase.CLOSED:
                continue
            if flt.business_area not in (None, project.business_area):
                continue
            for kind, items in ((LessonKind.WENT_WELL, r.went_well), (LessonKind.TO_IMPROVE, r.to_improve)):  # fmt: skip
                for text in items:
                    if flt.q is None or flt.q.lower() in text.lower():
                        found.append(
                            Lesson(
                                pid,
                                project.key,
                                project.name,
                                project.business_area,
                                kind,
                                text,
                                r.written_at,
                            )
                        )
        found.sort(key=lambda lesson: (lesson.project_key, lesson.kind.value))
        return Page(found[: page.limit], None, [str(i) for i in range(len(found[: page.limit]))])


class FakeCharterUnitOfWork(FakeLedgerUnitOfWork):
    """Every port of the composite unit of work (but idempotency), in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.objectives = FakeObjectiveRepository()
        self.key_results = FakeKeyResultRepository()
        self.check_ins = FakeCheckInRepository()
        self.deliverables = FakeDeliverableRepository()
        self.decisions = FakeDecisionRepository()
        self.closure_reports = FakeClosureReportRepository(self.projects)
