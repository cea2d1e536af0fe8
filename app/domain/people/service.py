"""Use cases for the people register: admins manage people, everyone reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.domain.common.changes import check_version, next_version, refuse_unknown
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.people.model import Person
from app.domain.people.ports import PeopleUnitOfWork


@dataclass(frozen=True)
class CreatePerson:
    name: str
    email: str
    title: str | None = None
    weekly_capacity_hours: Decimal = Decimal(40)
    user_sub: str | None = None


@dataclass(frozen=True)
class UpdatePerson:
    person_id: UUID
    changes: dict[str, Any]
    expected_version: int | None = None


@dataclass(frozen=True)
class Viewer:
    sub: str
    org: str
    roles: list[Role]
    person: Person | None


async def create_person(
    cmd: CreatePerson, *, uow: PeopleUnitOfWork, principal: Principal, clock: Clock
) -> Person:
    """Register a person in the caller's organization (admin only)."""
    principal.require(Role.ADMIN)
    now = clock.now()
    person = Person(
        id=new_id(),
        org_id=principal.org,
        name=cmd.name,
        email=cmd.email.strip(),
        title=cmd.title,
        weekly_capacity_hours=cmd.weekly_capacity_hours,
        user_sub=cmd.user_sub,
        version=1,
        created_at=now,
        updated_at=now,
    ).validate()
    async with uow:
        await uow.people.add(person)
        await uow.commit()
    return person


async def update_person(
    cmd: UpdatePerson, *, uow: PeopleUnitOfWork, principal: Principal, clock: Clock
) -> Person:
    """Apply a merge-patch to a person (admin only), honouring the expected version."""
    principal.require(Role.ADMIN)
    refuse_unknown(cmd.changes, Person.EDITABLE)
    async with uow:
        person = await uow.people.get(principal.org, cmd.person_id, for_update=True)
        if person is None:
            raise NotFound("Person not found")
        check_version(person, cmd.expected_version, "person")
        updated, diff = person.changed(cmd.changes, clock.now())
        if not diff:
            return person
        updated = next_version(updated)
        await uow.people.update(updated)
        await uow.commit()
    return updated


async def get_person(person_id: UUID, *, uow: PeopleUnitOfWork, principal: Principal) -> Person:
    """Return one person of the caller's organization."""
    principal.require(Role.VIEWER)
    async with uow:
        person = await uow.people.get(principal.org, person_id)
    if person is None:
        raise NotFound("Person not found")
    return person


async def people_by_ids(
    person_ids: list[UUID], *, uow: PeopleUnitOfWork, principal: Principal
) -> list[Person | None]:
    """Return several people of the caller's organization in key order, None where missing."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.people.get_many(principal.org, person_ids)


async def list_people(
    page: PageRequest, *, uow: PeopleUnitOfWork, principal: Principal, q: str | None = None
) -> Page[Person]:
    """List the people of the caller's organization."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.people.list(principal.org, page, q)


async def count_people(*, uow: PeopleUnitOfWork, principal: Principal, q: str | None = None) -> int:
    """Count the people of the caller's organization a search matches."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.people.count(principal.org, q)


async def viewer(*, uow: PeopleUnitOfWork, principal: Principal) -> Viewer:
    """Return the caller and the person linked to their account, if any."""
    async with uow:
        person = await uow.people.get_by_sub(principal.org, principal.sub)
    return Viewer(principal.sub, principal.org, sorted(principal.roles), person)
