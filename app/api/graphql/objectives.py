"""GraphQL: objectives, key results and check-ins (mutations in objective_mutations.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.closing_loaders import closing_loaders
from app.api.graphql.common import Connection, connection, gql_page, page_key
from app.api.graphql.context import Context
from app.domain.objectives import model


def _id(value: UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


def _plain(value: Decimal) -> Decimal:
    """A stored value as the client wrote it (numeric(20, 4) pads with zeros)."""
    return Decimal(model.as_text(value))


@strawberry.type
class CheckIn:
    id: strawberry.ID
    key_result_id: strawberry.ID
    value: Decimal
    previous_value: Decimal
    note: str | None
    by: str
    at: datetime

    @classmethod
    def of(cls, c: model.CheckIn) -> CheckIn:
        return cls(
            id=_id(c.id), key_result_id=_id(c.key_result_id), value=_plain(c.to_value),
            previous_value=_plain(c.from_value), note=c.note, by=c.by, at=c.at,
        )  # fmt: skip


@strawberry.type
class KeyResult:
    id: strawberry.ID
    objective_id: strawberry.ID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    current: Decimal
    progress: Decimal = strawberry.field(description="0-1, clamped; below baseline counts 0")
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, k: model.KeyResult) -> KeyResult:
        return cls(
            id=_id(k.id), objective_id=_id(k.objective_id), name=k.name, unit=k.unit,
            baseline=_plain(k.baseline), target=_plain(k.target), current=_plain(k.current),
            progress=model.shown(k.progress) or Decimal(0), version=k.version,
            created_at=k.created_at, updated_at=k.updated_at,
        )  # fmt: skip

    @strawberry.field(description="The check-ins, newest first")
    async def check_ins(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CheckIn]:
        page = gql_page(first, after, last, before)
        found = await closing_loaders(info.context).check_ins.load((UUID(self.id), *page_key(page)))
        return connection(found, CheckIn.of)


@strawberry.type
class Objective:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    description: str | None
    progress: Decimal | None = strawberry.field(
        description="Mean of its key results'; null if none"
    )
    key_results: list[KeyResult] = strawberry.field(description="At most 25, oldest first")
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, o: model.ObjectiveWithResults) -> Objective:
        obj = o.objective
        return cls(
            id=_id(obj.id), project_id=_id(obj.project_id), name=obj.name,
            description=obj.description, progress=model.shown(o.progress),
            key_results=[KeyResult.of(k) for k in o.key_results], version=obj.version,
            created_at=obj.created_at, updated_at=obj.updated_at,
        )  # fmt: skip


async def project_objectives(
    info: Info[Context, None],
    project_id: UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Objective]:
    """A project's objectives through the batch loaders (for Project.objectives)."""
    page = gql_page(first, after, last, before)
    loaders = closing_loaders(info.context)
    found = await loaders.objectives.load((project_id, *page_key(page)))
    return connection(found, Objective.of, lambda: loaders.objective_counts.load(project_id))


async def project_objectives_progress(
    info: Info[Context, None], project_id: UUID
) -> Decimal | None:
    return model.shown(await closing_loaders(info.context).progress.load(project_id))
