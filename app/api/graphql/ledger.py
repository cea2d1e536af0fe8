"""GraphQL: the budget ledger (entries, summary, earned value) and its two mutations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import Connection, UserError, connection, gql_page, page_key
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, command_fields, idempotent
from app.domain.common.errors import NotFound
from app.domain.common.ids import parse_id
from app.domain.ledger import earned_value as ev_model
from app.domain.ledger import model, ports, service
from app.domain.ledger import summary as summary_model

strawberry.enum(model.EntryKind, name="LedgerEntryKind")
strawberry.enum(model.Category, name="LedgerCategory")
EntryKind = model.EntryKind
Category = model.Category


@strawberry.type
class LedgerEntry:
    id: strawberry.ID
    project_id: strawberry.ID
    kind: EntryKind
    category: Category
    amount: Decimal
    currency: str
    occurred_on: date
    description: str | None
    reference: str | None
    milestone_id: strawberry.ID | None
    settles: strawberry.ID | None = strawberry.field(description="The commitment it settles")
    reverses: strawberry.ID | None = strawberry.field(description="The entry it negates")
    reversed_by: strawberry.ID | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, e: model.LedgerEntry) -> LedgerEntry:
        def ident(value: UUID | None) -> strawberry.ID | None:
            return None if value is None else strawberry.ID(str(value))

        return cls(
            id=strawberry.ID(str(e.id)),
            project_id=strawberry.ID(str(e.project_id)),
            kind=e.kind,
            category=e.category,
            amount=e.amount.amount,
            currency=e.amount.currency,
            occurred_on=e.occurred_on,
            description=e.description,
            reference=e.reference,
            milestone_id=ident(e.milestone_id),
            settles=ident(e.settles),
            reverses=ident(e.reverses),
            reversed_by=ident(e.reversed_by),
            created_by=e.created_by,
            created_at=e.created_at,
        )


@strawberry.type
class LedgerCategoryTotals:
    category: Category
    budget: Decimal
    open_commitments: Decimal
    actual: Decimal


@strawberry.type
class LedgerMonthTotals:
    month: str = strawberry.field(description="YYYY-MM")
    budget: Decimal
    commitments: Decimal
    actual: Decimal


@strawberry.type
class LedgerSummary:
    as_of: date
    currency: str
    budget: Decimal
    open_commitments: Decimal
    actual: Decimal
    remaining: Decimal
    burn_rate: Decimal | None
    by_category: list[LedgerCategoryTotals]
    by_month: list[LedgerMonthTotals]

    @classmethod
    def of(cls, s: summary_model.LedgerSummary) -> LedgerSummary:
        # The figures come at the currency's minor unit (summary_model.summarize).
        return cls(
            **vars(s)
            | {
                "by_category": [LedgerCategoryTotals(**vars(c)) for c in s.by_category],
                "by_month": [LedgerMonthTotals(**vars(x)) for x in s.by_month],
            }
        )


@strawberry.type
class EarnedValue:
    as_of: date
    currency: str
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    cv: Decimal
    sv: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None
    actual_time_days: int | None
    earned_schedule_days: Decimal | None
    sv_t_days: Decimal | None
    spi_t: Decimal | None

    @classmethod
    def of(cls, e: ev_model.EarnedValue) -> EarnedValue:
        return cls(**vars(e))


@strawberry.input(description="Which ledger entries to list (all given conditions hold)")
class LedgerEntryFilter:
    kind: EntryKind | None = strawberry.field(default=None, description="Only this kind")
    category: Category | None = strawberry.field(default=None, description="Only this category")
    # `from` and `to` as in REST (API.md); Python spells them from_date and to_date.
    from_date: date | None = strawberry.field(
        default=None, name="from", description="Occurred on or after this date"
    )
    to_date: date | None = strawberry.field(
        default=None, name="to", description="Occurred on or before this date"
    )


@strawberry.input
class PostLedgerEntryInput:
    project_id: strawberry.ID
    kind: EntryKind
    category: Category
    amount: Decimal
    occurred_on: date
    description: str | None = None
    reference: str | None = None
    milestone_id: strawberry.ID | None = None
    settles: strawberry.ID | None = None
    currency: str | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class ReverseLedgerEntryInput:
    id: strawberry.ID
    reason: str
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type
class LedgerEntryPayload:
    entry: LedgerEntry | None
    user_errors: list[UserError]


async def project_ledger_entries(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    flt: LedgerEntryFilter | None,
) -> Connection[LedgerEntry]:
    """Resolve Project.ledgerEntries, newest first, through the batch loaders."""
    f = flt or LedgerEntryFilter()
    domain = ports.EntryFilter(f.kind, f.category, f.from_date, f.to_date)
    service.check_dates(domain)
    page = gql_page(first, after, last, before)
    loaders = info.context.ledger
    found = await loaders.pages.load((project_id, domain, *page_key(page)))
    return connection(found, LedgerEntry.of, lambda: loaders.counts.load((project_id, domain)))


async def project_ledger_summary(
    info: Info[Context, None], project_id: UUID, as_of: date | None
) -> LedgerSummary:
    found = await info.context.ledger.summaries.load((project_id, as_of))
    if found is None:  # the parent project was just read in this organization
        raise NotFound("Project not found")
    return LedgerSummary.of(found)


async def project_earned_value(
    info: Info[Context, None], project_id: UUID, as_of: date | None
) -> EarnedValue:
    found = await info.context.ledger.earned_values.load((project_id, as_of))
    if found is None:
        raise NotFound("Project not found")
    return EarnedValue.of(found)


def _payload(e: model.LedgerEntry | None, errors: list[UserError]) -> LedgerEntryPayload:
    return LedgerEntryPayload(entry=LedgerEntry.of(e) if e else None, user_errors=errors)


@strawberry.type
class LedgerMutation:
    @strawberry.mutation(description="Post a ledger entry (actuals: member; others: manager)")
    async def post_ledger_entry(
        self, info: Info[Context, None], input: PostLedgerEntryInput
    ) -> LedgerEntryPayload:
        ctx = info.context
        values = command_fields(input)
        values["project_id"] = parse_id(input.project_id, "projectId")
        for name, field in (("milestone_id", "milestoneId"), ("settles", "settles")):
            if values[name] is not None:
                values[name] = parse_id(values[name], field)
        cmd = service.PostEntry(**values)
        principal = await ctx.principal()
        entry, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.post_entry(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _payload(entry, errors)

    @strawberry.mutation(description="Reverse a ledger entry: post its negation, linked to it")
    async def reverse_ledger_entry(
        self, info: Info[Context, None], input: ReverseLedgerEntryInput
    ) -> LedgerEntryPayload:
        ctx = info.context
        cmd = service.ReverseEntry(None, parse_id(input.id, "id"), input.reason)
        principal = await ctx.principal()
        entry, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.reverse_entry(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _payload(entry, errors)
