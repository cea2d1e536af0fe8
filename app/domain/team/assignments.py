"""Assignments: a person on a project with a role, an allocation and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, check_order, check_text, raise_if
from app.domain.team.workload import Allocation, Member, WeekRange


@dataclass(frozen=True)
class Assignment:
    id: UUID
    org_id: str
    project_id: UUID
    person_id: UUID
    role: str
    allocation_percent: int
    start_date: date
    end_date: date
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset({"role", "allocation_percent", "start_date", "end_date"})
    REQUIRED = EDITABLE

    def validate(self) -> Assignment:
        """Check every rule of an assignment; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "role", self.role, limit=NAME_MAX, required=True)
        if isinstance(self.allocation_percent, bool) or not 1 <= self.allocation_percent <= 100:
            errors.append(FieldError("allocation_percent", "must be between 1 and 100"))
        check_order(
            errors, self.start_date, self.end_date, "end_date", "must not be before start_date"
        )
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Assignment, dict[str, Any]]:
        """Apply a merge-patch; return the new assignment and a from/to diff of what changed."""
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


class AssignmentRepository(Protocol):
    async def add(self, assignment: Assignment) -> None:
        """Insert an assignment."""
        ...

    async def get(
        self, org_id: str, assignment_id: UUID, *, for_update: bool = False
    ) -> Assignment | None:
        """Return the assignment of this organization, or None."""
        ...

    async def update(self, assignment: Assignment) -> None:
        """Store a changed assignment with its version incremented by the caller."""
        ...

    async def delete(self, org_id: str, assignment_id: UUID) -> None:
        """Delete an assignment."""
        ...

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        """One page of assignments per project (by start date), in one read."""
        ...

    async def pages_for_people(
        self, org_id: str, person_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Assignment]]:
        """One page of assignments per person (by start date), in one read."""
        ...

    async def allocations(
        self, org_id: str, span: WeekRange, person_ids: list[UUID] | None = None
    ) -> list[Allocation]:
        """What the workload needs of every assignment overlapping ``span`` (of these people)."""
        ...

    async def staffing(self, org_id: str, span: WeekRange) -> tuple[list[Allocation], list[Member]]:
        """In one read: every assignment overlapping ``span`` and the people who hold them."""
        ...

    async def people_on_project(
        self, org_id: str, project_id: UUID, person_ids: list[UUID]
    ) -> set[UUID]:
        """Those of ``person_ids`` with an assignment on the project (at any dates)."""
        ...

    async def roster(self, org_id: str, person_ids: list[UUID] | None = None) -> list[Member]:
        """Every person of the organization (or of ``person_ids``) with their capacity."""
        ...
