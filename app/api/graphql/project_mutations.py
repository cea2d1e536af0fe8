"""GraphQL: the project mutations (create, update, move through the lifecycle)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from app.api.graphql.common import UserError, attempt
from app.api.graphql.context import Context
from app.api.graphql.idempotency import KEY_DESCRIPTION, command_fields, idempotent
from app.api.graphql.people import set_fields
from app.api.graphql.projects import BusinessArea, Phase, Project
from app.domain.common.ids import parse_id
from app.domain.projects import model, service


@strawberry.input
class CreateProjectInput:
    key: str
    name: str
    business_area: BusinessArea
    currency: str
    description: str | None = None
    sponsor_id: strawberry.ID | None = None
    manager_id: strawberry.ID | None = None
    start_date: date | None = None
    target_end_date: date | None = None
    no_known_risks: bool = False
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input
class UpdateProjectInput:
    id: strawberry.ID
    key: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    business_area: BusinessArea | None = strawberry.UNSET
    sponsor_id: strawberry.ID | None = strawberry.UNSET
    manager_id: strawberry.ID | None = strawberry.UNSET
    start_date: date | None = strawberry.UNSET
    target_end_date: date | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    no_known_risks: bool | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class TransitionProjectInput:
    id: strawberry.ID
    to: Phase
    reason: str | None = None
    force: bool = False
    expected_version: int | None = None


@strawberry.type
class ProjectPayload:
    project: Project | None
    user_errors: list[UserError]


def _ids(values: dict[str, Any]) -> dict[str, Any]:
    """Parse person ids sent as ID strings."""
    for name in ("sponsor_id", "manager_id"):
        if values.get(name) is not None:
            values[name] = parse_id(values[name], name)
    return values


def _payload(project: model.Project | None, errors: list[UserError]) -> ProjectPayload:
    return ProjectPayload(project=Project.of(project) if project else None, user_errors=errors)


@strawberry.type
class ProjectsMutation:
    @strawberry.mutation
    async def create_project(
        self, info: Info[Context, None], input: CreateProjectInput
    ) -> ProjectPayload:
        ctx = info.context
        values = _ids(command_fields(input))
        cmd = service.CreateProject(**values)
        principal = await ctx.principal()
        project, errors = await idempotent(
            info,
            input,
            cmd,
            lambda uow: service.create_project(
                cmd, uow=uow, principal=principal, clock=ctx.services.clock
            ),
        )
        return _payload(project, errors)

    @strawberry.mutation
    async def update_project(
        self, info: Info[Context, None], input: UpdateProjectInput
    ) -> ProjectPayload:
        ctx = info.context
        changes = _ids(set_fields(input, tuple(sorted(model.Project.EDITABLE))))
        cmd = service.UpdateProject(parse_id(input.id, "id"), changes, input.expected_version)
        project, errors = await attempt(
            service.update_project(
                cmd,
                uow=ctx.uow(),
                principal=await ctx.principal(),
                clock=ctx.services.clock,
                gates=ctx.services.gates,
            )
        )
        return _payload(project, errors)

    @strawberry.mutation
    async def transition_project(
        self, info: Info[Context, None], input: TransitionProjectInput
    ) -> ProjectPayload:
        ctx = info.context
        cmd = service.TransitionProject(
            parse_id(input.id, "id"), input.to, input.reason, input.force, input.expected_version
        )
        project, errors = await attempt(
            service.transition_project(
                cmd,
                uow=ctx.uow(),
                principal=await ctx.principal(),
                clock=ctx.services.clock,
                gates=ctx.services.gates,
            )
        )
        return _payload(project, errors)
