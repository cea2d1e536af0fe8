"""GraphQL: single lookups by id alone (API.md): null when the id is missing or foreign."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from app.api.graphql.common import found_or_none
from app.api.graphql.context import Context
from app.api.graphql.issues import Issue
from app.api.graphql.ledger import LedgerEntry
from app.api.graphql.milestones import Milestone
from app.api.graphql.risks import Risk
from app.domain.common.ids import parse_id
from app.domain.ledger import service as ledger
from app.domain.milestones import service as milestones
from app.domain.risks import issue_service
from app.domain.risks import service as risks


@strawberry.type
class LookupsQuery:
    @strawberry.field(description="One milestone of any of the caller's projects, or null")
    async def milestone(self, info: Info[Context, None], id: strawberry.ID) -> Milestone | None:
        ctx = info.context
        found = await milestones.milestones_by_ids(
            [parse_id(id, "id")], uow=ctx.uow(), principal=await ctx.principal()
        )
        return Milestone.of(found[0]) if found[0] else None

    @strawberry.field(description="One risk of any of the caller's projects, or null")
    async def risk(self, info: Info[Context, None], id: strawberry.ID) -> Risk | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            risks.get_risk(None, parse_id(id, "id"), uow=ctx.uow(), principal=principal)
        )
        return Risk.of(found) if found else None

    @strawberry.field(description="One issue of any of the caller's projects, or null")
    async def issue(self, info: Info[Context, None], id: strawberry.ID) -> Issue | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            issue_service.get_issue(None, parse_id(id, "id"), uow=ctx.uow(), principal=principal)
        )
        return Issue.of(found) if found else None

    @strawberry.field(description="One ledger entry of any of the caller's projects, or null")
    async def ledger_entry(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> LedgerEntry | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            ledger.get_entry(None, parse_id(id, "id"), uow=ctx.uow(), principal=principal)
        )
        return LedgerEntry.of(found) if found else None
