"""GraphQL: Project.forecast(iterations, seed) — the Monte Carlo forecast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.domain.forecast import service
from app.domain.forecast.simulation import Forecast as ForecastModel


@strawberry.type
class ForecastFinish:
    p10: date | None
    p50: date | None
    p80: date | None
    p90: date | None


@strawberry.type
class ForecastCost:
    p50: Decimal
    p80: Decimal
    p90: Decimal


@strawberry.type
class MilestoneForecast:
    milestone_id: strawberry.ID
    criticality: float = strawberry.field(
        description="Share of iterations in which it is on the critical path"
    )
    sensitivity: float | None = strawberry.field(
        description="Spearman correlation of its duration with the finish; null if constant"
    )


@strawberry.type
class ForecastBin:
    from_: date = strawberry.field(name="from", description="First day of the bin")
    to: date = strawberry.field(description="Last day of the bin (inclusive)")
    count: int


@strawberry.type
class Forecast:
    iterations: int
    seed: int = strawberry.field(description="Pass it again to repeat exactly this result")
    finish: ForecastFinish
    probability_on_time: float | None
    cost: ForecastCost
    currency: str
    milestones: list[MilestoneForecast]
    histogram: list[ForecastBin]

    @classmethod
    def of(cls, f: ForecastModel) -> Forecast:
        return cls(
            iterations=f.iterations,
            seed=f.seed,
            finish=ForecastFinish(
                p10=f.finish.p10, p50=f.finish.p50, p80=f.finish.p80, p90=f.finish.p90
            ),
            probability_on_time=f.probability_on_time,
            cost=ForecastCost(p50=f.cost.p50.amount, p80=f.cost.p80.amount, p90=f.cost.p90.amount),
            currency=f.currency,
            milestones=[
                MilestoneForecast(
                    milestone_id=strawberry.ID(str(m.milestone_id)),
                    criticality=m.criticality,
                    sensitivity=m.sensitivity,
                )
                for m in f.milestones
            ],
            histogram=[ForecastBin(from_=b.start, to=b.end, count=b.count) for b in f.histogram],
        )


async def project_forecast(
    info: Info[Context, None], project_id: UUID, iterations: int | None, seed: int | None
) -> Forecast:
    ctx = info.context
    found = await service.project_forecast(
        project_id,
        iterations,
        seed,
        uow=ctx.uow(),
        principal=await ctx.principal(),
        clock=ctx.services.clock,
    )
    return Forecast.of(found)
