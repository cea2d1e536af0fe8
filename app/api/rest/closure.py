"""REST: /projects/{id}/closure-report and /lessons — the closure review."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.api.rest.closing_schemas import (
    ClosureReportRead,
    ClosureReportWrite,
    FinalFiguresRead,
    LessonRead,
    progress_text,
)
from app.api.rest.common import Caller, IfMatch, Svc, expected_version, json_response
from app.api.rest.schemas import Page
from app.domain.closure import service
from app.domain.closure.model import ClosureReport, LessonFilter
from app.domain.common.money import Money
from app.domain.common.paging import page_request
from app.domain.projects.model import BusinessArea

router = APIRouter(tags=["closure"])


def report_read(r: ClosureReport) -> ClosureReportRead:
    f = r.final_figures
    figures = asdict(f)
    figures["budget"] = str(Money(f.budget, f.currency))
    figures["actual"] = str(Money(f.actual, f.currency))
    for ratio in ("cpi", "spi"):
        figures[ratio] = None if figures[ratio] is None else format(figures[ratio], "f")
    figures["objectives_progress"] = progress_text(f.objectives_progress)
    return ClosureReportRead(
        project_id=r.project_id, summary=r.summary, went_well=r.went_well,
        to_improve=r.to_improve, final_figures=FinalFiguresRead(**figures),
        written_by=r.written_by, written_at=r.written_at, version=r.version,
    )  # fmt: skip


@router.put(
    "/api/v1/projects/{project_id}/closure-report",
    response_model=ClosureReportRead,
    summary="Write the closure report in closing (409 wrong_phase otherwise); snapshots the "
    "final figures",
)
async def write_closure_report(
    project_id: UUID,
    body: ClosureReportWrite,
    caller: Caller,
    svc: Svc,
    if_match: IfMatch = None,
) -> Response:
    cmd = service.WriteClosureReport(
        project_id, body.summary, body.went_well, body.to_improve, expected_version(if_match)
    )
    r = await service.write_closure_report(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(report_read(r), version=r.version)


@router.get(
    "/api/v1/projects/{project_id}/closure-report",
    response_model=ClosureReportRead,
    summary="The closure report (404 until written)",
)
async def get_closure_report(project_id: UUID, caller: Caller, svc: Svc) -> Response:
    r = await service.get_closure_report(project_id, uow=svc.uow(), principal=caller)
    return json_response(report_read(r), version=r.version)


@router.get(
    "/api/v1/lessons",
    response_model=Page[LessonRead],
    summary="What went well and what to improve in the organization's closed projects",
)
async def search_lessons(
    caller: Caller,
    svc: Svc,
    q: Annotated[str | None, Query(max_length=200)] = None,
    business_area: BusinessArea | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    flt = LessonFilter(q=q or None, business_area=business_area)
    page = await service.search_lessons(
        flt, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [LessonRead.model_validate(x) for x in page.items]
    return json_response(Page[LessonRead](items=items, next_cursor=page.next_cursor))
