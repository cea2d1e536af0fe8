"""Use cases for workload and availability: reads for everyone in the organization."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.domain.common.errors import NotFound, ValidationFailed
from app.domain.common.paging import Page, PageRequest, encode_cursor
from app.domain.common.principal import Principal, Role
from app.domain.team.ports import TeamUnitOfWork
from app.domain.team.workload import (
    Member,
    PersonLoad,
    WeekRange,
    organization_load,
    week_range,
)


@dataclass(frozen=True)
class PersonWorkload:
    member: Member
    load: PersonLoad
    span: WeekRange


def _after(
    page: PageRequest, kinds: tuple[type, ...], field: str = "query.cursor"
) -> tuple[Any, ...] | None:
    """The cursor's sort values, checked against this list's shape (another list's is a 422)."""
    if page.after is None:
        return None
    values = page.after
    ok = len(values) == len(kinds) and all(
        isinstance(v, k) and not isinstance(v, bool) for v, k in zip(values, kinds, strict=False)
    )
    if ok:
        try:
            values = [*values[:-1], UUID(values[-1])]
        except ValueError:
            ok = False
    if not ok:
        raise ValidationFailed.on(field, "is not a valid cursor for this list")
    return tuple(values)


def _paged(
    ordered: list[tuple[tuple[Any, ...], list[Any], PersonWorkload]],
    page: PageRequest,
    after: tuple[Any, ...] | None,
) -> Page[PersonWorkload]:
    """Cut a page out of (sort key, cursor values, row) triples sorted by key."""
    if page.backward:
        if after is not None:
            ordered = [o for o in ordered if o[0] < after]
        chunk = ordered[-page.limit :]
        cursors = [encode_cursor(c) for _, c, _ in chunk]
        previous = len(ordered) > page.limit
        return Page(
            [r for _, _, r in chunk],
            None,
            cursors,
            has_previous=previous,
            has_next=after is not None,
        )
    if after is not None:
        ordered = [o for o in ordered if o[0] > after]
    chunk = ordered[: page.limit]
    cursors = [encode_cursor(c) for _, c, _ in chunk]
    more = len(ordered) > page.limit
    return Page(
        [r for _, _, r in chunk],
        cursors[-1] if more and chunk else None,
        cursors,
        has_previous=after is not None,
    )


async def person_workload(
    person_id: UUID, start: date, end: date, *, uow: TeamUnitOfWork, principal: Principal
) -> PersonWorkload:
    """One person's load for every ISO week of [start, end] (at most 53 weeks)."""
    principal.require(Role.VIEWER)
    span = week_range(start, end, start_field="query.from", end_field="query.to")
    return (await workload_of_people([person_id], span, uow=uow, principal=principal))[0]


async def workload_of_people(
    person_ids: list[UUID], span: WeekRange, *, uow: TeamUnitOfWork, principal: Principal
) -> list[PersonWorkload]:
    """Several people's load over ``span`` in two reads, in the order of ``person_ids``."""
    principal.require(Role.VIEWER)
    async with uow:
        members = {m.person_id: m for m in await uow.assignments.roster(principal.org, person_ids)}
        missing = [p for p in person_ids if p not in members]
        if missing:
            raise NotFound("Person not found")
        allocations = await uow.assignments.allocations(principal.org, span, person_ids)
    loads = organization_load({p: members[p].capacity_hours for p in person_ids}, allocations, span)
    return [PersonWorkload(members[ld.person_id], ld, span) for ld in loads]


async def organization_workload(
    start: date, end: date, page: PageRequest, *, uow: TeamUnitOfWork, principal: Principal
) -> Page[PersonWorkload]:
    """Everyone with any load in the range: over-allocated first, then by peak load and name."""
    principal.require(Role.VIEWER)
    span = week_range(start, end, start_field="query.from", end_field="query.to")
    after = _after(page, (int, int, str, str))
    async with uow:
        allocations, members = await uow.assignments.staffing(principal.org, span)
    capacities = {m.person_id: m.capacity_hours for m in members}
    by_id = {m.person_id: m for m in members}
    ordered = []
    for load in organization_load(capacities, allocations, span):
        if not load.loaded:
            continue  # assigned in the range, but on no weekday of it
        m = by_id[load.person_id]
        over = 1 if load.over_allocated else 0
        key = (-over, -load.peak_fifths, m.name, m.person_id)
        cursor = [over, load.peak_fifths, m.name, str(m.person_id)]
        ordered.append((key, cursor, PersonWorkload(m, load, span)))
    ordered.sort(key=lambda o: o[0])
    if after is not None:
        after = (-after[0], -after[1], after[2], after[3])
    return _paged(ordered, page, after)


async def available_people(
    start: date,
    end: date,
    min_free_percent: Decimal | None,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
) -> Page[PersonWorkload]:
    """People by free percent over the range (100 minus their highest weekly load), freest first."""
    principal.require(Role.VIEWER)
    if min_free_percent is not None and not 0 <= min_free_percent <= 100:
        raise ValidationFailed.on("query.min_free_percent", "must be between 0 and 100")
    span = week_range(start, end, start_field="query.from", end_field="query.to")
    after = _after(page, (int, str, str))
    async with uow:
        members = await uow.assignments.roster(principal.org)
        allocations = await uow.assignments.allocations(principal.org, span)
    by_id = {m.person_id: m for m in members}
    ordered = []
    for load in organization_load(
        {m.person_id: m.capacity_hours for m in members}, allocations, span
    ):
        if min_free_percent is not None and load.free_percent < min_free_percent:
            continue
        m = by_id[load.person_id]
        key = (load.peak_fifths, m.name, m.person_id)
        ordered.append(
            (key, [load.peak_fifths, m.name, str(m.person_id)], PersonWorkload(m, load, span))
        )
    ordered.sort(key=lambda o: o[0])
    return _paged(ordered, page, after)
