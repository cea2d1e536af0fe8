"""GraphQL: people and the viewer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import (
    Connection,
    UserError,
    attempt,
    connection,
    found_or_none,
    gql_page,
)
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, idempotent
from app.domain.common.ids import parse_id
from app.domain.people import service
from app.domain.people.model import Person as PersonModel

if TYPE_CHECKING:  # the team module builds on Person: its types are resolved lazily
    from app.api.graphql.team import ActionItem, ActionItemFilter, Assignment, PersonWorkload

TEAM = "app.api.graphql.team"


@strawberry.type
class Person:
    id: strawberry.ID
    name: str
    email: str
    title: str | None
    weekly_capacity_hours: Decimal
    user_sub: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, p: PersonModel) -> Person:
        return cls(
            id=strawberry.ID(str(p.id)),
            name=p.name,
            email=p.email,
            title=p.title,
            weekly_capacity_hours=p.weekly_capacity_hours,
            user_sub=p.user_sub,
            version=p.version,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )

    @strawberry.field(description="Load per ISO week of the range (at most 53 weeks)")
    async def workload(
        self,
        info: Info[Context, None],
        start: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> Annotated[PersonWorkload, strawberry.lazy(TEAM)]:
        from app.api.graphql.team_queries import person_workload

        return await person_workload(info, UUID(self.id), start, to)

    @strawberry.field(description="Their assignments across projects, by start date")
    async def assignments(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[Assignment, strawberry.lazy(TEAM)]]:
        from app.api.graphql.team_lists import person_assignments

        return await person_assignments(info, UUID(self.id), first, after, last, before)

    @strawberry.field(description="The action items they own, across projects, by due date")
    async def action_items(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: Annotated[ActionItemFilter, strawberry.lazy(TEAM)] | None = None,
    ) -> Connection[Annotated[ActionItem, strawberry.lazy(TEAM)]]:
        from app.api.graphql.team_lists import action_items_of

        return await action_items_of(info, True, UUID(self.id), first, after, last, before, filter)


@strawberry.type
class Viewer:
    sub: str
    org: str
    roles: list[str]
    person: Person | None


@strawberry.input
class CreatePersonInput:
    name: str
    email: str
    title: str | None = None
    weekly_capacity_hours: Decimal | None = None
    user_sub: str | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    weekly_capacity_hours: Decimal | None = strawberry.UNSET
    user_sub: str | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.type
class PersonPayload:
    person: Person | None
    user_errors: list[UserError]


def set_fields(data: object, names: tuple[str, ...]) -> dict[str, object]:
    """Return the input fields the caller actually sent (merge-patch semantics)."""
    return {n: getattr(data, n) for n in names if getattr(data, n) is not strawberry.UNSET}


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="The caller and the person linked to their account")
    async def viewer(self, info: Info[Context, None]) -> Viewer:
        ctx = info.context
        v = await service.viewer(uow=ctx.uow(), principal=await ctx.principal())
        return Viewer(
            sub=v.sub,
            org=v.org,
            roles=[r.name.lower() for r in v.roles],
            person=Person.of(v.person) if v.person else None,
        )

    @strawberry.field(description="One person, or null when missing")
    async def person(self, info: Info[Context, None], id: strawberry.ID) -> Person | None:
        ctx = info.context
        principal = await ctx.principal()
        p = await found_or_none(
            service.get_person(parse_id(id, "id"), uow=ctx.uow(), principal=principal)
        )
        return Person.of(p) if p else None

    @strawberry.field
    async def people(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        q: str | None = None,
    ) -> Connection[Person]:
        ctx = info.context
        principal = await ctx.principal()
        page = await service.list_people(
            gql_page(first, after, last, before), uow=ctx.uow(), principal=principal, q=q
        )
        return connection(
            page, Person.of, lambda: service.count_people(uow=ctx.uow(), principal=principal, q=q)
        )


@strawberry.type
class PeopleMutation:
    @strawberry.mutation
    async def create_person(
        self, info: Info[Context, None], input: CreatePersonInput
    ) -> PersonPayload:
        ctx = info.context
        cmd = service.CreatePerson(
            name=input.name,
            email=input.email,
            title=input.title,
            weekly_capacity_hours=input.weekly_capacity_hours
            if input.weekly_capacity_hours is not None
            else Decimal(40),
            user_sub=input.user_sub,
        )
        principal = await ctx.principal()
        person, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_person(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return PersonPayload(person=Person.of(person) if person else None, user_errors=errors)

    @strawberry.mutation
    async def update_person(
        self, info: Info[Context, None], input: UpdatePersonInput
    ) -> PersonPayload:
        ctx = info.context
        changes = set_fields(input, ("name", "email", "title", "weekly_capacity_hours", "user_sub"))
        cmd = service.UpdatePerson(parse_id(input.id, "id"), changes, input.expected_version)
        person, errors = await attempt(
            service.update_person(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return PersonPayload(person=Person.of(person) if person else None, user_errors=errors)
