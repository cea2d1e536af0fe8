"""GraphQL: the milestone, dependency and baseline mutations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, command_fields, idempotent
from app.api.graphql.milestones import (
    Baseline,
    Dependency,
    DependencyType,
    Milestone,
    MilestoneStatus,
)
from app.api.graphql.people import set_fields
from app.domain.common.ids import parse_id
from app.domain.milestones import baselines, model, network, service


@strawberry.input
class CreateMilestoneInput:
    project_id: strawberry.ID
    name: str
    start_date: date
    due_date: date
    description: str | None = None
    owner_id: strawberry.ID | None = None
    status: MilestoneStatus = MilestoneStatus.PLANNED
    progress: int | None = None
    completed_on: date | None = None
    planned_value: Decimal = Decimal(0)
    currency: str | None = None
    optimistic_days: int | None = None
    most_likely_days: int | None = None
    pessimistic_days: int | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateMilestoneInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    start_date: date | None = strawberry.UNSET
    due_date: date | None = strawberry.UNSET
    status: MilestoneStatus | None = strawberry.UNSET
    progress: int | None = strawberry.UNSET
    completed_on: date | None = strawberry.UNSET
    planned_value: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    optimistic_days: int | None = strawberry.UNSET
    most_likely_days: int | None = strawberry.UNSET
    pessimistic_days: int | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class DeleteMilestoneInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class AddMilestoneDependencyInput:
    milestone_id: strawberry.ID
    predecessor_id: strawberry.ID
    type: DependencyType = DependencyType.FINISH_TO_START
    lag_days: int = 0
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class RemoveMilestoneDependencyInput:
    milestone_id: strawberry.ID
    predecessor_id: strawberry.ID


@strawberry.input
class TakeBaselineInput:
    project_id: strawberry.ID
    name: str
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type
class MilestonePayload:
    milestone: Milestone | None
    user_errors: list[UserError]


@strawberry.type
class DeleteMilestonePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class DependencyPayload:
    dependency: Dependency | None
    user_errors: list[UserError]


@strawberry.type
class RemoveMilestoneDependencyPayload:
    milestone: Milestone | None
    user_errors: list[UserError]


@strawberry.type
class BaselinePayload:
    baseline: Baseline | None
    user_errors: list[UserError]


UPDATABLE = tuple(sorted(model.Milestone.EDITABLE | {"currency"}))


def _milestone_payload(m: model.Milestone | None, errors: list[UserError]) -> MilestonePayload:
    return MilestonePayload(milestone=Milestone.of(m) if m else None, user_errors=errors)


@strawberry.type
class MilestonesMutation:
    @strawberry.mutation
    async def create_milestone(
        self, info: Info[Context, None], input: CreateMilestoneInput
    ) -> MilestonePayload:
        ctx = info.context
        values = command_fields(input)
        values["project_id"] = parse_id(input.project_id, "projectId")
        if input.owner_id is not None:
            values["owner_id"] = parse_id(input.owner_id, "ownerId")
        cmd = service.CreateMilestone(**values)
        principal = await ctx.principal()
        m, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_milestone(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _milestone_payload(m, errors)

    @strawberry.mutation
    async def update_milestone(
        self, info: Info[Context, None], input: UpdateMilestoneInput
    ) -> MilestonePayload:
        ctx = info.context
        changes = set_fields(input, UPDATABLE)
        if changes.get("owner_id") is not None:
            changes["owner_id"] = parse_id(str(changes["owner_id"]), "ownerId")
        cmd = service.UpdateMilestone(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        m, errors = await attempt(
            service.update_milestone(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return _milestone_payload(m, errors)

    @strawberry.mutation
    async def delete_milestone(
        self, info: Info[Context, None], input: DeleteMilestoneInput
    ) -> DeleteMilestonePayload:
        ctx = info.context
        cmd = service.DeleteMilestone(None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            service.delete_milestone(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeleteMilestonePayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation
    async def add_milestone_dependency(
        self, info: Info[Context, None], input: AddMilestoneDependencyInput
    ) -> DependencyPayload:
        ctx = info.context
        cmd = network.AddDependency(
            None,
            parse_id(input.milestone_id, "milestoneId"),
            parse_id(input.predecessor_id, "predecessorId"),
            input.type,
            input.lag_days,
        )
        principal = await ctx.principal()
        d, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: network.add_dependency(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return DependencyPayload(dependency=Dependency.of(d) if d else None, user_errors=errors)

    @strawberry.mutation
    async def remove_milestone_dependency(
        self, info: Info[Context, None], input: RemoveMilestoneDependencyInput
    ) -> RemoveMilestoneDependencyPayload:
        ctx = info.context
        successor = parse_id(input.milestone_id, "milestoneId")
        cmd = network.RemoveDependency(
            None, successor, parse_id(input.predecessor_id, "predecessorId")
        )
        _, errors = await attempt(
            network.remove_dependency(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        found = None if errors else await ctx.milestones.milestone.load(successor)
        return RemoveMilestoneDependencyPayload(
            milestone=Milestone.of(found) if found else None, user_errors=errors
        )

    @strawberry.mutation
    async def take_baseline(
        self, info: Info[Context, None], input: TakeBaselineInput
    ) -> BaselinePayload:
        ctx = info.context
        cmd = baselines.TakeBaseline(parse_id(input.project_id, "projectId"), input.name)
        principal = await ctx.principal()
        b, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: baselines.take_baseline(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return BaselinePayload(baseline=Baseline.of(b) if b else None, user_errors=errors)
