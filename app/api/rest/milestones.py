"""REST: /projects/{id}/milestones — milestones and their dependencies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from pydantic import Field
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
from app.api.rest.schemas import MoneyString, Name, Page, Read, Text
from app.api.rest.schemas import Request as Body_
from app.domain.common.paging import page_request
from app.domain.milestones import network, service
from app.domain.milestones.model import (
    ESTIMATE_MAX,
    LAG_MAX,
    Dependency,
    DependencyType,
    Milestone,
)
from app.domain.milestones.model import MilestoneStatus as Status

router = APIRouter(prefix="/api/v1/projects/{project_id}/milestones", tags=["milestones"])

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="Must be the project's")]
Progress = Annotated[int, Field(ge=0, le=100)]
Lag = Annotated[int, Field(ge=-LAG_MAX, le=LAG_MAX, description="Negative is a lead")]
# Strict: 2.5 and "3" are refused, not coerced. All three or none; optimistic <= most likely
# <= pessimistic (checked by the domain, naming the field).
Days = Annotated[
    int,
    Field(strict=True, ge=1, le=ESTIMATE_MAX, description="Three-point estimate, in days"),
]


class MilestoneCreate(Body_):
    name: Name
    description: Text | None = None
    owner_id: UUID | None = None
    start_date: date
    due_date: date
    status: Status = Status.PLANNED
    progress: Progress | None = Field(None, description="Defaults to 100 when done, else 0")
    completed_on: date | None = Field(None, description="Only when done; defaults to today")
    planned_value: MoneyString = "0"
    currency: Currency | None = None
    optimistic_days: Days | None = Field(None, description="Fewest days it could take")
    most_likely_days: Days | None = Field(None, description="Days it most likely takes")
    pessimistic_days: Days | None = Field(None, description="Most days it could take")


class MilestoneUpdate(Body_):
    name: Name | None = None
    description: Text | None = None
    owner_id: UUID | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: Status | None = None
    progress: Progress | None = None
    completed_on: date | None = None
    planned_value: MoneyString | None = None
    currency: Currency | None = None
    optimistic_days: Days | None = Field(None, description="Fewest days it could take")
    most_likely_days: Days | None = Field(None, description="Days it most likely takes")
    pessimistic_days: Days | None = Field(None, description="Most days it could take")


class MilestoneRead(Read):
    id: UUID
    project_id: UUID
    name: str
    description: str | None
    owner_id: UUID | None
    start_date: date
    due_date: date
    status: Status
    progress: int
    completed_on: date | None
    planned_value: str
    currency: str
    optimistic_days: int | None = Field(description="Three-point estimate: fewest days")
    most_likely_days: int | None = Field(description="Three-point estimate: most likely days")
    pessimistic_days: int | None = Field(description="Three-point estimate: most days")
    version: int
    created_at: datetime
    updated_at: datetime


class DependencyCreate(Body_):
    predecessor_id: UUID
    type: DependencyType = DependencyType.FINISH_TO_START
    lag_days: Lag = 0


class DependencyRead(Read):
    predecessor_id: UUID
    successor_id: UUID
    type: DependencyType
    lag_days: int
    created_at: datetime


def milestone_read(m: Milestone) -> MilestoneRead:
    values = {k: getattr(m, k) for k in MilestoneRead.model_fields if hasattr(m, k)}
    values["planned_value"] = str(m.planned_value)
    values["currency"] = m.planned_value.currency
    return MilestoneRead.model_validate(values)


def _render(m: Milestone) -> tuple[MilestoneRead, str, int]:
    return milestone_read(m), f"/api/v1/projects/{m.project_id}/milestones/{m.id}", m.version


def _render_dependency(d: Dependency) -> tuple[DependencyRead, str, None]:
    location = (
        f"/api/v1/projects/{d.project_id}/milestones/{d.successor_id}"
        f"/dependencies/{d.predecessor_id}"
    )
    return DependencyRead.model_validate(d), location, None


@router.post("", status_code=201, response_model=MilestoneRead, summary="Add a milestone")
async def create_milestone(
    project_id: UUID,
    body: MilestoneCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateMilestone(project_id=project_id, **body.model_dump())
    run = lambda uow: service.create_milestone(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[MilestoneRead], summary="List milestones by start date")
async def list_milestones(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_milestones(
        project_id, status, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [milestone_read(m) for m in page.items]
    return json_response(Page[MilestoneRead](items=items, next_cursor=page.next_cursor))


@router.get("/{milestone_id}", response_model=MilestoneRead, summary="Get a milestone")
async def get_milestone(project_id: UUID, milestone_id: UUID, caller: Caller, svc: Svc) -> Response:
    m = await service.get_milestone(project_id, milestone_id, uow=svc.uow(), principal=caller)
    return json_response(milestone_read(m), version=m.version)


@router.patch(
    "/{milestone_id}",
    response_model=MilestoneRead,
    summary="Update a milestone (merge-patch; members may report progress and status)",
)
async def update_milestone(
    project_id: UUID,
    milestone_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[MilestoneUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateMilestone(
        project_id, milestone_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    m = await service.update_milestone(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(milestone_read(m), version=m.version)


@router.delete(
    "/{milestone_id}",
    status_code=204,
    summary="Delete a milestone (409 while other milestones depend on it)",
)
async def delete_milestone(
    project_id: UUID, milestone_id: UUID, caller: Caller, svc: Svc, if_match: IfMatch = None
) -> Response:
    cmd = service.DeleteMilestone(project_id, milestone_id, expected_version(if_match))
    await service.delete_milestone(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return Response(status_code=204)


@router.post(
    "/{milestone_id}/dependencies",
    status_code=201,
    response_model=DependencyRead,
    summary="Make the milestone depend on a predecessor (422 dependency_cycle names the cycle)",
)
async def add_dependency(
    project_id: UUID,
    milestone_id: UUID,
    body: DependencyCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = network.AddDependency(project_id, milestone_id, **body.model_dump())
    run = lambda uow: network.add_dependency(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render_dependency)


@router.get(
    "/{milestone_id}/dependencies",
    response_model=Page[DependencyRead],
    summary="List what the milestone depends on",
)
async def list_dependencies(
    project_id: UUID,
    milestone_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await network.list_dependencies(
        project_id, milestone_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [DependencyRead.model_validate(d) for d in page.items]
    return json_response(Page[DependencyRead](items=items, next_cursor=page.next_cursor))


@router.get(
    "/{milestone_id}/dependencies/{predecessor_id}",
    response_model=DependencyRead,
    summary="Get one dependency",
)
async def get_dependency(
    project_id: UUID, milestone_id: UUID, predecessor_id: UUID, caller: Caller, svc: Svc
) -> Response:
    found = await network.get_dependency(
        project_id, milestone_id, predecessor_id, uow=svc.uow(), principal=caller
    )
    return json_response(DependencyRead.model_validate(found))


@router.delete(
    "/{milestone_id}/dependencies/{predecessor_id}",
    status_code=204,
    summary="Remove a dependency",
)
async def remove_dependency(
    project_id: UUID, milestone_id: UUID, predecessor_id: UUID, caller: Caller, svc: Svc
) -> Response:
    cmd = network.RemoveDependency(project_id, milestone_id, predecessor_id)
    await network.remove_dependency(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return Response(status_code=204)
