"""SqlIssueRepository: the issue log in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Column, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.risks.issues import Issue, IssueFilter, IssueStatus
from app.domain.risks.model import Severity
from app.infra.postgres.paging import keyset, pages_per_group, to_page
from app.infra.postgres.tables import issues

_COLUMNS = tuple(c.name for c in issues.columns)


def issue_from_row(row: Row[Any]) -> Issue:
    m = row._mapping
    values = {c: m[c] for c in _COLUMNS}
    values["severity"] = Severity(values["severity"])
    values["status"] = IssueStatus(values["status"])
    return Issue(**values)


def _values(issue: Issue) -> dict[str, Any]:
    values = {c: getattr(issue, c) for c in _COLUMNS}
    values["severity"] = issue.severity.value
    values["status"] = issue.status.value
    return values


def _filter(stmt: Any, org_id: str, project_ids: UUID | Sequence[UUID], flt: IssueFilter) -> Any:
    stmt = stmt.where(issues.c.org_id == org_id)
    if isinstance(project_ids, UUID):
        stmt = stmt.where(issues.c.project_id == project_ids)
    else:
        stmt = stmt.where(issues.c.project_id.in_(list(project_ids)))
    if flt.status is not None:
        stmt = stmt.where(issues.c.status == flt.status.value)
    if flt.severity is not None:
        stmt = stmt.where(issues.c.severity == flt.severity.value)
    return stmt


class SqlIssueRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, issue: Issue) -> None:
        await self.conn.execute(insert(issues).values(**_values(issue)))

    async def get(
        self, org_id: str, project_id: UUID | None, issue_id: UUID, *, for_update: bool = False
    ) -> Issue | None:
        stmt = select(issues).where(issues.c.org_id == org_id, issues.c.id == issue_id)
        if project_id is not None:
            stmt = stmt.where(issues.c.project_id == project_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return issue_from_row(row) if row else None

    async def from_occurrences(self, org_id: str, risk_ids: list[UUID]) -> list[Issue | None]:
        if not risk_ids:
            return []
        stmt = select(issues).where(
            issues.c.org_id == org_id, issues.c.risk_id.in_(set(risk_ids)), issues.c.from_occurrence
        )
        found = {r.risk_id: issue_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in risk_ids]

    async def list(
        self, org_id: str, project_id: UUID, flt: IssueFilter, page: PageRequest
    ) -> Page[Issue]:
        stmt = _filter(select(issues), org_id, project_id, flt)
        columns: list[Column[Any]] = [issues.c.created_at, issues.c.id]
        rows = (await self.conn.execute(keyset(stmt, columns, True, page))).all()
        return to_page(rows, page, columns, issue_from_row)

    async def count(self, org_id: str, project_id: UUID, flt: IssueFilter) -> int:
        stmt = _filter(select(func.count()).select_from(issues), org_id, project_id, flt)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def list_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: IssueFilter, page: PageRequest
    ) -> dict[UUID, Page[Issue]]:
        base = _filter(select(issues), org_id, project_ids, flt)
        columns: list[Column[Any]] = [issues.c.created_at, issues.c.id]
        pid = issues.c.project_id
        return await pages_per_group(
            self.conn, base, pid, project_ids, columns, True, page, issue_from_row
        )

    async def count_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: IssueFilter
    ) -> dict[UUID, int]:
        if not project_ids:
            return {}
        stmt = _filter(
            select(issues.c.project_id, func.count()).group_by(issues.c.project_id),
            org_id,
            project_ids,
            flt,
        )
        counts = {pid: int(n) for pid, n in (await self.conn.execute(stmt)).all()}
        return {pid: counts.get(pid, 0) for pid in project_ids}

    async def update(self, issue: Issue) -> None:
        await self.conn.execute(
            update(issues)
            .where(issues.c.org_id == issue.org_id, issues.c.id == issue.id)
            .values(**_values(issue))
        )
