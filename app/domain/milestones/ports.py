"""Ports of the milestones capability: baselines' storage and the unit of work it needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple, Protocol
from uuid import UUID

from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.milestones.model import DependencyRepository, MilestoneRepository
from app.domain.projects.ports import ProjectsUnitOfWork


class PlannedMilestone(NamedTuple):
    """A milestone as a plan measures it: a baseline's snapshot or the current dates. The
    planned value is the stored amount in the project's currency (value-equal to the money
    shown; earned value computes with it): a portfolio reads thousands, so no ``Money``."""

    milestone_id: UUID
    start_date: date
    due_date: date
    planned_value: Decimal


class BaselineMilestone(NamedTuple):
    """A milestone as a baseline froze it."""

    milestone_id: UUID
    start_date: date
    due_date: date
    planned_value: Money


@dataclass(frozen=True)
class Baseline:
    org_id: str
    project_id: UUID
    number: int
    name: str
    taken_by: str
    taken_at: datetime
    currency: str
    milestone_count: int
    milestones: list[BaselineMilestone] = field(default_factory=list)  # empty in lists


class BaselineRepository(Protocol):
    async def add(self, baseline: Baseline) -> None:
        """Insert a baseline and its milestone snapshot."""
        ...

    async def next_number(self, org_id: str, project_id: UUID) -> int:
        """Return the number the project's next baseline takes (1, 2, ...)."""
        ...

    async def get(self, org_id: str, project_id: UUID, number: int) -> Baseline | None:
        """Return one baseline with its milestones, or None."""
        ...

    async def numbers(self, org_id: str, project_ids: list[UUID]) -> dict[UUID, list[int]]:
        """Return the numbers of each project's baselines, ascending (no key without any)."""
        ...

    async def snapshots(
        self, org_id: str, chosen: dict[UUID, int]
    ) -> dict[UUID, list[PlannedMilestone]]:
        """Return the milestones of the baseline numbered ``chosen[project]`` of each project."""
        ...

    async def list(self, org_id: str, project_id: UUID, page: PageRequest) -> Page[Baseline]:
        """List a project's baselines by number (without their milestones)."""
        ...


class MilestonesUnitOfWork(ProjectsUnitOfWork, Protocol):
    @property
    def milestones(self) -> MilestoneRepository: ...

    @property
    def dependencies(self) -> DependencyRepository: ...

    @property
    def baselines(self) -> BaselineRepository: ...
