"""REST: /projects/{id}/stakeholders — the register with quadrant and overdue contact."""

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
from app.api.rest.team_render import stakeholder_read
from app.api.rest.team_schemas import StakeholderCreate, StakeholderRead, StakeholderUpdate
from app.domain.common.paging import page_request
from app.domain.team import stakeholder_service as service
from app.domain.team.stakeholders import Quadrant, Stakeholder, StakeholderFilter

router = APIRouter(prefix="/api/v1/projects/{project_id}/stakeholders", tags=["stakeholders"])


@router.post(
    "", status_code=201, response_model=StakeholderRead, summary="Add a stakeholder (manager)"
)
async def create_stakeholder(
    project_id: UUID,
    body: StakeholderCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateStakeholder(project_id=project_id, **body.model_dump())
    run = lambda uow: service.create_stakeholder(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731

    def render(s: Stakeholder) -> tuple[StakeholderRead, str, int]:
        location = f"/api/v1/projects/{s.project_id}/stakeholders/{s.id}"
        return stakeholder_read(s, svc.clock.today()), location, s.version

    return await create(svc, caller, idempotency_key, cmd, run, render)


@router.get("", response_model=Page[StakeholderRead], summary="List stakeholders by name")
async def list_stakeholders(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    quadrant: Quadrant | None = None,
    contact_overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_stakeholders(
        project_id, StakeholderFilter(quadrant, contact_overdue), page_request(limit, cursor),
        uow=svc.uow(), principal=caller, clock=svc.clock,
    )  # fmt: skip
    today = svc.clock.today()
    items = [stakeholder_read(s, today) for s in page.items]
    return json_response(Page[StakeholderRead](items=items, next_cursor=page.next_cursor))


@router.get("/{stakeholder_id}", response_model=StakeholderRead, summary="Get a stakeholder")
@not_by_version  # contact_overdue is as of today
async def get_stakeholder(
    project_id: UUID, stakeholder_id: UUID, caller: Caller, svc: Svc
) -> Response:
    s = await service.get_stakeholder(project_id, stakeholder_id, uow=svc.uow(), principal=caller)
    return json_response(stakeholder_read(s, svc.clock.today()), version=s.version)


@router.patch(
    "/{stakeholder_id}",
    response_model=StakeholderRead,
    summary="Update a stakeholder (manager, merge-patch)",
)
async def update_stakeholder(
    project_id: UUID,
    stakeholder_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[StakeholderUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateStakeholder(
        project_id, stakeholder_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    s = await service.update_stakeholder(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(stakeholder_read(s, svc.clock.today()), version=s.version)


@router.delete("/{stakeholder_id}", status_code=204, summary="Remove a stakeholder (manager)")
async def delete_stakeholder(
    project_id: UUID, stakeholder_id: UUID, caller: Caller, svc: Svc, if_match: IfMatch = None
) -> Response:
    cmd = service.DeleteStakeholder(project_id, stakeholder_id, expected_version(if_match))
    await service.delete_stakeholder(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return Response(status_code=204)
