"""GraphQL mutations of the risk register: raise, update, re-assess, record an occurrence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, command_fields, idempotent
from app.api.graphql.issues import IssuePayload, Severity, issue_payload, parse_ids
from app.api.graphql.people import set_fields
from app.api.graphql.risks import Assessment, Risk, RiskCategory, RiskResponse, RiskStatus
from app.domain.common.ids import parse_id
from app.domain.risks import assessments, model, occurrence, service


@strawberry.input
class CreateRiskInput:
    project_id: strawberry.ID
    title: str
    category: RiskCategory
    probability: int
    impact: int
    description: str | None = None
    owner_id: strawberry.ID | None = None
    response: RiskResponse = RiskResponse.ACCEPT
    mitigation: str | None = None
    contingency: str | None = None
    trigger: str | None = None
    review_on: date | None = strawberry.field(
        default=None, description="Defaults to 30 days from today"
    )
    status: RiskStatus = RiskStatus.OPEN
    cost_impact: Decimal | None = None
    currency: str | None = None
    schedule_impact_days: int | None = None
    milestone_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateRiskInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    category: RiskCategory | None = strawberry.UNSET
    probability: int | None = strawberry.UNSET
    impact: int | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    response: RiskResponse | None = strawberry.UNSET
    mitigation: str | None = strawberry.UNSET
    contingency: str | None = strawberry.UNSET
    trigger: str | None = strawberry.UNSET
    review_on: date | None = strawberry.UNSET
    status: RiskStatus | None = strawberry.UNSET
    cost_impact: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    schedule_impact_days: int | None = strawberry.UNSET
    milestone_id: strawberry.ID | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class AssessRiskInput:
    id: strawberry.ID
    probability: int
    impact: int
    note: str | None = None
    expected_version: int | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class RecordRiskOccurrenceInput:
    id: strawberry.ID
    severity: Severity
    title: str | None = None
    note: str | None = None
    expected_version: int | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type
class RiskPayload:
    risk: Risk | None
    user_errors: list[UserError]


@strawberry.type
class AssessRiskPayload:
    risk: Risk | None
    assessment: Assessment | None
    user_errors: list[UserError]


def _risk_payload(risk: model.Risk | None, errors: list[UserError]) -> RiskPayload:
    return RiskPayload(risk=Risk.of(risk) if risk else None, user_errors=errors)


@strawberry.type
class RisksMutation:
    @strawberry.mutation
    async def create_risk(self, info: Info[Context, None], input: CreateRiskInput) -> RiskPayload:
        ctx = info.context
        values = parse_ids(command_fields(input), "project_id", "owner_id", "milestone_id")
        cmd = service.CreateRisk(**values)  # type: ignore[arg-type]
        principal = await ctx.principal()
        risk, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_risk(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _risk_payload(risk, errors)

    @strawberry.mutation
    async def update_risk(self, info: Info[Context, None], input: UpdateRiskInput) -> RiskPayload:
        ctx = info.context
        names = tuple(sorted(model.Risk.EDITABLE | {"currency"}))
        changes = parse_ids(set_fields(input, names), "owner_id", "milestone_id")
        cmd = service.UpdateRisk(None, parse_id(input.id, "id"), changes, input.expected_version)
        risk, errors = await attempt(
            service.update_risk(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return _risk_payload(risk, errors)

    @strawberry.mutation
    async def assess_risk(
        self, info: Info[Context, None], input: AssessRiskInput
    ) -> AssessRiskPayload:
        ctx = info.context
        cmd = assessments.AssessRisk(
            None,
            parse_id(input.id, "id"),
            input.probability,
            input.impact,
            input.note,
            input.expected_version,
        )
        principal = await ctx.principal()
        result, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: assessments.assess_risk(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        if result is None:
            return AssessRiskPayload(risk=None, assessment=None, user_errors=errors)
        return AssessRiskPayload(
            risk=Risk.of(result[0]), assessment=Assessment.of(result[1]), user_errors=[]
        )

    @strawberry.mutation(description="Mark a risk occurred; the payload carries the new issue")
    async def record_risk_occurrence(
        self, info: Info[Context, None], input: RecordRiskOccurrenceInput
    ) -> IssuePayload:
        ctx = info.context
        cmd = occurrence.RecordOccurrence(
            None,
            parse_id(input.id, "id"),
            input.severity,
            input.title,
            input.note,
            input.expected_version,
        )
        principal = await ctx.principal()
        issue, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: occurrence.record_occurrence(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return issue_payload(issue, errors)
