"""REST shapes of health and the portfolio (money as decimal strings, dates as dates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.common.money import Money
from app.domain.reporting.health import Dimension, Health
from app.domain.reporting.portfolio import Portfolio, PortfolioRow

StatusName = Literal["green", "amber", "red"]


def ratio(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def money(value: Decimal | None, currency: str) -> str | None:
    return None if value is None else str(Money(value, currency))


class ReasonRead(BaseModel):
    code: str
    message: str


class DimensionRead(BaseModel):
    status: StatusName
    reasons: list[ReasonRead]

    @classmethod
    def of(cls, d: Dimension) -> DimensionRead:
        return cls(
            status=d.status.value,
            reasons=[ReasonRead(code=r.code, message=r.message) for r in d.reasons],
        )


class HealthFiguresRead(BaseModel):
    currency: str
    spi: str | None
    cpi: str | None
    eac: str | None
    budget: str
    actual: str
    forecast_finish: date | None
    target_end_date: date | None


class HealthRead(BaseModel):
    as_of: date
    overall: StatusName
    schedule: DimensionRead
    budget: DimensionRead
    risk: DimensionRead
    figures: HealthFiguresRead

    @classmethod
    def of(cls, h: Health) -> HealthRead:
        f = h.figures
        c = f.currency
        return cls(
            as_of=h.as_of,
            overall=h.overall.value,
            schedule=DimensionRead.of(h.schedule),
            budget=DimensionRead.of(h.budget),
            risk=DimensionRead.of(h.risk),
            figures=HealthFiguresRead(
                currency=c, spi=ratio(f.spi), cpi=ratio(f.cpi), eac=money(f.eac, c),
                budget=str(Money(f.budget, c)), actual=str(Money(f.actual, c)),
                forecast_finish=f.forecast_finish, target_end_date=f.target_end_date,
            ),
        )  # fmt: skip


class NextMilestoneRead(BaseModel):
    id: UUID
    name: str
    due_date: date


class TopRiskRead(BaseModel):
    id: UUID
    title: str
    score: int
    severity: str


class PersonRef(BaseModel):
    id: UUID
    name: str


class HealthSummaryRead(BaseModel):
    overall: StatusName
    schedule: StatusName
    budget: StatusName
    risk: StatusName


class PortfolioRowRead(BaseModel):
    id: UUID
    key: str
    name: str
    phase: str
    business_area: str
    manager: PersonRef | None
    health: HealthSummaryRead
    currency: str
    budget: str
    actual: str
    eac: str | None
    cpi: str | None
    spi: str | None
    objectives_progress: str | None = Field(description="0-1, null without measured objectives")
    next_milestone: NextMilestoneRead | None
    top_risks: list[TopRiskRead] = Field(description="The three open risks of highest score")

    @classmethod
    def of(cls, row: PortfolioRow) -> PortfolioRowRead:
        p, h, f = row.project, row.health, row.health.figures
        c = f.currency
        m = row.next_milestone
        return cls(
            id=p.id, key=p.key, name=p.name, phase=p.phase.value,
            business_area=p.business_area.value,
            manager=PersonRef(id=row.manager.id, name=row.manager.name) if row.manager else None,
            health=HealthSummaryRead(
                overall=h.overall.value, schedule=h.schedule.status.value,
                budget=h.budget.status.value, risk=h.risk.status.value,
            ),
            currency=c, budget=str(Money(f.budget, c)), actual=str(Money(f.actual, c)),
            eac=money(f.eac, c), cpi=ratio(f.cpi), spi=ratio(f.spi),
            objectives_progress=ratio(row.objectives_progress),
            next_milestone=NextMilestoneRead(id=m.id, name=m.name, due_date=m.due_date)
            if m else None,
            top_risks=[
                TopRiskRead(id=r.id, title=r.title, score=r.score, severity=r.severity.value)
                for r in row.top_risks
            ],
        )  # fmt: skip


class PortfolioRead(BaseModel):
    as_of: date
    items: list[PortfolioRowRead]
    truncated: bool = Field(description="True when the organization has over 1,000 matching "
                            "projects and the first 1,000 by key are listed")  # fmt: skip

    @classmethod
    def of(cls, p: Portfolio) -> PortfolioRead:
        return cls(
            as_of=p.as_of, items=[PortfolioRowRead.of(r) for r in p.rows], truncated=p.truncated
        )
