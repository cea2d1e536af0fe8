"""Use cases for objectives: define, read, list, change, delete; batch reads for GraphQL."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    check_version,
    next_version,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.objectives.model import Objective, ObjectiveWithResults, project_progress
from app.domain.objectives.ports import ObjectivesUnitOfWork
from app.domain.projects.ports import load_project


@dataclass(frozen=True)
class CreateObjective:
    project_id: UUID
    name: str
    description: str | None = None


@dataclass(frozen=True)
class UpdateObjective:
    project_id: UUID | None  # None: the objective's own project (GraphQL names only it)
    objective_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


@dataclass(frozen=True)
class DeleteObjective:
    project_id: UUID | None
    objective_id: UUID
    expected_version: int | None = None


async def load_objective(
    uow: ObjectivesUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    objective_id: UUID,
    *,
    for_update: bool = False,
) -> Objective:
    """Return the caller's live objective (of ``project_id`` when named) or raise NotFound."""
    found = await uow.objectives.get(principal.org, objective_id, for_update=for_update)
    if found is None or project_id not in (None, found.project_id):
        raise NotFound("Objective not found")
    return found


async def with_results(
    uow: ObjectivesUnitOfWork, org: str, objectives: list[Objective]
) -> list[ObjectiveWithResults]:
    """Attach each objective's live key results (one read for all of them)."""
    found = await uow.key_results.for_objectives(org, [o.id for o in objectives])
    return [ObjectiveWithResults(o, found[o.id]) for o in objectives]


async def create_objective(
    cmd: CreateObjective, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> ObjectiveWithResults:
    """Define an objective of a project (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    async with uow:
        project = await load_project(uow, principal, cmd.project_id)
        objective = Objective(
            new_id(), principal.org, project.id, cmd.name, cmd.description, 1, now, now
        ).validate()
        await uow.objectives.add(objective)
        created = {k: plain(getattr(objective, k)) for k in sorted(Objective.EDITABLE)}
        uow.record(
            event(
                "objective.created",
                Subject("objective", objective.id),
                created,
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return ObjectiveWithResults(objective, [])


async def get_objective(
    project_id: UUID | None,
    objective_id: UUID,
    *,
    uow: ObjectivesUnitOfWork,
    principal: Principal,
) -> ObjectiveWithResults:
    """Return one objective of the caller's project, with its key results."""
    principal.require(Role.VIEWER)
    async with uow:
        if project_id is not None:
            await load_project(uow, principal, project_id)
        objective = await load_objective(uow, principal, project_id, objective_id)
        return (await with_results(uow, principal.org, [objective]))[0]


async def objectives_of_projects(
    project_ids: list[UUID], page: PageRequest, *, uow: ObjectivesUnitOfWork, principal: Principal
) -> dict[UUID, Page[ObjectiveWithResults]]:
    """One page of each project's objectives with their key results, in two reads."""
    principal.require(Role.VIEWER)
    async with uow:
        pages = await uow.objectives.pages_for_projects(principal.org, project_ids, page)
        every = [o for p in pages.values() for o in p.items]
        results = await uow.key_results.for_objectives(principal.org, [o.id for o in every])
    return {
        pid: Page(
            [ObjectiveWithResults(o, results[o.id]) for o in p.items], p.next_cursor, p.cursors
        )
        for pid, p in pages.items()
    }


async def list_objectives(
    project_id: UUID, page: PageRequest, *, uow: ObjectivesUnitOfWork, principal: Principal
) -> Page[ObjectiveWithResults]:
    """List a project's objectives, oldest first, with their key results."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        pages = await objectives_of_projects([project_id], page, uow=uow, principal=principal)
    return pages[project_id]


async def objectives_progress(
    project_ids: list[UUID], *, uow: ObjectivesUnitOfWork, principal: Principal
) -> dict[UUID, Decimal | None]:
    """Each project's objectives progress (None without any measured objective), in two reads."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await uow.objectives.all_for_projects(principal.org, project_ids)
        every = [o for objectives in found.values() for o in objectives]
        measured = await with_results(uow, principal.org, every)
    by_id = {m.objective.id: m for m in measured}
    return {pid: project_progress(by_id[o.id] for o in found.get(pid, [])) for pid in project_ids}


async def update_objective(
    cmd: UpdateObjective, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> ObjectiveWithResults:
    """Apply a merge-patch to an objective (manager or higher)."""
    principal.require(Role.MANAGER)
    refuse_unknown(cmd.changes, Objective.EDITABLE)
    async with uow:
        objective = await load_objective(
            uow, principal, cmd.project_id, cmd.objective_id, for_update=True
        )
        updated = await apply_change(
            uow, objective, cmd.changes, cmd.expected_version, type="objective.updated",
            store=uow.objectives.update, principal=principal, clock=clock,
        )  # fmt: skip
        await uow.commit()
        return (await with_results(uow, principal.org, [updated]))[0]


async def delete_objective(
    cmd: DeleteObjective, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> None:
    """Delete an objective and its key results; their check-ins stay on record (manager)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    async with uow:
        objective = await load_objective(
            uow, principal, cmd.project_id, cmd.objective_id, for_update=True
        )
        check_version(objective, cmd.expected_version, "objective")
        gone = next_version(replace(objective, deleted_at=now, updated_at=now))
        await uow.objectives.update(gone)
        await uow.key_results.delete_of_objective(principal.org, objective.id, now)
        uow.record(
            event(
                "objective.deleted",
                Subject("objective", objective.id),
                {"name": objective.name},
                project_id=objective.project_id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()


async def count_objectives_of_projects(
    project_ids: list[UUID], *, uow: ObjectivesUnitOfWork, principal: Principal
) -> dict[UUID, int]:
    """How many live objectives each project has, in one read."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await uow.objectives.all_for_projects(principal.org, project_ids)
    return {pid: len(found.get(pid, [])) for pid in project_ids}
