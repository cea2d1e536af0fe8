"""Use cases of the budget ledger: post, reverse, read, list, summary and earned value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import (
    AlreadyReversed,
    CurrencyMismatch,
    FieldError,
    NotFound,
    ValidationFailed,
)
from app.domain.common.events import DomainEvent, Subject, event
from app.domain.common.ids import new_id
from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import TEXT_MAX, check_text, raise_if
from app.domain.ledger.earned_value import EarnedValue, PlannedWork, earned_value
from app.domain.ledger.model import (
    Category,
    EntryKind,
    LedgerEntry,
    TotalsDelta,
    delta_of,
    negative_total,
)
from app.domain.ledger.ports import EntryFilter, LedgerUnitOfWork
from app.domain.ledger.summary import LedgerSummary, summarize
from app.domain.milestones.plans import measured_plans
from app.domain.projects.model import Project
from app.domain.projects.ports import load_project


@dataclass(frozen=True)
class PostEntry:
    project_id: UUID
    kind: EntryKind
    category: Category
    amount: str | Decimal
    occurred_on: date
    description: str | None = None
    reference: str | None = None
    milestone_id: UUID | None = None
    settles: UUID | None = None
    currency: str | None = None


@dataclass(frozen=True)
class ReverseEntry:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None  # None: the entry's own project (GraphQL names only the entry)
    entry_id: UUID
    reason: str


def _role_for(kind: EntryKind) -> Role:
    """Members record actual costs; budgets and commitments are a manager's."""
    return Role.MEMBER if kind == EntryKind.ACTUAL else Role.MANAGER


def _event(principal: Principal, entry: LedgerEntry, type: str) -> DomainEvent:
    changes: dict[str, Any] = {
        "kind": entry.kind.value,
        "category": entry.category.value,
        "amount": str(entry.amount.amount),
        "currency": entry.amount.currency,
        "occurred_on": entry.occurred_on.isoformat(),
    }
    for name in ("settles", "reverses", "milestone_id"):
        if getattr(entry, name) is not None:
            changes[name] = str(getattr(entry, name))
    subject = Subject("ledger_entry", entry.id)
    return event(
        type,
        subject,
        changes,
        project_id=entry.project_id,
        principal=principal,
        at=entry.created_at,
    )


async def _append(
    uow: LedgerUnitOfWork, principal: Principal, entry: LedgerEntry, delta: TotalsDelta, type: str
) -> None:
    """Append the entry; when a total would go negative, name it and roll everything back."""
    uow.record(_event(principal, entry, type))
    if not await uow.ledger.post(entry, delta):
        totals = await uow.ledger.totals(principal.org, entry.project_id)
        totals.after(delta)  # raises LedgerNegativeTotal naming the kind
        raise negative_total()


async def post_entry(
    cmd: PostEntry, *, uow: LedgerUnitOfWork, principal: Principal, clock: Clock
) -> LedgerEntry:
    """Post a ledger entry (actuals: member or higher; budget and commitments: manager)."""
    principal.require(_role_for(cmd.kind))
    async with uow:
        currency = await uow.ledger.currency_of(principal.org, cmd.project_id)
        if currency is None:
            raise NotFound("Project not found")
        if cmd.currency is not None and cmd.currency != currency:
            raise CurrencyMismatch.on(
                "currency", f"{cmd.currency} differs from the project's currency {currency}"
            )
        entry = LedgerEntry(
            id=new_id(),
            org_id=principal.org,
            project_id=cmd.project_id,
            kind=cmd.kind,
            category=cmd.category,
            amount=Money.parse(cmd.amount, currency, "amount"),
            occurred_on=cmd.occurred_on,
            description=cmd.description,
            reference=cmd.reference,
            milestone_id=cmd.milestone_id,
            settles=cmd.settles,
            reverses=None,
            created_by=principal.sub,
            created_at=clock.now(),
        ).validate()
        if cmd.milestone_id is not None:
            milestone = await uow.milestones.get(principal.org, cmd.milestone_id)
            if milestone is None or milestone.project_id != cmd.project_id:
                raise ValidationFailed.on("milestone_id", "is not a milestone of this project")
        settlement = None
        if cmd.settles is not None:
            settlement = await uow.ledger.settle(
                principal.org, cmd.project_id, cmd.settles, entry.amount.amount
            )
            if settlement is None:
                raise ValidationFailed.on(
                    "settles", "is not a live commitment of this project (or was reversed)"
                )
        await _append(uow, principal, entry, delta_of(entry, settlement), "ledger_entry.posted")
        await uow.commit()
    return entry


async def load_entry(
    uow: LedgerUnitOfWork, principal: Principal, project_id: UUID | None, entry_id: UUID
) -> tuple[Project, LedgerEntry]:
    """Return the entry and its project, or raise NotFound (another project's looks missing)."""
    entry = await uow.ledger.get(principal.org, entry_id)
    if entry is None or (project_id is not None and entry.project_id != project_id):
        raise NotFound("Ledger entry not found")
    return await load_project(uow, principal, entry.project_id), entry


async def reverse_entry(
    cmd: ReverseEntry, *, uow: LedgerUnitOfWork, principal: Principal, clock: Clock
) -> LedgerEntry:
    """Post the entry that negates another, linked to it; an entry is reversed once."""
    principal.require(Role.MEMBER)
    errors: list[FieldError] = []
    check_text(errors, "reason", cmd.reason, limit=TEXT_MAX, required=True)
    raise_if(errors)
    async with uow:
        _, original = await load_entry(uow, principal, cmd.project_id, cmd.entry_id)
        principal.require(_role_for(original.kind))
        reversal = original.reversal(new_id(), cmd.reason, principal.sub, clock.now())
        if original.reversed_by is not None:
            raise AlreadyReversed("The ledger entry has already been reversed")
        settlement = None
        if original.kind == EntryKind.COMMITMENT and original.amount.amount > 0:
            commitment = await uow.ledger.lock_commitment(principal.org, original.id)
            if commitment is None or commitment.reversed:
                raise AlreadyReversed("The ledger entry has already been reversed")
            commitment.check_reversible()
            await uow.ledger.mark_reversed(principal.org, original.id)
        elif original.settles is not None:
            settlement = await uow.ledger.settle(
                principal.org, original.project_id, original.settles, reversal.amount.amount
            )
        await _append(
            uow, principal, reversal, delta_of(reversal, settlement), "ledger_entry.reversed"
        )
        await uow.commit()
    return reversal


async def get_entry(
    project_id: UUID | None, entry_id: UUID, *, uow: LedgerUnitOfWork, principal: Principal
) -> LedgerEntry:
    """Return one ledger entry of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        _, entry = await load_entry(uow, principal, project_id, entry_id)
    return entry


def check_dates(flt: EntryFilter) -> None:
    if flt.from_date and flt.to_date and flt.to_date < flt.from_date:
        raise ValidationFailed.on("query.to", "must not be before from")


async def list_entries(
    project_id: UUID,
    flt: EntryFilter,
    page: PageRequest,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
) -> Page[LedgerEntry]:
    """List a project's ledger entries, newest first."""
    principal.require(Role.VIEWER)
    check_dates(flt)
    async with uow:
        await load_project(uow, principal, project_id)
        result: Page[LedgerEntry] = await uow.ledger.list_for_project(
            principal.org, project_id, flt, page
        )
        return result


async def count_entries(
    project_id: UUID, flt: EntryFilter, *, uow: LedgerUnitOfWork, principal: Principal
) -> int:
    """Count a project's ledger entries a filter matches."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        return await uow.ledger.count(principal.org, project_id, flt)


async def entries_of_projects(
    project_ids: list[UUID],
    flt: EntryFilter,
    page: PageRequest,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
) -> dict[UUID, Page[LedgerEntry]]:
    """The same page of several of the caller's projects' entries (for batched readers)."""
    principal.require(Role.VIEWER)
    check_dates(flt)
    async with uow:
        return await uow.ledger.list_for_projects(principal.org, project_ids, flt, page)


async def count_entries_of_projects(
    project_ids: list[UUID], flt: EntryFilter, *, uow: LedgerUnitOfWork, principal: Principal
) -> dict[UUID, int]:
    """Count the entries a filter matches in each of the caller's projects."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.ledger.count_for_projects(principal.org, project_ids, flt)


async def ledger_summary(
    project_id: UUID,
    as_of: date | None,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> LedgerSummary:
    """Summarize the ledger as of a date (default today): totals, breakdowns, burn rate."""
    found = (
        await ledger_summaries([project_id], as_of, uow=uow, principal=principal, clock=clock)
    )[0]
    if found is None:
        raise NotFound("Project not found")
    return found


async def ledger_summaries(
    project_ids: list[UUID],
    as_of: date | None,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> list[LedgerSummary | None]:
    """The summary of each project (None for an id not in the caller's organization), in
    two statements whatever the number of projects (for batched readers)."""
    principal.require(Role.VIEWER)
    day = as_of or clock.today()
    async with uow:
        projects = await uow.projects.get_many(principal.org, project_ids)
        found = [p.id for p in projects if p is not None]
        breakdowns = await uow.ledger.breakdown(principal.org, found, day) if found else {}
    return [None if p is None else summarize(day, p.currency, *breakdowns[p.id]) for p in projects]


async def project_earned_value(
    project_id: UUID,
    as_of: date | None,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> EarnedValue:
    """Compute earned value and earned schedule as of the end of a date (default today)."""
    found = (await earned_values([project_id], as_of, uow=uow, principal=principal, clock=clock))[0]
    if found is None:
        raise NotFound("Project not found")
    return found


async def earned_values(
    project_ids: list[UUID],
    as_of: date | None,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> list[EarnedValue | None]:
    """Earned value of each project as of the end of a date (None for an id not in the
    caller's organization), in a fixed number of statements (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        projects = await uow.projects.get_many(principal.org, project_ids)
        found = [p for p in projects if p is not None]
        values = await earned_values_of_projects(
            found, as_of, uow=uow, principal=principal, clock=clock
        )
    by_id = {p.id: v for p, v in zip(found, values, strict=True)}
    return [None if p is None else by_id[p.id] for p in projects]


async def earned_values_of_projects(
    projects: list[Project],
    as_of: date | None,
    *,
    uow: LedgerUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> list[EarnedValue]:
    """Earned value of projects the caller has loaded in its organization (a report over
    many projects loads them once), in a fixed number of statements."""
    principal.require(Role.VIEWER)
    if any(p.org_id != principal.org for p in projects):
        raise NotFound("Project not found")  # never another organization's figures
    day = as_of or clock.today()
    end_of_day = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
    found = [p.id for p in projects]
    if not found:
        return []
    async with uow:
        categories = await uow.ledger.by_category(principal.org, found, day)
        plans = await measured_plans(uow, principal.org, found)
        progress = await uow.milestones.progress_at(principal.org, found, end_of_day)
    result: list[EarnedValue] = []
    for p in projects:
        bac = sum((c.budget for c in categories[p.id]), Decimal(0))
        ac = sum((c.actual for c in categories[p.id]), Decimal(0))
        work = [
            PlannedWork(m.start_date, m.due_date, m.planned_value, progress.get(m.milestone_id, 0))
            for m in plans[p.id].milestones
        ]
        result.append(earned_value(day, p.currency, bac, ac, work))
    return result
