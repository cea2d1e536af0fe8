"""GraphQL: the organization's events, as a query (``activity``) and, in subscriptions.py, live."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.api.graphql.common import bounded_first
from app.api.graphql.context import Context
from app.domain.common.errors import ValidationFailed
from app.domain.common.events import DomainEvent
from app.domain.events import service


@strawberry.type(name="EventSubject", description="What an event is about")
class EventSubject:
    type: str
    id: strawberry.ID


@strawberry.type(description='One committed change (API.md "Events")')
class Event:
    id: strawberry.ID
    seq: int = strawberry.field(description="The organization's sequence number, in commit order")
    type: str
    occurred_at: datetime
    org: str
    project_id: strawberry.ID
    actor: str
    subject: EventSubject
    changes: JSON

    @classmethod
    def of(cls, e: DomainEvent) -> Event:
        return cls(
            id=strawberry.ID(str(e.id)),
            seq=e.seq,
            type=e.type,
            occurred_at=e.occurred_at,
            org=e.org,
            project_id=strawberry.ID(str(e.project_id)),
            actor=e.actor,
            subject=EventSubject(type=e.subject.type, id=strawberry.ID(str(e.subject.id))),
            changes=cast(JSON, dict(e.changes)),
        )


def after_seq_arg(after_seq: int) -> int:
    if after_seq < 0:
        raise ValidationFailed.on("afterSeq", "must be 0 or more")
    return after_seq


@strawberry.type
class EventsQuery:
    @strawberry.field(
        description="The organization's changes after afterSeq, oldest first (sync, resumption)"
    )
    async def activity(
        self, info: Info[Context, None], after_seq: int = 0, first: int = 50
    ) -> list[Event]:
        ctx = info.context
        events = await service.list_events(
            after_seq_arg(after_seq),
            bounded_first(first),
            uow=ctx.uow(),
            principal=await ctx.principal(),
        )
        return [Event.of(e) for e in events]
