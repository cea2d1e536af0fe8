"""SqlDependencyRepository: the milestone dependency network in PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, delete, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.milestones.model import Dependency, DependencyType
from app.domain.milestones.schedule import NetworkLink
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.tables import milestone_dependencies as deps

_COLUMNS = tuple(c.name for c in deps.columns)


def dependency_from_row(row: Row[Any]) -> Dependency:
    m = row._mapping
    values = {c: m[c] for c in _COLUMNS}
    values["type"] = DependencyType(values["type"])
    return Dependency(**values)


class SqlDependencyRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, dependency: Dependency) -> None:
        values = {c: getattr(dependency, c) for c in _COLUMNS}
        values["type"] = dependency.type.value
        await self.conn.execute(insert(deps).values(**values))

    async def get(self, org_id: str, successor_id: UUID, predecessor_id: UUID) -> Dependency | None:
        stmt = select(deps).where(
            deps.c.org_id == org_id,
            deps.c.successor_id == successor_id,
            deps.c.predecessor_id == predecessor_id,
        )
        row = (await self.conn.execute(stmt)).first()
        return dependency_from_row(row) if row else None

    async def delete(self, org_id: str, successor_id: UUID, predecessor_id: UUID) -> None:
        await self.conn.execute(
            delete(deps).where(
                deps.c.org_id == org_id,
                deps.c.successor_id == successor_id,
                deps.c.predecessor_id == predecessor_id,
            )
        )

    async def list_predecessors(
        self, org_id: str, successor_id: UUID, page: PageRequest
    ) -> Page[Dependency]:
        stmt = select(deps).where(deps.c.org_id == org_id, deps.c.successor_id == successor_id)
        columns: list[Column[Any]] = [deps.c.created_at, deps.c.predecessor_id]
        rows = (await self.conn.execute(keyset(stmt, columns, False, page))).all()
        return to_page(rows, page, columns, dependency_from_row)

    async def _where(self, *conditions: Any) -> list[Dependency]:
        stmt = select(deps).where(*conditions).order_by(deps.c.created_at, deps.c.predecessor_id)
        return [dependency_from_row(r) for r in await self.conn.execute(stmt)]

    async def all_for_projects(self, org_id: str, project_ids: list[UUID]) -> list[Dependency]:
        if not project_ids:
            return []
        return await self._where(deps.c.org_id == org_id, deps.c.project_id.in_(set(project_ids)))

    async def links(self, org_id: str, project_ids: list[UUID]) -> list[NetworkLink]:
        if not project_ids:
            return []
        stmt = select(
            deps.c.project_id,
            deps.c.predecessor_id,
            deps.c.successor_id,
            deps.c.type,
            deps.c.lag_days,
        ).where(deps.c.org_id == org_id, deps.c.project_id.in_(set(project_ids)))
        kinds = {t.value: t for t in DependencyType}
        return [
            NetworkLink(r[0], r[1], r[2], kinds[r[3]], r[4]) for r in await self.conn.execute(stmt)
        ]

    async def of_successors(self, org_id: str, ids: list[UUID]) -> list[Dependency]:
        if not ids:
            return []
        return await self._where(deps.c.org_id == org_id, deps.c.successor_id.in_(set(ids)))

    async def of_predecessors(self, org_id: str, ids: list[UUID]) -> list[Dependency]:
        if not ids:
            return []
        return await self._where(deps.c.org_id == org_id, deps.c.predecessor_id.in_(set(ids)))
