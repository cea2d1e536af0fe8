"""Pydantic schemas of the team: assignments, workload, stakeholders, meetings, action items."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.rest.schemas import Name, Read, Text
from app.api.rest.schemas import Request as Body_
from app.domain.team.meetings import (
    MAX_ACTION_ITEMS,
    MAX_ATTENDEES,
    MAX_DECISIONS,
    ActionStatus,
    MeetingKind,
)
from app.domain.team.stakeholders import Channel, ContactFrequency, Level, Quadrant

# Strict: 50.0, "50" and true are refused, not coerced to a percent.
Allocation = Annotated[int, Field(strict=True, ge=1, le=100, description="1 to 100 percent")]
Email = Annotated[str, Field(min_length=3, max_length=254)]
Attendees = Annotated[list[UUID], Field(max_length=MAX_ATTENDEES)]
Decisions = Annotated[list[Text], Field(max_length=MAX_DECISIONS)]


class AssignmentCreate(Body_):
    person_id: UUID
    role: Name
    allocation_percent: Allocation
    start_date: date
    end_date: date


class AssignmentUpdate(Body_):
    role: Name | None = None
    allocation_percent: Allocation | None = None
    start_date: date | None = None
    end_date: date | None = None


class AssignmentRead(Read):
    id: UUID
    project_id: UUID
    person_id: UUID
    role: str
    allocation_percent: int
    start_date: date
    end_date: date
    version: int
    created_at: datetime
    updated_at: datetime


class ContributionRead(Read):
    assignment_id: UUID
    project_id: UUID
    project_key: str
    percent: Decimal


class WeekRead(Read):
    week: str = Field(description="ISO week, e.g. 2027-W05")
    starts_on: date = Field(description="Its Monday")
    load_percent: Decimal
    hours: Decimal
    over_allocated: bool
    assignments: list[ContributionRead]


class PersonWorkloadRead(Read):
    person_id: UUID
    name: str
    weekly_capacity_hours: Decimal
    peak_load_percent: Decimal
    over_allocated: bool
    weeks: list[WeekRead]


class AvailabilityRead(Read):
    person_id: UUID
    name: str
    weekly_capacity_hours: Decimal
    peak_load_percent: Decimal
    free_percent: Decimal = Field(description="100 minus the highest weekly load in the range")


class StakeholderCreate(Body_):
    name: Name
    organization: Name | None = None
    role: Name | None = None
    email: Email | None = None
    influence: Level
    interest: Level
    preferred_channel: Channel | None = None
    contact_frequency: ContactFrequency = ContactFrequency.MONTHLY
    last_contacted_on: date | None = None


class StakeholderUpdate(Body_):
    name: Name | None = None
    organization: Name | None = None
    role: Name | None = None
    email: Email | None = None
    influence: Level | None = None
    interest: Level | None = None
    preferred_channel: Channel | None = None
    contact_frequency: ContactFrequency | None = None
    last_contacted_on: date | None = None


class StakeholderRead(Read):
    id: UUID
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
    quadrant: Quadrant
    contact_overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ActionItemCreate(Body_):
    title: Name
    owner_id: UUID
    due_on: date
    status: ActionStatus = ActionStatus.OPEN


class ActionItemUpdate(Body_):
    title: Name | None = None
    owner_id: UUID | None = None
    due_on: date | None = None
    status: ActionStatus | None = None


class ActionItemRead(Read):
    id: UUID
    project_id: UUID
    meeting_id: UUID
    title: str
    owner_id: UUID
    due_on: date
    status: ActionStatus
    overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


class MeetingCreate(Body_):
    title: Name
    kind: MeetingKind
    held_on: date
    attendee_person_ids: Attendees = []
    attendee_stakeholder_ids: Attendees = []
    notes: Text | None = None
    decisions: Decisions = []
    action_items: Annotated[list[ActionItemCreate], Field(max_length=MAX_ACTION_ITEMS)] = []


class MeetingUpdate(Body_):
    title: Name | None = None
    kind: MeetingKind | None = None
    held_on: date | None = None
    attendee_person_ids: Attendees | None = None
    attendee_stakeholder_ids: Attendees | None = None
    notes: Text | None = None
    decisions: Decisions | None = None


class MeetingRead(Read):
    id: UUID
    project_id: UUID
    title: str
    kind: MeetingKind
    held_on: date
    attendee_person_ids: list[UUID]
    attendee_stakeholder_ids: list[UUID]
    notes: str | None
    decisions: list[str]
    action_items: list[ActionItemRead]
    version: int
    created_at: datetime
    updated_at: datetime
