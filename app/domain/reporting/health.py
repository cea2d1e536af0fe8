"""Project health as PRODUCT.md "Health and reporting" defines it: a pure function of figures.

Each dimension is red, amber or green with every reason that fired. A rule whose figure is
undefined (no planned value yet: SPI is None; no actual cost yet: CPI and EAC are None)
does not fire. The SPI and CPI amber rules fire only inside their amber band, so one
figure gives one reason (SPI 0.7 says "below 0.8", not also "below 0.95"); rules on
different figures fire independently (a red budget may also say EAC is over budget).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

SPI_RED = Decimal("0.8")
SPI_AMBER = Decimal("0.95")
CPI_RED = Decimal("0.9")
CPI_AMBER = Decimal("0.97")
LATE_DAYS = 14


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Status.GREEN: 0, Status.AMBER: 1, Status.RED: 2}


def worst(statuses: Sequence[Status]) -> Status:
    """Return the worst of some statuses (green for none)."""
    return max(statuses, key=lambda s: s.rank, default=Status.GREEN)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Dimension:
    status: Status
    reasons: list[Reason]


@dataclass(frozen=True)
class HealthFigures:
    """The figures the rules read; money in the project's currency at its minor unit."""

    currency: str
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    budget: Decimal
    actual: Decimal
    forecast_finish: date | None
    target_end_date: date | None


@dataclass(frozen=True)
class RiskFacts:
    critical_open: int  # open or mitigating risks of severity critical
    high_open: int  # open or mitigating risks of severity high
    reviews_overdue: int


@dataclass(frozen=True)
class Health:
    as_of: date
    overall: Status
    schedule: Dimension
    budget: Dimension
    risk: Dimension
    figures: HealthFigures


def _dimension(red: list[Reason], amber: list[Reason]) -> Dimension:
    status = Status.RED if red else Status.AMBER if amber else Status.GREEN
    return Dimension(status, red + amber)


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")  # 0.7600 reads "0.76"


def schedule_health(f: HealthFigures, overdue_milestones: int) -> Dimension:
    """Red on SPI < 0.8 or a forecast finish over 14 days late; amber on SPI < 0.95 or an
    overdue milestone."""
    red: list[Reason] = []
    amber: list[Reason] = []
    if f.spi is not None and f.spi < SPI_RED:
        red.append(Reason("spi_low", f"SPI {_n(f.spi)} is below {SPI_RED}"))
    elif f.spi is not None and f.spi < SPI_AMBER:
        amber.append(Reason("spi_slipping", f"SPI {_n(f.spi)} is below {SPI_AMBER}"))
    if f.forecast_finish is not None and f.target_end_date is not None:
        late = (f.forecast_finish - f.target_end_date).days
        if late > LATE_DAYS:
            red.append(
                Reason(
                    "forecast_late",
                    f"Forecast finish {f.forecast_finish} is {late} days after the target "
                    f"end date {f.target_end_date}",
                )
            )
    if overdue_milestones:
        many = "milestone is" if overdue_milestones == 1 else "milestones are"
        amber.append(Reason("milestone_overdue", f"{overdue_milestones} {many} past the due date"))
    return _dimension(red, amber)


def budget_health(f: HealthFigures) -> Dimension:
    """Red on CPI < 0.9 or actual over budget; amber on CPI < 0.97 or EAC over budget."""
    red: list[Reason] = []
    amber: list[Reason] = []
    c = f.currency
    if f.cpi is not None and f.cpi < CPI_RED:
        red.append(Reason("cpi_low", f"CPI {_n(f.cpi)} is below {CPI_RED}"))
    elif f.cpi is not None and f.cpi < CPI_AMBER:
        amber.append(Reason("cpi_slipping", f"CPI {_n(f.cpi)} is below {CPI_AMBER}"))
    if f.actual > f.budget:
        red.append(
            Reason("over_budget", f"Actual {c} {f.actual} is over the budget {c} {f.budget}")
        )
    if f.eac is not None and f.eac > f.budget:
        amber.append(
            Reason("eac_over_budget", f"EAC {c} {f.eac} is over the budget {c} {f.budget}")
        )
    return _dimension(red, amber)


def risk_health(r: RiskFacts) -> Dimension:
    """Red on a live critical risk; amber on a live high risk or an overdue review."""
    red: list[Reason] = []
    amber: list[Reason] = []
    if r.critical_open:
        red.append(Reason("critical_risk_open", f"{r.critical_open} critical risk(s) open"))
    if r.high_open:
        amber.append(Reason("high_risk_open", f"{r.high_open} high risk(s) open"))
    if r.reviews_overdue:
        amber.append(Reason("risk_review_overdue", f"{r.reviews_overdue} risk review(s) overdue"))
    return _dimension(red, amber)


def assess(
    as_of: date, figures: HealthFigures, overdue_milestones: int, risks: RiskFacts
) -> Health:
    """Compute the three dimensions and the overall health (the worst of the three)."""
    schedule = schedule_health(figures, overdue_milestones)
    budget = budget_health(figures)
    risk = risk_health(risks)
    overall = worst([schedule.status, budget.status, risk.status])
    return Health(as_of, overall, schedule, budget, risk, figures)
