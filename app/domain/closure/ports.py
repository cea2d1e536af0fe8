"""The unit of work of the closure review: it reads every capability below it."""

from __future__ import annotations

from typing import Protocol

from app.domain.closure.model import ClosureReportRepository
from app.domain.deliverables.ports import DeliverablesUnitOfWork
from app.domain.ledger.ports import LedgerUnitOfWork
from app.domain.objectives.ports import ObjectivesUnitOfWork


class ClosureUnitOfWork(LedgerUnitOfWork, DeliverablesUnitOfWork, ObjectivesUnitOfWork, Protocol):
    @property
    def closure_reports(self) -> ClosureReportRepository: ...
