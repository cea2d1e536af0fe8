"""A unit of work with every port reporting reads: the composite fake plus the team's."""

from __future__ import annotations

from uuid import UUID

from app.domain.common.paging import Page, PageRequest
from app.domain.reporting.reports import StatusReport
from tests.fakes import _page
from tests.fakes_closing import FakeCharterUnitOfWork
from tests.fakes_team import (
    FakeActionItemRepository,
    FakeAssignmentRepository,
    FakeMeetingRepository,
    FakeStakeholderRepository,
)


class FakeStatusReportRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, StatusReport] = {}

    async def add(self, report: StatusReport) -> None:
        self.rows[report.id] = report

    async def get(self, org_id: str, project_id: UUID, report_id: UUID) -> StatusReport | None:
        r = self.rows.get(report_id)
        return r if r and r.org_id == org_id and r.project_id == project_id else None

    def _newest_first(self, org_id: str, project_id: UUID) -> list[StatusReport]:
        found = [r for r in self.rows.values() if r.org_id == org_id and r.project_id == project_id]
        return sorted(found, key=lambda r: (r.written_at, str(r.id)), reverse=True)

    async def latest(self, org_id: str, project_id: UUID) -> StatusReport | None:
        found = self._newest_first(org_id, project_id)
        return found[0] if found else None

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[StatusReport]]:
        # Newest first; the unit tests read first pages only.
        return {
            p: _page(self._newest_first(org_id, p), page, lambda r: [str(r.written_at), str(r.id)])
            for p in project_ids
        }

    async def counts_for_projects(self, org_id: str, project_ids: list[UUID]) -> dict[UUID, int]:
        return {p: len(self._newest_first(org_id, p)) for p in project_ids}


class FakeReportingUnitOfWork(FakeCharterUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.assignments = FakeAssignmentRepository(self)  # type: ignore[arg-type]
        self.stakeholders = FakeStakeholderRepository()
        self.meetings = FakeMeetingRepository()
        self.action_items = FakeActionItemRepository()
        self.status_reports = FakeStatusReportRepository()
