"""GraphQL mutations of the team: the REST commands one for one, with userErrors."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt
from app.api.graphql.context import Context
from app.api.graphql.idempotency import command_fields, idempotent
from app.api.graphql.people import set_fields
from app.api.graphql.team import ActionItem, Assignment, Meeting, Stakeholder
from app.api.graphql.team_inputs import (
    ActionItemPayload,
    AddActionItemInput,
    AssignmentPayload,
    CreateAssignmentInput,
    CreateStakeholderInput,
    DeleteAssignmentInput,
    DeleteAssignmentPayload,
    DeleteStakeholderInput,
    DeleteStakeholderPayload,
    MeetingPayload,
    RecordMeetingInput,
    StakeholderPayload,
    UpdateActionItemInput,
    UpdateAssignmentInput,
    UpdateMeetingInput,
    UpdateStakeholderInput,
)
from app.domain.common.ids import parse_id
from app.domain.team import action_item_service as actions
from app.domain.team import assignment_service as assignments
from app.domain.team import meeting_service as meetings
from app.domain.team import stakeholder_service as stakeholders
from app.domain.team.assignments import Assignment as AssignmentModel
from app.domain.team.meetings import ActionItem as ActionItemModel
from app.domain.team.meetings import Meeting as MeetingModel
from app.domain.team.stakeholders import Stakeholder as StakeholderModel


def _ids(values: list[strawberry.ID], field: str) -> tuple[Any, ...]:
    return tuple(parse_id(v, f"{field}[{n}]") for n, v in enumerate(values))


def _assignment(a: AssignmentModel | None, errors: list[UserError]) -> AssignmentPayload:
    return AssignmentPayload(assignment=Assignment.of(a) if a else None, user_errors=errors)


def _stakeholder(s: StakeholderModel | None, errors: list[UserError]) -> StakeholderPayload:
    return StakeholderPayload(stakeholder=Stakeholder.of(s) if s else None, user_errors=errors)


def _item(a: ActionItemModel | None, errors: list[UserError]) -> ActionItemPayload:
    return ActionItemPayload(action_item=ActionItem.of(a) if a else None, user_errors=errors)


def _meeting(
    info: Info[Context, None], r: meetings.MeetingRecord | None, errors: list[UserError]
) -> MeetingPayload:
    if r is None:
        return MeetingPayload(meeting=None, user_errors=errors)
    m: MeetingModel = r.meeting
    info.context.team.meeting_items.prime(m.id, r.action_items)
    return MeetingPayload(meeting=Meeting.of(m), user_errors=errors)


@strawberry.type
class TeamMutation:
    @strawberry.mutation
    async def create_assignment(
        self, info: Info[Context, None], input: CreateAssignmentInput
    ) -> AssignmentPayload:
        ctx = info.context
        cmd = assignments.CreateAssignment(
            parse_id(input.project_id, "projectId"), parse_id(input.person_id, "personId"),
            input.role, input.allocation_percent, input.start_date, input.end_date,
        )  # fmt: skip
        principal = await ctx.principal()
        result = await idempotent(
            info,
            input,
            cmd,
            lambda uow: assignments.create_assignment(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _assignment(*result)

    @strawberry.mutation
    async def update_assignment(
        self, info: Info[Context, None], input: UpdateAssignmentInput
    ) -> AssignmentPayload:
        ctx = info.context
        changes = set_fields(input, ("role", "allocation_percent", "start_date", "end_date"))
        cmd = assignments.UpdateAssignment(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        run = assignments.update_assignment(
            cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
        )
        return _assignment(*await attempt(run))

    @strawberry.mutation
    async def delete_assignment(
        self, info: Info[Context, None], input: DeleteAssignmentInput
    ) -> DeleteAssignmentPayload:
        ctx = info.context
        cmd = assignments.DeleteAssignment(None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            assignments.delete_assignment(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeleteAssignmentPayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation
    async def create_stakeholder(
        self, info: Info[Context, None], input: CreateStakeholderInput
    ) -> StakeholderPayload:
        ctx = info.context
        values = command_fields(input)
        values["project_id"] = parse_id(input.project_id, "projectId")
        cmd = stakeholders.CreateStakeholder(**values)
        principal = await ctx.principal()
        result = await idempotent(
            info,
            input,
            cmd,
            lambda uow: stakeholders.create_stakeholder(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _stakeholder(*result)

    @strawberry.mutation
    async def update_stakeholder(
        self, info: Info[Context, None], input: UpdateStakeholderInput
    ) -> StakeholderPayload:
        ctx = info.context
        changes = set_fields(input, tuple(sorted(StakeholderModel.EDITABLE)))
        cmd = stakeholders.UpdateStakeholder(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        run = stakeholders.update_stakeholder(
            cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
        )
        return _stakeholder(*await attempt(run))

    @strawberry.mutation
    async def delete_stakeholder(
        self, info: Info[Context, None], input: DeleteStakeholderInput
    ) -> DeleteStakeholderPayload:
        ctx = info.context
        cmd = stakeholders.DeleteStakeholder(None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            stakeholders.delete_stakeholder(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeleteStakeholderPayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation
    async def record_meeting(
        self, info: Info[Context, None], input: RecordMeetingInput
    ) -> MeetingPayload:
        ctx = info.context
        items = tuple(
            meetings.NewActionItem(
                a.title, parse_id(a.owner_id, f"actionItems[{n}].ownerId"), a.due_on, a.status
            )
            for n, a in enumerate(input.action_items)
        )
        cmd = meetings.RecordMeeting(
            parse_id(input.project_id, "projectId"), input.title, input.kind, input.held_on,
            _ids(input.attendee_person_ids, "attendeePersonIds"),
            _ids(input.attendee_stakeholder_ids, "attendeeStakeholderIds"),
            input.notes, tuple(input.decisions), items,
        )  # fmt: skip
        principal = await ctx.principal()
        result = await idempotent(
            info,
            input,
            cmd,
            lambda uow: meetings.record_meeting(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _meeting(info, *result)

    @strawberry.mutation
    async def update_meeting(
        self, info: Info[Context, None], input: UpdateMeetingInput
    ) -> MeetingPayload:
        ctx = info.context
        changes = set_fields(input, tuple(sorted(MeetingModel.EDITABLE)))
        for name, label in (
            ("attendee_person_ids", "attendeePersonIds"),
            ("attendee_stakeholder_ids", "attendeeStakeholderIds"),
        ):
            if changes.get(name) is not None:
                changes[name] = _ids(changes[name], label)  # type: ignore[arg-type]
        cmd = meetings.UpdateMeeting(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        run = meetings.update_meeting(
            cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
        )
        return _meeting(info, *await attempt(run))

    @strawberry.mutation
    async def add_action_item(
        self, info: Info[Context, None], input: AddActionItemInput
    ) -> ActionItemPayload:
        ctx = info.context
        item = meetings.NewActionItem(
            input.title, parse_id(input.owner_id, "ownerId"), input.due_on, input.status
        )
        cmd = actions.AddActionItem(None, parse_id(input.meeting_id, "meetingId"), item)
        principal = await ctx.principal()
        result = await idempotent(
            info,
            input,
            cmd,
            lambda uow: actions.add_action_item(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _item(*result)

    @strawberry.mutation
    async def update_action_item(
        self, info: Info[Context, None], input: UpdateActionItemInput
    ) -> ActionItemPayload:
        ctx = info.context
        changes = set_fields(input, tuple(sorted(ActionItemModel.EDITABLE)))
        if changes.get("owner_id") is not None:
            changes["owner_id"] = parse_id(str(changes["owner_id"]), "ownerId")
        cmd = actions.UpdateActionItem(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        run = actions.update_action_item(
            cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
        )
        return _item(*await attempt(run))
