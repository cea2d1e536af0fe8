"""GraphQL: deliverables and their acceptance decisions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.closing_loaders import closing_loaders
from app.api.graphql.common import (
    Connection,
    UserError,
    attempt,
    connection,
    found_or_none,
    gql_page,
    ident,
    page_key,
)
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, idempotent
from app.api.graphql.milestones import Milestone
from app.api.graphql.people import set_fields
from app.domain.common.ids import parse_id
from app.domain.deliverables import model, service

strawberry.enum(model.DeliverableStatus, name="DeliverableStatus")
strawberry.enum(model.Decision, name="DeliverableDecisionKind")
DeliverableStatus = model.DeliverableStatus
Decision = model.Decision


def _id(value: UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.type
class DeliverableDecision:
    id: strawberry.ID
    decision: Decision
    from_status: DeliverableStatus
    to_status: DeliverableStatus
    note: str | None
    by: str
    at: datetime

    @classmethod
    def of(cls, r: model.DecisionRecord) -> DeliverableDecision:
        return cls(
            id=_id(r.id), decision=r.decision, from_status=r.from_status, to_status=r.to_status,
            note=r.note, by=r.by, at=r.at,
        )  # fmt: skip


@strawberry.type
class Deliverable:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    description: str | None
    acceptance_criteria: str | None
    status: DeliverableStatus
    decided_by: str | None
    decided_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[model.Deliverable]

    @classmethod
    def of(cls, d: model.Deliverable) -> Deliverable:
        return cls(
            id=_id(d.id), project_id=_id(d.project_id), name=d.name, description=d.description,
            acceptance_criteria=d.acceptance_criteria, status=d.status, decided_by=d.decided_by,
            decided_at=d.decided_at, version=d.version, created_at=d.created_at,
            updated_at=d.updated_at, record=d,
        )  # fmt: skip

    @strawberry.field(description="The id of the milestone it belongs to, if any")
    def milestone_id(self) -> strawberry.ID | None:
        return ident(self.record.milestone_id)

    @strawberry.field
    async def milestone(self, info: Info[Context, None]) -> Milestone | None:
        if self.record.milestone_id is None:
            return None
        found = await info.context.milestones.milestone.load(self.record.milestone_id)
        return Milestone.of(found) if found else None

    @strawberry.field(description="Every decision taken on it, newest first")
    async def decisions(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DeliverableDecision]:
        page = gql_page(first, after, last, before)
        found = await closing_loaders(info.context).decisions.load(
            (self.record.id, *page_key(page))
        )
        return connection(found, DeliverableDecision.of)


async def project_deliverables(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    status: DeliverableStatus | None,
) -> Connection[Deliverable]:
    """A project's deliverables through the batch loaders (for Project.deliverables)."""
    page = gql_page(first, after, last, before)
    loaders = closing_loaders(info.context)
    found = await loaders.deliverables.load((project_id, status, *page_key(page)))
    return connection(
        found, Deliverable.of, lambda: loaders.deliverable_counts.load((project_id, status))
    )


@strawberry.input
class CreateDeliverableInput:
    project_id: strawberry.ID
    name: str
    description: str | None = None
    acceptance_criteria: str | None = None
    milestone_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateDeliverableInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    acceptance_criteria: str | None = strawberry.UNSET
    milestone_id: strawberry.ID | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class DecideDeliverableInput:
    id: strawberry.ID
    decision: Decision
    note: str | None = None
    expected_version: int | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type
class DeliverablePayload:
    deliverable: Deliverable | None
    user_errors: list[UserError]


@strawberry.type
class DecideDeliverablePayload:
    deliverable: Deliverable | None
    decision: DeliverableDecision | None
    user_errors: list[UserError]


def _payload(d: model.Deliverable | None, errors: list[UserError]) -> DeliverablePayload:
    return DeliverablePayload(deliverable=Deliverable.of(d) if d else None, user_errors=errors)


@strawberry.type
class DeliverablesQuery:
    @strawberry.field(description="One deliverable, or null when missing")
    async def deliverable(self, info: Info[Context, None], id: strawberry.ID) -> Deliverable | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            service.get_deliverable(None, parse_id(id, "id"), uow=ctx.uow(), principal=principal)
        )
        return Deliverable.of(found) if found else None


@strawberry.type
class DeliverablesMutation:
    @strawberry.mutation(description="Record a deliverable, pending acceptance (manager)")
    async def create_deliverable(
        self, info: Info[Context, None], input: CreateDeliverableInput
    ) -> DeliverablePayload:
        ctx = info.context
        milestone = input.milestone_id
        cmd = service.CreateDeliverable(
            parse_id(input.project_id, "projectId"), input.name, input.description,
            input.acceptance_criteria,
            parse_id(milestone, "milestoneId") if milestone is not None else None,
        )  # fmt: skip
        principal = await ctx.principal()
        d, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_deliverable(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _payload(d, errors)

    @strawberry.mutation
    async def update_deliverable(
        self, info: Info[Context, None], input: UpdateDeliverableInput
    ) -> DeliverablePayload:
        ctx = info.context
        changes = set_fields(input, ("acceptance_criteria", "description", "milestone_id", "name"))
        if changes.get("milestone_id") is not None:
            changes["milestone_id"] = parse_id(str(changes["milestone_id"]), "milestoneId")
        cmd = service.UpdateDeliverable(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        d, errors = await attempt(
            service.update_deliverable(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return _payload(d, errors)

    @strawberry.mutation(description="Accept, reject, waive or reopen (manager or the sponsor)")
    async def decide_deliverable(
        self, info: Info[Context, None], input: DecideDeliverableInput
    ) -> DecideDeliverablePayload:
        ctx = info.context
        cmd = service.DecideDeliverable(
            None, parse_id(input.id, "id"), input.decision, input.note, input.expected_version
        )
        principal = await ctx.principal()
        decided, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.decide_deliverable(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        d, record = decided if decided else (None, None)
        return DecideDeliverablePayload(
            deliverable=Deliverable.of(d) if d else None,
            decision=DeliverableDecision.of(record) if record else None,
            user_errors=errors,
        )
