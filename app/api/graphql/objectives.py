"""GraphQL: objectives, key results and check-ins, and their mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.closing_loaders import closing_loaders
from app.api.graphql.common import Connection, UserError, attempt, connection, gql_page
from app.api.graphql.context import Context
from app.api.graphql.people import set_fields
from app.domain.common.ids import parse_id
from app.domain.objectives import key_results as krs
from app.domain.objectives import model, service


def _id(value: UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


def _plain(value: Decimal) -> Decimal:
    """A stored value as the client wrote it (numeric(20, 4) pads with zeros)."""
    return Decimal(model.as_text(value))


@strawberry.type
class CheckIn:
    id: strawberry.ID
    key_result_id: strawberry.ID
    value: Decimal
    previous_value: Decimal
    note: str | None
    by: str
    at: datetime

    @classmethod
    def of(cls, c: model.CheckIn) -> CheckIn:
        return cls(
            id=_id(c.id), key_result_id=_id(c.key_result_id), value=_plain(c.to_value),
            previous_value=_plain(c.from_value), note=c.note, by=c.by, at=c.at,
        )  # fmt: skip


@strawberry.type
class KeyResult:
    id: strawberry.ID
    objective_id: strawberry.ID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    current: Decimal
    progress: Decimal = strawberry.field(description="0-1, clamped; below baseline counts 0")
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, k: model.KeyResult) -> KeyResult:
        return cls(
            id=_id(k.id), objective_id=_id(k.objective_id), name=k.name, unit=k.unit,
            baseline=_plain(k.baseline), target=_plain(k.target), current=_plain(k.current),
            progress=model.shown(k.progress) or Decimal(0), version=k.version,
            created_at=k.created_at, updated_at=k.updated_at,
        )  # fmt: skip

    @strawberry.field(description="The check-ins, newest first")
    async def check_ins(
        self, info: Info[Context, None], first: int | None = 50, after: str | None = None
    ) -> Connection[CheckIn]:
        page = gql_page(first, after)
        cursor = tuple(page.after) if page.after is not None else None
        found = await closing_loaders(info.context).check_ins.load(
            (UUID(self.id), page.limit, cursor)
        )
        return connection(found, CheckIn.of)


@strawberry.type
class Objective:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    description: str | None
    progress: Decimal | None = strawberry.field(
        description="Mean of its key results'; null if none"
    )
    key_results: list[KeyResult] = strawberry.field(description="At most 25, oldest first")
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, o: model.ObjectiveWithResults) -> Objective:
        obj = o.objective
        return cls(
            id=_id(obj.id), project_id=_id(obj.project_id), name=obj.name,
            description=obj.description, progress=model.shown(o.progress),
            key_results=[KeyResult.of(k) for k in o.key_results], version=obj.version,
            created_at=obj.created_at, updated_at=obj.updated_at,
        )  # fmt: skip


async def project_objectives(
    info: Info[Context, None], project_id: UUID, first: int | None, after: str | None
) -> Connection[Objective]:
    """A project's objectives through the batch loaders (for Project.objectives)."""
    page = gql_page(first, after)
    cursor = tuple(page.after) if page.after is not None else None
    loaders = closing_loaders(info.context)
    found = await loaders.objectives.load((project_id, page.limit, cursor))
    return connection(found, Objective.of, lambda: loaders.objective_counts.load(project_id))


async def project_objectives_progress(
    info: Info[Context, None], project_id: UUID
) -> Decimal | None:
    return model.shown(await closing_loaders(info.context).progress.load(project_id))


@strawberry.input
class CreateObjectiveInput:
    project_id: strawberry.ID
    name: str
    description: str | None = None


@strawberry.input
class UpdateObjectiveInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class DeleteInput:
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


@strawberry.type
class ObjectivePayload:
    objective: Objective | None
    user_errors: list[UserError]


@strawberry.type
class KeyResultPayload:
    key_result: KeyResult | None
    user_errors: list[UserError]


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class CheckInPayload:
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
        o, errors = await attempt(
            service.create_objective(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
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
        self, info: Info[Context, None], input: DeleteInput
    ) -> DeletePayload:
        ctx = info.context
        cmd = service.DeleteObjective(None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            service.delete_objective(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeletePayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation(description="Add a key result (target must differ from baseline)")
    async def add_key_result(
        self, info: Info[Context, None], input: AddKeyResultInput
    ) -> KeyResultPayload:
        ctx = info.context
        cmd = krs.AddKeyResult(
            None, parse_id(input.objective_id, "objectiveId"), input.name, input.unit,
            input.baseline, input.target, input.current,
        )  # fmt: skip
        k, errors = await attempt(
            krs.add_key_result(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
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
        self, info: Info[Context, None], input: DeleteInput
    ) -> DeletePayload:
        ctx = info.context
        cmd = krs.DeleteKeyResult(None, None, parse_id(input.id, "id"), input.expected_version)
        _, errors = await attempt(
            krs.delete_key_result(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return DeletePayload(deleted_id=None if errors else input.id, user_errors=errors)

    @strawberry.mutation(description="Check in a key result's new current value (member)")
    async def check_in_key_result(
        self, info: Info[Context, None], input: CheckInKeyResultInput
    ) -> CheckInPayload:
        ctx = info.context
        kr_id = parse_id(input.key_result_id, "keyResultId")
        cmd = krs.CheckInKeyResult(None, None, kr_id, input.value, input.note)
        principal = await ctx.principal()
        c, errors = await attempt(
            krs.check_in(cmd, uow=ctx.uow(), principal=principal, clock=ctx.services.clock)
        )
        after = None
        if c is not None:
            after = await krs.get_key_result(None, None, kr_id, uow=ctx.uow(), principal=principal)
        return CheckInPayload(
            check_in=CheckIn.of(c) if c else None,
            key_result=KeyResult.of(after) if after else None,
            user_errors=errors,
        )
