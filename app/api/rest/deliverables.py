"""REST: /projects/{id}/deliverables — deliverables and their acceptance decisions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from starlette.responses import Response

from app.api.rest.closing_schemas import (
    DecisionCreate,
    DecisionRead,
    DeliverableCreate,
    DeliverableRead,
    DeliverableUpdate,
)
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
from app.domain.common.paging import page_request
from app.domain.deliverables import service
from app.domain.deliverables.model import DecisionRecord, Deliverable, DeliverableStatus

router = APIRouter(prefix="/api/v1/projects/{project_id}/deliverables", tags=["deliverables"])
Limit = Annotated[int, Query(ge=1, le=100)]


def deliverable_read(d: Deliverable) -> DeliverableRead:
    return DeliverableRead.model_validate(d)


def decision_read(r: DecisionRecord, after: Deliverable | None = None) -> DecisionRead:
    read = DecisionRead.model_validate(r)
    read.deliverable = deliverable_read(after) if after else None
    return read


def _url(d: Deliverable) -> str:
    return f"/api/v1/projects/{d.project_id}/deliverables/{d.id}"


def _render(d: Deliverable) -> tuple[DeliverableRead, str, int]:
    return deliverable_read(d), _url(d), d.version


def _render_decision(
    decided: tuple[Deliverable, DecisionRecord],
) -> tuple[DecisionRead, str, int]:
    d, record = decided
    return decision_read(record, d), f"{_url(d)}/decisions", d.version


@router.post("", status_code=201, response_model=DeliverableRead, summary="Record a deliverable")
async def create_deliverable(
    project_id: UUID,
    body: DeliverableCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateDeliverable(project_id, **body.model_dump())
    run = lambda uow: service.create_deliverable(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[DeliverableRead], summary="List deliverables, oldest first")
async def list_deliverables(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    status: DeliverableStatus | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_deliverables(
        project_id, status, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [deliverable_read(d) for d in page.items]
    return json_response(Page[DeliverableRead](items=items, next_cursor=page.next_cursor))


@router.get("/{deliverable_id}", response_model=DeliverableRead, summary="Get a deliverable")
async def get_deliverable(
    project_id: UUID, deliverable_id: UUID, caller: Caller, svc: Svc
) -> Response:
    d = await service.get_deliverable(project_id, deliverable_id, uow=svc.uow(), principal=caller)
    return json_response(deliverable_read(d), version=d.version)


@router.patch(
    "/{deliverable_id}",
    response_model=DeliverableRead,
    summary="Update a deliverable (its status moves by decisions)",
)
async def update_deliverable(
    project_id: UUID,
    deliverable_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[DeliverableUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    changes = body.model_dump(exclude_unset=True)
    cmd = service.UpdateDeliverable(project_id, deliverable_id, changes, expected_version(if_match))
    d = await service.update_deliverable(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(deliverable_read(d), version=d.version)


@router.post(
    "/{deliverable_id}/decisions",
    status_code=201,
    response_model=DecisionRead,
    summary="Accept, reject, waive or reopen (a manager or the project's sponsor)",
)
async def decide_deliverable(
    project_id: UUID,
    deliverable_id: UUID,
    body: DecisionCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> Response:
    cmd = service.DecideDeliverable(
        project_id, deliverable_id, body.decision, body.note, expected_version(if_match)
    )
    run = lambda uow: service.decide_deliverable(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render_decision)


@router.get(
    "/{deliverable_id}/decisions",
    response_model=Page[DecisionRead],
    summary="A deliverable's decisions, newest first",
)
async def list_decisions(
    project_id: UUID,
    deliverable_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_decisions(
        project_id, deliverable_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [decision_read(r) for r in page.items]
    return json_response(Page[DecisionRead](items=items, next_cursor=page.next_cursor))
