"""Use cases for meetings: managers record them with their action items, everyone reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, NotFound
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import raise_if
from app.domain.projects.ports import load_project
from app.domain.team.attendance import check_project_people, mark_contacted
from app.domain.team.meetings import (
    MAX_ACTION_ITEMS,
    ActionItem,
    ActionStatus,
    Meeting,
    MeetingKind,
)
from app.domain.team.ports import TeamUnitOfWork


@dataclass(frozen=True)
class NewActionItem:
    title: str
    owner_id: UUID
    due_on: date
    status: ActionStatus = ActionStatus.OPEN


@dataclass(frozen=True)
class RecordMeeting:
    project_id: UUID
    title: str
    kind: MeetingKind
    held_on: date
    attendee_person_ids: tuple[UUID, ...] = ()
    attendee_stakeholder_ids: tuple[UUID, ...] = ()
    notes: str | None = None
    decisions: tuple[str, ...] = ()
    action_items: tuple[NewActionItem, ...] = ()


@dataclass(frozen=True)
class UpdateMeeting:
    project_id: UUID | None  # None: the meeting's own project
    meeting_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with its action items, as both adapters show it."""

    meeting: Meeting
    action_items: list[ActionItem]


def _people_refs(meeting: Meeting, items: list[ActionItem]) -> list[tuple[str, UUID]]:
    refs = [("attendee_person_ids", p) for p in meeting.attendee_person_ids]
    return refs + [(f"action_items[{n}].owner_id", a.owner_id) for n, a in enumerate(items)]


async def record_meeting(
    cmd: RecordMeeting, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> MeetingRecord:
    """Record a meeting and its action items; attending stakeholders count as contacted."""
    principal.require(Role.MANAGER)
    now = clock.now()
    meeting = Meeting(
        id=new_id(), org_id=principal.org, project_id=cmd.project_id, title=cmd.title,
        kind=cmd.kind, held_on=cmd.held_on, attendee_person_ids=tuple(cmd.attendee_person_ids),
        attendee_stakeholder_ids=tuple(cmd.attendee_stakeholder_ids), notes=cmd.notes,
        decisions=tuple(cmd.decisions), version=1, created_at=now, updated_at=now,
    ).validate()  # fmt: skip
    if len(cmd.action_items) > MAX_ACTION_ITEMS:
        raise_if([FieldError("action_items", f"allows at most {MAX_ACTION_ITEMS} items")])
    items = [
        ActionItem(
            id=new_id(), org_id=principal.org, project_id=cmd.project_id, meeting_id=meeting.id,
            title=a.title, owner_id=a.owner_id, due_on=a.due_on, status=a.status, version=1,
            created_at=now, updated_at=now,
        ).validate(f"action_items[{n}].")
        for n, a in enumerate(cmd.action_items)
    ]  # fmt: skip
    async with uow:
        project = await load_project(uow, principal, cmd.project_id)
        await check_project_people(uow, principal, project, _people_refs(meeting, items))
        await mark_contacted(
            uow, principal, project, meeting.attendee_stakeholder_ids,
            "attendee_stakeholder_ids", meeting_id=meeting.id, held_on=meeting.held_on, now=now,
        )  # fmt: skip
        await uow.meetings.add(meeting)
        await uow.action_items.add_many(items)
        changes = {k: plain(getattr(meeting, k)) for k in sorted(Meeting.EDITABLE)}
        for k in ("attendee_person_ids", "attendee_stakeholder_ids", "decisions"):
            changes[k] = [plain(v) for v in getattr(meeting, k)]
        uow.record(
            event("meeting.recorded", Subject("meeting", meeting.id), changes,
                  project_id=project.id, principal=principal, at=now)
        )  # fmt: skip
        for a in items:
            fields = {k: plain(getattr(a, k)) for k in sorted(ActionItem.EDITABLE)}
            uow.record(
                event("action_item.created", Subject("action_item", a.id),
                      {**fields, "meeting_id": str(meeting.id)},
                      project_id=project.id, principal=principal, at=now)
            )  # fmt: skip
        await uow.commit()
    return MeetingRecord(meeting, items)


async def load_meeting(
    uow: TeamUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    meeting_id: UUID,
    *,
    for_update: bool = False,
) -> Meeting:
    """Return the caller's meeting (of ``project_id`` when named) or raise NotFound."""
    found = await uow.meetings.get(principal.org, meeting_id, for_update=for_update)
    if found is None or project_id not in (None, found.project_id):
        raise NotFound("Meeting not found")
    return found


async def get_meeting(
    project_id: UUID | None, meeting_id: UUID, *, uow: TeamUnitOfWork, principal: Principal
) -> MeetingRecord:
    """Return one meeting of the caller's organization with its action items."""
    principal.require(Role.VIEWER)
    async with uow:
        meeting = await load_meeting(uow, principal, project_id, meeting_id)
        items = await uow.action_items.of_meetings(principal.org, [meeting.id])
    return MeetingRecord(meeting, items.get(meeting.id, []))


async def update_meeting(
    cmd: UpdateMeeting, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> MeetingRecord:
    """Apply a merge-patch to a meeting (manager); new attendees count as contacted."""
    principal.require(Role.MANAGER)
    refuse_unknown(cmd.changes, Meeting.EDITABLE)
    now = clock.now()
    async with uow:
        found = await load_meeting(uow, principal, cmd.project_id, cmd.meeting_id, for_update=True)
        items = (await uow.action_items.of_meetings(principal.org, [found.id])).get(found.id, [])

        async def check(updated: Meeting, diff: dict[str, Any]) -> None:
            project = await load_project(uow, principal, found.project_id)
            if "attendee_person_ids" in diff:
                refs = [("attendee_person_ids", p) for p in updated.attendee_person_ids]
                await check_project_people(uow, principal, project, refs)
            if {"attendee_stakeholder_ids", "held_on"} & set(diff):
                await mark_contacted(
                    uow, principal, project, updated.attendee_stakeholder_ids,
                    "attendee_stakeholder_ids", meeting_id=found.id, held_on=updated.held_on,
                    now=now,
                )  # fmt: skip

        updated = await apply_change(
            uow, found, cmd.changes, cmd.expected_version, type="meeting.updated",
            store=uow.meetings.update, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return MeetingRecord(updated, items)


async def meetings_of_projects(
    project_ids: list[UUID], page: PageRequest, *, uow: TeamUnitOfWork, principal: Principal
) -> dict[UUID, Page[Meeting]]:
    """One page of meetings (newest first) for each of several projects."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.meetings.pages_for_projects(principal.org, project_ids, page)


async def list_meetings(
    project_id: UUID, page: PageRequest, *, uow: TeamUnitOfWork, principal: Principal
) -> tuple[Page[Meeting], dict[UUID, list[ActionItem]]]:
    """List a project's meetings, newest first, with their action items."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        found = (await uow.meetings.pages_for_projects(principal.org, [project_id], page))[
            project_id
        ]
        items = await uow.action_items.of_meetings(principal.org, [m.id for m in found.items])
    return found, items


async def meetings_by_id(
    meeting_ids: list[UUID], *, uow: TeamUnitOfWork, principal: Principal
) -> list[Meeting | None]:
    """Meetings of the caller's organization in the order of ``meeting_ids`` (None if missing)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.meetings.get_many(principal.org, meeting_ids)


async def action_items_of_meetings(
    meeting_ids: list[UUID], *, uow: TeamUnitOfWork, principal: Principal
) -> dict[UUID, list[ActionItem]]:
    """Every action item of several meetings (at most 100 each), in one read."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.action_items.of_meetings(principal.org, meeting_ids)
