"""The unit of work of reporting: it reads every capability below it."""

from __future__ import annotations

from typing import Protocol

from app.domain.closure.ports import ClosureUnitOfWork
from app.domain.reporting.reports import StatusReportRepository
from app.domain.risks.ports import RisksUnitOfWork
from app.domain.team.ports import TeamUnitOfWork


class ReportingUnitOfWork(ClosureUnitOfWork, RisksUnitOfWork, TeamUnitOfWork, Protocol):
    @property
    def status_reports(self) -> StatusReportRepository: ...
