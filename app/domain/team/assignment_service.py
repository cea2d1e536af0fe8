"""Use cases for assignments: managers staff projects, everyone reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    check_version,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.people.model import check_people
from app.domain.projects.model import Project
from app.domain.projects.ports import load_project
from app.domain.team.assignments import Assignment
from app.domain.team.ports import TeamUnitOfWork


@dataclass(frozen=True)
class CreateAssignment:
    project_id: UUID
    person_id: UUID
    role: str
    allocation_percent: int
    start_date: date
    end_date: date


@dataclass(frozen=True)
class UpdateAssignment:
    project_id: UUID | None  # None: the assignment's own project (GraphQL names only the id)
    assignment_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


@dataclass(frozen=True)
class DeleteAssignment:
    project_id: UUID | None
    assignment_id: UUID
    expected_version: int | None = None


async def load_assignment(
    uow: TeamUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    assignment_id: UUID,
    *,
    for_update: bool = False,
) -> Assignment:
    """Return the caller's assignment (of ``project_id`` when named) or raise NotFound."""
    found = await uow.assignments.get(principal.org, assignment_id, for_update=for_update)
    if found is None or project_id not in (None, found.project_id):
        raise NotFound("Assignment not found")
    return found


async def create_assignment(
    cmd: CreateAssignment, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> Assignment:
    """Assign a person of the organization to a project (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    assignment = Assignment(
        id=new_id(),
        org_id=principal.org,
        project_id=cmd.project_id,
        person_id=cmd.person_id,
        role=cmd.role,
        allocation_percent=cmd.allocation_percent,
        start_date=cmd.start_date,
        end_date=cmd.end_date,
        version=1,
        created_at=now,
        updated_at=now,
    ).validate()
    async with uow:
        project = await load_project(uow, principal, cmd.project_id)
        await check_people(uow.people, principal.org, {"person_id": cmd.person_id})
        await uow.assignments.add(assignment)
        fields = sorted(Assignment.EDITABLE | {"person_id"})
        uow.record(
            event(
                "assignment.created",
                Subject("assignment", assignment.id),
                {k: plain(getattr(assignment, k)) for k in fields},
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return assignment


async def get_assignment(
    project_id: UUID | None, assignment_id: UUID, *, uow: TeamUnitOfWork, principal: Principal
) -> Assignment:
    """Return one assignment of the caller's organization."""
    principal.require(Role.VIEWER)
    async with uow:
        return await load_assignment(uow, principal, project_id, assignment_id)


async def update_assignment(
    cmd: UpdateAssignment, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> Assignment:
    """Apply a merge-patch to an assignment (manager or higher)."""
    principal.require(Role.MANAGER)
    refuse_unknown(cmd.changes, Assignment.EDITABLE)
    async with uow:
        found = await load_assignment(
            uow, principal, cmd.project_id, cmd.assignment_id, for_update=True
        )
        updated = await apply_change(
            uow, found, cmd.changes, cmd.expected_version, type="assignment.updated",
            store=uow.assignments.update, principal=principal, clock=clock,
        )  # fmt: skip
        await uow.commit()
    return updated


async def delete_assignment(
    cmd: DeleteAssignment, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> None:
    """Remove a person from a project (manager or higher)."""
    principal.require(Role.MANAGER)
    async with uow:
        found = await load_assignment(
            uow, principal, cmd.project_id, cmd.assignment_id, for_update=True
        )
        check_version(found, cmd.expected_version, "assignment")
        await uow.assignments.delete(principal.org, found.id)
        uow.record(
            event(
                "assignment.deleted",
                Subject("assignment", found.id),
                {"person_id": str(found.person_id), "role": found.role},
                project_id=found.project_id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()


async def list_assignments(
    project_id: UUID, page: PageRequest, *, uow: TeamUnitOfWork, principal: Principal
) -> Page[Assignment]:
    """List a project's assignments by start date."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        return (await uow.assignments.pages_for_projects(principal.org, [project_id], page))[
            project_id
        ]


async def assignments_of_projects(
    project_ids: list[UUID], page: PageRequest, *, uow: TeamUnitOfWork, principal: Principal
) -> dict[UUID, Page[Assignment]]:
    """One page of assignments for each of several projects (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.assignments.pages_for_projects(principal.org, project_ids, page)


async def assignments_of_people(
    person_ids: list[UUID], page: PageRequest, *, uow: TeamUnitOfWork, principal: Principal
) -> dict[UUID, Page[Assignment]]:
    """One page of assignments for each of several people, across projects."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.assignments.pages_for_people(principal.org, person_ids, page)


async def projects_of_assignments(
    project_ids: list[UUID], *, uow: TeamUnitOfWork, principal: Principal
) -> list[Project | None]:
    """The projects assignments point to, in the order of ``project_ids`` (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.projects.get_many(principal.org, project_ids)
