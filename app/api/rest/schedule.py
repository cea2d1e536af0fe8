"""REST: /projects/{id}/schedule and /baselines — the critical path and its snapshots."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import Field
from starlette.responses import Response

from app.api.rest.common import Caller, IdempotencyKey, Svc, create, json_response
from app.api.rest.schemas import Name, Page, Read
from app.api.rest.schemas import Request as Body_
from app.domain.common.paging import page_request
from app.domain.milestones import baselines, network
from app.domain.milestones.ports import Baseline
from app.domain.milestones.schedule import Schedule

router = APIRouter(prefix="/api/v1/projects/{project_id}", tags=["schedule"])

Number = Annotated[int, Field(ge=1, le=2_147_483_647)]


class MilestoneScheduleRead(Read):
    milestone_id: UUID
    es: date | None = Field(description="Earliest start; null for a cancelled milestone")
    ef: date | None = Field(description="Earliest finish (its last day)")
    ls: date | None
    lf: date | None
    total_float_days: int | None
    forecast_finish: date | None
    slippage_days: int | None = Field(
        description="Forecast (or actual) finish minus the baseline's due date; null without one"
    )


class ScheduleRead(Read):
    milestones: list[MilestoneScheduleRead] = Field(
        description="Topological order; ties by earliest start, then name"
    )
    critical_path: list[UUID]
    forecast_finish: date | None
    baseline: int | None = Field(description="The baseline slippage is measured against")


class BaselineCreate(Body_):
    name: Name


class BaselineMilestoneRead(Read):
    milestone_id: UUID
    start_date: date
    due_date: date
    planned_value: str


class BaselineSummaryRead(Read):
    number: int
    name: str
    taken_by: str
    taken_at: datetime
    currency: str
    milestone_count: int


class BaselineRead(BaselineSummaryRead):
    milestones: list[BaselineMilestoneRead]


def baseline_read(b: Baseline) -> BaselineRead:
    items = [
        BaselineMilestoneRead(
            milestone_id=m.milestone_id,
            start_date=m.start_date,
            due_date=m.due_date,
            planned_value=str(m.planned_value),
        )
        for m in b.milestones
    ]
    summary = BaselineSummaryRead.model_validate(b).model_dump()
    return BaselineRead(**summary, milestones=items)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def schedule_json(s: Schedule) -> str:
    """Render a schedule as ScheduleRead's JSON directly: the figures are already typed, and
    validating thousands of rows through pydantic would cost more than computing them."""
    rows = [
        {
            "milestone_id": str(r.milestone_id),
            "es": _iso(r.es),
            "ef": _iso(r.ef),
            "ls": _iso(r.ls),
            "lf": _iso(r.lf),
            "total_float_days": r.total_float_days,
            "forecast_finish": _iso(r.forecast_finish),
            "slippage_days": r.slippage_days,
        }
        for r in s.milestones
    ]
    return json.dumps(
        {
            "milestones": rows,
            "critical_path": [str(i) for i in s.critical_path],
            "forecast_finish": _iso(s.forecast_finish),
            "baseline": s.baseline_number,
        }
    )


def _render(b: Baseline) -> tuple[BaselineRead, str, None]:
    return baseline_read(b), f"/api/v1/projects/{b.project_id}/baselines/{b.number}", None


@router.get("/schedule", response_model=ScheduleRead, summary="The critical-path schedule")
async def get_schedule(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    baseline: Annotated[
        int | None, Query(ge=1, le=2_147_483_647, description="Compare with this baseline")
    ] = None,
) -> Response:
    s = await network.get_schedule(project_id, baseline, uow=svc.uow(), principal=caller)
    return Response(schedule_json(s), media_type="application/json")


@router.post("/baselines", status_code=201, response_model=BaselineRead, summary="Take a baseline")
async def take_baseline(
    project_id: UUID,
    body: BaselineCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = baselines.TakeBaseline(project_id, body.name)
    run = lambda uow: baselines.take_baseline(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get(
    "/baselines", response_model=Page[BaselineSummaryRead], summary="List baselines, oldest first"
)
async def list_baselines(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    page = await baselines.list_baselines(
        project_id, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [BaselineSummaryRead.model_validate(b) for b in page.items]
    return json_response(Page[BaselineSummaryRead](items=items, next_cursor=page.next_cursor))


@router.get(
    "/baselines/{number}", response_model=BaselineRead, summary="One baseline, with its milestones"
)
async def get_baseline(
    project_id: UUID,
    number: Annotated[int, Path(ge=1, le=2_147_483_647)],
    caller: Caller,
    svc: Svc,
) -> Response:
    b = await baselines.get_baseline(project_id, number, uow=svc.uow(), principal=caller)
    return json_response(baseline_read(b))
