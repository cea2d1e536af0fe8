"""The unit of work of deliverables (above milestones: a deliverable may name one)."""

from __future__ import annotations

from typing import Protocol

from app.domain.deliverables.model import DecisionRepository, DeliverableRepository
from app.domain.milestones.ports import MilestonesUnitOfWork


class DeliverablesUnitOfWork(MilestonesUnitOfWork, Protocol):
    @property
    def deliverables(self) -> DeliverableRepository: ...

    @property
    def decisions(self) -> DecisionRepository: ...
