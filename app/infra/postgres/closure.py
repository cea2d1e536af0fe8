"""Closure reports and their searchable lessons in PostgreSQL."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Column, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.closure.model import (
    ClosureReport,
    FinalFigures,
    Lesson,
    LessonFilter,
    LessonKind,
)
from app.domain.common.changes import plain
from app.domain.common.paging import Page, PageRequest
from app.domain.projects.model import BusinessArea, Phase
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.people import _escape_like
from app.infra.postgres.tables import closure_lessons, closure_reports, projects

_COLUMNS = tuple(c.name for c in closure_reports.columns)
_LESSON_ORDER: list[Column[Any]] = [
    projects.c.key,
    closure_lessons.c.kind,
    closure_lessons.c.position,
]
_FIGURE_TYPES = {f.name: f.type for f in fields(FinalFigures)}


def _figures(stored: dict[str, Any]) -> FinalFigures:
    """Read the JSON snapshot back (decimals and dates were written as strings)."""
    values: dict[str, Any] = {}
    for name, kind in _FIGURE_TYPES.items():
        raw = stored.get(name)
        if raw is None or "int" in str(kind) or name == "currency":
            values[name] = raw
        elif "date" in str(kind):
            values[name] = date.fromisoformat(raw)
        else:
            values[name] = Decimal(raw)
    return FinalFigures(**values)


def _report(row: Row[Any]) -> ClosureReport:
    values = {c: row._mapping[c] for c in _COLUMNS}
    values["final_figures"] = _figures(values["final_figures"])
    return ClosureReport(**values)


def _lesson(row: Row[Any]) -> Lesson:
    m = row._mapping
    return Lesson(
        m["project_id"], m["key"], m["name"], BusinessArea(m["business_area"]),
        LessonKind(m["kind"]), m["text"], m["written_at"],
    )  # fmt: skip


class SqlClosureReportRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, org_id: str, project_id: UUID) -> ClosureReport | None:
        return (await self.for_projects(org_id, [project_id]))[project_id]

    async def save(self, report: ClosureReport) -> None:
        values = {c: getattr(report, c) for c in _COLUMNS}
        values["final_figures"] = {k: plain(v) for k, v in asdict(report.final_figures).items()}
        stmt = pg_insert(closure_reports).values(**values)
        changed = {c: stmt.excluded[c] for c in _COLUMNS if c not in ("org_id", "project_id")}
        await self.conn.execute(
            stmt.on_conflict_do_update(index_elements=["org_id", "project_id"], set_=changed)
        )
        lessons = closure_lessons.c
        await self.conn.execute(
            delete(closure_lessons).where(
                lessons.org_id == report.org_id, lessons.project_id == report.project_id
            )
        )
        rows = [
            {"org_id": report.org_id, "project_id": report.project_id, "kind": kind.value,
             "position": i, "text": text}
            for kind, items in ((LessonKind.WENT_WELL, report.went_well),
                                (LessonKind.TO_IMPROVE, report.to_improve))
            for i, text in enumerate(items)
        ]  # fmt: skip
        if rows:
            await self.conn.execute(insert(closure_lessons), rows)

    async def for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, ClosureReport | None]:
        found: dict[UUID, ClosureReport | None] = {p: None for p in project_ids}
        if project_ids:
            r = closure_reports.c
            stmt = select(closure_reports).where(
                r.org_id == org_id, r.project_id.in_(set(project_ids))
            )
            for row in await self.conn.execute(stmt):
                found[row.project_id] = _report(row)
        return found

    async def lessons(self, org_id: str, flt: LessonFilter, page: PageRequest) -> Page[Lesson]:
        lessons, p, r = closure_lessons.c, projects.c, closure_reports.c
        stmt = (
            select(
                lessons.project_id,
                lessons.kind,
                lessons.position,
                lessons.text,
                p.key,
                p.name,
                p.business_area,
                r.written_at,
            )
            .join(projects, (p.org_id == lessons.org_id) & (p.id == lessons.project_id))
            .join(
                closure_reports,
                (r.org_id == lessons.org_id) & (r.project_id == lessons.project_id),
            )
            .where(lessons.org_id == org_id, p.phase == Phase.CLOSED.value)
        )
        if flt.q:
            stmt = stmt.where(lessons.text.ilike(f"%{_escape_like(flt.q)}%"))
        if flt.business_area is not None:
            stmt = stmt.where(p.business_area == flt.business_area.value)
        rows = (await self.conn.execute(keyset(stmt, _LESSON_ORDER, False, page))).all()
        return to_page(rows, page, _LESSON_ORDER, _lesson)
