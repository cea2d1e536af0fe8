"""The issue log: problems that are happening now, some of them risks that occurred."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if
from app.domain.risks.model import Severity


class IssueStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


# An issue leaves the log only with a written resolution (closing without one loses why).
NEEDS_RESOLUTION = frozenset({IssueStatus.RESOLVED, IssueStatus.CLOSED})


@dataclass(frozen=True)
class Issue:
    id: UUID
    org_id: str
    project_id: UUID
    title: str
    description: str | None
    severity: Severity
    status: IssueStatus
    owner_id: UUID | None
    due_on: date | None
    resolution: str | None
    risk_id: UUID | None  # the risk it came from, if any
    from_occurrence: bool  # raised by recording the linked risk's occurrence
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset(
        {
            "title",
            "description",
            "severity",
            "status",
            "owner_id",
            "due_on",
            "resolution",
            "risk_id",
        }
    )
    REQUIRED = frozenset({"title", "severity", "status"})

    def validate(self) -> Issue:
        """Check every rule of an issue; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "title", self.title, limit=NAME_MAX, required=True)
        check_text(errors, "description", self.description, limit=TEXT_MAX)
        check_text(errors, "resolution", self.resolution, limit=TEXT_MAX)
        if self.status in NEEDS_RESOLUTION and not (self.resolution or "").strip():
            errors.append(FieldError("resolution", f"is required for a {self.status} issue"))
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Issue, dict[str, Any]]:
        """Apply a merge-patch; return the new issue and a from/to diff of what changed."""
        if self.from_occurrence and "risk_id" in changes and changes["risk_id"] != self.risk_id:
            raise_if([FieldError("risk_id", "stays the risk whose occurrence raised the issue")])
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


@dataclass(frozen=True)
class IssueFilter:
    status: IssueStatus | None = None
    severity: Severity | None = None


class IssueRepository(Protocol):
    async def add(self, issue: Issue) -> None:
        """Insert an issue."""
        ...

    async def get(
        self, org_id: str, project_id: UUID | None, issue_id: UUID, *, for_update: bool = False
    ) -> Issue | None:
        """Return the issue (of that project unless None), or None; ``for_update`` locks it."""
        ...

    async def from_occurrences(self, org_id: str, risk_ids: list[UUID]) -> list[Issue | None]:
        """Return, per risk id, the issue its occurrence raised (None where it has not occurred)."""
        ...

    async def list(
        self, org_id: str, project_id: UUID, flt: IssueFilter, page: PageRequest
    ) -> Page[Issue]:
        """List a project's issues, newest first."""
        ...

    async def count(self, org_id: str, project_id: UUID, flt: IssueFilter) -> int:
        """Count a project's issues a filter matches."""
        ...

    async def list_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: IssueFilter, page: PageRequest
    ) -> dict[UUID, Page[Issue]]:
        """Each project's page of issues, newest first, in one statement (every id a key)."""
        ...

    async def count_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: IssueFilter
    ) -> dict[UUID, int]:
        """Count each project's issues a filter matches (every id a key)."""
        ...

    async def update(self, issue: Issue) -> None:
        """Store a changed issue (its version already incremented)."""
        ...
