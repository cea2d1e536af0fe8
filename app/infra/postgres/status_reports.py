"""Status reports in PostgreSQL: insert and read only (they are immutable)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, func, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.reporting.health import Status
from app.domain.reporting.reports import StatusReport, Trend
from app.infra.postgres.paging import pages_per_group
from app.infra.postgres.tables import status_reports

_COLUMNS = tuple(c.name for c in status_reports.columns)
_ORDER: list[Column[Any]] = [status_reports.c.written_at, status_reports.c.id]


def _report(row: Row[Any]) -> StatusReport:
    values = {c: row._mapping[c] for c in _COLUMNS}
    values["computed_overall"] = Status(values["computed_overall"])
    values["overall"] = Status(values["overall"])
    values["trend"] = None if values["trend"] is None else Trend(values["trend"])
    return StatusReport(**values)


class SqlStatusReportRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, report: StatusReport) -> None:
        values = {c: getattr(report, c) for c in _COLUMNS}
        for name in ("computed_overall", "overall", "trend"):
            values[name] = None if values[name] is None else values[name].value
        await self.conn.execute(insert(status_reports).values(**values))

    async def get(self, org_id: str, project_id: UUID, report_id: UUID) -> StatusReport | None:
        c = status_reports.c
        stmt = select(status_reports).where(
            c.org_id == org_id, c.project_id == project_id, c.id == report_id
        )
        row = (await self.conn.execute(stmt)).first()
        return None if row is None else _report(row)

    async def latest(self, org_id: str, project_id: UUID) -> StatusReport | None:
        c = status_reports.c
        stmt = (
            select(status_reports)
            .where(c.org_id == org_id, c.project_id == project_id)
            .order_by(c.written_at.desc(), c.id.desc())
            .limit(1)
        )
        row = (await self.conn.execute(stmt)).first()
        return None if row is None else _report(row)

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[StatusReport]]:
        c = status_reports.c
        stmt = select(status_reports).where(c.org_id == org_id, c.project_id.in_(set(project_ids)))
        return await pages_per_group(
            self.conn, stmt, c.project_id, project_ids, _ORDER, True, page, _report
        )

    async def counts_for_projects(self, org_id: str, project_ids: list[UUID]) -> dict[UUID, int]:
        c = status_reports.c
        found = dict.fromkeys(project_ids, 0)
        if project_ids:
            stmt = (
                select(c.project_id, func.count())
                .where(c.org_id == org_id, c.project_id.in_(set(project_ids)))
                .group_by(c.project_id)
            )
            found.update({row[0]: row[1] for row in await self.conn.execute(stmt)})
        return found
