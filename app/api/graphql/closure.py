"""GraphQL: the closure report, its final figures, and the organization's lessons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.closing_loaders import closing_loaders
from app.api.graphql.common import Connection, UserError, attempt, connection, gql_page
from app.api.graphql.context import Context
from app.domain.closure import model, service
from app.domain.common.ids import parse_id
from app.domain.common.money import Money
from app.domain.projects.model import BusinessArea

strawberry.enum(model.LessonKind, name="LessonKind")
LessonKind = model.LessonKind


@strawberry.type
class FinalFigures:
    as_of: date
    currency: str
    budget: Decimal
    actual: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    forecast_finish: date | None
    target_end_date: date | None
    finish_variance_days: int | None = strawberry.field(
        description="Forecast finish minus target end date (positive: late)"
    )
    objectives_progress: Decimal | None
    deliverables_accepted: int
    deliverables_waived: int
    deliverables_total: int

    @classmethod
    def of(cls, f: model.FinalFigures) -> FinalFigures:
        values = dict(vars(f))
        values["budget"] = Money(f.budget, f.currency).amount  # Money stands at the minor unit
        values["actual"] = Money(f.actual, f.currency).amount
        return cls(**values)


@strawberry.type
class ClosureReport:
    project_id: strawberry.ID
    summary: str
    went_well: list[str]
    to_improve: list[str]
    final_figures: FinalFigures = strawberry.field(description="As they were when written")
    written_by: str
    written_at: datetime
    version: int

    @classmethod
    def of(cls, r: model.ClosureReport) -> ClosureReport:
        return cls(
            project_id=strawberry.ID(str(r.project_id)), summary=r.summary,
            went_well=r.went_well, to_improve=r.to_improve,
            final_figures=FinalFigures.of(r.final_figures), written_by=r.written_by,
            written_at=r.written_at, version=r.version,
        )  # fmt: skip


@strawberry.type
class Lesson:
    project_id: strawberry.ID
    project_key: str
    project_name: str
    business_area: BusinessArea
    kind: LessonKind
    text: str
    written_at: datetime

    @classmethod
    def of(cls, x: model.Lesson) -> Lesson:
        return cls(
            project_id=strawberry.ID(str(x.project_id)), project_key=x.project_key,
            project_name=x.project_name, business_area=x.business_area, kind=x.kind,
            text=x.text, written_at=x.written_at,
        )  # fmt: skip


async def project_closure_report(
    info: Info[Context, None], project_id: UUID
) -> ClosureReport | None:
    found = await closing_loaders(info.context).reports.load(project_id)
    return ClosureReport.of(found) if found else None


@strawberry.input
class WriteClosureReportInput:
    project_id: strawberry.ID
    summary: str
    went_well: list[str] = strawberry.field(default_factory=list)
    to_improve: list[str] = strawberry.field(default_factory=list)
    expected_version: int | None = None


@strawberry.type
class ClosureReportPayload:
    closure_report: ClosureReport | None
    user_errors: list[UserError]


@strawberry.type
class ClosureQuery:
    @strawberry.field(description="What went well and what to improve in closed projects")
    async def lessons(
        self,
        info: Info[Context, None],
        q: str | None = None,
        business_area: BusinessArea | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Lesson]:
        ctx = info.context
        flt = model.LessonFilter(q=q or None, business_area=business_area)
        page = await service.search_lessons(
            flt,
            gql_page(first, after, last, before),
            uow=ctx.uow(),
            principal=await ctx.principal(),
        )
        return connection(page, Lesson.of)


@strawberry.type
class ClosureMutation:
    @strawberry.mutation(description="Write the closure report while in closing (manager)")
    async def write_closure_report(
        self, info: Info[Context, None], input: WriteClosureReportInput
    ) -> ClosureReportPayload:
        ctx = info.context
        cmd = service.WriteClosureReport(
            parse_id(input.project_id, "projectId"), input.summary, list(input.went_well),
            list(input.to_improve), input.expected_version,
        )  # fmt: skip
        r, errors = await attempt(
            service.write_closure_report(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return ClosureReportPayload(
            closure_report=ClosureReport.of(r) if r else None, user_errors=errors
        )
