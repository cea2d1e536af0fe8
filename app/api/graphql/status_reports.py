"""GraphQL: status reports — Project.statusReports and the createStatusReport mutation."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.api.graphql.common import Connection, UserError, connection, gql_page, page_key
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, idempotent
from app.api.graphql.reporting import HealthStatus
from app.domain.common.ids import parse_id
from app.domain.reporting import report_service as service
from app.domain.reporting import reports as model

Trend = strawberry.enum(model.Trend, name="StatusTrend")


@strawberry.type
class StatusReport:
    id: strawberry.ID
    project_id: strawberry.ID
    summary: str
    achievements: str | None
    next_steps: str | None
    escalations: str | None
    overall: HealthStatus = strawberry.field(  # type: ignore[valid-type]
        description="The override's colour when there is one"
    )
    computed_overall: HealthStatus  # type: ignore[valid-type]
    override_reason: str | None
    trend: Trend | None  # type: ignore[valid-type]
    snapshot: JSON = strawberry.field(
        description="Health with reasons and the key figures at the time, as in REST"
    )
    written_by: str
    written_at: datetime

    @classmethod
    def of(cls, r: model.StatusReport) -> StatusReport:
        return cls(
            id=strawberry.ID(str(r.id)), project_id=strawberry.ID(str(r.project_id)),
            summary=r.summary, achievements=r.achievements, next_steps=r.next_steps,
            escalations=r.escalations, overall=r.overall, computed_overall=r.computed_overall,
            override_reason=r.override_reason, trend=r.trend, snapshot=cast(JSON, r.snapshot),
            written_by=r.written_by, written_at=r.written_at,
        )  # fmt: skip


async def project_status_reports(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[StatusReport]:
    """A project's reports, newest first, through the batch loaders."""
    page = gql_page(first, after, last, before)
    loaders = info.context.reporting
    found = await loaders.report_pages.load((project_id, *page_key(page)))
    return connection(found, StatusReport.of, lambda: loaders.report_counts.load(project_id))


@strawberry.input
class StatusOverrideInput:
    overall: HealthStatus  # type: ignore[valid-type]
    reason: str


@strawberry.input
class CreateStatusReportInput:
    project_id: strawberry.ID
    summary: str
    achievements: str | None = None
    next_steps: str | None = None
    escalations: str | None = None
    override: StatusOverrideInput | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type
class StatusReportPayload:
    status_report: StatusReport | None
    user_errors: list[UserError]


@strawberry.type
class StatusReportsMutation:
    @strawberry.mutation(description="Write a status report (manager): snapshots health")
    async def create_status_report(
        self, info: Info[Context, None], input: CreateStatusReportInput
    ) -> StatusReportPayload:
        ctx = info.context
        o: Any = input.override
        cmd = service.WriteStatusReport(
            parse_id(input.project_id, "projectId"), input.summary, input.achievements,
            input.next_steps, input.escalations,
            model.Override(o.overall, o.reason) if o is not None else None,
        )  # fmt: skip
        principal = await ctx.principal()
        r, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.write_status_report(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return StatusReportPayload(
            status_report=StatusReport.of(r) if r else None, user_errors=errors
        )
