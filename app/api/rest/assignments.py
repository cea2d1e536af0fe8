"""REST: /projects/{id}/assignments — people on a project, with allocation and dates."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from starlette.responses import Response

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
from app.api.rest.team_render import assignment_read
from app.api.rest.team_schemas import AssignmentCreate, AssignmentRead, AssignmentUpdate
from app.domain.common.paging import page_request
from app.domain.team import assignment_service as service
from app.domain.team.assignments import Assignment

router = APIRouter(prefix="/api/v1/projects/{project_id}/assignments", tags=["assignments"])


def _render(a: Assignment) -> tuple[AssignmentRead, str, int]:
    location = f"/api/v1/projects/{a.project_id}/assignments/{a.id}"
    return assignment_read(a), location, a.version


@router.post(
    "", status_code=201, response_model=AssignmentRead, summary="Assign a person (manager)"
)
async def create_assignment(
    project_id: UUID,
    body: AssignmentCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateAssignment(project_id=project_id, **body.model_dump())
    run = lambda uow: service.create_assignment(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[AssignmentRead], summary="List assignments by start date")
async def list_assignments(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_assignments(
        project_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [assignment_read(a) for a in page.items]
    return json_response(Page[AssignmentRead](items=items, next_cursor=page.next_cursor))


@router.get("/{assignment_id}", response_model=AssignmentRead, summary="Get an assignment")
async def get_assignment(
    project_id: UUID, assignment_id: UUID, caller: Caller, svc: Svc
) -> Response:
    a = await service.get_assignment(project_id, assignment_id, uow=svc.uow(), principal=caller)
    return json_response(assignment_read(a), version=a.version)


@router.patch(
    "/{assignment_id}",
    response_model=AssignmentRead,
    summary="Update an assignment (manager, merge-patch)",
)
async def update_assignment(
    project_id: UUID,
    assignment_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[AssignmentUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateAssignment(
        project_id, assignment_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    a = await service.update_assignment(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(assignment_read(a), version=a.version)


@router.delete("/{assignment_id}", status_code=204, summary="Remove an assignment (manager)")
async def delete_assignment(
    project_id: UUID, assignment_id: UUID, caller: Caller, svc: Svc, if_match: IfMatch = None
) -> Response:
    cmd = service.DeleteAssignment(project_id, assignment_id, expected_version(if_match))
    await service.delete_assignment(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return Response(status_code=204)
