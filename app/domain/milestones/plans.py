"""The baseline policy: which plan slippage and planned value (PV) measure a project against.

The baseline asked for, else the latest; slippage has no plan without a baseline (it is
null), while planned value then falls back on the milestones' current dates and values.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

from app.domain.milestones.model import MilestoneRepository
from app.domain.milestones.ports import BaselineRepository, PlannedMilestone


class PlansUnitOfWork(Protocol):
    @property
    def milestones(self) -> MilestoneRepository: ...

    @property
    def baselines(self) -> BaselineRepository: ...


@dataclass(frozen=True)
class Plan:
    """A project's milestones as planned: a baseline's snapshot, or the current dates."""

    baseline_number: int | None  # None: the milestones' current dates and values
    milestones: list[PlannedMilestone]

    @property
    def due_dates(self) -> dict[UUID, date]:
        return {m.milestone_id: m.due_date for m in self.milestones}


def chosen_baseline(numbers: Collection[int], asked: int | None = None) -> int | None:
    """Return the baseline to measure against: ``asked`` if the project has it, else (asking
    none) the latest; None when there is none to use."""
    if asked is not None:
        return asked if asked in numbers else None
    return max(numbers, default=None)


async def baseline_plans(
    uow: PlansUnitOfWork, org_id: str, project_ids: list[UUID], asked: int | None = None
) -> dict[UUID, Plan]:
    """Return the chosen baseline's plan of each project that has one (no key otherwise)."""
    numbers = await uow.baselines.numbers(org_id, project_ids)
    chosen = {
        p: n for p in project_ids if (n := chosen_baseline(numbers.get(p, ()), asked)) is not None
    }
    if not chosen:
        return {}
    snapshots = await uow.baselines.snapshots(org_id, chosen)
    return {p: Plan(n, snapshots.get(p, [])) for p, n in chosen.items()}


async def measured_plans(
    uow: PlansUnitOfWork, org_id: str, project_ids: list[UUID]
) -> dict[UUID, Plan]:
    """Return the plan earned value measures each project against (every id a key): the
    latest baseline, else the milestones' current dates and planned values."""
    plans = await baseline_plans(uow, org_id, project_ids)
    unbaselined = [p for p in project_ids if p not in plans]
    if unbaselined:
        current: dict[UUID, list[PlannedMilestone]] = {p: [] for p in unbaselined}
        for m in await uow.milestones.all_for_projects(org_id, unbaselined):
            current[m.project_id].append(
                PlannedMilestone(m.id, m.start_date, m.due_date, m.planned_value.amount)
            )
        plans.update((p, Plan(None, items)) for p, items in current.items())
    return plans
