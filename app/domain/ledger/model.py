"""The budget ledger: append-only entries, reversals, settlement and per-kind totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from app.domain.common.errors import (
    CommitmentSettled,
    FieldError,
    LedgerNegativeTotal,
    NotReversible,
)
from app.domain.common.money import Money
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text, raise_if

ZERO = Decimal(0)


class EntryKind(StrEnum):
    BUDGET = "budget"
    COMMITMENT = "commitment"
    ACTUAL = "actual"


class Category(StrEnum):
    LABOUR = "labour"
    HARDWARE = "hardware"
    SOFTWARE = "software"
    SERVICES = "services"
    CLOUD = "cloud"
    TRAVEL = "travel"
    CONTINGENCY = "contingency"
    OTHER = "other"


@dataclass(frozen=True)
class LedgerEntry:
    id: UUID
    org_id: str
    project_id: UUID
    kind: EntryKind
    category: Category
    amount: Money
    occurred_on: date
    description: str | None
    reference: str | None
    milestone_id: UUID | None
    settles: UUID | None  # the commitment an actual settles
    reverses: UUID | None  # the entry a reversal negates
    created_by: str
    created_at: datetime
    reversed_by: UUID | None = None  # read side: the reversal that negated this entry

    def validate(self) -> LedgerEntry:
        """Check the rules of one entry; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        if self.amount.amount == ZERO:
            errors.append(FieldError("amount", "must not be zero"))
        check_text(errors, "description", self.description, limit=TEXT_MAX)
        check_text(errors, "reference", self.reference, limit=NAME_MAX)
        if self.settles is not None:
            if self.kind != EntryKind.ACTUAL:
                errors.append(FieldError("settles", "only an actual settles a commitment"))
            elif self.amount.amount < 0 and self.reverses is None:
                errors.append(FieldError("settles", "a settling actual must be positive"))
        raise_if(errors)
        return self

    def reversal(self, entry_id: UUID, reason: str, by: str, at: datetime) -> LedgerEntry:
        """Return the entry that negates this one (same kind, category, date and links)."""
        if self.reverses is not None:
            raise NotReversible("A reversal cannot itself be reversed")
        return LedgerEntry(
            id=entry_id,
            org_id=self.org_id,
            project_id=self.project_id,
            kind=self.kind,
            category=self.category,
            amount=-self.amount,
            occurred_on=self.occurred_on,
            description=reason,
            reference=self.reference,
            milestone_id=self.milestone_id,
            settles=self.settles,
            reverses=self.id,
            created_by=by,
            created_at=at,
        )


@dataclass(frozen=True)
class Commitment:
    """What the ledger keeps per commitment: how much actuals settled, whether reversed."""

    entry_id: UUID
    project_id: UUID
    category: Category
    amount: Decimal
    settled: Decimal
    reversed: bool

    @property
    def open(self) -> Decimal:
        """The commitment still open: never below zero, however much actuals settled."""
        return max(ZERO, self.amount - self.settled)

    def check_reversible(self) -> None:
        if self.settled != ZERO:
            raise CommitmentSettled("Actual costs settle this commitment; reverse them first")


@dataclass(frozen=True)
class TotalsDelta:
    """How one posting moves the project's totals (the open-commitment part by category)."""

    budget: Decimal = ZERO
    commitments: Decimal = ZERO
    actual: Decimal = ZERO
    open_commitments: Decimal = ZERO
    open_category: Category | None = None  # the category whose open commitments move


def delta_of(entry: LedgerEntry, settlement: tuple[Decimal, Category] | None = None) -> TotalsDelta:
    """Return how ``entry`` moves the totals; ``settlement`` is how (and in which category)
    the open amount of the commitment it settles or un-settles changed."""
    amount = entry.amount.amount
    if entry.kind == EntryKind.BUDGET:
        return TotalsDelta(budget=amount)
    if entry.kind == EntryKind.COMMITMENT:
        return TotalsDelta(
            commitments=amount, open_commitments=amount, open_category=entry.category
        )
    if settlement is None:
        return TotalsDelta(actual=amount)
    return TotalsDelta(actual=amount, open_commitments=settlement[0], open_category=settlement[1])


@dataclass(frozen=True)
class LedgerTotals:
    budget: Decimal = ZERO
    commitments: Decimal = ZERO
    actual: Decimal = ZERO
    open_commitments: Decimal = ZERO

    def after(self, delta: TotalsDelta) -> LedgerTotals:
        """Return the totals with ``delta`` applied; raise LedgerNegativeTotal if any goes negative."""
        moved = LedgerTotals(
            self.budget + delta.budget,
            self.commitments + delta.commitments,
            self.actual + delta.actual,
            self.open_commitments + delta.open_commitments,
        )
        moved.check()
        return moved

    def check(self) -> None:
        for name in ("budget", "commitments", "actual", "open_commitments"):
            if getattr(self, name) < 0:
                raise negative_total(name)


def negative_total(name: str | None = None) -> LedgerNegativeTotal:
    what = (name or "a kind").replace("_", " ")
    message = f"would make the {what} total negative (totals per kind never go below zero)"
    return LedgerNegativeTotal([FieldError("amount", message)], message)
