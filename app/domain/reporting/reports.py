"""Status reports: immutable snapshots of health and key figures, with the manager's narrative."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if
from app.domain.reporting.health import Status


class Trend(StrEnum):
    IMPROVING = "improving"
    STEADY = "steady"
    WORSENING = "worsening"


def trend_of(overall: Status, previous: Status | None) -> Trend | None:
    """Compare the overall colour with the previous report's (None for the first report)."""
    if previous is None:
        return None
    if overall.rank < previous.rank:
        return Trend.IMPROVING
    return Trend.WORSENING if overall.rank > previous.rank else Trend.STEADY


@dataclass(frozen=True)
class Override:
    overall: Status
    reason: str


@dataclass(frozen=True)
class StatusReport:
    id: UUID
    org_id: str
    project_id: UUID
    summary: str
    achievements: str | None
    next_steps: str | None
    escalations: str | None
    computed_overall: Status  # the health's own verdict
    overall: Status  # the override's colour when there is one, else the computed one
    override_reason: str | None
    trend: Trend | None
    snapshot: dict[str, Any]  # health, reasons and key figures as JSON values, frozen
    written_by: str
    written_at: datetime


def check_narrative(
    summary: str, achievements: str | None, next_steps: str | None, escalations: str | None,
    override: Override | None,
) -> None:  # fmt: skip
    """Refuse a blank summary, text over the limits, and an override without a reason."""
    errors: list[FieldError] = []
    check_text(errors, "summary", summary, limit=TEXT_MAX, required=True)
    for name, value in (
        ("achievements", achievements), ("next_steps", next_steps), ("escalations", escalations),
    ):  # fmt: skip
        check_text(errors, name, value, limit=TEXT_MAX)
    if override is not None:
        check_text(errors, "override.reason", override.reason, limit=NAME_MAX * 10, required=True)
    raise_if(errors)


class StatusReportRepository(Protocol):
    async def add(self, report: StatusReport) -> None:
        """Insert a report (reports are never changed nor deleted)."""
        ...

    async def get(self, org_id: str, project_id: UUID, report_id: UUID) -> StatusReport | None:
        """Return one report of a project, or None."""
        ...

    async def latest(self, org_id: str, project_id: UUID) -> StatusReport | None:
        """Return the project's newest report, or None before the first."""
        ...

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[StatusReport]]:
        """One page of each project's reports, newest first (every id is a key)."""
        ...

    async def counts_for_projects(self, org_id: str, project_ids: list[UUID]) -> dict[UUID, int]:
        """How many reports each project has (every id is a key), in one read."""
        ...
