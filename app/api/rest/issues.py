"""REST: /projects/{id}/issues — the issue log."""

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
from app.api.rest.schemas import Name, Page, Read, Text
from app.api.rest.schemas import Request as Body_
from app.domain.common.paging import page_request
from app.domain.risks import issue_service as service
from app.domain.risks.issues import Issue, IssueFilter, IssueStatus
from app.domain.risks.model import Severity

router = APIRouter(prefix="/api/v1/projects", tags=["issues"])


class IssueCreate(Body_):
    title: Name
    severity: Severity
    description: Text | None = None
    status: IssueStatus = IssueStatus.OPEN
    owner_id: UUID | None = None
    due_on: date | None = None
    resolution: Text | None = Field(None, description="Required once resolved or closed")
    risk_id: UUID | None = Field(None, description="The risk of this project it came from")


class IssueUpdate(Body_):
    title: Name | None = None
    severity: Severity | None = None
    description: Text | None = None
    status: IssueStatus | None = None
    owner_id: UUID | None = None
    due_on: date | None = None
    resolution: Text | None = None
    risk_id: UUID | None = None


class IssueRead(Read):
    id: UUID
    project_id: UUID
    title: str
    description: str | None
    severity: Severity
    status: IssueStatus
    owner_id: UUID | None
    due_on: date | None
    resolution: str | None
    risk_id: UUID | None
    from_occurrence: bool = Field(description="Raised by recording the linked risk's occurrence")
    version: int
    created_at: datetime
    updated_at: datetime


def issue_url(issue: Issue) -> str:
    return f"/api/v1/projects/{issue.project_id}/issues/{issue.id}"


def render_issue(issue: Issue) -> tuple[IssueRead, str, int]:
    return IssueRead.model_validate(issue), issue_url(issue), issue.version


@router.post(
    "/{project_id}/issues", status_code=201, response_model=IssueRead, summary="Log an issue"
)
async def create_issue(
    project_id: UUID,
    body: IssueCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateIssue(project_id=project_id, **body.model_dump())
    run = lambda uow: service.create_issue(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, render_issue)


@router.get(
    "/{project_id}/issues", response_model=Page[IssueRead], summary="List issues, newest first"
)
async def list_issues(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    status: IssueStatus | None = None,
    severity: Severity | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await service.list_issues(
        project_id,
        IssueFilter(status=status, severity=severity),
        page_request(limit, cursor),
        uow=svc.uow(),
        principal=caller,
    )
    items = [IssueRead.model_validate(i) for i in page.items]
    return json_response(Page[IssueRead](items=items, next_cursor=page.next_cursor))


@router.get("/{project_id}/issues/{issue_id}", response_model=IssueRead, summary="Get an issue")
async def get_issue(project_id: UUID, issue_id: UUID, caller: Caller, svc: Svc) -> Response:
    issue = await service.get_issue(project_id, issue_id, uow=svc.uow(), principal=caller)
    return json_response(IssueRead.model_validate(issue), version=issue.version)


@router.patch(
    "/{project_id}/issues/{issue_id}",
    response_model=IssueRead,
    summary="Update an issue (merge-patch); resolving needs a resolution",
)
async def update_issue(
    project_id: UUID,
    issue_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[IssueUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateIssue(
        project_id, issue_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    issue = await service.update_issue(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(IssueRead.model_validate(issue), version=issue.version)
