"""Objectives and key results: the rules of each, and progress exactly as PRODUCT.md defines it.

progress(key result) = (current - baseline) / (target - baseline), clamped to [0, 1], so a
"reduce" key result has target < baseline; an objective's progress is the mean of its key
results' (None with none), a project's the mean of its objectives' that have one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError, ValidationFailed
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if

ONE, ZERO = Decimal(1), Decimal(0)
PLACES = Decimal("0.0001")  # progress is shown to 4 places, like the other ratios
UNIT_MAX = 50
MAX_KEY_RESULTS = 25  # per objective: OKRs keep a handful; the bound keeps reads bounded
INTEGER_DIGITS, DECIMAL_PLACES = 16, 4  # numeric(20, 4) in storage


def measure(raw: str | Decimal, field: str) -> Decimal:
    """Parse a key result's value: a finite decimal of at most 16 integer digits and 4 places."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed.on(field, 'must be a decimal string such as "42.5"') from None
    if not value.is_finite():
        raise ValidationFailed.on(field, "must be a finite decimal")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        raise ValidationFailed.on(field, f"must have at most {DECIMAL_PLACES} decimal places")
    if value and value.adjusted() >= INTEGER_DIGITS:
        raise ValidationFailed.on(field, f"must have at most {INTEGER_DIGITS} integer digits")
    return value


def progress(baseline: Decimal, target: Decimal, current: Decimal) -> Decimal:
    """(current - baseline) / (target - baseline), clamped to [0, 1] (unrounded)."""
    ratio = (current - baseline) / (target - baseline)
    return min(ONE, max(ZERO, ratio))


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present, ZERO) / len(present) if present else None


def as_text(value: Decimal) -> str:
    """A value as the client wrote it, without storage's padding zeros ("28.0000" -> "28")."""
    return format(value.normalize(), "f")


def shown(value: Decimal | None) -> Decimal | None:
    """A progress as shown: 4 places, half to even."""
    return None if value is None else value.quantize(PLACES, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class KeyResult:
    id: UUID
    org_id: str
    project_id: UUID
    objective_id: UUID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    current: Decimal
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    # ``current`` moves only by check-ins, so each change is kept with who, when and why.
    EDITABLE = frozenset({"name", "unit", "baseline", "target"})
    REQUIRED = EDITABLE

    @property
    def progress(self) -> Decimal:
        return progress(self.baseline, self.target, self.current)

    def validate(self) -> KeyResult:
        """Check every rule of a key result; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "unit", self.unit, limit=UNIT_MAX, required=True)
        if self.target == self.baseline:
            errors.append(FieldError("target", "must differ from baseline"))
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[KeyResult, dict[str, Any]]:
        """Apply a merge-patch; return the new key result and a from/to diff."""
        changes = {
            k: measure(v, k) if k in ("baseline", "target") and v is not None else v
            for k, v in changes.items()
        }
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


@dataclass(frozen=True)
class Objective:
    id: UUID
    org_id: str
    project_id: UUID
    name: str
    description: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    EDITABLE = frozenset({"name", "description"})
    REQUIRED = frozenset({"name"})

    def validate(self) -> Objective:
        errors: list[FieldError] = []
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "description", self.description, limit=TEXT_MAX)
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Objective, dict[str, Any]]:
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


@dataclass(frozen=True)
class ObjectiveWithResults:
    """An objective as read: its live key results and its progress."""

    objective: Objective
    key_results: list[KeyResult]

    @property
    def progress(self) -> Decimal | None:
        return mean(k.progress for k in self.key_results)


def project_progress(objectives: Iterable[ObjectiveWithResults]) -> Decimal | None:
    """The mean progress of the objectives that have one (None when none has)."""
    return mean(o.progress for o in objectives)


@dataclass(frozen=True)
class CheckIn:
    id: UUID
    org_id: str
    project_id: UUID
    key_result_id: UUID
    from_value: Decimal
    to_value: Decimal
    note: str | None
    by: str
    at: datetime


class ObjectiveRepository(Protocol):
    async def add(self, objective: Objective) -> None:
        """Insert an objective."""
        ...

    async def get(
        self, org_id: str, objective_id: UUID, *, for_update: bool = False
    ) -> Objective | None:
        """Return a live (not deleted) objective of this organization, or None."""
        ...

    async def update(self, objective: Objective) -> None:
        """Store a changed (or deleted) objective."""
        ...

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Objective]]:
        """One page of each project's live objectives, oldest first, in one read."""
        ...

    async def all_for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, list[Objective]]:
        """Every live objective of these projects (for gates and final figures)."""
        ...


class KeyResultRepository(Protocol):
    async def add(self, key_result: KeyResult) -> None:
        """Insert a key result."""
        ...

    async def get(
        self, org_id: str, key_result_id: UUID, *, for_update: bool = False
    ) -> KeyResult | None:
        """Return a key result of this organization, deleted ones included, or None."""
        ...

    async def update(self, key_result: KeyResult) -> None:
        """Store a changed (or deleted) key result."""
        ...

    async def for_objectives(
        self, org_id: str, objective_ids: list[UUID]
    ) -> dict[UUID, list[KeyResult]]:
        """The live key results of each objective, oldest first (every id is a key)."""
        ...

    async def delete_of_objective(self, org_id: str, objective_id: UUID, at: datetime) -> None:
        """Mark every live key result of an objective deleted."""
        ...


class CheckInRepository(Protocol):
    async def add(self, check_in: CheckIn) -> None:
        """Append a check-in."""
        ...

    async def pages_for_key_results(
        self, org_id: str, key_result_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[CheckIn]]:
        """One page of each key result's check-ins, newest first, in one read."""
        ...
