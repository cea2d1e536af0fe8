"""The risk matrix: live risks counted by probability and impact, with the register's figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from app.domain.common.money import Money
from app.domain.risks.model import LiveRisk, Risk


@dataclass(frozen=True)
class RiskMatrix:
    cells: list[list[int]]  # cells[p-1][i-1]: live risks of probability p and impact i
    suggested_contingency: Money  # the sum of the live risks' EMVs as shown (minor unit each)
    overdue_reviews: list[UUID]  # live risks whose review date is before today

    @property
    def currency(self) -> str:
        return self.suggested_contingency.currency


def build_matrix(risks: Iterable[Risk | LiveRisk], currency: str, today: date) -> RiskMatrix:
    """Count the live (open and mitigating) risks, sum their EMV and list overdue reviews."""
    cells = [[0] * 5 for _ in range(5)]
    contingency = Decimal(0)  # a sum of amounts at the minor unit: exact, and one itself
    overdue: list[tuple[date, UUID]] = []
    for risk in risks:
        if not risk.live:
            continue  # closed and occurred risks no longer threaten the plan
        cells[risk.probability - 1][risk.impact - 1] += 1
        emv = risk.expected_monetary_value
        if emv is not None:
            contingency += emv.amount  # the EMV as shown, at the minor unit
        if risk.review_overdue(today):
            overdue.append((risk.review_on, risk.id))
    # The longest-overdue review first: that is the one to chase.
    return RiskMatrix(cells, Money(contingency, currency), [rid for _, rid in sorted(overdue)])
