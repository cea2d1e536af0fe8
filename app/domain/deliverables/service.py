"""Use cases for deliverables: record, read, list, change, and decide on acceptance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    check_version,
    next_version,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound, PermissionDenied, ValidationFailed
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.deliverables.model import (
    Decision,
    DecisionRecord,
    Deliverable,
    DeliverableStatus,
)
from app.domain.deliverables.ports import DeliverablesUnitOfWork
from app.domain.projects.model import Phase, Project
from app.domain.projects.ports import load_project


@dataclass(frozen=True)
class CreateDeliverable:
    project_id: UUID
    name: str
    description: str | None = None
    acceptance_criteria: str | None = None
    milestone_id: UUID | None = None


@dataclass(frozen=True)
class UpdateDeliverable:
    project_id: UUID | None  # None: the deliverable's own project (GraphQL names only it)
    deliverable_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


@dataclass(frozen=True)
class DecideDeliverable:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None
    deliverable_id: UUID
    decision: Decision
    note: str | None = None
    expected_version: int | None = None


async def load_deliverable(
    uow: DeliverablesUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    deliverable_id: UUID,
    *,
    for_update: bool = False,
) -> Deliverable:
    """Return the caller's deliverable (of ``project_id`` when named) or raise NotFound."""
    found = await uow.deliverables.get(principal.org, deliverable_id, for_update=for_update)
    if found is None or project_id not in (None, found.project_id):
        raise NotFound("Deliverable not found")
    return found


async def _check_milestone(
    uow: DeliverablesUnitOfWork, principal: Principal, project: Project, milestone_id: UUID | None
) -> None:
    """A deliverable names a milestone of its own project, or none (422 naming the field)."""
    if milestone_id is None:
        return
    found = await uow.milestones.get(principal.org, milestone_id)
    if found is None or found.project_id != project.id:
        raise ValidationFailed.on("milestone_id", "is not a milestone of this project")


async def _may_decide(uow: DeliverablesUnitOfWork, principal: Principal, project: Project) -> None:
    """A manager decides, and so does the project's sponsor (the person of the caller's sub)."""
    if principal.has(Role.MANAGER):
        return
    if project.sponsor_id is not None:
        me = await uow.people.get_by_sub(principal.org, principal.sub)
        if me is not None and me.id == project.sponsor_id:
            return
    raise PermissionDenied("Deliverables are decided by a manager or the project's sponsor")


async def create_deliverable(
    cmd: CreateDeliverable, *, uow: DeliverablesUnitOfWork, principal: Principal, clock: Clock
) -> Deliverable:
    """Record a deliverable of a project, pending acceptance (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    async with uow:
        # The project lock orders this with the closing gate: no deliverable sneaks in
        # undecided while the project moves to closed.
        project = await load_project(uow, principal, cmd.project_id, for_update=True)
        deliverable = Deliverable(
            id=new_id(), org_id=principal.org, project_id=project.id, name=cmd.name,
            description=cmd.description, acceptance_criteria=cmd.acceptance_criteria,
            milestone_id=cmd.milestone_id, status=DeliverableStatus.PENDING, decided_by=None,
            decided_at=None, version=1, created_at=now, updated_at=now,
        ).validate()  # fmt: skip
        await _check_milestone(uow, principal, project, cmd.milestone_id)
        await uow.deliverables.add(deliverable)
        created = {k: plain(getattr(deliverable, k)) for k in sorted(Deliverable.EDITABLE)}
        uow.record(
            event(
                "deliverable.created",
                Subject("deliverable", deliverable.id),
                created,
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return deliverable


async def get_deliverable(
    project_id: UUID | None,
    deliverable_id: UUID,
    *,
    uow: DeliverablesUnitOfWork,
    principal: Principal,
) -> Deliverable:
    """Return one deliverable of the caller's organization (of the named project)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await load_deliverable(uow, principal, project_id, deliverable_id)


async def deliverables_of_projects(
    project_ids: list[UUID],
    status: DeliverableStatus | None,
    page: PageRequest,
    *,
    uow: DeliverablesUnitOfWork,
    principal: Principal,
) -> dict[UUID, Page[Deliverable]]:
    """One page of each project's deliverables, oldest first, in one read (for loaders)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.deliverables.pages_for_projects(principal.org, project_ids, status, page)


async def count_deliverables_of_projects(
    project_ids: list[UUID],
    status: DeliverableStatus | None,
    *,
    uow: DeliverablesUnitOfWork,
    principal: Principal,
) -> dict[UUID, int]:
    """How many deliverables (of a status) each project has, in one read."""
    principal.require(Role.VIEWER)
    async with uow:
        counts = await uow.deliverables.status_counts(principal.org, project_ids)
    return {pid: sum(n for s, n in c.items() if status in (None, s)) for pid, c in counts.items()}


async def list_deliverables(
    project_id: UUID,
    status: DeliverableStatus | None,
    page: PageRequest,
    *,
    uow: DeliverablesUnitOfWork,
    principal: Principal,
) -> Page[Deliverable]:
    """List a project's deliverables, oldest first, optionally of one status."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        pages = await uow.deliverables.pages_for_projects(principal.org, [project_id], status, page)
    return pages[project_id]


async def update_deliverable(
    cmd: UpdateDeliverable, *, uow: DeliverablesUnitOfWork, principal: Principal, clock: Clock
) -> Deliverable:
    """Apply a merge-patch to a deliverable's description (manager or higher)."""
    principal.require(Role.MANAGER)
    if "status" in cmd.changes:
        raise ValidationFailed.on("status", "changes by a decision, which keeps its history")
    refuse_unknown(cmd.changes, Deliverable.EDITABLE)
    async with uow:
        deliverable = await load_deliverable(
            uow, principal, cmd.project_id, cmd.deliverable_id, for_update=True
        )

        async def check(updated: Deliverable, diff: dict[str, Any]) -> None:
            if "milestone_id" in diff:
                project = await load_project(uow, principal, deliverable.project_id)
                await _check_milestone(uow, principal, project, updated.milestone_id)

        updated = await apply_change(
            uow, deliverable, cmd.changes, cmd.expected_version, type="deliverable.updated",
            store=uow.deliverables.update, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return updated


async def decide_deliverable(
    cmd: DecideDeliverable, *, uow: DeliverablesUnitOfWork, principal: Principal, clock: Clock
) -> tuple[Deliverable, DecisionRecord]:
    """Accept, reject, waive or reopen a deliverable (a manager or the project's sponsor)."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await load_deliverable(uow, principal, cmd.project_id, cmd.deliverable_id)
        project = await load_project(uow, principal, found.project_id, for_update=True)
        await _may_decide(uow, principal, project)
        deliverable = await load_deliverable(
            uow, principal, project.id, cmd.deliverable_id, for_update=True
        )
        check_version(deliverable, cmd.expected_version, "deliverable")
        now = clock.now()
        updated, record = deliverable.decide(
            cmd.decision, cmd.note, principal.sub, now, project_closed=project.phase == Phase.CLOSED
        )
        updated = next_version(updated)
        await uow.deliverables.update(updated)
        await uow.decisions.add(record)
        changes: dict[str, Any] = {
            "decision": cmd.decision.value,
            "status": {"from": record.from_status.value, "to": record.to_status.value},
        }
        if cmd.note:
            changes["note"] = cmd.note
        uow.record(
            event(
                "deliverable.decided",
                Subject("deliverable", updated.id),
                changes,
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return updated, record


async def decisions_of_deliverables(
    deliverable_ids: list[UUID],
    page: PageRequest,
    *,
    uow: DeliverablesUnitOfWork,
    principal: Principal,
) -> dict[UUID, Page[DecisionRecord]]:
    """One page of each deliverable's decisions, newest first, in one read (for loaders)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.decisions.pages_for_deliverables(principal.org, deliverable_ids, page)


async def list_decisions(
    project_id: UUID,
    deliverable_id: UUID,
    page: PageRequest,
    *,
    uow: DeliverablesUnitOfWork,
    principal: Principal,
) -> Page[DecisionRecord]:
    """List a deliverable's decisions, newest first."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await load_deliverable(uow, principal, project_id, deliverable_id)
        pages = await uow.decisions.pages_for_deliverables(principal.org, [found.id], page)
    return pages[found.id]
