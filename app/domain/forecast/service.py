"""The forecast use case: read a project's network, estimates, live risks and actual cost, then
run the simulation in a worker thread (it is CPU-bound: the event loop keeps serving)."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError
from app.domain.common.principal import Principal, Role
from app.domain.common.text import raise_if
from app.domain.forecast.ports import ForecastUnitOfWork
from app.domain.forecast.simulation import Estimate, Forecast, SimMilestone, SimRisk, simulate
from app.domain.milestones.model import Milestone
from app.domain.milestones.schedule import NetworkLink
from app.domain.projects.ports import load_project

ITERATIONS_MIN = 1_000
ITERATIONS_MAX = 100_000
ITERATIONS_DEFAULT = 10_000
SEED_MAX = 2**31 - 1  # GraphQL's Int, so both APIs take the same seeds


@dataclass(frozen=True)
class ForecastInputs:
    """What one project's simulation reads, gathered in one unit of work."""

    milestones: list[SimMilestone]
    links: list[NetworkLink]
    risks: list[SimRisk]
    actual_to_date: Decimal
    currency: str
    target_end_date: date | None

    def run(self, iterations: int, seed: int) -> Forecast:
        return simulate(
            self.milestones,
            self.links,
            self.risks,
            actual_to_date=self.actual_to_date,
            currency=self.currency,
            target_end_date=self.target_end_date,
            iterations=iterations,
            seed=seed,
        )


def check_run(iterations: int | None, seed: int | None) -> tuple[int, int]:
    """The iterations (default 10,000) and seed (default: a fresh random one, returned in
    the result so the run can be repeated); out of range is a 422 naming the field."""
    errors: list[FieldError] = []
    n = ITERATIONS_DEFAULT if iterations is None else iterations
    if not ITERATIONS_MIN <= n <= ITERATIONS_MAX:
        errors.append(
            FieldError(
                "iterations", f"iterations must be from {ITERATIONS_MIN:,} to {ITERATIONS_MAX:,}"
            )
        )
    chosen = secrets.randbelow(SEED_MAX + 1) if seed is None else seed
    if not 0 <= chosen <= SEED_MAX:
        errors.append(FieldError("seed", f"seed must be from 0 to {SEED_MAX}"))
    raise_if(errors)
    return n, chosen


def sim_milestone(m: Milestone) -> SimMilestone:
    estimate = None
    if m.optimistic_days and m.most_likely_days and m.pessimistic_days:
        estimate = Estimate(m.optimistic_days, m.most_likely_days, m.pessimistic_days)
    return SimMilestone(
        id=m.id,
        name=m.name,
        start_date=m.start_date,
        due_date=m.due_date,
        status=m.status,
        completed_on=m.completed_on,
        progress=m.progress,
        planned_value=m.planned_value.amount,
        estimate=estimate,
    )


async def forecast_inputs(
    project_id: UUID, *, uow: ForecastUnitOfWork, principal: Principal, clock: Clock
) -> ForecastInputs:
    """Read what the simulation needs of one of the caller's projects (404 if not theirs)."""
    principal.require(Role.VIEWER)
    today = clock.today()
    async with uow:
        project = await load_project(uow, principal, project_id)
        milestones = await uow.milestones.all_for_projects(principal.org, [project.id])
        links = await uow.dependencies.links(principal.org, [project.id])
        risks = (await uow.risks.live_for_projects(principal.org, [project.id]))[project.id]
        categories, _ = (await uow.ledger.breakdown(principal.org, [project.id], today))[project.id]
    return ForecastInputs(
        milestones=[sim_milestone(m) for m in milestones],
        links=links,
        risks=[
            SimRisk(r.id, r.probability, r.schedule_impact_days, r.milestone_id, r.cost_impact)
            for r in risks
        ],
        actual_to_date=sum((c.actual for c in categories), Decimal(0)),
        currency=project.currency,
        target_end_date=project.target_end_date,
    )


async def project_forecast(
    project_id: UUID,
    iterations: int | None,
    seed: int | None,
    *,
    uow: ForecastUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> Forecast:
    """The Monte Carlo forecast of one project (viewer or higher); the simulation runs in a
    worker thread so that the event loop goes on serving other requests meanwhile."""
    principal.require(Role.VIEWER)
    runs, chosen = check_run(iterations, seed)
    inputs = await forecast_inputs(project_id, uow=uow, principal=principal, clock=clock)
    return await asyncio.to_thread(inputs.run, runs, chosen)
