"""The unit of work of the risk register and the issue log."""

from __future__ import annotations

from typing import Protocol

from app.domain.projects.ports import ProjectsUnitOfWork
from app.domain.risks.issues import IssueRepository
from app.domain.risks.model import AssessmentRepository, RiskRepository


class RisksUnitOfWork(ProjectsUnitOfWork, Protocol):
    @property
    def risks(self) -> RiskRepository: ...

    @property
    def assessments(self) -> AssessmentRepository: ...

    @property
    def issues(self) -> IssueRepository: ...
