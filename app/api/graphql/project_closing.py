"""What a Project reaches of objectives, deliverables and the closure review (a base of
the Project type, so projects.py only names it)."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from app.api.graphql.closure import ClosureReport, project_closure_report
from app.api.graphql.common import Connection
from app.api.graphql.context import Context
from app.api.graphql.deliverables import Deliverable, DeliverableStatus, project_deliverables
from app.api.graphql.objectives import Objective, project_objectives, project_objectives_progress
from app.domain.projects import model


@strawberry.type
class ProjectClosingFields:
    record: strawberry.Private[model.Project]

    @strawberry.field(description="Objectives with their key results, oldest first")
    async def objectives(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Objective]:
        return await project_objectives(info, self.record.id, first, after, last, before)

    @strawberry.field(description="Mean progress of the objectives that have key results")
    async def objectives_progress(self, info: Info[Context, None]) -> Decimal | None:
        return await project_objectives_progress(info, self.record.id)

    @strawberry.field(description="Deliverables, oldest first")
    async def deliverables(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        status: DeliverableStatus | None = None,
    ) -> Connection[Deliverable]:
        return await project_deliverables(info, self.record.id, first, after, last, before, status)

    @strawberry.field(description="The closure report; null until written")
    async def closure_report(self, info: Info[Context, None]) -> ClosureReport | None:
        return await project_closure_report(info, self.record.id)
