"""The unit of work of objectives and key results."""

from __future__ import annotations

from typing import Protocol

from app.domain.objectives.model import CheckInRepository, KeyResultRepository, ObjectiveRepository
from app.domain.projects.ports import ProjectsUnitOfWork


class ObjectivesUnitOfWork(ProjectsUnitOfWork, Protocol):
    @property
    def objectives(self) -> ObjectiveRepository: ...

    @property
    def key_results(self) -> KeyResultRepository: ...

    @property
    def check_ins(self) -> CheckInRepository: ...
