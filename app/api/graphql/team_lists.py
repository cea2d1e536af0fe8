"""GraphQL: the team's lists under Project and Person, through the batch loaders."""

from __future__ import annotations

from uuid import UUID

from strawberry.types import Info

from app.api.graphql.common import Connection, connection, gql_page, page_key
from app.api.graphql.context import Context
from app.api.graphql.team import (
    ActionItem,
    ActionItemFilter,
    Assignment,
    Meeting,
    Stakeholder,
    StakeholderFilter,
)
from app.domain.common.ids import parse_id
from app.domain.team import meetings as meeting_model
from app.domain.team import stakeholders as stakeholder_model


def _cursor(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> tuple[int, tuple[object, ...] | None, bool]:
    # bad arguments are refused before batching
    return page_key(gql_page(first, after, last, before))


async def project_assignments(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Assignment]:
    found = await info.context.team.project_assignments.load(
        (project_id, *_cursor(first, after, last, before))
    )
    return connection(found, Assignment.of)


async def person_assignments(
    info: Info[Context, None],
    person_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Assignment]:
    found = await info.context.team.person_assignments.load(
        (person_id, *_cursor(first, after, last, before))
    )
    return connection(found, Assignment.of)


async def project_stakeholders(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    flt: StakeholderFilter | None,
) -> Connection[Stakeholder]:
    f = flt or StakeholderFilter()
    domain = stakeholder_model.StakeholderFilter(f.quadrant, f.contact_overdue)
    found = await info.context.team.stakeholders.load(
        (project_id, domain, *_cursor(first, after, last, before))
    )
    return connection(found, Stakeholder.of)


async def project_meetings(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Meeting]:
    found = await info.context.team.meetings.load(
        (project_id, *_cursor(first, after, last, before))
    )
    return connection(found, Meeting.of)


async def action_items_of(
    info: Info[Context, None],
    owner: bool,
    group_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    flt: ActionItemFilter | None,
) -> Connection[ActionItem]:
    """Project.actionItems (``owner`` False) or Person.actionItems (True), batched."""
    f = flt or ActionItemFilter()
    owner_id = parse_id(f.owner_id, "ownerId") if f.owner_id is not None else None
    domain = meeting_model.ActionItemFilter(f.status, owner_id, f.overdue)
    loaders = info.context.team
    loader = loaders.owner_items if owner else loaders.project_items
    found = await loader.load((group_id, domain, *_cursor(first, after, last, before)))
    return connection(found, ActionItem.of)
