"""Baselines: immutable, numbered snapshots of every milestone's dates and planned value."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, NotFound
from app.domain.common.events import Subject, event
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import NAME_MAX, check_text, raise_if
from app.domain.milestones.model import Milestone
from app.domain.milestones.ports import Baseline, BaselineMilestone, MilestonesUnitOfWork
from app.domain.projects.model import Project
from app.domain.projects.ports import load_project


@dataclass(frozen=True)
class TakeBaseline:
    project_id: UUID
    name: str


async def capture(
    project: Project,
    name: str,
    milestones: list[Milestone],
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> Baseline:
    """Snapshot the milestones as the project's next baseline, inside the caller's transaction.

    The caller holds the project row lock, so numbers are taken one at a time.
    """
    items = [BaselineMilestone(m.id, m.start_date, m.due_date, m.planned_value) for m in milestones]
    baseline = Baseline(
        org_id=principal.org,
        project_id=project.id,
        number=await uow.baselines.next_number(principal.org, project.id),
        name=name,
        taken_by=principal.sub,
        taken_at=clock.now(),
        currency=project.currency,
        milestone_count=len(items),
        milestones=items,
    )
    await uow.baselines.add(baseline)
    uow.record(
        event(
            "baseline.taken",
            Subject("project", project.id),
            {"number": baseline.number, "name": name, "milestones": len(items)},
            project_id=project.id,
            principal=principal,
            at=clock.now(),
        )
    )
    return baseline


async def take_baseline(
    cmd: TakeBaseline, *, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
) -> Baseline:
    """Take a numbered baseline of every milestone (manager or higher)."""
    principal.require(Role.MANAGER)
    errors: list[FieldError] = []
    check_text(errors, "name", cmd.name, limit=NAME_MAX, required=True)
    raise_if(errors)
    async with uow:
        project = await load_project(uow, principal, cmd.project_id, for_update=True)
        milestones = await uow.milestones.all_for_projects(principal.org, [project.id])
        baseline = await capture(
            project, cmd.name, milestones, uow=uow, principal=principal, clock=clock
        )
        await uow.commit()
    return baseline


async def get_baseline(
    project_id: UUID, number: int, *, uow: MilestonesUnitOfWork, principal: Principal
) -> Baseline:
    """Return one baseline of the caller's project, with its milestones."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        baseline: Baseline | None = await uow.baselines.get(principal.org, project_id, number)
    if baseline is None:
        raise NotFound("Baseline not found")
    return baseline


async def list_baselines(
    project_id: UUID, page: PageRequest, *, uow: MilestonesUnitOfWork, principal: Principal
) -> Page[Baseline]:
    """List the project's baselines, oldest first."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        result: Page[Baseline] = await uow.baselines.list(principal.org, project_id, page)
        return result
