"""REST: /projects/{id}/status-reports — immutable reports for the business (no PATCH or
DELETE route, so those methods answer 405); ``Accept: text/html`` renders the page."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from app.api.rest.common import Caller, IdempotencyKey, Svc, create, json_response
from app.api.rest.schemas import Page
from app.api.rest.status_report_page import render_page
from app.api.rest.status_report_schemas import StatusReportCreate, StatusReportRead
from app.domain.common.paging import page_request
from app.domain.projects import service as projects
from app.domain.reporting import report_service as service
from app.domain.reporting.health import Status
from app.domain.reporting.reports import Override, StatusReport

router = APIRouter(prefix="/api/v1/projects/{project_id}/status-reports", tags=["reporting"])


def _render(r: StatusReport) -> tuple[StatusReportRead, str, int | None]:
    return StatusReportRead.of(r), f"/api/v1/projects/{r.project_id}/status-reports/{r.id}", None


@router.post(
    "",
    status_code=201,
    response_model=StatusReportRead,
    summary="Write a status report (manager): snapshots health and key figures",
)
async def write_status_report(
    project_id: UUID,
    body: StatusReportCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    o = body.override
    cmd = service.WriteStatusReport(
        project_id, body.summary, body.achievements, body.next_steps, body.escalations,
        Override(Status(o.overall), o.reason) if o else None,
    )  # fmt: skip
    run = lambda uow: service.write_status_report(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[StatusReportRead], summary="List status reports, newest first")
async def list_status_reports(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: str | None = None,
) -> Response:
    page = await service.list_status_reports(
        project_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    body = Page[StatusReportRead](
        items=[StatusReportRead.of(r) for r in page.items], next_cursor=page.next_cursor
    )
    return json_response(body)


@router.get(
    "/{report_id}",
    response_model=StatusReportRead,
    responses={200: {"content": {"text/html": {}}}},
    summary="One status report; with Accept: text/html, the self-contained page",
)
async def get_status_report(
    request: Request, project_id: UUID, report_id: UUID, caller: Caller, svc: Svc
) -> Response:
    r = await service.get_status_report(project_id, report_id, uow=svc.uow(), principal=caller)
    if _wants_html(request.headers.get("accept", "")):
        project = await projects.get_project(project_id, uow=svc.uow(), principal=caller)
        return HTMLResponse(render_page(project, r))
    return json_response(StatusReportRead.of(r))


def _wants_html(accept: str) -> bool:
    """HTML only when asked for before (or without) JSON: browsers send text/html first."""
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    html = types.index("text/html") if "text/html" in types else None
    json_ = types.index("application/json") if "application/json" in types else None
    return html is not None and (json_ is None or html < json_)
