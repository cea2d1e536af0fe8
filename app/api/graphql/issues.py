"""GraphQL: the issue log."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt, ident
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, command_fields, idempotent
from app.api.graphql.people import Person, set_fields
from app.domain.common.ids import parse_id
from app.domain.risks import issue_service as service
from app.domain.risks import issues, model

strawberry.enum(model.Severity, name="Severity")
strawberry.enum(issues.IssueStatus, name="IssueStatus")
Severity = model.Severity
IssueStatus = issues.IssueStatus


async def person(info: Info[Context, None], person_id: UUID | None) -> Person | None:
    if person_id is None:
        return None
    found = await info.context.people.load(person_id)
    return Person.of(found) if found else None


@strawberry.type
class Issue:
    id: strawberry.ID
    project_id: strawberry.ID
    title: str
    description: str | None
    severity: Severity
    status: IssueStatus
    due_on: date | None
    resolution: str | None
    risk_id: strawberry.ID | None
    from_occurrence: bool
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[issues.Issue]

    @classmethod
    def of(cls, i: issues.Issue) -> Issue:
        return cls(
            id=strawberry.ID(str(i.id)),
            project_id=strawberry.ID(str(i.project_id)),
            title=i.title,
            description=i.description,
            severity=i.severity,
            status=i.status,
            due_on=i.due_on,
            resolution=i.resolution,
            risk_id=strawberry.ID(str(i.risk_id)) if i.risk_id else None,
            from_occurrence=i.from_occurrence,
            version=i.version,
            created_at=i.created_at,
            updated_at=i.updated_at,
            record=i,
        )

    @strawberry.field
    async def owner(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.record.owner_id)

    @strawberry.field(description="The owner's person id (null while unowned)")
    def owner_id(self) -> strawberry.ID | None:
        return ident(self.record.owner_id)


@strawberry.input
class IssueFilter:
    status: IssueStatus | None = None
    severity: Severity | None = None


@strawberry.input
class CreateIssueInput:
    project_id: strawberry.ID
    title: str
    severity: Severity
    description: str | None = None
    status: IssueStatus = IssueStatus.OPEN
    owner_id: strawberry.ID | None = None
    due_on: date | None = None
    resolution: str | None = None
    risk_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateIssueInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    severity: Severity | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: IssueStatus | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    due_on: date | None = strawberry.UNSET
    resolution: str | None = strawberry.UNSET
    risk_id: strawberry.ID | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.type
class IssuePayload:
    issue: Issue | None
    user_errors: list[UserError]


def issue_payload(issue: issues.Issue | None, errors: list[UserError]) -> IssuePayload:
    return IssuePayload(issue=Issue.of(issue) if issue else None, user_errors=errors)


def parse_ids(values: dict[str, object], *names: str) -> dict[str, object]:
    """Parse ids sent as ID strings (a malformed one is a BAD_USER_INPUT naming the field)."""
    for name in names:
        raw = values.get(name)
        if isinstance(raw, str):
            values[name] = parse_id(raw, name)
    return values


@strawberry.type
class IssuesMutation:
    @strawberry.mutation
    async def create_issue(
        self, info: Info[Context, None], input: CreateIssueInput
    ) -> IssuePayload:
        ctx = info.context
        values = parse_ids(command_fields(input), "project_id", "owner_id", "risk_id")
        cmd = service.CreateIssue(**values)  # type: ignore[arg-type]
        principal = await ctx.principal()
        issue, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_issue(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return issue_payload(issue, errors)

    @strawberry.mutation
    async def update_issue(
        self, info: Info[Context, None], input: UpdateIssueInput
    ) -> IssuePayload:
        ctx = info.context
        changes = parse_ids(
            set_fields(input, tuple(sorted(issues.Issue.EDITABLE))), "owner_id", "risk_id"
        )
        cmd = service.UpdateIssue(None, parse_id(input.id, "id"), changes, input.expected_version)
        issue, errors = await attempt(
            service.update_issue(
                cmd, uow=ctx.uow(), principal=await ctx.principal(), clock=ctx.services.clock
            )
        )
        return issue_payload(issue, errors)
