"""REST: /projects/{id}/objectives — objectives, their key results and check-ins."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from starlette.responses import Response

from app.api.http_semantics import not_by_version
from app.api.rest.closing_schemas import (
    CheckInCreate,
    CheckInRead,
    KeyResultCreate,
    KeyResultRead,
    KeyResultUpdate,
    ObjectiveCreate,
    ObjectiveRead,
    ObjectiveUpdate,
    decimal_text,
    progress_text,
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
from app.domain.objectives import key_results as krs
from app.domain.objectives import service
from app.domain.objectives.model import CheckIn, KeyResult, ObjectiveWithResults

router = APIRouter(prefix="/api/v1/projects/{project_id}/objectives", tags=["objectives"])
Limit = Annotated[int, Query(ge=1, le=100)]


def key_result_read(k: KeyResult) -> KeyResultRead:
    return KeyResultRead(
        id=k.id, objective_id=k.objective_id, name=k.name, unit=k.unit,
        baseline=decimal_text(k.baseline), target=decimal_text(k.target),
        current=decimal_text(k.current), progress=progress_text(k.progress) or "0",
        version=k.version, created_at=k.created_at, updated_at=k.updated_at,
    )  # fmt: skip


def objective_read(o: ObjectiveWithResults) -> ObjectiveRead:
    obj = o.objective
    return ObjectiveRead(
        id=obj.id, project_id=obj.project_id, name=obj.name, description=obj.description,
        progress=progress_text(o.progress), key_results=[key_result_read(k) for k in o.key_results],
        version=obj.version, created_at=obj.created_at, updated_at=obj.updated_at,
    )  # fmt: skip


def check_in_read(c: CheckIn) -> CheckInRead:
    return CheckInRead(
        id=c.id, key_result_id=c.key_result_id, value=decimal_text(c.to_value),
        previous_value=decimal_text(c.from_value), note=c.note, by=c.by, at=c.at,
    )  # fmt: skip


def _url(project_id: UUID, objective_id: UUID) -> str:
    return f"/api/v1/projects/{project_id}/objectives/{objective_id}"


def _render(o: ObjectiveWithResults) -> tuple[ObjectiveRead, str, int]:
    obj = o.objective
    return objective_read(o), _url(obj.project_id, obj.id), obj.version


def _render_kr(k: KeyResult) -> tuple[KeyResultRead, str, int]:
    return key_result_read(k), f"{_url(k.project_id, k.objective_id)}/key-results/{k.id}", k.version


@router.post("", status_code=201, response_model=ObjectiveRead, summary="Define an objective")
async def create_objective(
    project_id: UUID,
    body: ObjectiveCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateObjective(project_id, **body.model_dump())
    run = lambda uow: service.create_objective(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[ObjectiveRead], summary="List objectives, oldest first")
async def list_objectives(
    project_id: UUID, caller: Caller, svc: Svc, limit: Limit = 50, cursor: str | None = None
) -> Response:
    page = await service.list_objectives(
        project_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [objective_read(o) for o in page.items]
    return json_response(Page[ObjectiveRead](items=items, next_cursor=page.next_cursor))


@router.get("/{objective_id}", response_model=ObjectiveRead, summary="Get an objective")
@not_by_version  # its key results have versions of their own
async def get_objective(project_id: UUID, objective_id: UUID, caller: Caller, svc: Svc) -> Response:
    o = await service.get_objective(project_id, objective_id, uow=svc.uow(), principal=caller)
    return json_response(objective_read(o), version=o.objective.version)


@router.patch("/{objective_id}", response_model=ObjectiveRead, summary="Update an objective")
async def update_objective(
    project_id: UUID,
    objective_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[ObjectiveUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    changes = body.model_dump(exclude_unset=True)
    cmd = service.UpdateObjective(project_id, objective_id, changes, expected_version(if_match))
    o = await service.update_objective(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(objective_read(o), version=o.objective.version)


@router.delete("/{objective_id}", status_code=204, summary="Delete an objective")
async def delete_objective(
    project_id: UUID, objective_id: UUID, caller: Caller, svc: Svc, if_match: IfMatch = None
) -> Response:
    cmd = service.DeleteObjective(project_id, objective_id, expected_version(if_match))
    await service.delete_objective(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return Response(status_code=204)


@router.post(
    "/{objective_id}/key-results",
    status_code=201,
    response_model=KeyResultRead,
    summary="Add a key result (target must differ from baseline)",
)
async def add_key_result(
    project_id: UUID,
    objective_id: UUID,
    body: KeyResultCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = krs.AddKeyResult(project_id, objective_id, **body.model_dump())
    run = lambda uow: krs.add_key_result(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render_kr)


@router.get(
    "/{objective_id}/key-results",
    response_model=Page[KeyResultRead],
    summary="List an objective's key results (at most 25, one page)",
)
async def list_key_results(
    project_id: UUID, objective_id: UUID, caller: Caller, svc: Svc
) -> Response:
    found = await krs.list_key_results(project_id, objective_id, uow=svc.uow(), principal=caller)
    items = [key_result_read(k) for k in found]
    return json_response(Page[KeyResultRead](items=items, next_cursor=None))


@router.get(
    "/{objective_id}/key-results/{key_result_id}",
    response_model=KeyResultRead,
    summary="Get a key result",
)
async def get_key_result(
    project_id: UUID, objective_id: UUID, key_result_id: UUID, caller: Caller, svc: Svc
) -> Response:
    k = await krs.get_key_result(
        project_id, objective_id, key_result_id, uow=svc.uow(), principal=caller
    )
    return json_response(key_result_read(k), version=k.version)


@router.patch(
    "/{objective_id}/key-results/{key_result_id}",
    response_model=KeyResultRead,
    summary="Redefine a key result (current moves by check-ins)",
)
async def update_key_result(
    project_id: UUID,
    objective_id: UUID,
    key_result_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[KeyResultUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = krs.UpdateKeyResult(
        project_id, objective_id, key_result_id, body.model_dump(exclude_unset=True),
        expected_version(if_match),
    )  # fmt: skip
    k = await krs.update_key_result(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(key_result_read(k), version=k.version)


@router.delete(
    "/{objective_id}/key-results/{key_result_id}", status_code=204, summary="Delete a key result"
)
async def delete_key_result(
    project_id: UUID,
    objective_id: UUID,
    key_result_id: UUID,
    caller: Caller,
    svc: Svc,
    if_match: IfMatch = None,
) -> Response:
    cmd = krs.DeleteKeyResult(project_id, objective_id, key_result_id, expected_version(if_match))
    await krs.delete_key_result(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return Response(status_code=204)


@router.post(
    "/{objective_id}/key-results/{key_result_id}/check-ins",
    status_code=201,
    response_model=CheckInRead,
    summary="Check in a new current value (member or higher)",
)
async def check_in(
    project_id: UUID,
    objective_id: UUID,
    key_result_id: UUID,
    body: CheckInCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = krs.CheckInKeyResult(project_id, objective_id, key_result_id, body.value, body.note)
    url = f"{_url(project_id, objective_id)}/key-results/{key_result_id}/check-ins"
    run = lambda uow: krs.check_in(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    render = lambda c: (check_in_read(c), url, None)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, render)


@router.get(
    "/{objective_id}/key-results/{key_result_id}/check-ins",
    response_model=Page[CheckInRead],
    summary="A key result's check-ins, newest first",
)
async def list_check_ins(
    project_id: UUID,
    objective_id: UUID,
    key_result_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    page = await krs.list_check_ins(
        project_id, objective_id, key_result_id, page_request(limit, cursor),
        uow=svc.uow(), principal=caller,
    )  # fmt: skip
    items = [check_in_read(c) for c in page.items]
    return json_response(Page[CheckInRead](items=items, next_cursor=page.next_cursor))
