"""REST: /projects/{id}/risks — the risk register, assessments, occurrence and the matrix."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from starlette.responses import Response

from app.api.container import Services
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
from app.api.rest.issues import IssueRead, render_issue
from app.api.rest.risk_schemas import (
    AssessmentCreate,
    AssessmentRead,
    OccurrenceCreate,
    RiskCreate,
    RiskMatrixRead,
    RiskRead,
    RiskUpdate,
    assessment_read,
    matrix_read,
    risk_read,
)
from app.api.rest.schemas import Page
from app.domain.common.paging import page_request
from app.domain.common.principal import Principal
from app.domain.risks import assessments, issue_service, occurrence, service
from app.domain.risks.model import Assessment, Risk, RiskCategory, RiskFilter, RiskStatus, Severity

router = APIRouter(prefix="/api/v1/projects", tags=["risks"])


class RiskSort(StrEnum):
    SCORE = "score"
    SCORE_DESC = "-score"
    REVIEW_ON = "review_on"
    REVIEW_ON_DESC = "-review_on"


SortField = Annotated[
    RiskSort,
    Query(description="score or review_on; prefix - for descending (default -score)"),
]
Limit = Annotated[int, Query(ge=1, le=100)]


def risk_url(risk: Risk) -> str:
    return f"/api/v1/projects/{risk.project_id}/risks/{risk.id}"


async def _linked(svc: Services, caller: Principal, reads: list[RiskRead]) -> list[RiskRead]:
    """Link each risk to the issue its occurrence raised (one batched read for a page)."""
    if not reads:
        return reads
    issues = await issue_service.issues_from_occurrences(
        [r.id for r in reads], uow=svc.uow(), principal=caller
    )
    return [
        r.model_copy(update={"issue_id": i.id}) if i is not None else r
        for r, i in zip(reads, issues, strict=True)
    ]


def _render(risk: Risk, today: date) -> tuple[RiskRead, str, int]:
    return risk_read(risk, today), risk_url(risk), risk.version


@router.post(
    "/{project_id}/risks", status_code=201, response_model=RiskRead, summary="Raise a risk"
)
async def create_risk(
    project_id: UUID,
    body: RiskCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreateRisk(project_id=project_id, **body.model_dump())
    run = lambda uow: service.create_risk(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    render = lambda risk: _render(risk, svc.clock.today())  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, render)


@router.get("/{project_id}/risks", response_model=Page[RiskRead], summary="List the risk register")
async def list_risks(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    status: RiskStatus | None = None,
    severity: Severity | None = None,
    category: RiskCategory | None = None,
    owner_id: UUID | None = None,
    overdue_review: bool | None = None,
    sort: SortField = RiskSort.SCORE_DESC,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    flt = RiskFilter(status, severity, category, owner_id, overdue_review)
    page = await service.list_risks(
        project_id,
        flt,
        sort.value,
        page_request(limit, cursor),
        uow=svc.uow(),
        principal=caller,
        clock=svc.clock,
    )
    items = await _linked(svc, caller, [risk_read(r, svc.clock.today()) for r in page.items])
    return json_response(Page[RiskRead](items=items, next_cursor=page.next_cursor))


@router.get("/{project_id}/risks/{risk_id}", response_model=RiskRead, summary="Get a risk")
@not_by_version  # review_overdue is as of today
async def get_risk(project_id: UUID, risk_id: UUID, caller: Caller, svc: Svc) -> Response:
    risk = await service.get_risk(project_id, risk_id, uow=svc.uow(), principal=caller)
    (read,) = await _linked(svc, caller, [risk_read(risk, svc.clock.today())])
    return json_response(read, version=risk.version)


@router.patch(
    "/{project_id}/risks/{risk_id}",
    response_model=RiskRead,
    summary="Update a risk (merge-patch); a new probability or impact is recorded as an assessment",
)
async def update_risk(
    project_id: UUID,
    risk_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[RiskUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdateRisk(
        project_id, risk_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    risk = await service.update_risk(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    (read,) = await _linked(svc, caller, [risk_read(risk, svc.clock.today())])
    return json_response(read, version=risk.version)


@router.get(
    "/{project_id}/risks/{risk_id}/assessments",
    response_model=Page[AssessmentRead],
    summary="A risk's assessment history, newest first",
)
async def list_assessments(
    project_id: UUID,
    risk_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Limit = 50,
    cursor: str | None = None,
) -> Response:
    page = await assessments.list_assessments(
        project_id, risk_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [assessment_read(a) for a in page.items]
    return json_response(Page[AssessmentRead](items=items, next_cursor=page.next_cursor))


@router.post(
    "/{project_id}/risks/{risk_id}/assessments",
    status_code=201,
    response_model=AssessmentRead,
    summary="Re-assess a risk (If-Match names the risk's version); Location is the risk",
)
async def assess_risk(
    project_id: UUID,
    risk_id: UUID,
    body: AssessmentCreate,
    caller: Caller,
    svc: Svc,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = assessments.AssessRisk(
        project_id, risk_id, body.probability, body.impact, body.note, expected_version(if_match)
    )

    run = lambda uow: assessments.assess_risk(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731

    def render(result: tuple[Risk, Assessment]) -> tuple[AssessmentRead, str, int]:
        risk, assessment = result
        return assessment_read(assessment), risk_url(risk), risk.version

    return await create(svc, caller, idempotency_key, cmd, run, render)


@router.post(
    "/{project_id}/risks/{risk_id}/occurrence",
    status_code=201,
    response_model=IssueRead,
    summary="Record that the risk occurred: it becomes an issue (201 with the issue)",
)
async def record_occurrence(
    project_id: UUID,
    risk_id: UUID,
    body: OccurrenceCreate,
    caller: Caller,
    svc: Svc,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = occurrence.RecordOccurrence(
        project_id, risk_id, body.severity, body.title, body.note, expected_version(if_match)
    )
    run = lambda uow: occurrence.record_occurrence(  # noqa: E731
        cmd, uow=uow, principal=caller, clock=svc.clock
    )
    return await create(svc, caller, idempotency_key, cmd, run, render_issue)


@router.get(
    "/{project_id}/risk-matrix",
    response_model=RiskMatrixRead,
    summary="5 x 5 counts of open and mitigating risks, suggested contingency, overdue reviews",
)
async def risk_matrix(project_id: UUID, caller: Caller, svc: Svc) -> Response:
    matrix = await occurrence.risk_matrix(
        project_id, uow=svc.uow(), principal=caller, clock=svc.clock
    )
    return json_response(matrix_read(matrix))
