"""Meetings of a project (attendees, notes, decisions) and the action items they produce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if

# Bounds that keep a meeting (and a GraphQL list of its parts) a bounded size.
MAX_ATTENDEES = 100
MAX_DECISIONS = 100
MAX_ACTION_ITEMS = 100


class MeetingKind(StrEnum):
    KICKOFF = "kickoff"
    STATUS = "status"
    STEERING = "steering"
    REVIEW = "review"
    RETROSPECTIVE = "retrospective"
    OTHER = "other"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Meeting:
    id: UUID
    org_id: str
    project_id: UUID
    title: str
    kind: MeetingKind
    held_on: date
    attendee_person_ids: tuple[UUID, ...]
    attendee_stakeholder_ids: tuple[UUID, ...]
    notes: str | None
    decisions: tuple[str, ...]
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset(
        {"title", "kind", "held_on", "attendee_person_ids", "attendee_stakeholder_ids", "notes",
         "decisions"}
    )  # fmt: skip
    REQUIRED = frozenset(EDITABLE - {"notes"})

    def validate(self) -> Meeting:
        """Check every rule of a meeting; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "title", self.title, limit=NAME_MAX, required=True)
        check_text(errors, "notes", self.notes, limit=TEXT_MAX)
        for name in ("attendee_person_ids", "attendee_stakeholder_ids"):
            ids = getattr(self, name)
            if len(ids) > MAX_ATTENDEES:
                errors.append(FieldError(name, f"allows at most {MAX_ATTENDEES} attendees"))
            elif len(set(ids)) != len(ids):
                errors.append(FieldError(name, "must not name anyone twice"))
        if len(self.decisions) > MAX_DECISIONS:
            errors.append(FieldError("decisions", f"allows at most {MAX_DECISIONS} decisions"))
        for i, text in enumerate(self.decisions):
            check_text(errors, f"decisions[{i}]", text, limit=TEXT_MAX, required=True)
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Meeting, dict[str, Any]]:
        """Apply a merge-patch; return the new meeting and a from/to diff of what changed."""
        changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


@dataclass(frozen=True)
class ActionItem:
    id: UUID
    org_id: str
    project_id: UUID
    meeting_id: UUID
    title: str
    owner_id: UUID
    due_on: date
    status: ActionStatus
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset({"title", "owner_id", "due_on", "status"})
    REQUIRED = EDITABLE
    # What the owner may change on their own item with the member role.
    OWNER_FIELDS = frozenset({"status"})

    def overdue(self, today: date) -> bool:
        """Open and past its due date."""
        return self.status == ActionStatus.OPEN and self.due_on < today

    def validate(self, field: str = "") -> ActionItem:
        """Check every rule of an action item (fields prefixed with ``field``)."""
        errors: list[FieldError] = []
        check_text(errors, f"{field}title", self.title, limit=NAME_MAX, required=True)
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[ActionItem, dict[str, Any]]:
        """Apply a merge-patch; return the new action item and a from/to diff of what changed."""
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


@dataclass(frozen=True)
class ActionItemFilter:
    status: ActionStatus | None = None
    owner_id: UUID | None = None
    overdue: bool | None = None
    today: date | None = None  # set by the use case from the domain clock


class MeetingRepository(Protocol):
    async def add(self, meeting: Meeting) -> None:
        """Insert a meeting."""
        ...

    async def get(
        self, org_id: str, meeting_id: UUID, *, for_update: bool = False
    ) -> Meeting | None:
        """Return the meeting of this organization, or None."""
        ...

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Meeting | None]:
        """Return meetings in the order of ``ids`` (None where missing)."""
        ...

    async def update(self, meeting: Meeting) -> None:
        """Store a changed meeting with its version incremented by the caller."""
        ...

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Meeting]]:
        """One page of meetings per project (newest first), in one read."""
        ...


class ActionItemRepository(Protocol):
    async def add_many(self, items: list[ActionItem]) -> None:
        """Insert action items."""
        ...

    async def get(
        self, org_id: str, item_id: UUID, *, for_update: bool = False
    ) -> ActionItem | None:
        """Return the action item of this organization, or None."""
        ...

    async def update(self, item: ActionItem) -> None:
        """Store a changed action item with its version incremented by the caller."""
        ...

    async def of_meetings(
        self, org_id: str, meeting_ids: list[UUID]
    ) -> dict[UUID, list[ActionItem]]:
        """Every action item of these meetings, by due date."""
        ...

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: ActionItemFilter, page: PageRequest
    ) -> dict[UUID, Page[ActionItem]]:
        """One page of action items per project (by due date), in one read."""
        ...

    async def pages_for_owners(
        self, org_id: str, owner_ids: list[UUID], flt: ActionItemFilter, page: PageRequest
    ) -> dict[UUID, Page[ActionItem]]:
        """One page of action items per owner across projects (by due date), in one read."""
        ...
