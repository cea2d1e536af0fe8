"""What a Project reaches of reporting: health and status reports (a base of the Project
type, so projects.py only names it)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from app.api.graphql.common import Connection
from app.api.graphql.context import Context
from app.api.graphql.reporting import Health, project_health
from app.api.graphql.status_reports import StatusReport, project_status_reports
from app.domain.projects.model import Project as ProjectRecord


@strawberry.type
class ProjectReportingFields:
    record: strawberry.Private[ProjectRecord]

    @strawberry.field(description="Health as of today, with every reason that fired")
    async def health(self, info: Info[Context, None]) -> Health:
        return await project_health(info, self.record.id)

    @strawberry.field(description="Status reports, newest first")
    async def status_reports(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[StatusReport]:
        return await project_status_reports(info, self.record.id, first, after, last, before)
