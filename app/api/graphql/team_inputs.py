"""GraphQL inputs and payloads of the team's mutations."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from app.api.graphql.common import UserError
from app.api.graphql.idempotency import KEY_DESCRIPTION
from app.api.graphql.team import (
    ActionItem,
    ActionItemStatus,
    Assignment,
    Channel,
    ContactFrequency,
    Level,
    Meeting,
    MeetingKind,
    Stakeholder,
)

UNSET: Any = strawberry.UNSET


@strawberry.input
class CreateAssignmentInput:
    project_id: strawberry.ID
    person_id: strawberry.ID
    role: str
    allocation_percent: int
    start_date: date
    end_date: date
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateAssignmentInput:
    id: strawberry.ID
    role: str | None = UNSET
    allocation_percent: int | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    expected_version: int | None = None


@strawberry.input
class DeleteAssignmentInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class DeleteStakeholderInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class CreateStakeholderInput:
    project_id: strawberry.ID
    name: str
    influence: Level
    interest: Level
    organization: str | None = None
    role: str | None = None
    email: str | None = None
    preferred_channel: Channel | None = None
    contact_frequency: ContactFrequency = ContactFrequency.MONTHLY
    last_contacted_on: date | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateStakeholderInput:
    id: strawberry.ID
    name: str | None = UNSET
    organization: str | None = UNSET
    role: str | None = UNSET
    email: str | None = UNSET
    influence: Level | None = UNSET
    interest: Level | None = UNSET
    preferred_channel: Channel | None = UNSET
    contact_frequency: ContactFrequency | None = UNSET
    last_contacted_on: date | None = UNSET
    expected_version: int | None = None


@strawberry.input
class ActionItemInput:
    title: str
    owner_id: strawberry.ID
    due_on: date
    status: ActionItemStatus = ActionItemStatus.OPEN


@strawberry.input
class RecordMeetingInput:
    project_id: strawberry.ID
    title: str
    kind: MeetingKind
    held_on: date
    attendee_person_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    attendee_stakeholder_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    notes: str | None = None
    decisions: list[str] = strawberry.field(default_factory=list)
    action_items: list[ActionItemInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateMeetingInput:
    id: strawberry.ID
    title: str | None = UNSET
    kind: MeetingKind | None = UNSET
    held_on: date | None = UNSET
    attendee_person_ids: list[strawberry.ID] | None = UNSET
    attendee_stakeholder_ids: list[strawberry.ID] | None = UNSET
    notes: str | None = UNSET
    decisions: list[str] | None = UNSET
    expected_version: int | None = None


@strawberry.input
class AddActionItemInput:
    meeting_id: strawberry.ID
    title: str
    owner_id: strawberry.ID
    due_on: date
    status: ActionItemStatus = ActionItemStatus.OPEN
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateActionItemInput:
    id: strawberry.ID
    title: str | None = UNSET
    owner_id: strawberry.ID | None = UNSET
    due_on: date | None = UNSET
    status: ActionItemStatus | None = UNSET
    expected_version: int | None = None


@strawberry.type
class AssignmentPayload:
    assignment: Assignment | None
    user_errors: list[UserError]


@strawberry.type
class StakeholderPayload:
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None
    user_errors: list[UserError]


@strawberry.type
class ActionItemPayload:
    action_item: ActionItem | None
    user_errors: list[UserError]


@strawberry.type
class DeleteAssignmentPayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class DeleteStakeholderPayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]
