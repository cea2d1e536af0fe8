"""The closure report: what went well, what to improve, and the final figures at writing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import TEXT_MAX, check_text, raise_if
from app.domain.projects.model import BusinessArea

ITEMS_MAX = 50  # lessons per list: a review, not a diary
ITEM_MAX = 2_000


class LessonKind(StrEnum):
    WENT_WELL = "went_well"
    TO_IMPROVE = "to_improve"


@dataclass(frozen=True)
class FinalFigures:
    """The project's figures when the report was (last) written, kept as they were."""

    as_of: date
    currency: str
    budget: Decimal
    actual: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    forecast_finish: date | None
    target_end_date: date | None
    finish_variance_days: int | None  # forecast finish - target end date (positive: late)
    objectives_progress: Decimal | None
    deliverables_accepted: int
    deliverables_waived: int
    deliverables_total: int


@dataclass(frozen=True)
class ClosureReport:
    org_id: str
    project_id: UUID
    summary: str
    went_well: list[str]
    to_improve: list[str]
    final_figures: FinalFigures
    written_by: str
    written_at: datetime
    version: int
    created_at: datetime = field(compare=False)


def check_report(summary: str, went_well: list[str], to_improve: list[str]) -> None:
    """Refuse an empty summary, blank or overlong items, or too many of them, naming each."""
    errors: list[FieldError] = []
    check_text(errors, "summary", summary, limit=TEXT_MAX, required=True)
    for name, items in (("went_well", went_well), ("to_improve", to_improve)):
        if len(items) > ITEMS_MAX:
            errors.append(FieldError(name, f"must hold at most {ITEMS_MAX} items"))
            continue
        for i, item in enumerate(items):
            check_text(errors, f"{name}.{i}", item, limit=ITEM_MAX, required=True)
    raise_if(errors)


@dataclass(frozen=True)
class Lesson:
    """One went-well or to-improve item of a closed project's report."""

    project_id: UUID
    project_key: str
    project_name: str
    business_area: BusinessArea
    kind: LessonKind
    text: str
    written_at: datetime


@dataclass(frozen=True)
class LessonFilter:
    q: str | None = None
    business_area: BusinessArea | None = None


class ClosureReportRepository(Protocol):
    async def get(self, org_id: str, project_id: UUID) -> ClosureReport | None:
        """Return a project's closure report, or None when none was written."""
        ...

    async def save(self, report: ClosureReport) -> None:
        """Write (or rewrite) a project's closure report and its searchable lessons."""
        ...

    async def for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, ClosureReport | None]:
        """Each project's report (None where none), in one read (every id is a key)."""
        ...

    async def lessons(self, org_id: str, flt: LessonFilter, page: PageRequest) -> Page[Lesson]:
        """The lessons of the organization's closed projects, by project key, by cursor."""
        ...
