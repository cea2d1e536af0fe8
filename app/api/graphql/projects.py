"""GraphQL: projects, their lifecycle, gate checklist and history."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.api.graphql.common import Connection, connection, found_or_none, gql_page, ident, page_key
from app.api.graphql.context import Context
from app.api.graphql.enums import ProjectSort, RiskSort
from app.api.graphql.forecast import Forecast, project_forecast
from app.api.graphql.issues import Issue, IssueFilter
from app.api.graphql.ledger import (
    EarnedValue,
    LedgerEntry,
    LedgerEntryFilter,
    LedgerSummary,
    project_earned_value,
    project_ledger_entries,
    project_ledger_summary,
)
from app.api.graphql.milestones import Baseline, Milestone, MilestoneStatus, Schedule
from app.api.graphql.people import Person
from app.api.graphql.project_closing import ProjectClosingFields
from app.api.graphql.project_reporting import ProjectReportingFields
from app.api.graphql.risks import Risk, RiskFilter, RiskMatrix, project_risk_matrix, project_risks
from app.api.graphql.team import (
    ActionItem,
    ActionItemFilter,
    Assignment,
    Meeting,
    Stakeholder,
    StakeholderFilter,
)
from app.api.graphql.team_lists import (
    action_items_of,
    project_assignments,
    project_meetings,
    project_stakeholders,
)
from app.domain.common.events import DomainEvent
from app.domain.common.ids import parse_id
from app.domain.milestones import baselines, network
from app.domain.projects import model, service
from app.domain.risks import issues as issue_model

# The domain enums themselves are the GraphQL enums (values exposed as UPPER_SNAKE_CASE names).
strawberry.enum(model.Phase, name="Phase")
strawberry.enum(model.BusinessArea, name="BusinessArea")
Phase = model.Phase
BusinessArea = model.BusinessArea


@strawberry.type
class GateCondition:
    gate: str
    met: bool
    message: str


@strawberry.type
class Gate:
    to: Phase | None
    conditions: list[GateCondition]


@strawberry.type
class Activity:
    id: strawberry.ID
    actor: str
    at: datetime
    action: str
    entity_type: str
    entity_id: strawberry.ID
    changes: JSON

    @classmethod
    def of(cls, e: DomainEvent) -> Activity:
        return cls(
            id=strawberry.ID(str(e.id)),
            actor=e.actor,
            at=e.occurred_at,
            action=e.type,
            entity_type=e.subject.type,
            entity_id=strawberry.ID(str(e.subject.id)),
            changes=cast(JSON, dict(e.changes)),
        )


@strawberry.type
class Project(ProjectClosingFields, ProjectReportingFields):
    id: strawberry.ID
    key: str
    name: str
    description: str | None
    business_area: BusinessArea
    start_date: date | None
    target_end_date: date | None
    currency: str
    phase: Phase
    held_from: Phase | None
    no_known_risks: bool
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[model.Project]

    @classmethod
    def of(cls, p: model.Project) -> Project:
        return cls(
            id=strawberry.ID(str(p.id)),
            key=p.key,
            name=p.name,
            description=p.description,
            business_area=p.business_area,
            start_date=p.start_date,
            target_end_date=p.target_end_date,
            currency=p.currency,
            phase=p.phase,
            held_from=p.held_from,
            no_known_risks=p.no_known_risks,
            version=p.version,
            created_at=p.created_at,
            updated_at=p.updated_at,
            record=p,
        )

    @strawberry.field(description="The sponsor's person id (null while none is named)")
    def sponsor_id(self) -> strawberry.ID | None:
        return ident(self.record.sponsor_id)

    @strawberry.field(description="The manager's person id (null while none is named)")
    def manager_id(self) -> strawberry.ID | None:
        return ident(self.record.manager_id)

    @strawberry.field
    async def sponsor(self, info: Info[Context, None]) -> Person | None:
        return await _person(info, self.record.sponsor_id)

    @strawberry.field
    async def manager(self, info: Info[Context, None]) -> Person | None:
        return await _person(info, self.record.manager_id)

    @strawberry.field(description="The next forward gate's checklist")
    async def gate(self, info: Info[Context, None]) -> Gate:
        ctx = info.context
        checklist = await service.gate_checklist(
            self.record.id, uow=ctx.uow(), principal=await ctx.principal(), gates=ctx.services.gates
        )
        return Gate(
            to=checklist.to,
            conditions=[
                GateCondition(gate=c.gate, met=c.met, message=c.message)
                for c in checklist.conditions
            ],
        )

    @strawberry.field(description="The project's history, newest first")
    async def activity(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Activity]:
        ctx = info.context
        page = await service.list_activity(
            self.record.id,
            gql_page(first, after, last, before),
            uow=ctx.uow(),
            principal=await ctx.principal(),
        )
        return connection(page, Activity.of)

    @strawberry.field(description="The risk register, highest score first unless sorted otherwise")
    async def risks(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: RiskFilter | None = None,
        sort: RiskSort = RiskSort.SCORE_DESC,
    ) -> Connection[Risk]:
        return await project_risks(
            info, self.record.id, first, after, last, before, filter, str(sort.value)
        )

    @strawberry.field(description="Open and mitigating risks by probability and impact")
    async def risk_matrix(self, info: Info[Context, None]) -> RiskMatrix:
        return await project_risk_matrix(info, self.record.id)

    @strawberry.field(description="The issue log, newest first")
    async def issues(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: IssueFilter | None = None,
    ) -> Connection[Issue]:
        # Through batch loaders: a portfolio query costs the same statements for any count.
        f = filter or IssueFilter()
        flt = issue_model.IssueFilter(status=f.status, severity=f.severity)
        page = gql_page(first, after, last, before)
        loaders = info.context.risks
        found = await loaders.issue_pages.load((self.record.id, flt, *page_key(page)))
        return connection(found, Issue.of, lambda: loaders.issue_counts.load((self.record.id, flt)))

    @strawberry.field(description="The project's milestones by start date")
    async def milestones(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        status: MilestoneStatus | None = None,
    ) -> Connection[Milestone]:
        request = gql_page(first, after, last, before)  # bad arguments: refused before batching
        loaders = info.context.milestones
        page = await loaders.page.load((self.record.id, status, *page_key(request)))
        return connection(page, Milestone.of, lambda: loaders.count.load((self.record.id, status)))

    @strawberry.field(
        description="The critical-path schedule; slippage against the latest baseline or `baseline`"
    )
    async def schedule(self, info: Info[Context, None], baseline: int | None = None) -> Schedule:
        ctx = info.context
        if baseline is None:
            indexed = await ctx.milestones.schedule.load(self.record.id)
            return Schedule.of(indexed.schedule)
        found = await network.get_schedule(
            self.record.id, baseline, uow=ctx.uow(), principal=await ctx.principal()
        )
        return Schedule.of(found)

    @strawberry.field(description="The project's baselines, oldest first (without milestones)")
    async def baselines(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Baseline]:
        ctx = info.context
        page = await baselines.list_baselines(
            self.record.id,
            gql_page(first, after, last, before),
            uow=ctx.uow(),
            principal=await ctx.principal(),
        )
        return connection(page, Baseline.of)

    @strawberry.field(description="The budget ledger, newest first")
    async def ledger_entries(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: LedgerEntryFilter | None = None,
    ) -> Connection[LedgerEntry]:
        return await project_ledger_entries(
            info, self.record.id, first, after, last, before, filter
        )

    @strawberry.field(description="Budget, open commitments, actual, remaining; as of a date")
    async def ledger_summary(
        self, info: Info[Context, None], as_of: date | None = None
    ) -> LedgerSummary:
        return await project_ledger_summary(info, self.record.id, as_of)

    @strawberry.field(description="Earned value and earned schedule as of a date (default today)")
    async def earned_value(
        self, info: Info[Context, None], as_of: date | None = None
    ) -> EarnedValue:
        return await project_earned_value(info, self.record.id, as_of)

    @strawberry.field(
        description="Monte Carlo forecast of finish and cost (iterations 1,000 to 100,000, "
        "default 10,000; the same seed gives the same result). Costs 1 point per 10 iterations."
    )
    async def forecast(
        self, info: Info[Context, None], iterations: int | None = None, seed: int | None = None
    ) -> Forecast:
        return await project_forecast(info, self.record.id, iterations, seed)

    @strawberry.field(description="One baseline with its milestones")
    async def baseline(self, info: Info[Context, None], number: int) -> Baseline:
        ctx = info.context
        found = await baselines.get_baseline(
            self.record.id, number, uow=ctx.uow(), principal=await ctx.principal()
        )
        return Baseline.of(found)

    @strawberry.field(description="Who works on the project, by start date")
    async def assignments(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Assignment]:
        return await project_assignments(info, self.record.id, first, after, last, before)

    @strawberry.field(description="The stakeholder register, by name")
    async def stakeholders(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: StakeholderFilter | None = None,
    ) -> Connection[Stakeholder]:
        return await project_stakeholders(info, self.record.id, first, after, last, before, filter)

    @strawberry.field(description="The project's meetings, newest first")
    async def meetings(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Meeting]:
        return await project_meetings(info, self.record.id, first, after, last, before)

    @strawberry.field(description="The action items of the project's meetings, by due date")
    async def action_items(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ActionItemFilter | None = None,
    ) -> Connection[ActionItem]:
        return await action_items_of(
            info, False, self.record.id, first, after, last, before, filter
        )


async def _person(info: Info[Context, None], person_id: UUID | None) -> Person | None:
    if person_id is None:
        return None
    found = await info.context.people.load(person_id)
    return Person.of(found) if found else None


@strawberry.input
class ProjectFilter:
    phase: Phase | None = None
    business_area: BusinessArea | None = None
    q: str | None = None


@strawberry.type
class ProjectsQuery:
    @strawberry.field(description="One project, or null when missing")
    async def project(self, info: Info[Context, None], id: strawberry.ID) -> Project | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            service.get_project(parse_id(id, "id"), uow=ctx.uow(), principal=principal)
        )
        return Project.of(found) if found else None

    @strawberry.field(description="The project with this key, or null when there is none")
    async def project_by_key(self, info: Info[Context, None], key: str) -> Project | None:
        ctx = info.context
        principal = await ctx.principal()
        found = await found_or_none(
            service.get_project_by_key(key, uow=ctx.uow(), principal=principal)
        )
        return Project.of(found) if found else None

    @strawberry.field
    async def projects(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ProjectFilter | None = None,
        sort: ProjectSort = ProjectSort.KEY,
    ) -> Connection[Project]:
        ctx = info.context
        principal = await ctx.principal()
        f = filter or ProjectFilter()
        flt = model.ProjectFilter(phase=f.phase, business_area=f.business_area, q=f.q)
        page = await service.list_projects(
            flt,
            str(sort.value),
            gql_page(first, after, last, before),
            uow=ctx.uow(),
            principal=principal,
        )
        return connection(
            page,
            Project.of,
            lambda: service.count_projects(flt, uow=ctx.uow(), principal=principal),
        )
