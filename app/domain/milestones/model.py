"""Milestones and their dependencies: the rules of one milestone and of the network."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from app.domain.common.changes import diff, refuse_nulls
from app.domain.common.errors import DependencyCycle, FieldError
from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if

if TYPE_CHECKING:  # schedule.py imports this module at runtime
    from app.domain.milestones.schedule import NetworkLink, ScheduleItem

LAG_MAX = 3650  # ten years either way: beyond that a lag is a typo, not a plan
ESTIMATE_MAX = 3650  # a three-point estimate (days) beyond ten years is a typo as well
ESTIMATE_FIELDS = ("optimistic_days", "most_likely_days", "pessimistic_days")


def check_estimate(
    errors: list[FieldError], optimistic: object, most_likely: object, pessimistic: object
) -> None:
    """A three-point estimate: all three or none, whole days 1..ESTIMATE_MAX, o <= m <= p."""
    values = dict(zip(ESTIMATE_FIELDS, (optimistic, most_likely, pessimistic), strict=True))
    if all(v is None for v in values.values()):
        return
    bad = False
    for name, value in values.items():
        if value is None:
            errors.append(FieldError(name, "is required with the other two estimates"))
            bad = True
        elif (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ESTIMATE_MAX
        ):
            errors.append(
                FieldError(name, f"must be a whole number of days from 1 to {ESTIMATE_MAX}")
            )
            bad = True
    if bad:
        return
    if most_likely < optimistic:  # type: ignore[operator]
        errors.append(FieldError("most_likely_days", "must not be less than optimistic_days"))
    if pessimistic < most_likely:  # type: ignore[operator]
        errors.append(FieldError("pessimistic_days", "must not be less than most_likely_days"))


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class DependencyType(StrEnum):
    FINISH_TO_START = "finish_to_start"
    START_TO_START = "start_to_start"
    FINISH_TO_FINISH = "finish_to_finish"
    START_TO_FINISH = "start_to_finish"


@dataclass(frozen=True)
class Milestone:
    id: UUID
    org_id: str
    project_id: UUID
    name: str
    description: str | None
    owner_id: UUID | None
    start_date: date
    due_date: date
    status: MilestoneStatus
    progress: int
    completed_on: date | None
    planned_value: Money
    version: int
    created_at: datetime
    updated_at: datetime
    # The forecast's three-point duration estimate in days (all three or none).
    optimistic_days: int | None = None
    most_likely_days: int | None = None
    pessimistic_days: int | None = None

    EDITABLE = frozenset(
        {
            "name",
            "description",
            "owner_id",
            "start_date",
            "due_date",
            "status",
            "progress",
            "completed_on",
            "planned_value",
            *ESTIMATE_FIELDS,
        }
    )
    # What a member may change: reporting progress, not re-planning.
    PROGRESS_FIELDS = frozenset({"status", "progress", "completed_on"})
    REQUIRED = frozenset({"name", "start_date", "due_date", "status", "progress", "planned_value"})

    @property
    def duration_days(self) -> int:
        return (self.due_date - self.start_date).days + 1

    def validate(self) -> Milestone:
        """Check every rule of a milestone; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "description", self.description, limit=TEXT_MAX)
        if self.due_date < self.start_date:
            errors.append(FieldError("due_date", "must not be before start_date"))
        if not 0 <= self.progress <= 100:
            errors.append(FieldError("progress", "must be between 0 and 100"))
        elif self.status == MilestoneStatus.DONE and self.progress != 100:
            errors.append(FieldError("progress", "must be 100 when the status is done"))
        if self.status == MilestoneStatus.DONE:
            if self.completed_on is not None and self.completed_on < self.start_date:
                errors.append(FieldError("completed_on", "must not be before start_date"))
        elif self.completed_on is not None:
            errors.append(FieldError("completed_on", "is only set when the status is done"))
        if self.planned_value.amount < 0:
            errors.append(FieldError("planned_value", "must not be negative"))
        check_estimate(errors, self.optimistic_days, self.most_likely_days, self.pessimistic_days)
        raise_if(errors)
        return self

    def settled(self, today: date, progress_sent: bool) -> Milestone:
        """Fill what a status implies: done means 100% on a completion date; else none."""
        if self.status == MilestoneStatus.DONE:
            progress = self.progress if progress_sent else 100
            return replace(self, progress=progress, completed_on=self.completed_on or today)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Milestone, dict[str, Any]]:
        """Apply a merge-patch; return the new milestone and a from/to diff of what changed.

        Completing it dates it on the day of ``now`` (UTC, as every domain time is).
        """
        refuse_nulls(changes, self.REQUIRED)
        changes = dict(changes)
        leaving_done = (
            self.status == MilestoneStatus.DONE
            and changes.get("status", self.status) != MilestoneStatus.DONE
        )
        if leaving_done and "completed_on" not in changes:
            changes["completed_on"] = None  # reopened: it is no longer complete
        updated = replace(self, **changes, updated_at=now)
        if updated.status == MilestoneStatus.DONE and self.status != MilestoneStatus.DONE:
            updated = updated.settled(now.date(), "progress" in changes)
        updated.validate()
        return updated, diff(self, updated, self.EDITABLE)


@dataclass(frozen=True)
class Dependency:
    org_id: str
    project_id: UUID
    predecessor_id: UUID
    successor_id: UUID
    type: DependencyType
    lag_days: int
    created_at: datetime

    def validate(self) -> Dependency:
        check_link(self.predecessor_id, self.successor_id, self.lag_days)
        return self


def check_link(predecessor_id: UUID, successor_id: UUID, lag_days: int) -> None:
    """Refuse a milestone depending on itself, or a lag beyond ten years either way."""
    errors: list[FieldError] = []
    if predecessor_id == successor_id:
        errors.append(FieldError("predecessor_id", "must be another milestone"))
    if not -LAG_MAX <= lag_days <= LAG_MAX:
        errors.append(FieldError("lag_days", f"must be between -{LAG_MAX} and {LAG_MAX}"))
    raise_if(errors)


def check_acyclic(edges: list[tuple[UUID, UUID]], new: tuple[UUID, UUID]) -> None:
    """Raise DependencyCycle when adding ``new`` (predecessor, successor) closes a cycle.

    The cycle is named in dependency order: the new predecessor, its new successor, and
    the existing path from there back to the predecessor. Iterative DFS, O(V + E).
    """
    predecessor, successor = new
    successors: dict[UUID, list[UUID]] = {}
    for p, s in edges:
        successors.setdefault(p, []).append(s)
    parent: dict[UUID, UUID | None] = {successor: None}
    stack = [successor]
    while stack:
        node = stack.pop()
        if node == predecessor:
            path = [node]
            while (step := parent[path[-1]]) is not None:
                path.append(step)
            raise DependencyCycle([predecessor, *reversed(path[1:])])
        for nxt in successors.get(node, ()):
            if nxt not in parent:
                parent[nxt] = node
                stack.append(nxt)


class MilestoneRepository(Protocol):
    async def add(self, milestone: Milestone) -> None:
        """Insert a milestone and its first progress record."""
        ...

    async def get(
        self, org_id: str, milestone_id: UUID, *, for_update: bool = False
    ) -> Milestone | None:
        """Return the milestone of this organization, or None; ``for_update`` locks its row."""
        ...

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Milestone | None]:
        """Return milestones in the order of ``ids`` (None where missing)."""
        ...

    async def count(self, org_id: str, project_id: UUID, status: MilestoneStatus | None) -> int:
        """Count a project's milestones (optionally of one status)."""
        ...

    async def counts_for_projects(
        self, org_id: str, project_ids: list[UUID], status: MilestoneStatus | None
    ) -> list[int]:
        """Count each project's milestones, in the order of ``project_ids``."""
        ...

    async def pages_for_projects(
        self,
        org_id: str,
        project_ids: list[UUID],
        status: MilestoneStatus | None,
        page: PageRequest,
    ) -> list[Page[Milestone]]:
        """Return one page of milestones per project, in one read (for DataLoaders)."""
        ...

    async def all_for_projects(self, org_id: str, project_ids: list[UUID]) -> list[Milestone]:
        """Return every milestone of these projects (for schedules and baselines)."""
        ...

    async def schedule_items(self, org_id: str, project_ids: list[UUID]) -> list[ScheduleItem]:
        """Return what the schedule needs of every milestone of these projects."""
        ...

    async def update(self, milestone: Milestone, progress_changed: bool) -> None:
        """Store a changed milestone; record its progress when progress or status changed."""
        ...

    async def progress_at(
        self, org_id: str, project_ids: list[UUID], at: datetime
    ) -> dict[UUID, int]:
        """Return each milestone's progress as last recorded before ``at``, by milestone id
        (a milestone with nothing recorded by then has no key)."""
        ...

    async def delete(self, org_id: str, milestone_id: UUID) -> None:
        """Delete a milestone (and the dependencies it is the successor of)."""
        ...

    async def list(
        self, org_id: str, project_id: UUID, status: MilestoneStatus | None, page: PageRequest
    ) -> Page[Milestone]:
        """List a project's milestones by start date, by cursor."""
        ...


class DependencyRepository(Protocol):
    async def add(self, dependency: Dependency) -> None:
        """Insert a dependency; raise ValidationFailed when the pair is already linked."""
        ...

    async def get(self, org_id: str, successor_id: UUID, predecessor_id: UUID) -> Dependency | None:
        """Return one dependency, or None."""
        ...

    async def delete(self, org_id: str, successor_id: UUID, predecessor_id: UUID) -> None:
        """Remove one dependency."""
        ...

    async def list_predecessors(
        self, org_id: str, successor_id: UUID, page: PageRequest
    ) -> Page[Dependency]:
        """List what a milestone depends on, by cursor."""
        ...

    async def all_for_projects(self, org_id: str, project_ids: list[UUID]) -> list[Dependency]:
        """Return every dependency of these projects."""
        ...

    async def links(self, org_id: str, project_ids: list[UUID]) -> list[NetworkLink]:
        """Return what the schedule needs of every dependency of these projects."""
        ...

    async def of_successors(self, org_id: str, ids: list[UUID]) -> list[Dependency]:
        """Return the dependencies whose successor is one of ``ids``."""
        ...

    async def of_predecessors(self, org_id: str, ids: list[UUID]) -> list[Dependency]:
        """Return the dependencies whose predecessor is one of ``ids``."""
        ...
