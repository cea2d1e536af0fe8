"""Pydantic schemas of the budget ledger: entries, reversals, summary and earned value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, StringConstraints

from app.api.rest.schemas import MoneyString, Name, Read, Text
from app.api.rest.schemas import Request as Body_
from app.domain.common.money import decimal_text
from app.domain.ledger.earned_value import EarnedValue
from app.domain.ledger.model import Category, EntryKind, LedgerEntry
from app.domain.ledger.summary import LedgerSummary

Currency = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", description="Optional; must equal the project's currency"),
]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]


def figures(result: object) -> dict[str, Any]:
    """A domain result's fields, its decimals written as both APIs write them."""
    return {k: decimal_text(v) if isinstance(v, Decimal) else v for k, v in vars(result).items()}


class EntryCreate(Body_):
    kind: EntryKind
    category: Category
    amount: MoneyString = Field(description="Signed, non-zero, in the project's currency")
    occurred_on: date
    description: Text | None = None
    reference: Name | None = Field(None, description="External reference: PO, invoice")
    milestone_id: UUID | None = None
    settles: UUID | None = Field(None, description="The commitment this actual settles")
    currency: Currency | None = None


class ReversalCreate(Body_):
    reason: Reason


class EntryRead(Read):
    id: UUID
    project_id: UUID
    kind: EntryKind
    category: Category
    amount: str
    currency: str
    occurred_on: date
    description: str | None
    reference: str | None
    milestone_id: UUID | None
    settles: UUID | None
    reverses: UUID | None
    reversed_by: UUID | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, e: LedgerEntry) -> EntryRead:
        values = {k: getattr(e, k) for k in cls.model_fields if hasattr(e, k)}
        values["amount"] = str(e.amount)
        values["currency"] = e.amount.currency
        return cls.model_validate(values)


class CategoryRead(Read):
    category: Category
    budget: str
    open_commitments: str
    actual: str


class MonthRead(Read):
    month: str = Field(description="YYYY-MM")
    budget: str
    commitments: str
    actual: str


class SummaryRead(Read):
    as_of: date
    currency: str
    budget: str
    open_commitments: str
    actual: str
    remaining: str
    burn_rate: str | None = Field(description="Mean monthly actual, last three months with any")
    by_category: list[CategoryRead]
    by_month: list[MonthRead]

    @classmethod
    def of(cls, s: LedgerSummary) -> SummaryRead:
        # The figures come at the currency's minor unit (summarize): they are only written.
        return cls.model_validate(
            figures(s)
            | {
                "by_category": [figures(c) for c in s.by_category],
                "by_month": [figures(m) for m in s.by_month],
            }
        )


class EarnedValueRead(Read):
    as_of: date
    currency: str
    bac: str
    pv: str
    ev: str
    ac: str
    cv: str
    sv: str
    cpi: str | None
    spi: str | None
    eac: str | None
    etc: str | None
    vac: str | None
    tcpi: str | None
    actual_time_days: int | None = Field(description="AT: k of the as-of date")
    earned_schedule_days: str | None
    sv_t_days: str | None
    spi_t: str | None

    @classmethod
    def of(cls, ev: EarnedValue) -> EarnedValueRead:
        return cls.model_validate(figures(ev))
