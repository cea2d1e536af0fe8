"""GraphQL: milestones, their dependencies, the schedule and baselines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import bounded_first, ident
from app.api.graphql.context import Context
from app.api.graphql.people import Person
from app.domain.milestones import model
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
    optimistic_days: int | None = strawberry.field(description="Three-point estimate (days)")
    most_likely_days: int | None
    pessimistic_days: int | None
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
            optimistic_days=m.optimistic_days,
            most_likely_days=m.most_likely_days,
            pessimistic_days=m.pessimistic_days,
            version=m.version,
            created_at=m.created_at,
            updated_at=m.updated_at,
            record=m,
        )

    @strawberry.field(description="The owner's person id (null while unowned)")
    def owner_id(self) -> strawberry.ID | None:
        return ident(self.record.owner_id)

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

    @strawberry.field(description="The id of the milestone that comes first")
    def predecessor_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.record.predecessor_id))

    @strawberry.field(description="The id of the milestone that depends on the predecessor")
    def successor_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.record.successor_id))

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
