"""REST: /projects/{id}/forecast — the Monte Carlo forecast of finish and cost."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import Field
from starlette.responses import Response

from app.api.rest.common import Caller, Svc
from app.api.rest.schemas import Read
from app.domain.forecast import service
from app.domain.forecast.simulation import Forecast


class FinishRead(Read):
    """Finish date percentiles (nearest rank); null for a project without milestones."""

    p10: date | None = Field(description="10 % of the iterations finish on or before this day")
    p50: date | None = Field(description="Half of the iterations finish on or before this day")
    p80: date | None = Field(description="80 % of the iterations finish on or before this day")
    p90: date | None = Field(description="90 % of the iterations finish on or before this day")


class CostRead(Read):
    """Cost at completion percentiles, decimal strings at the currency's minor unit."""

    p50: str = Field(description="Half of the iterations cost at most this")
    p80: str = Field(description="80 % of the iterations cost at most this")
    p90: str = Field(description="90 % of the iterations cost at most this")


class MilestoneForecastRead(Read):
    """One milestone's share in the forecast."""

    milestone_id: UUID = Field(description="The milestone's id")
    criticality: float = Field(description="Share of iterations in which it is critical")
    sensitivity: float | None = Field(
        description="Spearman correlation of its duration with the finish; null if it never varies"
    )


class HistogramBinRead(Read):
    """One bin of the finish-date histogram: whole days, inclusive."""

    from_: date = Field(alias="from", description="First day of the bin")
    to: date = Field(description="Last day of the bin (inclusive)")
    count: int = Field(description="Iterations finishing within the bin")


class ForecastRead(Read):
    """The Monte Carlo forecast of a project's finish and cost (PRODUCT.md "Forecast")."""

    iterations: int = Field(description="Iterations run (1,000 to 100,000)")
    seed: int = Field(description="Send it back to repeat exactly this result")
    finish: FinishRead = Field(description="Finish date percentiles (nearest rank)")
    probability_on_time: float | None = Field(
        description="Share of iterations finishing on or before the target end date; null without one"
    )
    cost: CostRead = Field(description="Cost at completion percentiles, at the minor unit")
    currency: str
    milestones: list[MilestoneForecastRead]
    histogram: list[HistogramBinRead] = Field(description="20 bins of finish dates")


def forecast_read(f: Forecast) -> ForecastRead:
    return ForecastRead(
        iterations=f.iterations,
        seed=f.seed,
        finish=FinishRead(p10=f.finish.p10, p50=f.finish.p50, p80=f.finish.p80, p90=f.finish.p90),
        probability_on_time=f.probability_on_time,
        cost=CostRead(p50=str(f.cost.p50), p80=str(f.cost.p80), p90=str(f.cost.p90)),
        currency=f.currency,
        milestones=[
            MilestoneForecastRead(
                milestone_id=m.milestone_id, criticality=m.criticality, sensitivity=m.sensitivity
            )
            for m in f.milestones
        ],
        histogram=[
            HistogramBinRead.model_validate({"from": b.start, "to": b.end, "count": b.count})
            for b in f.histogram
        ],
    )


router = APIRouter(prefix="/api/v1/projects/{project_id}", tags=["forecast"])


@router.get(
    "/forecast",
    response_model=ForecastRead,
    response_model_by_alias=True,
    summary="Monte Carlo forecast of finish and cost",
)
async def get_forecast(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    iterations: Annotated[
        int | None,
        Query(
            ge=service.ITERATIONS_MIN,
            le=service.ITERATIONS_MAX,
            description=f"Default {service.ITERATIONS_DEFAULT:,}",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        Query(ge=0, le=service.SEED_MAX, description="Default: a random one (in the result)"),
    ] = None,
) -> Response:
    f = await service.project_forecast(
        project_id, iterations, seed, uow=svc.uow(), principal=caller, clock=svc.clock
    )
    body = forecast_read(f).model_dump_json(by_alias=True)  # the bins' "from"
    return Response(body, media_type="application/json")
