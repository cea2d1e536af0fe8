"""Deliverables and their acceptance: what the project hands over, and who decided what."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError, InvalidDecision
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if


class DeliverableStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WAIVED = "waived"


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    WAIVE = "waive"
    REOPEN = "reopen"


# accept, reject and waive are taken from pending only; reopen takes a decided one back.
OUTCOME = {
    Decision.ACCEPT: DeliverableStatus.ACCEPTED,
    Decision.REJECT: DeliverableStatus.REJECTED,
    Decision.WAIVE: DeliverableStatus.WAIVED,
    Decision.REOPEN: DeliverableStatus.PENDING,
}
NEEDS_NOTE = frozenset({Decision.REJECT, Decision.WAIVE})
SETTLED = frozenset({DeliverableStatus.ACCEPTED, DeliverableStatus.WAIVED})


@dataclass(frozen=True)
class DecisionRecord:
    id: UUID
    org_id: str
    project_id: UUID
    deliverable_id: UUID
    decision: Decision
    from_status: DeliverableStatus
    to_status: DeliverableStatus
    note: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class Deliverable:
    id: UUID
    org_id: str
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

    # The status moves only by decisions, each kept with who, when and why.
    EDITABLE = frozenset({"name", "description", "acceptance_criteria", "milestone_id"})
    REQUIRED = frozenset({"name"})

    def validate(self) -> Deliverable:
        errors: list[FieldError] = []
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "description", self.description, limit=TEXT_MAX)
        check_text(errors, "acceptance_criteria", self.acceptance_criteria, limit=TEXT_MAX)
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Deliverable, dict[str, Any]]:
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff

    def decide(
        self, decision: Decision, note: str | None, by: str, at: datetime, *, project_closed: bool
    ) -> tuple[Deliverable, DecisionRecord]:
        """Take a decision; raise InvalidDecision for a move from the wrong status."""
        errors: list[FieldError] = []
        check_text(errors, "note", note, limit=TEXT_MAX, required=decision in NEEDS_NOTE)
        raise_if(errors)
        if decision == Decision.REOPEN:
            if self.status == DeliverableStatus.PENDING:
                raise InvalidDecision("Only an accepted, rejected or waived deliverable reopens")
            if project_closed:
                raise InvalidDecision("A deliverable of a closed project cannot be reopened")
        elif self.status != DeliverableStatus.PENDING:
            raise InvalidDecision(f"A {self.status} deliverable cannot be decided; reopen it first")
        to = OUTCOME[decision]
        pending = to == DeliverableStatus.PENDING
        updated = replace(
            self,
            status=to,
            decided_by=None if pending else by,
            decided_at=None if pending else at,
            updated_at=at,
        )
        record = DecisionRecord(
            id=new_id(), org_id=self.org_id, project_id=self.project_id, deliverable_id=self.id,
            decision=decision, from_status=self.status, to_status=to, note=note, by=by, at=at,
        )  # fmt: skip
        return updated, record


class DeliverableRepository(Protocol):
    async def add(self, deliverable: Deliverable) -> None:
        """Insert a deliverable."""
        ...

    async def get(
        self, org_id: str, deliverable_id: UUID, *, for_update: bool = False
    ) -> Deliverable | None:
        """Return a deliverable of this organization, or None."""
        ...

    async def update(self, deliverable: Deliverable) -> None:
        """Store a changed deliverable."""
        ...

    async def pages_for_projects(
        self,
        org_id: str,
        project_ids: list[UUID],
        status: DeliverableStatus | None,
        page: PageRequest,
    ) -> dict[UUID, Page[Deliverable]]:
        """One page of each project's deliverables, oldest first, in one read."""
        ...

    async def status_counts(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, dict[DeliverableStatus, int]]:
        """How many deliverables of each status every project has (every id is a key)."""
        ...


class DecisionRepository(Protocol):
    async def add(self, record: DecisionRecord) -> None:
        """Append a decision."""
        ...

    async def pages_for_deliverables(
        self, org_id: str, deliverable_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[DecisionRecord]]:
        """One page of each deliverable's decisions, newest first, in one read."""
        ...
