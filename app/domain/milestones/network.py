"""Use cases for the dependency network and the schedule computed over it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound, ValidationFailed
from app.domain.common.events import Subject, event
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.milestones.model import Dependency, DependencyType, check_acyclic, check_link
from app.domain.milestones.plans import Plan, baseline_plans
from app.domain.milestones.ports import MilestonesUnitOfWork
from app.domain.milestones.schedule import NetworkLink, Schedule, ScheduleItem, compute_schedule
from app.domain.milestones.service import load_milestone, project_of
from app.domain.projects.ports import load_project


@dataclass(frozen=True)
class AddDependency:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None  # None: the successor's own project
    successor_id: UUID
    predecessor_id: UUID
    type: DependencyType = DependencyType.FINISH_TO_START
    lag_days: int = 0


@dataclass(frozen=True)
class RemoveDependency:
    project_id: UUID | None
    successor_id: UUID
    predecessor_id: UUID


async def add_dependency(
    cmd: AddDependency, *, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
) -> Dependency:
    """Make a milestone depend on another of the same project, refusing cycles (manager)."""
    principal.require(Role.MANAGER)
    check_link(cmd.predecessor_id, cmd.successor_id, cmd.lag_days)
    async with uow:
        # Locking the project row serialises dependency writes per project: two requests
        # that would together close a cycle cannot both pass the check below.
        project = await project_of(
            uow, principal, cmd.project_id, cmd.successor_id, for_update=True
        )
        await load_milestone(uow, principal, project.id, cmd.successor_id)
        try:
            await load_milestone(uow, principal, project.id, cmd.predecessor_id)
        except NotFound:
            raise NotFound("Predecessor milestone not found in this project") from None
        if await uow.dependencies.get(principal.org, cmd.successor_id, cmd.predecessor_id):
            raise ValidationFailed.on(
                "predecessor_id", "is already a predecessor of this milestone"
            )
        edges = await uow.dependencies.links(principal.org, [project.id])
        check_acyclic(
            [(d.predecessor_id, d.successor_id) for d in edges],
            (cmd.predecessor_id, cmd.successor_id),
        )
        dependency = Dependency(
            org_id=principal.org,
            project_id=project.id,
            predecessor_id=cmd.predecessor_id,
            successor_id=cmd.successor_id,
            type=cmd.type,
            lag_days=cmd.lag_days,
            created_at=clock.now(),
        )
        await uow.dependencies.add(dependency)
        uow.record(
            event(
                "milestone.dependency_added",
                Subject("milestone", cmd.successor_id),
                {
                    "predecessor_id": str(cmd.predecessor_id),
                    "type": cmd.type.value,
                    "lag_days": cmd.lag_days,
                },
                project_id=project.id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
    return dependency


async def remove_dependency(
    cmd: RemoveDependency, *, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
) -> None:
    """Remove a dependency (manager or higher)."""
    principal.require(Role.MANAGER)
    async with uow:
        project = await project_of(
            uow, principal, cmd.project_id, cmd.successor_id, for_update=True
        )
        await load_milestone(uow, principal, project.id, cmd.successor_id)
        found = await uow.dependencies.get(principal.org, cmd.successor_id, cmd.predecessor_id)
        if found is None:
            raise NotFound("Dependency not found")
        await uow.dependencies.delete(principal.org, cmd.successor_id, cmd.predecessor_id)
        uow.record(
            event(
                "milestone.dependency_removed",
                Subject("milestone", cmd.successor_id),
                {"predecessor_id": str(cmd.predecessor_id), "type": found.type.value},
                project_id=project.id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()


async def get_dependency(
    project_id: UUID,
    successor_id: UUID,
    predecessor_id: UUID,
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
) -> Dependency:
    """Return one dependency of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        await load_milestone(uow, principal, project_id, successor_id)
        found = await uow.dependencies.get(principal.org, successor_id, predecessor_id)
    if found is None:
        raise NotFound("Dependency not found")
    return found


async def list_dependencies(
    project_id: UUID,
    successor_id: UUID,
    page: PageRequest,
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
) -> Page[Dependency]:
    """List what a milestone depends on."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        await load_milestone(uow, principal, project_id, successor_id)
        return await uow.dependencies.list_predecessors(principal.org, successor_id, page)


async def dependencies_of_milestones(
    milestone_ids: list[UUID], *, uow: MilestonesUnitOfWork, principal: Principal
) -> dict[UUID, list[Dependency]]:
    """Return what each of several of the caller's milestones depends on (batches)."""
    return await _links_of(milestone_ids, False, uow=uow, principal=principal)


async def dependents_of_milestones(
    milestone_ids: list[UUID], *, uow: MilestonesUnitOfWork, principal: Principal
) -> dict[UUID, list[Dependency]]:
    """Return the milestones that depend on each of several of the caller's (batches)."""
    return await _links_of(milestone_ids, True, uow=uow, principal=principal)


async def _links_of(
    milestone_ids: list[UUID], dependents: bool, *, uow: MilestonesUnitOfWork, principal: Principal
) -> dict[UUID, list[Dependency]]:
    principal.require(Role.VIEWER)
    async with uow:
        repo = uow.dependencies
        if dependents:
            links = await repo.of_predecessors(principal.org, milestone_ids)
        else:
            links = await repo.of_successors(principal.org, milestone_ids)
    found: dict[UUID, list[Dependency]] = {m: [] for m in milestone_ids}
    for d in links:
        found[d.predecessor_id if dependents else d.successor_id].append(d)
    return found


async def get_schedule(
    project_id: UUID,
    baseline: int | None,
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
) -> Schedule:
    """Compute the project's schedule; slippage against the latest baseline or ``baseline``."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        milestones = await uow.milestones.schedule_items(principal.org, [project_id])
        dependencies = await uow.dependencies.links(principal.org, [project_id])
        plans = await baseline_plans(uow, principal.org, [project_id], baseline)
    if baseline is not None and project_id not in plans:
        raise NotFound(f"Baseline {baseline} not found")
    return _against(milestones, dependencies, plans.get(project_id))


async def schedules_of_projects(
    project_ids: list[UUID], *, uow: MilestonesUnitOfWork, principal: Principal
) -> list[Schedule]:
    """Compute many projects' schedules with a constant number of reads (for DataLoaders)."""
    principal.require(Role.VIEWER)
    async with uow:
        milestones = await uow.milestones.schedule_items(principal.org, project_ids)
        dependencies = await uow.dependencies.links(principal.org, project_ids)
        plans = await baseline_plans(uow, principal.org, project_ids)
    ms: dict[UUID, list[ScheduleItem]] = {p: [] for p in project_ids}
    ds: dict[UUID, list[NetworkLink]] = {p: [] for p in project_ids}
    for m in milestones:
        ms[m.project_id].append(m)
    for d in dependencies:
        ds[d.project_id].append(d)
    return [_against(ms[p], ds[p], plans.get(p)) for p in project_ids]


def _against(
    milestones: list[ScheduleItem], dependencies: list[NetworkLink], plan: Plan | None
) -> Schedule:
    """Compute a schedule; slippage against the plan's baseline, null without one."""
    if plan is None:
        return compute_schedule(milestones, dependencies)
    return compute_schedule(milestones, dependencies, plan.due_dates, plan.baseline_number)
