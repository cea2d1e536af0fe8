"""REST: /projects/{id}/health and /portfolio — what a sponsor asks of the figures."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.api.rest.common import Caller, Svc, json_response
from app.api.rest.reporting_schemas import HealthRead, PortfolioRead
from app.domain.projects.model import BusinessArea, Phase
from app.domain.reporting import service
from app.domain.reporting.health import Status
from app.domain.reporting.portfolio import PortfolioFilter, portfolio

router = APIRouter(tags=["reporting"])


@router.get(
    "/api/v1/projects/{project_id}/health",
    response_model=HealthRead,
    summary="Health as of today: schedule, budget and risk with every reason that fired",
)
async def project_health(project_id: UUID, caller: Caller, svc: Svc) -> Response:
    h = await service.project_health(project_id, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(HealthRead.of(h))


@router.get(
    "/api/v1/portfolio",
    response_model=PortfolioRead,
    summary="Every project of the organization with its health and key figures, by key",
)
async def get_portfolio(
    caller: Caller,
    svc: Svc,
    phase: Phase | None = None,
    business_area: BusinessArea | None = None,
    health: Annotated[Status | None, Query(description="The overall health")] = None,
) -> Response:
    flt = PortfolioFilter(phase=phase, business_area=business_area, health=health)
    found = await portfolio(flt, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(PortfolioRead.of(found))
