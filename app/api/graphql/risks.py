"""GraphQL: the risk register, assessments, occurrence and the risk matrix."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import Connection, connection, gql_page, ident, page_key
from app.api.graphql.context import Context
from app.api.graphql.issues import Issue, Severity, person
from app.api.graphql.people import Person
from app.domain.common.errors import NotFound, ValidationFailed
from app.domain.common.ids import parse_id
from app.domain.common.paging import Page, PageRequest, encode_cursor
from app.domain.risks import matrix, model, service

strawberry.enum(model.RiskCategory, name="RiskCategory")
strawberry.enum(model.RiskResponse, name="RiskResponse")
strawberry.enum(model.RiskStatus, name="RiskStatus")
RiskCategory = model.RiskCategory
RiskResponse = model.RiskResponse
RiskStatus = model.RiskStatus


@strawberry.type
class Assessment:
    id: strawberry.ID
    risk_id: strawberry.ID
    assessed_by: str
    assessed_at: datetime
    from_probability: int | None
    from_impact: int | None
    from_score: int | None
    to_probability: int
    to_impact: int
    to_score: int
    to_severity: Severity
    from_severity: Severity | None
    note: str | None

    @classmethod
    def of(cls, a: model.Assessment) -> Assessment:
        return cls(
            id=strawberry.ID(str(a.id)),
            risk_id=strawberry.ID(str(a.risk_id)),
            assessed_by=a.assessed_by,
            assessed_at=a.assessed_at,
            from_probability=a.from_probability,
            from_impact=a.from_impact,
            from_score=a.from_score,
            to_probability=a.to_probability,
            to_impact=a.to_impact,
            to_score=a.to_score,
            to_severity=a.to_severity,
            from_severity=a.from_severity,
            note=a.note,
        )


ASSESSMENTS_TAG = "risk-assessments"  # binds these cursors to this list (API.md)


def _in_memory_page(items: list[model.Assessment], page: PageRequest) -> Page[Any]:
    """Page a risk's (short) history loaded whole by the batch loader; cursors are ids."""
    field = "before" if page.backward else "after"
    start, end = 0, len(items)
    if page.after is not None:
        cursor = page.after
        ids = [str(a.id) for a in items]
        if cursor[0] != ASSESSMENTS_TAG or len(cursor) != 2 or cursor[1] not in ids:
            raise ValidationFailed.on(field, "is not a valid cursor")
        if page.backward:
            end = ids.index(cursor[1])
        else:
            start = ids.index(cursor[1]) + 1
    if page.backward:
        chunk = items[max(start, end - page.limit) : end]
        more_before, more_after = end - start > page.limit, end < len(items)
    else:
        chunk = items[start : start + page.limit]
        more_before, more_after = start > 0, start + page.limit < end
    cursors = [encode_cursor([ASSESSMENTS_TAG, str(a.id)]) for a in chunk]
    following = cursors[-1] if more_after and chunk and not page.backward else None
    return Page(chunk, following, cursors, has_previous=more_before, has_next=more_after)


@strawberry.type
class Risk:
    id: strawberry.ID
    project_id: strawberry.ID
    title: str
    description: str | None
    category: RiskCategory
    probability: int
    impact: int
    score: int
    severity: Severity
    response: RiskResponse
    mitigation: str | None
    contingency: str | None
    trigger: str | None
    review_on: date
    status: RiskStatus
    cost_impact: Decimal | None
    expected_monetary_value: Decimal | None
    currency: str
    schedule_impact_days: int | None = strawberry.field(
        description="Days it would add to its milestone when it occurs (the forecast)"
    )
    milestone_id: strawberry.ID | None
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[model.Risk]

    @classmethod
    def of(cls, r: model.Risk) -> Risk:
        cost, emv = r.cost, r.expected_monetary_value
        return cls(
            id=strawberry.ID(str(r.id)),
            project_id=strawberry.ID(str(r.project_id)),
            title=r.title,
            description=r.description,
            category=r.category,
            probability=r.probability,
            impact=r.impact,
            score=r.score,
            severity=r.severity,
            response=r.response,
            mitigation=r.mitigation,
            contingency=r.contingency,
            trigger=r.trigger,
            review_on=r.review_on,
            status=r.status,
            cost_impact=cost.amount if cost else None,
            expected_monetary_value=emv.amount if emv else None,
            currency=r.currency,
            schedule_impact_days=r.schedule_impact_days,
            milestone_id=strawberry.ID(str(r.milestone_id)) if r.milestone_id else None,
            version=r.version,
            created_at=r.created_at,
            updated_at=r.updated_at,
            record=r,
        )

    @strawberry.field(description="The owner's person id (null while unowned)")
    def owner_id(self) -> strawberry.ID | None:
        return ident(self.record.owner_id)

    @strawberry.field
    async def owner(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.record.owner_id)

    @strawberry.field(description="Open or mitigating, and reviewOn is before today")
    def review_overdue(self, info: Info[Context, None]) -> bool:
        return self.record.review_overdue(info.context.services.clock.today())

    @strawberry.field(description="Every change of probability or impact, newest first")
    async def assessments(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Assessment]:
        page = gql_page(first, after, last, before)
        history = await info.context.risks.assessments.load(self.record.id)
        return connection(_in_memory_page(history, page), Assessment.of)

    @strawberry.field(description="The id of the issue raised when the risk occurred")
    async def issue_id(self, info: Info[Context, None]) -> strawberry.ID | None:
        found = await info.context.risks.occurrence_issues.load(self.record.id)
        return ident(found.id if found else None)

    @strawberry.field(description="The issue raised when the risk occurred")
    async def issue(self, info: Info[Context, None]) -> Issue | None:
        found = await info.context.risks.occurrence_issues.load(self.record.id)
        return Issue.of(found) if found else None


@strawberry.type
class RiskMatrix:
    cells: list[list[int]] = strawberry.field(
        description="Counts: cells[p-1][i-1] = open and mitigating risks of probability p, impact i"
    )
    suggested_contingency: Decimal
    currency: str
    overdue_reviews: list[strawberry.ID]

    @classmethod
    def of(cls, m: matrix.RiskMatrix) -> RiskMatrix:
        return cls(
            cells=m.cells,
            suggested_contingency=m.suggested_contingency.amount,
            currency=m.currency,
            overdue_reviews=[strawberry.ID(str(r)) for r in m.overdue_reviews],
        )


@strawberry.input
class RiskFilter:
    status: RiskStatus | None = None
    severity: Severity | None = None
    category: RiskCategory | None = None
    owner_id: strawberry.ID | None = None
    overdue_review: bool | None = None

    def domain(self) -> model.RiskFilter:
        owner = parse_id(self.owner_id, "ownerId") if self.owner_id else None
        return model.RiskFilter(
            self.status, self.severity, self.category, owner, self.overdue_review
        )


async def project_risks(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    flt: RiskFilter | None,
    sort: str,
) -> Connection[Risk]:
    """Resolve Project.risks through the batch loader (one statement for all projects)."""
    page = gql_page(first, after, last, before)
    service.check_sort(sort)
    domain = (flt or RiskFilter()).domain()
    loaders = info.context.risks
    found = await loaders.pages.load((project_id, domain, sort, *page_key(page)))
    return connection(found, Risk.of, lambda: loaders.counts.load((project_id, domain)))


async def project_risk_matrix(info: Info[Context, None], project_id: UUID) -> RiskMatrix:
    """Resolve Project.riskMatrix through the batch loader (constant statements per query)."""
    found = await info.context.risks.matrices.load(project_id)
    if found is None:  # the parent project was just read in this organization
        raise NotFound("Project not found")
    return RiskMatrix.of(found)
