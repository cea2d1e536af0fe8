"""The ledger summary: budget, open commitments, actual, remaining, burn rate, breakdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from app.domain.common.money import MINOR_UNITS
from app.domain.ledger.ports import CategoryTotals, MonthTotals

ZERO = Decimal(0)
BURN_MONTHS = 3


@dataclass(frozen=True)
class LedgerSummary:
    as_of: date
    currency: str
    budget: Decimal
    open_commitments: Decimal
    actual: Decimal
    remaining: Decimal
    burn_rate: Decimal | None
    by_category: list[CategoryTotals]
    by_month: list[MonthTotals]


def summarize(
    as_of: date, currency: str, categories: list[CategoryTotals], months: list[MonthTotals]
) -> LedgerSummary:
    """Add up the breakdowns; burn rate = mean monthly actual over the last three months with any."""
    quantum = Decimal(1).scaleb(-MINOR_UNITS[currency])
    budget = sum((c.budget for c in categories), ZERO)
    open_ = sum((c.open_commitments for c in categories), ZERO)
    actual = sum((c.actual for c in categories), ZERO)
    spent = [m.actual for m in months if m.actual != ZERO][-BURN_MONTHS:]
    burn = sum(spent, ZERO) / len(spent) if spent else None
    return LedgerSummary(
        as_of=as_of,
        currency=currency,
        budget=budget,
        open_commitments=open_,
        actual=actual,
        remaining=budget - actual - open_,
        burn_rate=None if burn is None else burn.quantize(quantum, rounding=ROUND_HALF_EVEN),
        by_category=categories,
        by_month=months,
    )
