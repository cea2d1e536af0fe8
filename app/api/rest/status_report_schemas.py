"""REST shapes of status reports: the narrative in, the frozen snapshot out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.api.rest.schemas import Request
from app.domain.reporting.reports import StatusReport

Colour = Literal["green", "amber", "red"]


class OverrideWrite(Request):
    overall: Colour
    reason: str = Field(description="Why the manager's colour differs from the computed one")


class StatusReportCreate(Request):
    summary: str
    achievements: str | None = None
    next_steps: str | None = None
    escalations: str | None = None
    override: OverrideWrite | None = None


class OverrideRead(BaseModel):
    overall: Colour
    reason: str


class StatusReportRead(BaseModel):
    id: UUID
    project_id: UUID
    summary: str
    achievements: str | None
    next_steps: str | None
    escalations: str | None
    overall: Colour = Field(description="The override's colour when there is one")
    computed_overall: Colour
    override: OverrideRead | None
    trend: Literal["improving", "steady", "worsening"] | None = Field(
        description="Against the previous report's overall; null for the first"
    )
    snapshot: dict[str, Any] = Field(
        description="Health with reasons and the key figures at the time, frozen"
    )
    written_by: str
    written_at: datetime

    @classmethod
    def of(cls, r: StatusReport) -> StatusReportRead:
        override = None
        if r.override_reason is not None:
            override = OverrideRead(overall=r.overall.value, reason=r.override_reason)
        return cls(
            id=r.id, project_id=r.project_id, summary=r.summary, achievements=r.achievements,
            next_steps=r.next_steps, escalations=r.escalations, overall=r.overall.value,
            computed_overall=r.computed_overall.value, override=override,
            trend=r.trend.value if r.trend else None, snapshot=r.snapshot,
            written_by=r.written_by, written_at=r.written_at,
        )  # fmt: skip
