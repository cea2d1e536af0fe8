"""REST bodies of objectives, key results, deliverables and the closure report."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.rest.schemas import MoneyString, Name, Read, Text
from app.api.rest.schemas import Request as Body_
from app.domain.closure.model import ITEM_MAX, ITEMS_MAX, LessonKind
from app.domain.deliverables.model import Decision, DeliverableStatus
from app.domain.objectives.model import UNIT_MAX, as_text, shown
from app.domain.projects.model import BusinessArea

# Key result values share money's decimal-string grammar (and its hardening): never a number.
Measure = MoneyString
Unit = Annotated[str, Field(min_length=1, max_length=UNIT_MAX)]
Item = Annotated[str, Field(min_length=1, max_length=ITEM_MAX)]
Items = Annotated[list[Item], Field(max_length=ITEMS_MAX)]
Progress = Annotated[str | None, Field(description="0-1 as a decimal string; null if unmeasured")]


def decimal_text(value: Decimal) -> str:
    """A stored value as the client wrote it (numeric(20, 4) pads with zeros)."""
    return as_text(value)


def progress_text(value: Decimal | None) -> str | None:
    shown_ = shown(value)
    return None if shown_ is None else format(shown_, "f")


class ObjectiveCreate(Body_):
    name: Name
    description: Text | None = None


class ObjectiveUpdate(Body_):
    name: Name | None = None
    description: Text | None = None


class KeyResultCreate(Body_):
    name: Name
    unit: Unit
    baseline: Measure
    target: Measure = Field(description="Must differ from baseline; below it to reduce")
    current: Measure | None = Field(None, description="Defaults to the baseline")


class KeyResultUpdate(Body_):
    name: Name | None = None
    unit: Unit | None = None
    baseline: Measure | None = None
    target: Measure | None = None


class CheckInCreate(Body_):
    value: Measure
    note: Text | None = None


class KeyResultRead(Read):
    id: UUID
    objective_id: UUID
    name: str
    unit: str
    baseline: str
    target: str
    current: str
    progress: str
    version: int
    created_at: datetime
    updated_at: datetime


class ObjectiveRead(Read):
    id: UUID
    project_id: UUID
    name: str
    description: str | None
    progress: Progress
    key_results: list[KeyResultRead]
    version: int
    created_at: datetime
    updated_at: datetime


class CheckInRead(Read):
    id: UUID
    key_result_id: UUID
    value: str
    previous_value: str
    note: str | None
    by: str
    at: datetime


class DeliverableCreate(Body_):
    name: Name
    description: Text | None = None
    acceptance_criteria: Text | None = None
    milestone_id: UUID | None = None


class DeliverableUpdate(Body_):
    name: Name | None = None
    description: Text | None = None
    acceptance_criteria: Text | None = None
    milestone_id: UUID | None = None


class DecisionCreate(Body_):
    decision: Decision
    note: Text | None = Field(None, description="Required to reject or waive")


class DeliverableRead(Read):
    id: UUID
    project_id: UUID
    name: str
    description: str | None
    acceptance_criteria: str | None
    milestone_id: UUID | None
    status: DeliverableStatus
    decided_by: str | None
    decided_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class DecisionRead(Read):
    id: UUID
    deliverable_id: UUID
    decision: Decision
    from_status: DeliverableStatus
    to_status: DeliverableStatus
    note: str | None
    by: str
    at: datetime
    deliverable: DeliverableRead | None = Field(None, description="After the decision (POST)")


class ClosureReportWrite(Body_):
    summary: Text = Field(description="Must not be blank")
    went_well: Items = Field(default_factory=list)
    to_improve: Items = Field(default_factory=list)


class FinalFiguresRead(Read):
    as_of: date
    currency: str
    budget: str
    actual: str
    cpi: str | None
    spi: str | None
    forecast_finish: date | None
    target_end_date: date | None
    finish_variance_days: int | None = Field(description="Forecast finish minus target end date")
    objectives_progress: str | None
    deliverables_accepted: int
    deliverables_waived: int
    deliverables_total: int


class ClosureReportRead(Read):
    project_id: UUID
    summary: str
    went_well: list[str]
    to_improve: list[str]
    final_figures: FinalFiguresRead
    written_by: str
    written_at: datetime
    version: int


class LessonRead(Read):
    project_id: UUID
    project_key: str
    project_name: str
    business_area: BusinessArea
    kind: LessonKind
    text: str
    written_at: datetime
