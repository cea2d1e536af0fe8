"""Ports of the ledger: its storage (entries, commitments, maintained totals) and unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from app.domain.common.paging import Page, PageRequest
from app.domain.ledger.model import (
    Category,
    Commitment,
    EntryKind,
    LedgerEntry,
    LedgerTotals,
    TotalsDelta,
)
from app.domain.milestones.ports import MilestonesUnitOfWork


@dataclass(frozen=True)
class EntryFilter:
    kind: EntryKind | None = None
    category: Category | None = None
    from_date: date | None = None  # occurred_on on or after
    to_date: date | None = None  # occurred_on on or before


@dataclass(frozen=True)
class CategoryTotals:
    category: Category
    budget: Decimal
    open_commitments: Decimal
    actual: Decimal


@dataclass(frozen=True)
class MonthTotals:
    month: str  # YYYY-MM
    budget: Decimal
    commitments: Decimal
    actual: Decimal


class LedgerRepository(Protocol):
    async def currency_of(self, org_id: str, project_id: UUID) -> str | None:
        """Return the currency of the organization's project, or None when there is none."""
        ...

    async def post(self, entry: LedgerEntry, delta: TotalsDelta) -> bool:
        """Append the entry and move the maintained totals, under the project's ledger lock.

        Only if no total goes negative: return False (having written nothing) when one
        would. The events recorded on the unit of work so far may be written with it.
        """
        ...

    async def settle(
        self, org_id: str, project_id: UUID, commitment_id: UUID, amount: Decimal
    ) -> tuple[Decimal, Category] | None:
        """Add ``amount`` to what actuals settled of a live commitment of the project.

        Return how the commitment's open amount changed and its category, or None when
        it is not a live commitment of the project.
        """
        ...

    async def lock_commitment(self, org_id: str, entry_id: UUID) -> Commitment | None:
        """Return a commitment's settlement state, locked for this transaction."""
        ...

    async def mark_reversed(self, org_id: str, entry_id: UUID) -> None:
        """Mark a commitment reversed: actuals can no longer settle it."""
        ...

    async def get(self, org_id: str, entry_id: UUID) -> LedgerEntry | None:
        """Return one entry (with the reversal that negated it, if any), or None."""
        ...

    async def list_for_project(
        self, org_id: str, project_id: UUID, flt: EntryFilter, page: PageRequest
    ) -> Page[LedgerEntry]:
        """List a project's entries, newest first (occurred_on, then posting order)."""
        ...

    async def count(self, org_id: str, project_id: UUID, flt: EntryFilter) -> int:
        """Count the entries a filter matches (the maintained count when unfiltered)."""
        ...

    async def list_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: EntryFilter, page: PageRequest
    ) -> dict[UUID, Page[LedgerEntry]]:
        """The same page of each project's entries, in one statement (every id a key)."""
        ...

    async def count_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: EntryFilter
    ) -> dict[UUID, int]:
        """Count each project's entries a filter matches (every id a key)."""
        ...

    async def totals(self, org_id: str, project_id: UUID) -> LedgerTotals:
        """Return the project's maintained totals (zero without entries)."""
        ...

    async def has_entries(self, org_id: str, project_id: UUID) -> bool:
        """Return whether the project has any ledger entry."""
        ...

    async def by_category(
        self, org_id: str, project_ids: Sequence[UUID], as_of: date
    ) -> dict[UUID, list[CategoryTotals]]:
        """Each project's totals per category of entries that occurred on or before ``as_of``
        (every id a key), in one read."""
        ...

    async def breakdown(
        self, org_id: str, project_ids: Sequence[UUID], as_of: date
    ) -> dict[UUID, tuple[list[CategoryTotals], list[MonthTotals]]]:
        """Each project's totals per category and per calendar month (oldest first), in one
        read (every id a key)."""
        ...


class LedgerUnitOfWork(MilestonesUnitOfWork, Protocol):
    @property
    def ledger(self) -> LedgerRepository: ...
