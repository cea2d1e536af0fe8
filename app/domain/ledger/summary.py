"""The ledger summary: budget, open commitments, actual, remaining, burn rate, breakdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.common.money import at_minor_unit
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
    """Add up the breakdowns; burn rate = mean monthly actual over the last three months with any.

    Every figure comes at the currency's minor unit (sums of amounts are exact there; the
    burn rate is rounded half-even), so adapters only format them.
    """

    def m(v: Decimal) -> Decimal:
        return at_minor_unit(v, currency)

    budget = sum((c.budget for c in categories), ZERO)
    open_ = sum((c.open_commitments for c in categories), ZERO)
    actual = sum((c.actual for c in categories), ZERO)
    spent = [x.actual for x in months if x.actual != ZERO][-BURN_MONTHS:]
    burn = sum(spent, ZERO) / len(spent) if spent else None
    return LedgerSummary(
        as_of=as_of,
        currency=currency,
        budget=m(budget),
        open_commitments=m(open_),
        actual=m(actual),
        remaining=m(budget - actual - open_),
        burn_rate=None if burn is None else m(burn),
        by_category=[
            CategoryTotals(c.category, m(c.budget), m(c.open_commitments), m(c.actual))
            for c in categories
        ],
        by_month=[MonthTotals(x.month, m(x.budget), m(x.commitments), m(x.actual)) for x in months],
    )
