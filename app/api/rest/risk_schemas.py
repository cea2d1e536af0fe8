"""Pydantic schemas of the risk register: risks, assessments, occurrence and the matrix."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.rest.schemas import MoneyString, Name, Read, Text
from app.api.rest.schemas import Request as Body_
from app.domain.common.money import Money
from app.domain.risks.matrix import RiskMatrix
from app.domain.risks.model import (
    SCHEDULE_IMPACT_MAX,
    Assessment,
    Risk,
    RiskCategory,
    RiskResponse,
    RiskStatus,
    Severity,
)

# Strict: 2.0, "3" and true are refused, not coerced to a level.
Level = Annotated[int, Field(strict=True, ge=1, le=5, description="1 (lowest) to 5 (highest)")]
ImpactDays = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=SCHEDULE_IMPACT_MAX,
        description="Days the risk would add to its milestone when it occurs (the forecast)",
    ),
]
Currency = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", description="Optional; must equal the project's currency"),
]


class RiskCreate(Body_):
    title: Name
    category: RiskCategory
    probability: Level
    impact: Level
    description: Text | None = None
    owner_id: UUID | None = None
    response: RiskResponse = RiskResponse.ACCEPT
    mitigation: Text | None = None
    contingency: Text | None = None
    trigger: Text | None = None
    review_on: date | None = Field(None, description="Defaults to 30 days from today")
    status: RiskStatus = Field(RiskStatus.OPEN, description="open or mitigating")
    cost_impact: MoneyString | None = None
    currency: Currency | None = None
    schedule_impact_days: ImpactDays | None = Field(
        None, description="Days it would add to its milestone when it occurs (the forecast)"
    )
    milestone_id: UUID | None = Field(
        None, description="The milestone of this project it would delay"
    )


class RiskUpdate(Body_):
    title: Name | None = None
    category: RiskCategory | None = None
    probability: Level | None = None
    impact: Level | None = None
    description: Text | None = None
    owner_id: UUID | None = None
    response: RiskResponse | None = None
    mitigation: Text | None = None
    contingency: Text | None = None
    trigger: Text | None = None
    review_on: date | None = None
    status: RiskStatus | None = Field(
        None, description="open, mitigating or closed; occurred only through .../occurrence"
    )
    cost_impact: MoneyString | None = None
    currency: Currency | None = None
    schedule_impact_days: ImpactDays | None = Field(
        None, description="Days it would add to its milestone when it occurs (the forecast)"
    )
    milestone_id: UUID | None = Field(
        None, description="The milestone of this project it would delay"
    )


class RiskRead(Read):
    id: UUID
    project_id: UUID
    title: str
    description: str | None
    category: RiskCategory
    probability: int
    impact: int
    score: int = Field(description="probability x impact")
    severity: Severity
    owner_id: UUID | None
    response: RiskResponse
    mitigation: str | None
    contingency: str | None
    trigger: str | None
    review_on: date
    review_overdue: bool = Field(description="Open or mitigating, and review_on is before today")
    status: RiskStatus
    cost_impact: str | None
    expected_monetary_value: str | None = Field(
        description="Likelihood (10/30/50/70/90%) x cost impact, at the currency's minor unit"
    )
    currency: str
    schedule_impact_days: int | None = Field(
        description="Days it would add to its milestone when it occurs (the forecast)"
    )
    milestone_id: UUID | None = Field(description="The milestone it would delay")
    issue_id: UUID | None = Field(
        default=None, description="The issue raised when the risk occurred (null until then)"
    )
    version: int
    created_at: datetime
    updated_at: datetime


def money_text(money: Money | None) -> str | None:
    return None if money is None else str(money)


def risk_read(risk: Risk, today: date) -> RiskRead:
    return RiskRead(
        **{k: getattr(risk, k) for k in RiskRead.model_fields if hasattr(risk, k)}
        | {
            "cost_impact": money_text(risk.cost),
            "expected_monetary_value": money_text(risk.expected_monetary_value),
            "review_overdue": risk.review_overdue(today),
        }
    )


class AssessmentCreate(Body_):
    probability: Level
    impact: Level
    note: Text | None = None


class AssessmentRead(Read):
    id: UUID
    risk_id: UUID
    assessed_by: str
    assessed_at: datetime
    from_probability: int | None = Field(description="Null for the initial assessment")
    from_impact: int | None
    from_score: int | None
    from_severity: Severity | None
    to_probability: int
    to_impact: int
    to_score: int
    to_severity: Severity
    note: str | None


def assessment_read(a: Assessment) -> AssessmentRead:
    return AssessmentRead.model_validate(a)  # scores and severities come from the domain


class OccurrenceCreate(Body_):
    severity: Severity
    title: Name | None = Field(None, description="Defaults to the risk's title")
    note: Text | None = Field(None, description="Becomes the issue's description")


class RiskMatrixRead(Read):
    cells: list[list[int]] = Field(
        description="cells[p-1][i-1]: open and mitigating risks of probability p and impact i"
    )
    suggested_contingency: str = Field(description="Sum of the open and mitigating risks' EMV")
    currency: str
    overdue_reviews: list[UUID] = Field(description="Open and mitigating risks past review_on")


def matrix_read(matrix: RiskMatrix) -> RiskMatrixRead:
    return RiskMatrixRead(
        cells=matrix.cells,
        suggested_contingency=str(matrix.suggested_contingency),
        currency=matrix.currency,
        overdue_reviews=matrix.overdue_reviews,
    )
