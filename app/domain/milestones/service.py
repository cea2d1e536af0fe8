"""Use cases for milestones: create, read, list, update, delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.domain.common.changes import apply_change, check_version, plain, refuse_unknown
from app.domain.common.clock import Clock
from app.domain.common.errors import (
    CurrencyMismatch,
    MilestoneHasDependents,
    NotFound,
)
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.milestones.model import Milestone, MilestoneStatus
from app.domain.milestones.ports import MilestonesUnitOfWork
from app.domain.people.model import check_people
from app.domain.projects.model import Project
from app.domain.projects.ports import load_project


@dataclass(frozen=True)
class CreateMilestone:
    project_id: UUID
    name: str
    start_date: date
    due_date: date
    description: str | None = None
    owner_id: UUID | None = None
    status: MilestoneStatus = MilestoneStatus.PLANNED
    progress: int | None = None  # None: 100 when done, else 0
    completed_on: date | None = None
    planned_value: str | Decimal = "0"
    currency: str | None = None
    optimistic_days: int | None = None
    most_likely_days: int | None = None
    pessimistic_days: int | None = None


@dataclass(frozen=True)
class UpdateMilestone:
    project_id: UUID | None  # None: the milestone's own project (GraphQL names only the milestone)
    milestone_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)  # may hold "currency" to check
    expected_version: int | None = None


@dataclass(frozen=True)
class DeleteMilestone:
    project_id: UUID | None
    milestone_id: UUID
    expected_version: int | None = None


def money(raw: str | Decimal, project: Project, currency: str | None) -> Money:
    """Parse a planned value in the project's currency (a different ``currency`` is refused)."""
    if currency is not None and currency != project.currency:
        raise CurrencyMismatch.on(
            "currency", f"{currency} differs from the project's currency {project.currency}"
        )
    return Money.parse(raw, project.currency, "planned_value")


async def load_milestone(
    uow: MilestonesUnitOfWork,
    principal: Principal,
    project_id: UUID,
    milestone_id: UUID,
    *,
    for_update: bool = False,
) -> Milestone:
    """Return the project's milestone or raise NotFound (another project's looks missing)."""
    found = await uow.milestones.get(principal.org, milestone_id, for_update=for_update)
    if found is None or found.project_id != project_id:
        raise NotFound("Milestone not found")
    return found


async def project_of(
    uow: MilestonesUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    milestone_id: UUID,
    *,
    for_update: bool = False,
) -> Project:
    """Load the named project, or the milestone's own when none is named."""
    if project_id is None:
        found = await uow.milestones.get(principal.org, milestone_id)
        if found is None:
            raise NotFound("Milestone not found")
        project_id = found.project_id
    return await load_project(uow, principal, project_id, for_update=for_update)


async def create_milestone(
    cmd: CreateMilestone, *, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
) -> Milestone:
    """Add a milestone to a project (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    async with uow:
        project = await load_project(uow, principal, cmd.project_id)
        milestone = Milestone(
            id=new_id(),
            org_id=principal.org,
            project_id=project.id,
            name=cmd.name,
            description=cmd.description,
            owner_id=cmd.owner_id,
            start_date=cmd.start_date,
            due_date=cmd.due_date,
            status=cmd.status,
            progress=cmd.progress if cmd.progress is not None else 0,
            completed_on=cmd.completed_on,
            planned_value=money(cmd.planned_value, project, cmd.currency),
            version=1,
            created_at=now,
            updated_at=now,
            optimistic_days=cmd.optimistic_days,
            most_likely_days=cmd.most_likely_days,
            pessimistic_days=cmd.pessimistic_days,
        )
        milestone = milestone.settled(clock.today(), cmd.progress is not None).validate()
        await check_people(uow.people, principal.org, {"owner_id": cmd.owner_id})
        await uow.milestones.add(milestone)
        uow.record(
            event(
                "milestone.created",
                Subject("milestone", milestone.id),
                {k: plain(getattr(milestone, k)) for k in sorted(Milestone.EDITABLE)},
                project_id=project.id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
    return milestone


async def get_milestone(
    project_id: UUID, milestone_id: UUID, *, uow: MilestonesUnitOfWork, principal: Principal
) -> Milestone:
    """Return one milestone of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        return await load_milestone(uow, principal, project_id, milestone_id)


async def list_milestones(
    project_id: UUID,
    status: MilestoneStatus | None,
    page: PageRequest,
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
) -> Page[Milestone]:
    """List a project's milestones by start date, optionally of one status."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        return await uow.milestones.list(principal.org, project_id, status, page)


async def milestones_by_ids(
    milestone_ids: list[UUID], *, uow: MilestonesUnitOfWork, principal: Principal
) -> list[Milestone | None]:
    """Return several of the caller's milestones in key order, None where missing (batches)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.milestones.get_many(principal.org, milestone_ids)


async def milestones_of_projects(
    project_ids: list[UUID],
    status: MilestoneStatus | None,
    page: PageRequest,
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
) -> dict[UUID, Page[Milestone]]:
    """List one page of milestones of each of several of the caller's projects (batches)."""
    principal.require(Role.VIEWER)
    async with uow:
        pages = await uow.milestones.pages_for_projects(principal.org, project_ids, status, page)
    return dict(zip(project_ids, pages, strict=True))


async def count_milestones_of_projects(
    project_ids: list[UUID],
    status: MilestoneStatus | None,
    *,
    uow: MilestonesUnitOfWork,
    principal: Principal,
) -> dict[UUID, int]:
    """Count the milestones of each of several of the caller's projects (batches)."""
    principal.require(Role.VIEWER)
    async with uow:
        counts = await uow.milestones.counts_for_projects(principal.org, project_ids, status)
    return dict(zip(project_ids, counts, strict=True))


async def update_milestone(
    cmd: UpdateMilestone, *, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
) -> Milestone:
    """Apply a merge-patch: members report progress and status, managers re-plan."""
    changes = dict(cmd.changes)
    currency = changes.pop("currency", None)
    refuse_unknown(changes, Milestone.EDITABLE)
    principal.require(Role.MEMBER if set(changes) <= Milestone.PROGRESS_FIELDS else Role.MANAGER)
    async with uow:
        project = await project_of(uow, principal, cmd.project_id, cmd.milestone_id)
        if changes.get("planned_value") is not None or currency is not None:
            raw = changes.get("planned_value")
            parsed = money(raw if raw is not None else "0", project, currency)
            if raw is not None:
                changes["planned_value"] = parsed
        milestone = await load_milestone(
            uow, principal, project.id, cmd.milestone_id, for_update=True
        )
        touched: set[str] = set()

        async def check(updated: Milestone, diff: dict[str, Any]) -> None:
            touched.update(diff)
            if "owner_id" in diff:
                await check_people(uow.people, principal.org, {"owner_id": updated.owner_id})

        async def store(updated: Milestone) -> None:
            # Progress history gets a row when progress or status moved (earned value as of a date).
            moved = bool({"progress", "status"} & touched)
            await uow.milestones.update(updated, progress_changed=moved)

        updated = await apply_change(
            uow, milestone, changes, cmd.expected_version, type="milestone.updated",
            store=store, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return updated


async def delete_milestone(
    cmd: DeleteMilestone, *, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
) -> None:
    """Delete a milestone no other milestone depends on (manager or higher)."""
    principal.require(Role.MANAGER)
    async with uow:
        # The project lock serialises this with dependency writes (no new dependent sneaks in).
        project = await project_of(
            uow, principal, cmd.project_id, cmd.milestone_id, for_update=True
        )
        milestone = await load_milestone(
            uow, principal, project.id, cmd.milestone_id, for_update=True
        )
        check_version(milestone, cmd.expected_version, "milestone")
        dependents = await uow.dependencies.of_predecessors(principal.org, [milestone.id])
        if dependents:
            raise MilestoneHasDependents(
                f"{len(dependents)} milestone(s) depend on this milestone; remove those "
                "dependencies first"
            )
        await uow.milestones.delete(principal.org, milestone.id)
        uow.record(
            event(
                "milestone.deleted",
                Subject("milestone", milestone.id),
                {"name": milestone.name},
                project_id=project.id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
