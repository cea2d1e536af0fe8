"""REST: /projects/{id}/meetings and /projects/{id}/action-items."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from starlette.responses import Response

from app.api.http_semantics import not_by_version
from app.api.rest.common import (
    Caller,
    IdempotencyKey,
    IfMatch,
    Svc,
    create,
    expected_version,
    json_response,
)
from app.api.rest.schemas import Page
from app.api.rest.team_render import action_item_read, meeting_location, meeting_read
from app.api.rest.team_schemas import (
    ActionItemCreate,
    ActionItemRead,
    ActionItemUpdate,
    MeetingCreate,
    MeetingRead,
    MeetingUpdate,
)
from app.domain.common.paging import page_request
from app.domain.team import action_item_service as actions
from app.domain.team import meeting_service as service
from app.domain.team.meetings import ActionItem, ActionItemFilter, ActionStatus

router = APIRouter(prefix="/api/v1/projects/{project_id}", tags=["meetings"])
Limit = Annotated[int, Query(ge=1, le=100)]


@router.post(
    "/meetings",
    status_code=201,
    response_model=MeetingRead,
    summary="Record a meeting with its action items (manager); attending stakeholders count as contacted",
)
async def record_meeting(
    project_id: UUID,
    body: MeetingCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    values = body.model_dump(exclude={"action_items"})
    for name in ("attendee_person_ids", "attendee_stakeholder_ids", "decisions"):
        values[name] = tuple(values[name])
    items = tuple(service.NewActionItem(**a.model_dump()) for a in body.action_items)
    cmd = service.RecordMeeting(project_id=project_id, **values, action_items=items)
    run = lambda uow: service.record_meeting(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731

    def render(r: service.MeetingRecord) -> tuple[MeetingRead, str, int]:
        m = r.meeting
        body = meeting_read(m, r.action_items, svc.clock.today())
        return body, meeting_location(m.project_id, m.id), m.version

    return await create(svc, caller, idempotency_key, cmd, run, render)


@router.get("/meetings", response_model=Page[MeetingRead], summary="List meetings, newest first")
async def list_meetings(
    project_id: UUID, caller: Caller, svc: Svc, limit: Limit = 50, cursor: str | None = None
) -> Response:
    page, items = await service.list_meetings(
        project_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    today = svc.clock.today()
    reads = [meeting_read(m, items.get(m.id, []), today) for m in page.items]
    return json_response(Page[MeetingRead](items=reads, next_cursor=page.next_cursor))


@router.get("/meetings/{meeting_id}", response_model=MeetingRead, summary="Get a meeting")
@not_by_version  # its action items have versions of their own
async def get_meeting(project_id: UUID, meeting_id: UUID, caller: Caller, svc: Svc) -> Response:
    r = await service.get_meeting(project_id, meeting_id, uow=svc.uow(), principal=caller)
    read = meeting_read(r.meeting, r.action_items, svc.clock.today())
    return json_response(read, version=r.meeting.version)


@router.patch(
    "/meetings/{meeting_id}",
    response_model=MeetingRead,
    summary="Update a meeting (manager, merge-patch; lists are replaced whole)",
)
async def update_meeting(
    project_id: UUID,
    meeting_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[MeetingUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateMeeting(
        project_id, meeting_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    r = await service.update_meeting(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    read = meeting_read(r.meeting, r.action_items, svc.clock.today())
    return json_response(read, version=r.meeting.version)


@router.post(
    "/meetings/{meeting_id}/action-items",
    status_code=201,
    response_model=ActionItemRead,
    summary="Add an action item to a meeting (manager)",
)
async def add_action_item(
    project_id: UUID,
    meeting_id: UUID,
    body: ActionItemCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    item = service.NewActionItem(**body.model_dump())
    cmd = actions.AddActionItem(project_id, meeting_id, item)
    run = lambda uow: actions.add_action_item(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731

    def render(a: ActionItem) -> tuple[ActionItemRead, str, int]:
        location = f"/api/v1/projects/{a.project_id}/action-items/{a.id}"
        return action_item_read(a, svc.clock.today()), location, a.version

    return await create(svc, caller, idempotency_key, cmd, run, render)


@router.get(
    "/action-items",
    response_model=Page[ActionItemRead],
    summary="List the project's action items by due date",
)
async def list_action_items(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    status: ActionStatus | None = None,
    owner_id: UUID | None = None,
    overdue: bool | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    flt = ActionItemFilter(status=status, owner_id=owner_id, overdue=overdue)
    page = await actions.list_action_items(
        project_id, flt, page_request(limit, cursor), uow=svc.uow(), principal=caller,
        clock=svc.clock,
    )  # fmt: skip
    today = svc.clock.today()
    items = [action_item_read(a, today) for a in page.items]
    return json_response(Page[ActionItemRead](items=items, next_cursor=page.next_cursor))


@router.get("/action-items/{item_id}", response_model=ActionItemRead, summary="Get an action item")
@not_by_version  # overdue is as of today
async def get_action_item(project_id: UUID, item_id: UUID, caller: Caller, svc: Svc) -> Response:
    a = await actions.get_action_item(project_id, item_id, uow=svc.uow(), principal=caller)
    return json_response(action_item_read(a, svc.clock.today()), version=a.version)


@router.patch(
    "/action-items/{item_id}",
    response_model=ActionItemRead,
    summary="Update an action item (manager; its owner may report the status as a member)",
)
async def update_action_item(
    project_id: UUID,
    item_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[ActionItemUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = actions.UpdateActionItem(
        project_id, item_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    a = await actions.update_action_item(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(action_item_read(a, svc.clock.today()), version=a.version)
