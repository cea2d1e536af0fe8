"""SqlLedgerRepository: append-only entries, commitments and maintained totals in PostgreSQL.

A posting is one statement (``ledger_posting.STATEMENTS``), run on its own when it is all
the command writes; the project's ledger lock (its totals rows, see ``SLOTS``) is held
that long.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Column, Executable, func, select, text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.events import DomainEvent
from app.domain.common.money import Money
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
from app.infra.postgres.ledger_posting import (
    OPEN_TOTALS,
    SETTLE,
    SLOTS,
    STATEMENTS,
    bucket_rows,
)
from app.infra.postgres.paging import keyset, pages_per_group, to_page
from app.infra.postgres.raw import fetch
from app.infra.postgres.tables import ledger_entries as entries
from app.infra.postgres.tables import ledger_totals as totals

_ORDER: list[Column[Any]] = [entries.c.occurred_on, entries.c.seq]
_FIELDS = tuple(c.name for c in entries.columns if c.name not in ("seq", "currency"))


def entry_from_row(row: Row[Any]) -> LedgerEntry:
    m = row._mapping
    values = {c: m[c] for c in _FIELDS}
    values["kind"] = EntryKind(values["kind"])
    values["category"] = Category(values["category"])
    values["amount"] = Money(m["amount"], m["currency"])
    return LedgerEntry(**values, reversed_by=m["reversed_by"])


def _select() -> Any:
    """Entries with the id of the reversal that negated each (if any)."""
    reversal = entries.alias("reversal")
    return select(entries, reversal.c.id.label("reversed_by")).outerjoin(
        reversal,
        (reversal.c.org_id == entries.c.org_id) & (reversal.c.reverses == entries.c.id),
    )


# (org, project) -> currency of projects whose ledger has a committed entry. Such a
# project's currency can never change again (currency_locked; projects are not deleted),
# so a posting to it need not read the project row: a dictionary lookup stands in.
_FIXED_CURRENCY: dict[tuple[str, UUID], str] = {}
_FIXED_CURRENCY_MAX = 100_000
CURRENCY_OF = text(
    "SELECT p.currency, EXISTS (SELECT 1 FROM ledger_entries AS e "
    "WHERE e.org_id = p.org_id AND e.project_id = p.id) AS fixed "
    "FROM projects AS p WHERE p.org_id = :org_id AND p.id = :project_id"
)


class CommandScope(Protocol):
    """What a posting needs of its unit of work (``SqlUnitOfWork``)."""

    def take_event(self, subject_id: UUID) -> DomainEvent | None: ...

    async def execute_alone(self, stmt: Executable, params: dict[str, Any]) -> Any: ...


class SqlLedgerRepository:
    def __init__(self, conn: AsyncConnection, scope: CommandScope) -> None:
        self.conn = conn
        self.scope = scope

    async def currency_of(self, org_id: str, project_id: UUID) -> str | None:
        key = (org_id, project_id)
        found = _FIXED_CURRENCY.get(key)
        if found is not None:
            return found
        params = {"org_id": org_id, "project_id": project_id}
        row = (await self.conn.execute(CURRENCY_OF, params)).first()
        if row is None:
            return None
        if row.fixed:  # a committed entry: the currency is fixed from now on
            if len(_FIXED_CURRENCY) >= _FIXED_CURRENCY_MAX:
                _FIXED_CURRENCY.clear()
            _FIXED_CURRENCY[key] = row.currency
        currency: str = row.currency
        return currency

    async def post(self, entry: LedgerEntry, delta: TotalsDelta) -> bool:
        # The posting's event is written by the posting statement (its "history" part),
        # so entry, totals and event commit together even when the statement runs alone.
        event = self.scope.take_event(entry.id)
        if event is None:
            raise RuntimeError("record the posting's event before posting")
        opens_commitment = (
            entry.kind == EntryKind.COMMITMENT and entry.amount.amount > 0 and not entry.reverses
        )
        buckets = bucket_rows(entry, delta)
        rows = 2 if "cat1" in buckets else 1
        params = {
            "id": entry.id,
            "org_id": entry.org_id,
            "project_id": entry.project_id,
            "currency": entry.amount.currency,
            "kind": entry.kind.value,
            "category": entry.category.value,
            "amount": entry.amount.amount,
            "occurred_on": entry.occurred_on,
            "description": entry.description,
            "reference": entry.reference,
            "milestone_id": entry.milestone_id,
            "settles": entry.settles,
            "reverses": entry.reverses,
            "created_by": entry.created_by,
            "created_at": entry.created_at,
            "event_id": event.id,
            "event_type": event.type,
            "subject_type": event.subject.type,
            "actor": event.actor,
            "occurred_at": event.occurred_at,
            "changes": json.dumps(dict(event.changes)),
            "day": entry.occurred_on,
            "b": delta.budget,
            "c": delta.commitments,
            "a": delta.actual,
            "o": delta.open_commitments,
            **buckets,
        }
        takes = min(delta.budget, delta.commitments, delta.actual, delta.open_commitments) < 0
        params["slot"] = random.randrange(SLOTS)  # noqa: S311 - spreading load, not secrecy
        stmt = STATEMENTS[(opens_commitment, takes, rows)]
        if await self.scope.execute_alone(stmt, params):
            return True
        # No totals rows yet (the project's first posting), or a total would go negative:
        # nothing was written. Retry once the rows exist, in the command's transaction.
        await self.conn.execute(OPEN_TOTALS, {**params, "last_slot": SLOTS - 1})
        return bool((await self.conn.execute(stmt, params)).scalar_one())

    async def settle(
        self, org_id: str, project_id: UUID, commitment_id: UUID, amount: Decimal
    ) -> tuple[Decimal, Category] | None:
        row = (
            await self.conn.execute(
                SETTLE,
                {
                    "org_id": org_id,
                    "project_id": project_id,
                    "entry_id": commitment_id,
                    "amount": amount,
                },
            )
        ).first()
        if row is None:
            return None
        before = max(Decimal(0), row.amount - (row.settled - amount))
        after = max(Decimal(0), row.amount - row.settled)
        return after - before, Category(row.category)

    async def lock_commitment(self, org_id: str, entry_id: UUID) -> Commitment | None:
        row = (
            await self.conn.execute(
                text(
                    "SELECT * FROM ledger_commitments WHERE org_id = :org_id "
                    "AND entry_id = :entry_id FOR UPDATE"
                ),
                {"org_id": org_id, "entry_id": entry_id},
            )
        ).first()
        if row is None:
            return None
        return Commitment(
            row.entry_id,
            row.project_id,
            Category(row.category),
            row.amount,
            row.settled,
            row.reversed,
        )

    async def mark_reversed(self, org_id: str, entry_id: UUID) -> None:
        await self.conn.execute(
            text(
                "UPDATE ledger_commitments SET reversed = true "
                "WHERE org_id = :org_id AND entry_id = :entry_id"
            ),
            {"org_id": org_id, "entry_id": entry_id},
        )

    async def get(self, org_id: str, entry_id: UUID) -> LedgerEntry | None:
        stmt = _select().where(entries.c.org_id == org_id, entries.c.id == entry_id)
        row = (await self.conn.execute(stmt)).first()
        return entry_from_row(row) if row else None

    @staticmethod
    def _filter(stmt: Any, flt: EntryFilter) -> Any:
        if flt.kind is not None:
            stmt = stmt.where(entries.c.kind == flt.kind.value)
        if flt.category is not None:
            stmt = stmt.where(entries.c.category == flt.category.value)
        if flt.from_date is not None:
            stmt = stmt.where(entries.c.occurred_on >= flt.from_date)
        if flt.to_date is not None:
            stmt = stmt.where(entries.c.occurred_on <= flt.to_date)
        return stmt

    async def list_for_project(
        self, org_id: str, project_id: UUID, flt: EntryFilter, page: PageRequest
    ) -> Page[LedgerEntry]:
        stmt = _select().where(entries.c.org_id == org_id, entries.c.project_id == project_id)
        stmt = self._filter(stmt, flt)
        rows = (await self.conn.execute(keyset(stmt, _ORDER, True, page))).all()
        return to_page(rows, page, _ORDER, entry_from_row)

    async def count(self, org_id: str, project_id: UUID, flt: EntryFilter) -> int:
        if flt == EntryFilter():
            stmt = select(func.sum(totals.c.entries)).where(
                totals.c.org_id == org_id, totals.c.project_id == project_id
            )
            return int((await self.conn.execute(stmt)).scalar_one() or 0)
        stmt = select(func.count()).where(
            entries.c.org_id == org_id, entries.c.project_id == project_id
        )
        return int((await self.conn.execute(self._filter(stmt, flt))).scalar_one())

    async def list_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: EntryFilter, page: PageRequest
    ) -> dict[UUID, Page[LedgerEntry]]:
        stmt = _select().where(entries.c.org_id == org_id, entries.c.project_id.in_(project_ids))
        return await pages_per_group(
            self.conn, self._filter(stmt, flt), entries.c.project_id, project_ids, _ORDER, True,
            page, entry_from_row,
        )  # fmt: skip

    async def count_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: EntryFilter
    ) -> dict[UUID, int]:
        if not project_ids:
            return {}
        if flt == EntryFilter():  # the maintained counts
            pid = totals.c.project_id
            stmt = select(pid, func.sum(totals.c.entries)).where(totals.c.org_id == org_id)
        else:
            pid = entries.c.project_id
            stmt = self._filter(select(pid, func.count()).where(entries.c.org_id == org_id), flt)
        stmt = stmt.where(pid.in_(project_ids)).group_by(pid)
        counts = {p: int(c or 0) for p, c in (await self.conn.execute(stmt)).all()}
        return {p: counts.get(p, 0) for p in project_ids}

    async def totals(self, org_id: str, project_id: UUID) -> LedgerTotals:
        t = totals.c
        stmt = select(
            func.sum(t.budget),
            func.sum(t.commitments),
            func.sum(t.actual),
            func.sum(t.open_commitments),
        ).where(t.org_id == org_id, t.project_id == project_id)
        row = (await self.conn.execute(stmt)).one()
        if row[0] is None:
            return LedgerTotals()
        return LedgerTotals(row[0], row[1], row[2], row[3])

    async def has_entries(self, org_id: str, project_id: UUID) -> bool:
        stmt = select(entries.c.id).where(
            entries.c.org_id == org_id, entries.c.project_id == project_id
        )
        return (await self.conn.execute(stmt.limit(1))).first() is not None

    async def by_category(
        self, org_id: str, project_ids: Sequence[UUID], as_of: date
    ) -> dict[UUID, list[CategoryTotals]]:
        rows = await fetch(
            self.conn,
            "SELECT project_id, category, sum(budget), sum(open_commitments), sum(actual) "
            "FROM ledger_daily_totals WHERE org_id = $1 AND project_id = ANY($2::uuid[]) "
            "AND day <= $3 GROUP BY project_id, category ORDER BY project_id, category",
            org_id,
            list(set(project_ids)),
            as_of,
        )
        categories = {c.value: c for c in Category}
        found: dict[UUID, list[CategoryTotals]] = {p: [] for p in project_ids}
        for r in rows:
            found[r[0]].append(CategoryTotals(categories[r[1]], r[2], r[3], r[4]))
        return found

    async def breakdown(
        self, org_id: str, project_ids: Sequence[UUID], as_of: date
    ) -> dict[UUID, tuple[list[CategoryTotals], list[MonthTotals]]]:
        # One scan of the buckets for both breakdowns of every project.
        rows = await self.conn.execute(
            text(
                "SELECT project_id, category, date_trunc('month', day)::date AS month, "
                "sum(budget) AS b, sum(commitments) AS c, sum(actual) AS a, "
                "sum(open_commitments) AS o "
                "FROM ledger_daily_totals WHERE org_id = :org_id "
                "AND project_id = ANY(:project_ids) AND day <= :as_of "
                "GROUP BY GROUPING SETS ((project_id, category), "
                "(project_id, date_trunc('month', day)::date))"
            ),
            {"org_id": org_id, "project_ids": list(project_ids), "as_of": as_of},
        )
        found: dict[UUID, tuple[list[CategoryTotals], list[MonthTotals]]] = {
            p: ([], []) for p in project_ids
        }
        for r in rows:
            categories, months = found[r.project_id]
            if r.category is not None:
                categories.append(CategoryTotals(Category(r.category), r.b, r.o, r.a))
            else:
                months.append(MonthTotals(r.month.strftime("%Y-%m"), r.b, r.c, r.a))
        for categories, months in found.values():
            categories.sort(key=lambda c: c.category.value)
            months.sort(key=lambda m: m.month)
        return found
