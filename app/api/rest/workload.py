"""REST: workload per ISO week (/people/{id}/workload, /workload), availability, owned action items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic_core import to_json
from starlette.responses import Response

from app.api.rest.common import Caller, Svc, json_response
from app.api.rest.schemas import Page
from app.api.rest.team_render import (
    action_item_read,
    availability_read,
    workload_dicts,
    workload_read,
)
from app.api.rest.team_schemas import ActionItemRead, AvailabilityRead, PersonWorkloadRead
from app.domain.common.paging import page_request
from app.domain.team import action_item_service, workload_service
from app.domain.team.meetings import ActionItemFilter, ActionStatus

# Registered before the people router: /people/available must not be read as a person id.
router = APIRouter(prefix="/api/v1", tags=["workload"])

From = Annotated[date, Query(alias="from", description="ISO date; its whole ISO week counts")]
To = Annotated[date, Query(description="ISO date; at most 53 ISO weeks after `from`'s")]
Limit = Annotated[int, Query(ge=1, le=100)]


@router.get(
    "/people/available",
    response_model=Page[AvailabilityRead],
    summary="People by free percent over a range (100 minus their highest weekly load)",
)
async def available_people(
    caller: Caller,
    svc: Svc,
    start: From,
    to: To,
    min_free_percent: Annotated[int | None, Query(ge=0, le=100)] = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    threshold = Decimal(min_free_percent) if min_free_percent is not None else None
    page = await workload_service.available_people(
        start, to, threshold, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [availability_read(p) for p in page.items]
    return json_response(Page[AvailabilityRead](items=items, next_cursor=page.next_cursor))


@router.get(
    "/people/{person_id}/workload",
    response_model=PersonWorkloadRead,
    summary="A person's load for every ISO week of the range",
)
async def person_workload(
    person_id: UUID, caller: Caller, svc: Svc, start: From, to: To
) -> Response:
    found = await workload_service.person_workload(
        person_id, start, to, uow=svc.uow(), principal=caller
    )
    return json_response(workload_read(found))


@router.get(
    "/workload",
    response_model=Page[PersonWorkloadRead],
    summary="Everyone with any load in the range (their loaded weeks), over-allocated first",
)
async def organization_workload(
    caller: Caller, svc: Svc, start: From, to: To, limit: Limit = 50, cursor: str | None = None
) -> Response:
    page = await workload_service.organization_workload(
        start, to, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = workload_dicts(page.items, only_loaded=True)
    body = to_json({"items": items, "next_cursor": page.next_cursor})
    return Response(body, media_type="application/json")


@router.get(
    "/people/{person_id}/action-items",
    response_model=Page[ActionItemRead],
    summary="The action items a person owns, across projects, by due date",
)
async def person_action_items(
    person_id: UUID,
    caller: Caller,
    svc: Svc,
    status: ActionStatus | None = None,
    overdue: bool | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    flt = ActionItemFilter(status=status, overdue=overdue)
    page = await action_item_service.list_person_action_items(
        person_id, flt, page_request(limit, cursor), uow=svc.uow(), principal=caller,
        clock=svc.clock,
    )  # fmt: skip
    today = svc.clock.today()
    items = [action_item_read(a, today) for a in page.items]
    return json_response(Page[ActionItemRead](items=items, next_cursor=page.next_cursor))
