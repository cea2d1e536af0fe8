"""Stakeholders of a project: influence and interest, the quadrant, contact frequency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, check_text, raise_if

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Quadrant(StrEnum):
    MANAGE_CLOSELY = "manage_closely"
    KEEP_SATISFIED = "keep_satisfied"
    KEEP_INFORMED = "keep_informed"
    MONITOR = "monitor"


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"
    VIDEO_CALL = "video_call"
    CHAT = "chat"
    REPORT = "report"


class ContactFrequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def days(self) -> int:
        return FREQUENCY_DAYS[self]


FREQUENCY_DAYS = {
    ContactFrequency.WEEKLY: 7,
    ContactFrequency.BIWEEKLY: 14,
    ContactFrequency.MONTHLY: 31,
    ContactFrequency.QUARTERLY: 92,
}


def quadrant_of(influence: Level, interest: Level) -> Quadrant:
    """Medium counts as low: only ``high`` puts a stakeholder on that side of the grid."""
    high_influence, high_interest = influence == Level.HIGH, interest == Level.HIGH
    if high_influence and high_interest:
        return Quadrant.MANAGE_CLOSELY
    if high_influence:
        return Quadrant.KEEP_SATISFIED
    if high_interest:
        return Quadrant.KEEP_INFORMED
    return Quadrant.MONITOR


@dataclass(frozen=True)
class Stakeholder:
    id: UUID
    org_id: str
    project_id: UUID
    name: str
    organization: str | None
    role: str | None
    email: str | None
    influence: Level
    interest: Level
    preferred_channel: Channel | None
    contact_frequency: ContactFrequency
    last_contacted_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset(
        {
            "name",
            "organization",
            "role",
            "email",
            "influence",
            "interest",
            "preferred_channel",
            "contact_frequency",
            "last_contacted_on",
        }
    )
    REQUIRED = frozenset({"name", "influence", "interest", "contact_frequency"})

    @property
    def quadrant(self) -> Quadrant:
        return quadrant_of(self.influence, self.interest)

    def contact_overdue(self, today: date) -> bool:
        """Never contacted, or last contacted more than the frequency's days before today."""
        last = self.last_contacted_on
        return last is None or (today - last).days > self.contact_frequency.days

    def validate(self) -> Stakeholder:
        """Check every rule of a stakeholder; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "organization", self.organization, limit=NAME_MAX)
        check_text(errors, "role", self.role, limit=NAME_MAX)
        before = len(errors)
        check_text(errors, "email", self.email, limit=EMAIL_MAX)
        if self.email is not None and len(errors) == before and not EMAIL.match(self.email):
            errors.append(FieldError("email", "is not a valid email address"))
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Stakeholder, dict[str, Any]]:
        """Apply a merge-patch; return the new stakeholder and a from/to diff of what changed."""
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff

    def contacted(self, on: date, now: datetime) -> Stakeholder | None:
        """The stakeholder after a meeting ``on`` that date, or None when it changes nothing."""
        if self.last_contacted_on is not None and self.last_contacted_on >= on:
            return None
        return self.changed({"last_contacted_on": on}, now)[0]


@dataclass(frozen=True)
class StakeholderFilter:
    quadrant: Quadrant | None = None
    contact_overdue: bool | None = None
    today: date | None = None  # set by the use case: "overdue" is relative to the domain clock

    def overdue_before(self, frequency: ContactFrequency) -> date:
        """Last contacted before this date (or never) means overdue for ``frequency``."""
        assert self.today is not None
        return self.today - timedelta(days=frequency.days)


class StakeholderRepository(Protocol):
    async def add(self, stakeholder: Stakeholder) -> None:
        """Insert a stakeholder."""
        ...

    async def get(
        self, org_id: str, stakeholder_id: UUID, *, for_update: bool = False
    ) -> Stakeholder | None:
        """Return the stakeholder of this organization, or None."""
        ...

    async def get_many(
        self, org_id: str, ids: list[UUID], *, for_update: bool = False
    ) -> list[Stakeholder | None]:
        """Return stakeholders in the order of ``ids`` (None where missing)."""
        ...

    async def update(self, stakeholder: Stakeholder) -> None:
        """Store a changed stakeholder with its version incremented by the caller."""
        ...

    async def delete(self, org_id: str, stakeholder_id: UUID) -> None:
        """Delete a stakeholder."""
        ...

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: StakeholderFilter, page: PageRequest
    ) -> dict[UUID, Page[Stakeholder]]:
        """One page of stakeholders per project (by name), in one read."""
        ...
