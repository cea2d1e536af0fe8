"""The unit of work of the risk register and the issue log."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from app.domain.projects.ports import ProjectsUnitOfWork
from app.domain.risks.issues import IssueRepository
from app.domain.risks.model import AssessmentRepository, RiskRepository


class OfProject(Protocol):
    @property
    def project_id(self) -> UUID: ...


class MilestoneLookup(Protocol):
    """What the register reads of milestones: which project the one a risk names is in
    (milestones are a sibling package; this port names only what a risk needs)."""

    async def get(
        self, org_id: str, milestone_id: UUID, *, for_update: bool = False
    ) -> OfProject | None: ...


class RisksUnitOfWork(ProjectsUnitOfWork, Protocol):
    @property
    def milestones(self) -> MilestoneLookup: ...

    @property
    def risks(self) -> RiskRepository: ...

    @property
    def assessments(self) -> AssessmentRepository: ...

    @property
    def issues(self) -> IssueRepository: ...
