"""GraphQL subscriptions over graphql-transport-ws: each committed event, as it commits.

A subscription reads the organization's events by seq from ``afterSeq`` (the replay),
then waits on the doorbell (PostgreSQL NOTIFY, whichever instance wrote) and reads
again from the last seq it sent. Reading by seq, not trusting the doorbell's payload,
is what makes a missed ring or a reconnect lose nothing. Every read goes through the
feed's use case, so the token's role and organization are checked on each event.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.events import Event, after_seq_arg
from app.domain.common.ids import parse_id
from app.domain.common.principal import Principal
from app.domain.events import service

BATCH = 100
POLL_SECONDS = 15.0  # without a ring (none configured, or one lost), look again this often


async def _stream(
    ctx: Context, principal: Principal, after_seq: int, project_id: UUID | None
) -> AsyncGenerator[Event, None]:
    seq = after_seq
    doorbell = ctx.services.doorbell
    while True:
        events = await service.list_events(
            seq, BATCH, uow=ctx.services.reading.uow(), principal=principal
        )
        for e in events:
            seq = e.seq
            if project_id is None or e.project_id == project_id:
                yield Event.of(e)
        if len(events) == BATCH:
            continue
        if doorbell is None:
            await asyncio.sleep(1.0)
        else:
            await doorbell.wait(principal.org, seq, POLL_SECONDS)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="A project's changes as they commit, after afterSeq (the organization's seq)"
    )
    async def project_activity(
        self, info: Info[Context, None], project_id: strawberry.ID, after_seq: int = 0
    ) -> AsyncGenerator[Event, None]:
        ctx = info.context
        principal = await ctx.principal()
        pid = parse_id(project_id, "projectId")
        start = after_seq_arg(after_seq)
        await service.check_project_feed(pid, uow=ctx.services.reading.uow(), principal=principal)
        async for event in _stream(ctx, principal, start, pid):
            yield event

    @strawberry.subscription(
        description="The organization's changes as they commit, after afterSeq"
    )
    async def organization_activity(
        self, info: Info[Context, None], after_seq: int = 0
    ) -> AsyncGenerator[Event, None]:
        ctx = info.context
        principal = await ctx.principal()
        start = after_seq_arg(after_seq)
        async for event in _stream(ctx, principal, start, None):
            yield event
