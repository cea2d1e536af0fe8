"""GraphQL: the mutations of objectives, key results and check-ins."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, idempotent
from app.api.graphql.objectives import CheckIn, KeyResult, Objective
from app.api.graphql.people import set_fields
from app.domain.common.ids import parse_id
from app.domain.objectives import key_results as krs
from app.domain.objectives import model, service


@strawberry.input
class CreateObjectiveInput:
    project_id: strawberry.ID
    name: str
    description: str | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateObjectiveInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class DeleteObjectiveInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class DeleteKeyResultInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class AddKeyResultInput:
    objective_id: strawberry.ID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    current: Decimal | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateKeyResultInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    unit: str | None = strawberry.UNSET
    baseline: Decimal | None = strawberry.UNSET
    target: Decimal | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class CheckInKeyResultInput:
    key_result_id: strawberry.ID
    value: Decimal
    note: str | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type
class ObjectivePayload:
    objective: Objective | None
    user_errors: list[UserError]


@strawberry.type
class KeyResultPayload:
    key_result: KeyResult | None
    user_errors: list[UserError]


@strawberry.type
class DeleteObjectivePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class DeleteKeyResultPayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class CheckInKeyResultPayload:
    check_in: CheckIn | None
    key_result: KeyResult | None
    user_errors: list[UserError]


def _objective(o: model.ObjectiveWithResults | None, errors: list[UserError]) -> ObjectivePayload:
    return ObjectivePayload(objective=Objective.of(o) if o else None, user_errors=errors)


def _key_result(k: model.KeyResult | None, errors: list[UserError]) -> KeyResultPayload:
    return KeyResultPayload(key_result=KeyResult.of(k) if k else None, user_errors=errors)


@strawberry.type
class ObjectivesMutation:
    @strawberry.mutation(description="Define an objective (manager)")
    async def create_objective(
        self, info: Info[Context, None], input: CreateObjectiveInput
    ) -> ObjectivePayload:
        ctx = info.context
        cmd = service.CreateObjective(
            parse_id(input.project_id, "projectId"), input.name, input.description
        )
        principal = await ctx.principal()
        o, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_objective(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _objective(o, errors)

    @strawberry.mutation
    async def update_objective(
        self, info: Info[Context, None], input: UpdateObjectiveInput
    ) -> ObjectivePayload:
        ctx = info.context
        changes = set_fields(input, ("description", "name"))
        cmd = service.UpdateObjective(
            None, parse_id(input.id, "id"), changes, input.expected_version
        )
        o, errors = await attempt(
            service.update_objective(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return _objective(o, errors)

    @strawberry.mutation(description="Delete an objective and its key results")
    async def delete_objective(
        self, info: Info[Context, None], input: DeleteObjectiveInput
    ) -> DeleteObjectivePayload:
        ctx = info.context
        cmd = service.DeleteObjective(None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            service.delete_objective(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeleteObjectivePayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation(description="Add a key result (target must differ from baseline)")
    async def add_key_result(
        self, info: Info[Context, None], input: AddKeyResultInput
    ) -> KeyResultPayload:
        ctx = info.context
        cmd = krs.AddKeyResult(
            None, parse_id(input.objective_id, "objectiveId"), input.name, input.unit,
            input.baseline, input.target, input.current,
        )  # fmt: skip
        principal = await ctx.principal()
        k, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: krs.add_key_result(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _key_result(k, errors)

    @strawberry.mutation
    async def update_key_result(
        self, info: Info[Context, None], input: UpdateKeyResultInput
    ) -> KeyResultPayload:
        ctx = info.context
        changes = set_fields(input, ("baseline", "name", "target", "unit"))
        cmd = krs.UpdateKeyResult(
            None, None, parse_id(input.id, "id"), changes, input.expected_version
        )
        k, errors = await attempt(
            krs.update_key_result(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return _key_result(k, errors)

    @strawberry.mutation
    async def delete_key_result(
        self, info: Info[Context, None], input: DeleteKeyResultInput
    ) -> DeleteKeyResultPayload:
        ctx = info.context
        cmd = krs.DeleteKeyResult(None, None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            krs.delete_key_result(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeleteKeyResultPayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation(description="Check in a key result's new current value (member)")
    async def check_in_key_result(
        self, info: Info[Context, None], input: CheckInKeyResultInput
    ) -> CheckInKeyResultPayload:
        ctx = info.context
        kr_id = parse_id(input.key_result_id, "keyResultId")
        cmd = krs.CheckInKeyResult(None, None, kr_id, input.value, input.note)
        principal = await ctx.principal()
        principal = await ctx.principal()
        c, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: krs.check_in(cmd, uow=uow, principal=principal, clock=ctx.services.clock),
        )
        after = None
        if c is not None:
            after = await krs.get_key_result(None, None, kr_id, uow=ctx.uow(), principal=principal)
        return CheckInKeyResultPayload(
            check_in=CheckIn.of(c) if c else None,
            key_result=KeyResult.of(after) if after else None,
            user_errors=errors,
        )
