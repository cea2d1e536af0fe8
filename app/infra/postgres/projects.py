"""SqlProjectRepository: projects in PostgreSQL."""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import Column, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.projects.model import BusinessArea, Phase, Project, ProjectFilter
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.people import _escape_like
from app.infra.postgres.tables import projects

_COLUMNS = tuple(c.name for c in projects.columns)
# Rows of select(projects) list the columns in the order of Project's fields: read them by
# position (a list page converts 50 rows; name lookups and Enum() calls showed in profiles).
if tuple(f.name for f in fields(Project)) != _COLUMNS:
    raise RuntimeError("the projects table's columns and Project's fields differ in order")
_AREA, _PHASE, _HELD = (_COLUMNS.index(c) for c in ("business_area", "phase", "held_from"))
_AREAS = {a.value: a for a in BusinessArea}
# Built once: the hottest read skips statement construction on every call.
_GET = select(projects).where(
    projects.c.org_id == bindparam("org_id"), projects.c.id == bindparam("project_id")
)
_GET_FOR_UPDATE = _GET.with_for_update()
_PHASES = {p.value: p for p in Phase}


def project_from_row(row: Row[Any]) -> Project:
    values = list(row)
    values[_AREA] = _AREAS[values[_AREA]]
    values[_PHASE] = _PHASES[values[_PHASE]]
    held = values[_HELD]
    values[_HELD] = _PHASES[held] if held else None
    return Project(*values)


def _values(project: Project) -> dict[str, Any]:
    values = {c: getattr(project, c) for c in _COLUMNS}
    values["business_area"] = project.business_area.value
    values["phase"] = project.phase.value
    values["held_from"] = project.held_from.value if project.held_from else None
    return values


class SqlProjectRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, project: Project) -> None:
        await self.conn.execute(insert(projects).values(**_values(project)))

    async def get(
        self, org_id: str, project_id: UUID, *, for_update: bool = False
    ) -> Project | None:
        stmt = _GET_FOR_UPDATE if for_update else _GET
        row = (await self.conn.execute(stmt, {"org_id": org_id, "project_id": project_id})).first()
        return project_from_row(row) if row else None

    async def get_by_key(self, org_id: str, key: str) -> Project | None:
        stmt = select(projects).where(projects.c.org_id == org_id, projects.c.key == key)
        row = (await self.conn.execute(stmt)).first()
        return project_from_row(row) if row else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Project | None]:
        if not ids:
            return []
        stmt = select(projects).where(projects.c.org_id == org_id, projects.c.id.in_(set(ids)))
        found = {r.id: project_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in ids]

    async def list(
        self, org_id: str, flt: ProjectFilter, sort: str, page: PageRequest
    ) -> Page[Project]:
        stmt = self._filter(select(projects), org_id, flt)
        descending = sort.startswith("-")
        columns: list[Column[Any]] = [projects.c[sort.removeprefix("-")], projects.c.id]
        rows = (await self.conn.execute(keyset(stmt, columns, descending, page))).all()
        return to_page(rows, page, columns, project_from_row)

    async def count(self, org_id: str, flt: ProjectFilter) -> int:
        stmt = self._filter(select(func.count()).select_from(projects), org_id, flt)
        return int((await self.conn.execute(stmt)).scalar_one())

    @staticmethod
    def _filter(stmt: Any, org_id: str, flt: ProjectFilter) -> Any:
        stmt = stmt.where(projects.c.org_id == org_id)
        if flt.phase is not None:
            stmt = stmt.where(projects.c.phase == flt.phase.value)
        if flt.business_area is not None:
            stmt = stmt.where(projects.c.business_area == flt.business_area.value)
        if flt.q:
            pattern = f"%{_escape_like(flt.q)}%"
            stmt = stmt.where(or_(projects.c.name.ilike(pattern), projects.c.key.ilike(pattern)))
        return stmt

    async def update(self, project: Project) -> None:
        await self.conn.execute(
            update(projects)
            .where(projects.c.org_id == project.org_id, projects.c.id == project.id)
            .values(**_values(project))
        )
