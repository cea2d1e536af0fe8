"""An in-memory fake of the ledger port, and a unit of work that has it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID

from app.domain.common.errors import AlreadyReversed, LedgerNegativeTotal
from app.domain.common.paging import Page, PageRequest
from app.domain.ledger.model import (
    Category,
    Commitment,
    EntryKind,
    LedgerEntry,
    LedgerTotals,
    TotalsDelta,
)
from app.domain.ledger.ports import CategoryTotals, EntryFilter, MonthTotals
from tests.fakes import _page
from tests.fakes_milestones import FakeMilestonesUnitOfWork

ZERO = Decimal(0)


class FakeLedgerRepository:
    def __init__(self, projects: object) -> None:
        self.projects = projects
        self.entries: dict[UUID, LedgerEntry] = {}
        self.commitments: dict[UUID, Commitment] = {}
        self.project_totals: dict[UUID, LedgerTotals] = {}
        self.open_by: dict[tuple[UUID, date, Category], Decimal] = {}

    async def currency_of(self, org_id: str, project_id: UUID) -> str | None:
        project = await self.projects.get(org_id, project_id)  # type: ignore[attr-defined]
        return None if project is None else str(project.currency)

    async def post(self, entry: LedgerEntry, delta: TotalsDelta) -> bool:
        current = self.project_totals.get(entry.project_id, LedgerTotals())
        try:
            moved = current.after(delta)
        except LedgerNegativeTotal:
            return False
        if entry.reverses is not None:
            if any(e.reverses == entry.reverses for e in self.entries.values()):
                raise AlreadyReversed()
            original = self.entries[entry.reverses]
            self.entries[original.id] = replace(original, reversed_by=entry.id)
        self.entries[entry.id] = entry
        if entry.kind == EntryKind.COMMITMENT and entry.amount.amount > 0 and not entry.reverses:
            self.commitments[entry.id] = Commitment(
                entry.id, entry.project_id, entry.category, entry.amount.amount, ZERO, False
            )
        if delta.open_commitments:
            key = (entry.project_id, entry.occurred_on, delta.open_category or entry.category)
            self.open_by[key] = self.open_by.get(key, ZERO) + delta.open_commitments
        self.project_totals[entry.project_id] = moved
        return True

    async def settle(
        self, org_id: str, project_id: UUID, commitment_id: UUID, amount: Decimal
    ) -> tuple[Decimal, Category] | None:
        c = self.commitments.get(commitment_id)
        if c is None or c.project_id != project_id or c.reversed:
            return None
        moved = replace(c, settled=c.settled + amount)
        self.commitments[commitment_id] = moved
        return moved.open - c.open, c.category

    async def lock_commitment(self, org_id: str, entry_id: UUID) -> Commitment | None:
        return self.commitments.get(entry_id)

    async def mark_reversed(self, org_id: str, entry_id: UUID) -> None:
        self.commitments[entry_id] = replace(self.commitments[entry_id], reversed=True)

    async def get(self, org_id: str, entry_id: UUID) -> LedgerEntry | None:
        e = self.entries.get(entry_id)
        return e if e and e.org_id == org_id else None

    def _match(self, org_id: str, project_id: UUID, flt: EntryFilter) -> list[LedgerEntry]:
        return [
            e
            for e in self.entries.values()
            if e.org_id == org_id
            and e.project_id == project_id
            and flt.kind in (None, e.kind)
            and flt.category in (None, e.category)
            and (flt.from_date is None or e.occurred_on >= flt.from_date)
            and (flt.to_date is None or e.occurred_on <= flt.to_date)
        ]

    async def list_for_project(
        self, org_id: str, project_id: UUID, flt: EntryFilter, page: PageRequest
    ) -> Page[LedgerEntry]:
        found = sorted(
            self._match(org_id, project_id, flt),
            key=lambda e: (e.occurred_on, e.created_at),
            reverse=True,
        )
        return _page(found, page, lambda e: [e.occurred_on.isoformat(), str(e.id)])

    async def count(self, org_id: str, project_id: UUID, flt: EntryFilter) -> int:
        return len(self._match(org_id, project_id, flt))

    async def totals(self, org_id: str, project_id: UUID) -> LedgerTotals:
        return self.project_totals.get(project_id, LedgerTotals())

    async def has_entries(self, org_id: str, project_id: UUID) -> bool:
        return any(e.project_id == project_id for e in self.entries.values())

    def _upto(self, project_id: UUID, as_of: date) -> list[LedgerEntry]:
        return [
            e
            for e in self.entries.values()
            if e.project_id == project_id and e.occurred_on <= as_of
        ]

    async def list_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: EntryFilter, page: PageRequest
    ) -> dict[UUID, Page[LedgerEntry]]:
        return {p: await self.list_for_project(org_id, p, flt, page) for p in project_ids}

    async def count_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: EntryFilter
    ) -> dict[UUID, int]:
        return {p: await self.count(org_id, p, flt) for p in project_ids}

    async def by_category(
        self, org_id: str, project_ids: Sequence[UUID], as_of: date
    ) -> dict[UUID, list[CategoryTotals]]:
        return {p: self._by_category(p, as_of) for p in project_ids}

    def _by_category(self, project_id: UUID, as_of: date) -> list[CategoryTotals]:
        result = []
        for category in Category:
            mine = [e for e in self._upto(project_id, as_of) if e.category == category]
            opened = sum(
                (v for (p, d, c), v in self.open_by.items()
                 if p == project_id and d <= as_of and c == category),
                ZERO,
            )  # fmt: skip
            if mine or opened:
                result.append(
                    CategoryTotals(
                        category,
                        sum((e.amount.amount for e in mine if e.kind == "budget"), ZERO),
                        opened,
                        sum((e.amount.amount for e in mine if e.kind == "actual"), ZERO),
                    )
                )
        return result

    async def breakdown(
        self, org_id: str, project_ids: Sequence[UUID], as_of: date
    ) -> dict[UUID, tuple[list[CategoryTotals], list[MonthTotals]]]:
        return {p: (self._by_category(p, as_of), await self._months(p, as_of)) for p in project_ids}

    async def _months(self, project_id: UUID, as_of: date) -> list[MonthTotals]:
        months: dict[str, list[Decimal]] = {}
        for e in self._upto(project_id, as_of):
            row = months.setdefault(e.occurred_on.strftime("%Y-%m"), [ZERO, ZERO, ZERO])
            row[["budget", "commitment", "actual"].index(e.kind.value)] += e.amount.amount
        return [MonthTotals(m, *v) for m, v in sorted(months.items())]


class FakeLedgerUnitOfWork(FakeMilestonesUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = FakeLedgerRepository(self.projects)
