"""Use cases for projects: create, read, update, move through the lifecycle, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.common.changes import apply_change, check_version, next_version, refuse_unknown
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound, PhaseGateUnmet, UnmetCondition, ValidationFailed
from app.domain.common.events import DomainEvent, Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import TEXT_MAX
from app.domain.people.model import check_people
from app.domain.projects.gates import ConditionResult, Gates, U
from app.domain.projects.model import SORTABLE, BusinessArea, Phase, Project, ProjectFilter
from app.domain.projects.ports import ProjectsUnitOfWork, load_project


@dataclass(frozen=True)
class CreateProject:
    key: str
    name: str
    business_area: BusinessArea
    currency: str
    description: str | None = None
    sponsor_id: UUID | None = None
    manager_id: UUID | None = None
    start_date: date | None = None
    target_end_date: date | None = None
    no_known_risks: bool = False


@dataclass(frozen=True)
class UpdateProject:
    project_id: UUID
    changes: dict[str, Any]
    expected_version: int | None = None


@dataclass(frozen=True)
class TransitionProject:
    project_id: UUID
    to: Phase
    reason: str | None = None
    force: bool = False
    expected_version: int | None = None


@dataclass(frozen=True)
class GateChecklist:
    to: Phase | None
    conditions: list[ConditionResult]


def _event(
    type: str, project: Project, changes: dict[str, Any], principal: Principal, clock: Clock
) -> DomainEvent:
    subject = Subject("project", project.id)
    return event(type, subject, changes, project_id=project.id, principal=principal, at=clock.now())


def _people_of(values: dict[str, Any]) -> dict[str, UUID | None]:
    return {f: values[f] for f in ("sponsor_id", "manager_id") if f in values}


async def create_project(
    cmd: CreateProject, *, uow: ProjectsUnitOfWork, principal: Principal, clock: Clock
) -> Project:
    """Create a project in initiation (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    project = Project(
        id=new_id(),
        org_id=principal.org,
        key=cmd.key,
        name=cmd.name,
        description=cmd.description,
        business_area=cmd.business_area,
        sponsor_id=cmd.sponsor_id,
        manager_id=cmd.manager_id,
        start_date=cmd.start_date,
        target_end_date=cmd.target_end_date,
        currency=cmd.currency,
        phase=Phase.INITIATION,
        held_from=None,
        no_known_risks=cmd.no_known_risks,
        version=1,
        created_at=now,
        updated_at=now,
    ).validate()
    async with uow:
        await check_people(uow.people, principal.org, _people_of(vars(cmd)))
        await uow.projects.add(project)
        created = {"key": project.key, "name": project.name, "phase": project.phase.value}
        uow.record(_event("project.created", project, created, principal, clock))
        await uow.commit()
    return project


async def get_project(
    project_id: UUID, *, uow: ProjectsUnitOfWork, principal: Principal
) -> Project:
    """Return one project of the caller's organization."""
    principal.require(Role.VIEWER)
    async with uow:
        return await load_project(uow, principal, project_id)


async def get_project_by_key(key: str, *, uow: ProjectsUnitOfWork, principal: Principal) -> Project:
    """Return the caller's project with this key."""
    principal.require(Role.VIEWER)
    async with uow:
        project = await uow.projects.get_by_key(principal.org, key)
    if project is None:
        raise NotFound("Project not found")
    return project


async def list_projects(
    flt: ProjectFilter,
    sort: str,
    page: PageRequest,
    *,
    uow: ProjectsUnitOfWork,
    principal: Principal,
) -> Page[Project]:
    """List the caller's projects, filtered and sorted."""
    principal.require(Role.VIEWER)
    if sort.removeprefix("-") not in SORTABLE:
        raise ValidationFailed.on(
            "sort", f"must be one of {', '.join(sorted(SORTABLE))}, optionally prefixed by -"
        )
    if flt.q is not None and len(flt.q) > 200:
        raise ValidationFailed.on("q", "must be at most 200 characters")
    async with uow:
        return await uow.projects.list(principal.org, flt, sort, page)


async def count_projects(
    flt: ProjectFilter, *, uow: ProjectsUnitOfWork, principal: Principal
) -> int:
    """Count the caller's projects a filter matches."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.projects.count(principal.org, flt)


async def update_project(
    cmd: UpdateProject,
    *,
    uow: U,
    principal: Principal,
    clock: Clock,
    gates: Gates[U] | None = None,
) -> Project:
    """Apply a merge-patch to a project (manager or higher), honouring the expected version."""
    principal.require(Role.MANAGER)
    refuse_unknown(cmd.changes, Project.EDITABLE)
    async with uow:
        project = await load_project(uow, principal, cmd.project_id, for_update=True)

        async def check(_: Project, diff: dict[str, Any]) -> None:
            changed = {k: cmd.changes[k] for k in diff}
            await check_people(uow.people, principal.org, _people_of(changed))
            if gates is not None:
                await gates.check_update(project, changed, uow)

        updated = await apply_change(
            uow, project, cmd.changes, cmd.expected_version, type="project.updated",
            store=uow.projects.update, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return updated


async def gate_checklist(
    project_id: UUID, *, uow: U, principal: Principal, gates: Gates[U]
) -> GateChecklist:
    """Return the next forward gate's conditions, each met or not."""
    principal.require(Role.VIEWER)
    async with uow:
        project = await load_project(uow, principal, project_id)
        to = project.next_forward()
        conditions = await gates.evaluate(project, to, uow) if to else []
    return GateChecklist(to, conditions)


async def transition_project(
    cmd: TransitionProject,
    *,
    uow: U,
    principal: Principal,
    clock: Clock,
    gates: Gates[U],
) -> Project:
    """Move a project to another phase: lifecycle rules, then gates (an admin may force them)."""
    principal.require(Role.ADMIN if cmd.force else Role.MANAGER)
    reason = cmd.reason.strip() if cmd.reason else None
    if cmd.force and not reason:
        raise ValidationFailed.on("reason", "is required to force a phase gate")
    if cmd.reason is not None and len(cmd.reason) > TEXT_MAX:
        raise ValidationFailed.on("reason", f"must be at most {TEXT_MAX} characters")
    async with uow:
        project = await load_project(uow, principal, cmd.project_id, for_update=True)
        check_version(project, cmd.expected_version, "project")
        moved = project.move_to(cmd.to, clock.now())
        unmet: list[ConditionResult] = []
        forward = project.next_forward() == cmd.to
        if forward:
            unmet = [c for c in await gates.evaluate(project, cmd.to, uow) if not c.met]
            if unmet and not cmd.force:
                raise PhaseGateUnmet([UnmetCondition(c.gate, c.message) for c in unmet])
        moved = next_version(moved)
        await uow.projects.update(moved)
        changes: dict[str, Any] = {"phase": {"from": project.phase.value, "to": moved.phase.value}}
        if reason:
            changes["reason"] = reason
        if cmd.force:
            changes["forced"] = True
            changes["unmet"] = [{"gate": c.gate, "message": c.message} for c in unmet]
        uow.record(_event("project.transitioned", project, changes, principal, clock))
        if forward:  # a phase is first entered through its gate; resuming from on_hold is not
            await gates.entered(moved, uow, principal, clock)
        await uow.commit()
    return moved


async def list_activity(
    project_id: UUID, page: PageRequest, *, uow: ProjectsUnitOfWork, principal: Principal
) -> Page[DomainEvent]:
    """List a project's history, newest first."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        return await uow.activity.list_for_project(principal.org, project_id, page)
