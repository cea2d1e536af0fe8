"""Risks: scoring, severity bands, expected monetary value and re-assessment history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError, ValidationFailed
from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if


class RiskCategory(StrEnum):
    TECHNICAL = "technical"
    SCHEDULE = "schedule"
    BUDGET = "budget"
    SECURITY = "security"
    RESOURCE = "resource"
    VENDOR = "vendor"
    COMPLIANCE = "compliance"
    OTHER = "other"


class RiskResponse(StrEnum):
    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    ESCALATE = "escalate"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"
    OCCURRED = "occurred"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


# Inclusive score ranges per severity band (score = probability x impact, 1..25).
SEVERITY_BANDS: dict[Severity, tuple[int, int]] = {
    Severity.LOW: (1, 4),
    Severity.MEDIUM: (5, 9),
    Severity.HIGH: (10, 14),
    Severity.CRITICAL: (15, 25),
}
# Probability level -> likelihood used for expected monetary value.
LIKELIHOOD: dict[int, Decimal] = {
    1: Decimal("0.1"),
    2: Decimal("0.3"),
    3: Decimal("0.5"),
    4: Decimal("0.7"),
    5: Decimal("0.9"),
}
SCHEDULE_IMPACT_MAX = 3650  # days: ten years of delay is a typo, not a risk
# Risks that can still happen: they count in the matrix, the contingency and reviews.
LIVE = frozenset({RiskStatus.OPEN, RiskStatus.MITIGATING})
# Statuses a client may set directly; `occurred` is reached only by recording an occurrence.
SETTABLE = frozenset({RiskStatus.OPEN, RiskStatus.MITIGATING, RiskStatus.CLOSED})


def severity_of(score: int) -> Severity:
    """Return the severity band of a score (1-4 low, 5-9 medium, 10-14 high, 15-25 critical)."""
    for severity, (low, high) in SEVERITY_BANDS.items():
        if low <= score <= high:
            return severity
    raise ValueError(f"score {score} is outside 1..25")


def expected_value(probability: int, cost_impact: Money) -> Money:
    """Return the EMV: the probability level's likelihood times the cost impact, at the
    currency's minor unit (Money rounds it half to even: 10% of GBP 333.33 is 33.33)."""
    return Money(LIKELIHOOD[probability] * cost_impact.amount, cost_impact.currency)


def check_level(errors: list[FieldError], field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors.append(FieldError(field, "must be an integer from 1 to 5"))


class LiveRisk(NamedTuple):
    """What the risk matrix and the forecast read of an open or mitigating risk: a portfolio
    reads thousands of them, and a small tuple is cheap where a whole ``Risk`` is not."""

    id: UUID
    probability: int
    impact: int
    review_on: date
    cost_impact: Decimal | None
    currency: str
    schedule_impact_days: int | None = None  # the forecast's delay of its milestone
    milestone_id: UUID | None = None

    @property
    def live(self) -> bool:
        return True  # only open and mitigating risks are read this way

    @property
    def expected_monetary_value(self) -> Money | None:
        if self.cost_impact is None:
            return None
        return expected_value(self.probability, Money(self.cost_impact, self.currency))

    def review_overdue(self, today: date) -> bool:
        return self.review_on < today


@dataclass(frozen=True)
class Risk:
    id: UUID
    org_id: str
    project_id: UUID
    title: str
    description: str | None
    category: RiskCategory
    probability: int
    impact: int
    owner_id: UUID | None
    response: RiskResponse
    mitigation: str | None
    contingency: str | None
    trigger: str | None
    review_on: date
    status: RiskStatus
    cost_impact: Decimal | None
    currency: str  # the project's currency: cost impact and EMV are in it
    version: int
    created_at: datetime
    updated_at: datetime
    # The forecast (issue 18): the days it would delay its milestone when it occurs.
    schedule_impact_days: int | None = None
    milestone_id: UUID | None = None

    EDITABLE = frozenset(
        {
            "schedule_impact_days",
            "milestone_id",
            "title",
            "description",
            "category",
            "probability",
            "impact",
            "owner_id",
            "response",
            "mitigation",
            "contingency",
            "trigger",
            "review_on",
            "status",
            "cost_impact",
        }
    )
    REQUIRED = frozenset(
        {"title", "category", "probability", "impact", "response", "review_on", "status"}
    )

    @property
    def score(self) -> int:
        return self.probability * self.impact

    @property
    def severity(self) -> Severity:
        return severity_of(self.score)

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def cost(self) -> Money | None:
        """The cost impact as money in the risk's currency, or None."""
        return None if self.cost_impact is None else Money(self.cost_impact, self.currency)

    @property
    def expected_monetary_value(self) -> Money | None:
        cost = self.cost
        return None if cost is None else expected_value(self.probability, cost)

    def review_overdue(self, today: date) -> bool:
        """A live risk whose review date has passed is overdue for review."""
        return self.live and self.review_on < today

    def as_live(self) -> LiveRisk:
        """The risk as the matrix reads it (meaningful for a live risk only)."""
        return LiveRisk(
            self.id, self.probability, self.impact, self.review_on, self.cost_impact,
            self.currency, self.schedule_impact_days, self.milestone_id,
        )  # fmt: skip

    def validate(self) -> Risk:
        """Check every rule of a risk; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "title", self.title, limit=NAME_MAX, required=True)
        for name in ("description", "mitigation", "contingency", "trigger"):
            check_text(errors, name, getattr(self, name), limit=TEXT_MAX)
        check_level(errors, "probability", self.probability)
        check_level(errors, "impact", self.impact)
        if self.cost_impact is not None and self.cost_impact < 0:
            errors.append(FieldError("cost_impact", "must not be negative"))
        impact = self.schedule_impact_days
        if impact is not None and (
            isinstance(impact, bool)
            or not isinstance(impact, int)
            or not 0 <= impact <= SCHEDULE_IMPACT_MAX
        ):
            errors.append(
                FieldError(
                    "schedule_impact_days",
                    f"must be a whole number of days from 0 to {SCHEDULE_IMPACT_MAX}",
                )
            )
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Risk, dict[str, Any]]:
        """Apply a merge-patch; return the new risk and a from/to diff of what changed."""
        status = changes.get("status")
        if status is not None and status != self.status and status not in SETTABLE:
            raise ValidationFailed.on("status", "becomes occurred only by recording an occurrence")
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


@dataclass(frozen=True)
class Assessment:
    """One change of probability or impact: who, when, from, to and why."""

    id: UUID
    org_id: str
    project_id: UUID
    risk_id: UUID
    assessed_by: str
    assessed_at: datetime
    from_probability: int | None  # None for the initial assessment made when the risk is raised
    from_impact: int | None
    to_probability: int
    to_impact: int
    note: str | None

    @property
    def from_score(self) -> int | None:
        if self.from_probability is None or self.from_impact is None:
            return None
        return self.from_probability * self.from_impact

    @property
    def to_score(self) -> int:
        return self.to_probability * self.to_impact

    @property
    def from_severity(self) -> Severity | None:
        score = self.from_score
        return None if score is None else severity_of(score)

    @property
    def to_severity(self) -> Severity:
        return severity_of(self.to_score)


@dataclass(frozen=True)
class RiskFilter:
    status: RiskStatus | None = None
    severity: Severity | None = None
    category: RiskCategory | None = None
    owner_id: UUID | None = None
    overdue_review: bool | None = None
    today: date | None = None  # the domain clock's date, for overdue_review


SORTABLE = frozenset({"score", "review_on"})
DEFAULT_SORT = "-score"


class RiskRepository(Protocol):
    async def add(self, risk: Risk) -> None:
        """Insert a risk."""
        ...

    async def get(
        self, org_id: str, project_id: UUID | None, risk_id: UUID, *, for_update: bool = False
    ) -> Risk | None:
        """Return the risk (of that project unless None), or None; ``for_update`` locks it."""
        ...

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Risk | None]:
        """Return risks in the order of ``ids`` (None where missing)."""
        ...

    async def list_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: RiskFilter, sort: str, page: PageRequest
    ) -> dict[UUID, Page[Risk]]:
        """List each project's risks, filtered and sorted, with one statement for all projects."""
        ...

    async def count_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: RiskFilter
    ) -> dict[UUID, int]:
        """Count each project's risks a filter matches."""
        ...

    async def live_for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, list[LiveRisk]]:
        """Return each project's open and mitigating risks (every id a key), one statement,
        as the matrix reads them."""
        ...

    async def update(self, risk: Risk) -> None:
        """Store a changed risk (its version already incremented)."""
        ...


class AssessmentRepository(Protocol):
    async def add(self, assessment: Assessment) -> None:
        """Append an assessment to a risk's history."""
        ...

    async def list_for_risk(
        self, org_id: str, risk_id: UUID, page: PageRequest
    ) -> Page[Assessment]:
        """List a risk's assessments, newest first."""
        ...

    async def for_risks(self, org_id: str, risk_ids: list[UUID]) -> dict[UUID, list[Assessment]]:
        """Return each risk's assessments, newest first, with one statement."""
        ...
