"""GraphQL: health (Project.health) and the portfolio."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.domain.common.errors import NotFound
from app.domain.reporting import health as model

HealthStatus = strawberry.enum(model.Status, name="HealthStatus")


@strawberry.type
class HealthReason:
    code: str = strawberry.field(description="As PRODUCT.md names it, e.g. spi_low")
    message: str


@strawberry.type
class HealthDimension:
    status: HealthStatus  # type: ignore[valid-type]
    reasons: list[HealthReason]

    @classmethod
    def of(cls, d: model.Dimension) -> HealthDimension:
        return cls(status=d.status, reasons=[HealthReason(code=r.code, message=r.message)
                                             for r in d.reasons])  # fmt: skip


@strawberry.type
class HealthFigures:
    currency: str
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    budget: Decimal
    actual: Decimal
    forecast_finish: date | None
    target_end_date: date | None


@strawberry.type
class Health:
    as_of: date
    overall: HealthStatus  # type: ignore[valid-type]
    schedule: HealthDimension
    budget: HealthDimension
    risk: HealthDimension
    figures: HealthFigures

    @classmethod
    def of(cls, h: model.Health) -> Health:
        return cls(
            as_of=h.as_of,
            overall=h.overall,
            schedule=HealthDimension.of(h.schedule),
            budget=HealthDimension.of(h.budget),
            risk=HealthDimension.of(h.risk),
            figures=HealthFigures(**vars(h.figures)),
        )


async def project_health(info: Info[Context, None], project_id: UUID) -> Health:
    """Resolve Project.health through the batch loader (constant statements per query)."""
    found = await info.context.reporting.health.load(project_id)
    if found is None:  # the parent project was just read in this organization
        raise NotFound("Project not found")
    return Health.of(found)
