"""REST: /people — admins manage people, everyone reads."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from pydantic import BeforeValidator, Field
from starlette.responses import Response

from app.api.rest.common import (
    Caller,
    IdempotencyKey,
    IfMatch,
    Svc,
    create,
    expected_version,
    json_response,
)
from app.api.rest.schemas import Name, Page, Read, SearchText, ascii_decimal
from app.api.rest.schemas import Request as Body_
from app.domain.common.paging import page_request
from app.domain.people import service
from app.domain.people.model import Person

router = APIRouter(prefix="/api/v1/people", tags=["people"])

Hours = Annotated[
    Decimal, BeforeValidator(ascii_decimal), Field(ge=0, le=168, decimal_places=2, max_digits=5)
]


class PersonCreate(Body_):
    name: Name
    email: Annotated[str, Field(min_length=3, max_length=254)]
    title: Name | None = None
    weekly_capacity_hours: Hours = Decimal(40)
    user_sub: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class PersonUpdate(Body_):
    name: Name | None = None
    email: Annotated[str, Field(min_length=3, max_length=254)] | None = None
    title: Name | None = None
    weekly_capacity_hours: Hours | None = None
    user_sub: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class PersonRead(Read):
    id: UUID
    name: str
    email: str
    title: str | None
    weekly_capacity_hours: Decimal
    user_sub: str | None
    version: int
    created_at: datetime
    updated_at: datetime


def _render(person: Person) -> tuple[PersonRead, str, int]:
    return PersonRead.model_validate(person), f"/api/v1/people/{person.id}", person.version


@router.post("", status_code=201, response_model=PersonRead, summary="Register a person (admin)")
async def create_person(
    body: PersonCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.CreatePerson(**body.model_dump())
    run = lambda uow: service.create_person(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get("", response_model=Page[PersonRead], summary="List people")
async def list_people(
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
    q: Annotated[SearchText | None, Query(max_length=200)] = None,
) -> Response:
    page = await service.list_people(
        page_request(limit, cursor), uow=svc.uow(), principal=caller, q=q
    )
    items = [PersonRead.model_validate(p) for p in page.items]
    return json_response(Page[PersonRead](items=items, next_cursor=page.next_cursor))


@router.get("/{person_id}", response_model=PersonRead, summary="Get a person")
async def get_person(person_id: UUID, caller: Caller, svc: Svc) -> Response:
    person = await service.get_person(person_id, uow=svc.uow(), principal=caller)
    return json_response(PersonRead.model_validate(person), version=person.version)


@router.patch(
    "/{person_id}", response_model=PersonRead, summary="Update a person (admin, merge-patch)"
)
async def update_person(
    person_id: UUID,
    caller: Caller,
    svc: Svc,
    body: Annotated[PersonUpdate, Body()],
    if_match: IfMatch = None,
) -> Response:
    cmd = service.UpdatePerson(
        person_id, body.model_dump(exclude_unset=True), expected_version(if_match)
    )
    person = await service.update_person(cmd, uow=svc.uow(), principal=caller, clock=svc.clock)
    return json_response(PersonRead.model_validate(person), version=person.version)
