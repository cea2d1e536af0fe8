"""Use cases for action items: listed per project and per owner; owners report their own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, NotFound, PermissionDenied
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import raise_if
from app.domain.projects.ports import load_project
from app.domain.team.attendance import check_project_people
from app.domain.team.meeting_service import NewActionItem, load_meeting
from app.domain.team.meetings import MAX_ACTION_ITEMS, ActionItem, ActionItemFilter
from app.domain.team.ports import TeamUnitOfWork


@dataclass(frozen=True)
class AddActionItem:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None
    meeting_id: UUID
    item: NewActionItem


@dataclass(frozen=True)
class UpdateActionItem:
    project_id: UUID | None  # None: the item's own project
    item_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


async def add_action_item(
    cmd: AddActionItem, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> ActionItem:
    """Add an action item to a meeting after the fact (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    async with uow:
        meeting = await load_meeting(
            uow, principal, cmd.project_id, cmd.meeting_id, for_update=True
        )
        existing = (await uow.action_items.of_meetings(principal.org, [meeting.id])).get(
            meeting.id, []
        )
        if len(existing) >= MAX_ACTION_ITEMS:
            raise_if([FieldError("meeting_id", f"has {MAX_ACTION_ITEMS} action items already")])
        item = ActionItem(
            id=new_id(), org_id=principal.org, project_id=meeting.project_id,
            meeting_id=meeting.id, title=cmd.item.title, owner_id=cmd.item.owner_id,
            due_on=cmd.item.due_on, status=cmd.item.status, version=1, created_at=now,
            updated_at=now,
        ).validate()  # fmt: skip
        project = await load_project(uow, principal, meeting.project_id)
        await check_project_people(uow, principal, project, [("owner_id", item.owner_id)])
        await uow.action_items.add_many([item])
        fields = {k: plain(getattr(item, k)) for k in sorted(ActionItem.EDITABLE)}
        uow.record(
            event("action_item.created", Subject("action_item", item.id),
                  {**fields, "meeting_id": str(meeting.id)},
                  project_id=project.id, principal=principal, at=now)
        )  # fmt: skip
        await uow.commit()
    return item


async def _may_change(
    uow: TeamUnitOfWork, principal: Principal, item: ActionItem, changes: dict[str, Any]
) -> None:
    """Managers change anything; a member may report the status of an item they own."""
    if principal.has(Role.MANAGER):
        return
    principal.require(Role.MEMBER)
    if set(changes) <= ActionItem.OWNER_FIELDS:
        me = await uow.people.get_by_sub(principal.org, principal.sub)
        if me is not None and me.id == item.owner_id:
            return
    raise PermissionDenied("Members may only report the status of their own action items")


async def update_action_item(
    cmd: UpdateActionItem, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> ActionItem:
    """Apply a merge-patch to an action item (manager, or the owner for its status)."""
    principal.require(Role.MEMBER)
    refuse_unknown(cmd.changes, ActionItem.EDITABLE)
    async with uow:
        found = await uow.action_items.get(principal.org, cmd.item_id, for_update=True)
        if found is None or cmd.project_id not in (None, found.project_id):
            raise NotFound("Action item not found")
        await _may_change(uow, principal, found, cmd.changes)

        async def check(updated: ActionItem, diff: dict[str, Any]) -> None:
            if "owner_id" in diff:
                project = await load_project(uow, principal, found.project_id)
                refs = [("owner_id", updated.owner_id)]
                await check_project_people(uow, principal, project, refs)

        updated = await apply_change(
            uow, found, cmd.changes, cmd.expected_version, type="action_item.updated",
            store=uow.action_items.update, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return updated


async def get_action_item(
    project_id: UUID, item_id: UUID, *, uow: TeamUnitOfWork, principal: Principal
) -> ActionItem:
    """Return one action item of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await uow.action_items.get(principal.org, item_id)
    if found is None or found.project_id != project_id:
        raise NotFound("Action item not found")
    return found


async def list_action_items(
    project_id: UUID,
    flt: ActionItemFilter,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> Page[ActionItem]:
    """List a project's action items by due date (filters: status, owner, overdue)."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        found = await uow.action_items.pages_for_projects(
            principal.org, [project_id], replace(flt, today=clock.today()), page
        )
    return found[project_id]


async def action_items_of_projects(
    project_ids: list[UUID],
    flt: ActionItemFilter,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> dict[UUID, Page[ActionItem]]:
    """One page of action items for each of several projects (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.action_items.pages_for_projects(
            principal.org, project_ids, replace(flt, today=clock.today()), page
        )


async def list_person_action_items(
    person_id: UUID,
    flt: ActionItemFilter,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> Page[ActionItem]:
    """List the action items a person owns across projects, by due date."""
    principal.require(Role.VIEWER)
    async with uow:
        if await uow.people.get(principal.org, person_id) is None:
            raise NotFound("Person not found")
    found = await action_items_of_owners(
        [person_id], flt, page, uow=uow, principal=principal, clock=clock
    )
    return found[person_id]


async def action_items_of_owners(
    owner_ids: list[UUID],
    flt: ActionItemFilter,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> dict[UUID, Page[ActionItem]]:
    """One page of action items for each of several owners, across projects."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.action_items.pages_for_owners(
            principal.org, owner_ids, replace(flt, owner_id=None, today=clock.today()), page
        )
