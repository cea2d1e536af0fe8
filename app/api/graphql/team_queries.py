"""GraphQL queries of the team: organization-wide workload, availability, one meeting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import Connection, connection, found_or_none, gql_page
from app.api.graphql.context import Context
from app.api.graphql.team import Meeting, PersonWorkload
from app.domain.common.ids import parse_id
from app.domain.team import meeting_service, workload_service
from app.domain.team.workload import week_range

From = Annotated[date, strawberry.argument(name="from")]


@strawberry.type(
    description="A person's free percent over a range: 100 minus their highest weekly load"
)
class Availability:
    person_id: strawberry.ID
    name: str
    weekly_capacity_hours: Decimal
    peak_load_percent: Decimal
    free_percent: Decimal

    @classmethod
    def of(cls, p: workload_service.PersonWorkload) -> Availability:
        return cls(
            person_id=strawberry.ID(str(p.member.person_id)),
            name=p.member.name,
            weekly_capacity_hours=p.member.capacity_hours,
            peak_load_percent=p.load.peak_percent,
            free_percent=p.load.free_percent,
        )


async def person_workload(
    info: Info[Context, None], person_id: UUID, start: date, end: date
) -> PersonWorkload:
    """Resolve Person.workload through the batch loader (two statements for any number)."""
    span = week_range(start, end)
    found = await info.context.team.workload.load((person_id, span))
    return PersonWorkload.of(found)


@strawberry.type
class TeamQuery:
    @strawberry.field(
        description="Everyone with any load in the range (their loaded ISO weeks), "
        "over-allocated people first; at most 53 weeks"
    )
    async def workload(
        self,
        info: Info[Context, None],
        start: From,
        to: date,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PersonWorkload]:
        ctx = info.context
        page = await workload_service.organization_workload(
            start,
            to,
            gql_page(first, after, last, before),
            uow=ctx.uow(),
            principal=await ctx.principal(),
        )
        return connection(page, PersonWorkload.loaded)

    @strawberry.field(description="People by free percent over the range, freest first")
    async def available_people(
        self,
        info: Info[Context, None],
        start: From,
        to: date,
        min_free_percent: int | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Availability]:
        ctx = info.context
        threshold = Decimal(min_free_percent) if min_free_percent is not None else None
        page = await workload_service.available_people(
            start, to, threshold, gql_page(first, after, last, before), uow=ctx.uow(),
            principal=await ctx.principal(),
        )  # fmt: skip
        return connection(page, Availability.of)

    @strawberry.field(description="One meeting; null when missing or another organization's")
    async def meeting(self, info: Info[Context, None], id: strawberry.ID) -> Meeting | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            meeting_service.get_meeting(
                None, parse_id(id, "id"), uow=ctx.uow(), principal=principal
            )
        )
        if found is None:
            return None
        ctx.team.meeting_items.prime(found.meeting.id, found.action_items)
        return Meeting.of(found.meeting)
