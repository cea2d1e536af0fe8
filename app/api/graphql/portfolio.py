"""GraphQL: portfolio(filter) — one row per project with its health and key figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.projects import BusinessArea, Phase, Project
from app.api.graphql.reporting import Health, HealthStatus
from app.api.graphql.risks import Risk
from app.domain.reporting import portfolio as model


@strawberry.input
class PortfolioFilter:
    phase: Phase | None = None
    business_area: BusinessArea | None = None
    health: HealthStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The overall health"
    )


@strawberry.type
class NextMilestone:
    id: strawberry.ID
    name: str
    due_date: date


@strawberry.type
class PortfolioRow:
    project: Project
    health: Health
    currency: str
    budget: Decimal
    actual: Decimal
    eac: Decimal | None
    cpi: Decimal | None
    spi: Decimal | None
    objectives_progress: Decimal | None
    next_milestone: NextMilestone | None
    top_risks: list[Risk] = strawberry.field(description="The three open risks of highest score")

    @classmethod
    def of(cls, row: model.PortfolioRow) -> PortfolioRow:
        f, m = row.health.figures, row.next_milestone
        return cls(
            project=Project.of(row.project), health=Health.of(row.health), currency=f.currency,
            budget=f.budget, actual=f.actual, eac=f.eac, cpi=f.cpi, spi=f.spi,
            objectives_progress=row.objectives_progress,
            next_milestone=NextMilestone(id=strawberry.ID(str(m.id)), name=m.name,
                                         due_date=m.due_date) if m else None,
            top_risks=[Risk.of(r) for r in row.top_risks],
        )  # fmt: skip


@strawberry.type
class PortfolioQuery:
    @strawberry.field(description="Every project of the organization with health, by key")
    async def portfolio(
        self, info: Info[Context, None], filter: PortfolioFilter | None = None
    ) -> list[PortfolioRow]:
        ctx = info.context
        f = filter or PortfolioFilter()
        flt = model.PortfolioFilter(phase=f.phase, business_area=f.business_area, health=f.health)
        found = await model.portfolio(
            flt, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
        )
        return [PortfolioRow.of(r) for r in found.rows]
