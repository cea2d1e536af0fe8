"""REST: /projects — the project record, its lifecycle, gate checklist and history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
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
from app.api.rest.schemas import Changes, Name, Page, Read, SearchText, Text
from app.api.rest.schemas import Request as Body_
from app.domain.common.events import DomainEvent
from app.domain.common.paging import page_request
from app.domain.projects import service
from app.domain.projects.model import BusinessArea, Phase, Project, ProjectFilter

router = APIRouter(prefix="/api/v1/projects", tags=["projects"])

Key = Annotated[
    str,
    Field(
        min_length=2,
        max_length=10,
        pattern=r"^[A-Z][A-Z0-9]{1,9}$",
        examples=["CRM"],
        description="2-10 characters, uppercase letter first",
    ),
]
Currency = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"], description="ISO 4217 currency code")
]


class ProjectSort(StrEnum):
    KEY = "key"
    KEY_DESC = "-key"
    NAME = "name"
    NAME_DESC = "-name"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    TARGET_END_DATE = "target_end_date"
    TARGET_END_DATE_DESC = "-target_end_date"


SortField = Annotated[
    ProjectSort,
    Query(description="key, name, created_at or target_end_date; prefix - for descending"),
]


class ProjectCreate(Body_):
    key: Key
    name: Name
    description: Text | None = None
    business_area: BusinessArea
    sponsor_id: UUID | None = None
    manager_id: UUID | None = None
    start_date: date | None = None
    target_end_date: date | None = None
    currency: Currency
    no_known_risks: bool = False


class ProjectUpdate(Body_):
    key: Key | None = None
    name: Name | None = None
    description: Text | None = None
    business_area: BusinessArea | None = None
    sponsor_id: UUID | None = None
    manager_id: UUID | None = None
    start_date: date | None = None
    target_end_date: date | None = None
    currency: Currency | None = None
    no_known_risks: bool | None = None


class ProjectRead(Read):
    id: UUID
    key: str
    name: str
    description: str | None
    business_area: BusinessArea
    sponsor_id: UUID | None
    manager_id: UUID | None
    start_date: date | None
    target_end_date: date | None
    currency: str
    phase: Phase
    held_from: Phase | None = Field(description="While on hold: the phase the project returns to")
    no_known_risks: bool
    version: int
    created_at: datetime
    updated_at: datetime


class TransitionRequest(Body_):
    to: Phase
    reason: Text | None = None
    force: bool = False


class GateCondition(Read):
    gate: str
    met: bool
    message: str


class GateRead(Read):
    to: Phase | None = Field(description="The phase the next forward move enters; null at the end")
    conditions: list[GateCondition]


class ActivityRead(Read):
    id: UUID
    actor: str
    at: datetime
    action: str
    entity_type: str
    entity_id: UUID
    changes: Changes

    @classmethod
    def of(cls, e: DomainEvent) -> ActivityRead:
        return cls(
            id=e.id,
            actor=e.actor,
            at=e.occurred_at,
            action=e.type,
            entity_type=e.subject.type,
            entity_id=e.subject.id,
            changes=dict(e.changes),
        )


def project_read(project: Project) -> ProjectRead:
    return ProjectRead.model_validate(project)


def _render(project: Project) -> tuple[ProjectRead, str, int]:
    return project_read(project), f"/api/v1/projects/{project.id}", project.version


@router.post("", status_code=201, response_model=ProjectRead, summary="Create a project (manager)")
async def create_project(
    body: ProjectCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateProject(**body.model_dump())
    run = lambda uow: service.create_project(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[ProjectRead], summary="List projects")
async def list_projects(
    caller: Caller,
    svc: Svc,
    phase: Phase | None = None,
    business_area: BusinessArea | None = None,
    q: Annotated[
        SearchText | None, Query(max_length=200, description="Text in the name or key")
    ] = None,
    sort: SortField = ProjectSort.KEY,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    flt = ProjectFilter(phase=phase, business_area=business_area, q=q)
    page = await service.list_projects(
        flt, sort.value, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    body = Page[ProjectRead](
        items=[project_read(p) for p in page.items], next_cursor=page.next_cursor
    )
    return json_response(body)


@router.get("/{project_id}", response_model=ProjectRead, summary="Get a project")
async def get_project(project_id: UUID, caller: Caller, svc: Svc) -> Response:
    project = await service.get_project(project_id, uow=svc.uow(), principal=caller)
    return json_response(project_read(project), version=project.version)


@router.patch("/{project_id}", response_model=ProjectRead, summary="Update a project (merge-patch)")
async def update_project(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[ProjectUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateProject(
        project_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    project = await service.update_project(
        cmd, uow=svc.uow(), principal=caller, clock=svc.clock, gates=svc.gates
    )
    return json_response(project_read(project), version=project.version)


@router.post(
    "/{project_id}/transitions", response_model=ProjectRead, summary="Move through the lifecycle"
)
async def transition_project(
    project_id: UUID, body: TransitionRequest, caller: Caller, svc: Svc, if_match: IfMatch = None
) -> Response:
    cmd = service.TransitionProject(
        project_id, body.to, body.reason, body.force, expected_version(if_match)
    )
    project = await service.transition_project(
        cmd, uow=svc.uow(), principal=caller, clock=svc.clock, gates=svc.gates
    )
    return json_response(project_read(project), version=project.version)


@router.get(
    "/{project_id}/gate", response_model=GateRead, summary="The next forward gate's checklist"
)
async def gate(project_id: UUID, caller: Caller, svc: Svc) -> Response:
    checklist = await service.gate_checklist(
        project_id, uow=svc.uow(), principal=caller, gates=svc.gates
    )
    return json_response(GateRead.model_validate(checklist))


@router.get(
    "/{project_id}/activity", response_model=Page[ActivityRead], summary="History, newest first"
)
async def activity(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_activity(
        project_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [ActivityRead.of(e) for e in page.items]
    return json_response(Page[ActivityRead](items=items, next_cursor=page.next_cursor))
