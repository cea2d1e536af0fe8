"""GraphQL: milestones, their dependencies, the schedule and baselines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt, bounded_first
from app.api.graphql.context import Context
from app.api.graphql.people import Person, set_fields
from app.domain.common.ids import parse_id
from app.domain.milestones import baselines, model, network, service
from app.domain.milestones import ports as baseline_model
from app.domain.milestones.schedule import MilestoneSchedule
from app.domain.milestones.schedule import Schedule as ScheduleModel

strawberry.enum(model.MilestoneStatus, name="MilestoneStatus")
strawberry.enum(model.DependencyType, name="DependencyType")
MilestoneStatus = model.MilestoneStatus
DependencyType = model.DependencyType


@strawberry.type
class Milestone:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    description: str | None
    start_date: date
    due_date: date
    status: MilestoneStatus
    progress: int
    completed_on: date | None
    planned_value: Decimal
    currency: str
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[model.Milestone]

    @classmethod
    def of(cls, m: model.Milestone) -> Milestone:
        return cls(
            id=strawberry.ID(str(m.id)),
            project_id=strawberry.ID(str(m.project_id)),
            name=m.name,
            description=m.description,
            start_date=m.start_date,
            due_date=m.due_date,
            status=m.status,
            progress=m.progress,
            completed_on=m.completed_on,
            planned_value=m.planned_value.amount,
            currency=m.planned_value.currency,
            version=m.version,
            created_at=m.created_at,
            updated_at=m.updated_at,
            record=m,
        )

    @strawberry.field
    async def owner(self, info: Info[Context, None]) -> Person | None:
        if self.record.owner_id is None:
            return None
        found = await info.context.people.load(self.record.owner_id)
        return Person.of(found) if found else None

    @strawberry.field(description="What this milestone depends on: the first `first` (1-100)")
    async def dependencies(self, info: Info[Context, None], first: int = 10) -> list[Dependency]:
        limit = bounded_first(first)
        links = await info.context.milestones.predecessors.load(self.record.id)
        return [Dependency.of(d) for d in links[:limit]]

    @strawberry.field(description="What depends on this milestone: the first `first` (1-100)")
    async def dependents(self, info: Info[Context, None], first: int = 10) -> list[Dependency]:
        limit = bounded_first(first)
        links = await info.context.milestones.successors.load(self.record.id)
        return [Dependency.of(d) for d in links[:limit]]

    async def _figures(self, info: Info[Context, None]) -> MilestoneSchedule | None:
        indexed = await info.context.milestones.schedule.load(self.record.project_id)
        return indexed.rows.get(self.record.id)

    @strawberry.field(description="Earliest start; null when cancelled")
    async def es(self, info: Info[Context, None]) -> date | None:
        row = await self._figures(info)
        return row.es if row else None

    @strawberry.field(description="Earliest finish (its last day)")
    async def ef(self, info: Info[Context, None]) -> date | None:
        row = await self._figures(info)
        return row.ef if row else None

    @strawberry.field(description="Latest start")
    async def ls(self, info: Info[Context, None]) -> date | None:
        row = await self._figures(info)
        return row.ls if row else None

    @strawberry.field(description="Latest finish")
    async def lf(self, info: Info[Context, None]) -> date | None:
        row = await self._figures(info)
        return row.lf if row else None

    @strawberry.field
    async def total_float_days(self, info: Info[Context, None]) -> int | None:
        row = await self._figures(info)
        return row.total_float_days if row else None

    @strawberry.field
    async def forecast_finish(self, info: Info[Context, None]) -> date | None:
        row = await self._figures(info)
        return row.forecast_finish if row else None

    @strawberry.field(description="Forecast finish minus the latest baseline's due date")
    async def slippage_days(self, info: Info[Context, None]) -> int | None:
        row = await self._figures(info)
        return row.slippage_days if row else None


async def _milestone(info: Info[Context, None], milestone_id: UUID) -> Milestone:
    found = await info.context.milestones.milestone.load(milestone_id)
    assert found is not None, "a dependency's milestones exist (foreign keys)"
    return Milestone.of(found)


@strawberry.type
class Dependency:
    type: DependencyType
    lag_days: int
    created_at: datetime
    record: strawberry.Private[model.Dependency]

    @classmethod
    def of(cls, d: model.Dependency) -> Dependency:
        return cls(type=d.type, lag_days=d.lag_days, created_at=d.created_at, record=d)

    @strawberry.field
    async def predecessor(self, info: Info[Context, None]) -> Milestone:
        return await _milestone(info, self.record.predecessor_id)

    @strawberry.field
    async def successor(self, info: Info[Context, None]) -> Milestone:
        return await _milestone(info, self.record.successor_id)


@strawberry.type
class ScheduleEntry:
    es: date | None
    ef: date | None
    ls: date | None
    lf: date | None
    total_float_days: int | None
    forecast_finish: date | None
    slippage_days: int | None
    milestone_id: strawberry.ID

    @strawberry.field
    async def milestone(self, info: Info[Context, None]) -> Milestone:
        return await _milestone(info, UUID(self.milestone_id))


@strawberry.type
class Schedule:
    milestones: list[ScheduleEntry]
    critical_path: list[strawberry.ID]
    forecast_finish: date | None
    baseline: int | None

    @classmethod
    def of(cls, s: ScheduleModel) -> Schedule:
        return cls(
            milestones=[
                ScheduleEntry(
                    es=r.es,
                    ef=r.ef,
                    ls=r.ls,
                    lf=r.lf,
                    total_float_days=r.total_float_days,
                    forecast_finish=r.forecast_finish,
                    slippage_days=r.slippage_days,
                    milestone_id=strawberry.ID(str(r.milestone_id)),
                )
                for r in s.milestones
            ],
            critical_path=[strawberry.ID(str(i)) for i in s.critical_path],
            forecast_finish=s.forecast_finish,
            baseline=s.baseline_number,
        )


@strawberry.type
class BaselineMilestone:
    milestone_id: strawberry.ID
    start_date: date
    due_date: date
    planned_value: Decimal


@strawberry.type
class Baseline:
    number: int
    name: str
    taken_by: str
    taken_at: datetime
    currency: str
    milestone_count: int
    milestones: list[BaselineMilestone]

    @classmethod
    def of(cls, b: baseline_model.Baseline) -> Baseline:
        return cls(
            number=b.number,
            name=b.name,
            taken_by=b.taken_by,
            taken_at=b.taken_at,
            currency=b.currency,
            milestone_count=b.milestone_count,
            milestones=[
                BaselineMilestone(
                    milestone_id=strawberry.ID(str(m.milestone_id)),
                    start_date=m.start_date,
                    due_date=m.due_date,
                    planned_value=m.planned_value.amount,
                )
                for m in b.milestones
            ],
        )


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


@strawberry.input
class RemoveMilestoneDependencyInput:
    milestone_id: strawberry.ID
    predecessor_id: strawberry.ID


@strawberry.input
class TakeBaselineInput:
    project_id: strawberry.ID
    name: str


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
        values = dict(vars(input))
        values["project_id"] = parse_id(input.project_id, "projectId")
        if input.owner_id is not None:
            values["owner_id"] = parse_id(input.owner_id, "ownerId")
        cmd = service.CreateMilestone(**values)
        m, errors = await attempt(
            service.create_milestone(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
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
        d, errors = await attempt(
            network.add_dependency(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
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
        b, errors = await attempt(
            baselines.take_baseline(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return BaselinePayload(baseline=Baseline.of(b) if b else None, user_errors=errors)
