"""SqlRiskRepository and SqlAssessmentRepository: the risk register in PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, and_, func, insert, not_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.risks.model import (
    LIVE,
    SEVERITY_BANDS,
    Assessment,
    LiveRisk,
    Risk,
    RiskCategory,
    RiskFilter,
    RiskResponse,
    RiskStatus,
)
from app.infra.postgres.paging import keyset, pages_per_group, to_page
from app.infra.postgres.raw import fetch
from app.infra.postgres.tables import projects, risk_assessments, risks

_STORED = tuple(c.name for c in risks.columns if c.name != "score")
_LIVE = [s.value for s in LIVE]
# The live risks of many projects as the matrix reads them, with the project's currency.
_LIVE_SQL = (
    "SELECT r.project_id, r.id, r.probability, r.impact, r.review_on, r.cost_impact, p.currency, "
    "r.schedule_impact_days, r.milestone_id "
    "FROM risks r JOIN projects p ON p.org_id = r.org_id AND p.id = r.project_id "
    "WHERE r.org_id = $1 AND r.project_id = ANY($2::uuid[]) AND r.status = ANY($3::text[])"
)


_CATEGORIES = {c.value: c for c in RiskCategory}
_RESPONSES = {r.value: r for r in RiskResponse}
_STATUSES = {s.value: s for s in RiskStatus}


def risk_from_row(row: Row[Any]) -> Risk:
    m = row._mapping
    values = {c: m[c] for c in _STORED}
    values["category"] = _CATEGORIES[values["category"]]
    values["response"] = _RESPONSES[values["response"]]
    values["status"] = _STATUSES[values["status"]]
    return Risk(**values, currency=m["currency"])


def _values(risk: Risk) -> dict[str, Any]:
    values = {c: getattr(risk, c) for c in _STORED}
    for name in ("category", "response", "status"):
        values[name] = values[name].value
    return values


def _with_currency() -> Any:
    """Risks with their project's currency: cost impact is always in the project's currency."""
    joined = risks.join(
        projects, and_(projects.c.org_id == risks.c.org_id, projects.c.id == risks.c.project_id)
    )
    return select(risks, projects.c.currency).select_from(joined)


def _filter(stmt: Any, flt: RiskFilter) -> Any:
    if flt.status is not None:
        stmt = stmt.where(risks.c.status == flt.status.value)
    if flt.severity is not None:
        low, high = SEVERITY_BANDS[flt.severity]
        stmt = stmt.where(risks.c.score.between(low, high))
    if flt.category is not None:
        stmt = stmt.where(risks.c.category == flt.category.value)
    if flt.owner_id is not None:
        stmt = stmt.where(risks.c.owner_id == flt.owner_id)
    if flt.overdue_review is not None:
        assert flt.today is not None, "overdue_review needs the clock's date"
        overdue = and_(risks.c.status.in_(_LIVE), risks.c.review_on < flt.today)
        stmt = stmt.where(overdue if flt.overdue_review else not_(overdue))
    return stmt


class SqlRiskRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, risk: Risk) -> None:
        await self.conn.execute(insert(risks).values(**_values(risk)))

    async def get(
        self, org_id: str, project_id: UUID | None, risk_id: UUID, *, for_update: bool = False
    ) -> Risk | None:
        stmt = _with_currency().where(risks.c.org_id == org_id, risks.c.id == risk_id)
        if project_id is not None:
            stmt = stmt.where(risks.c.project_id == project_id)
        if for_update:
            stmt = stmt.with_for_update(of=risks)
        row = (await self.conn.execute(stmt)).first()
        return risk_from_row(row) if row else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Risk | None]:
        if not ids:
            return []
        stmt = _with_currency().where(risks.c.org_id == org_id, risks.c.id.in_(set(ids)))
        found = {r.id: risk_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in ids]

    async def list_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: RiskFilter, sort: str, page: PageRequest
    ) -> dict[UUID, Page[Risk]]:
        if not project_ids:
            return {}
        descending = sort.startswith("-")
        columns: list[Column[Any]] = [risks.c[sort.removeprefix("-")], risks.c.id]
        base = _filter(
            _with_currency().where(risks.c.org_id == org_id, risks.c.project_id.in_(project_ids)),
            flt,
        )
        pid = risks.c.project_id
        return await pages_per_group(
            self.conn, base, pid, project_ids, columns, descending, page, risk_from_row
        )

    async def count_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: RiskFilter
    ) -> dict[UUID, int]:
        if not project_ids:
            return {}
        stmt = _filter(
            select(risks.c.project_id, func.count())
            .where(risks.c.org_id == org_id, risks.c.project_id.in_(project_ids))
            .group_by(risks.c.project_id),
            flt,
        )
        counts = {pid: int(n) for pid, n in (await self.conn.execute(stmt)).all()}
        return {pid: counts.get(pid, 0) for pid in project_ids}

    async def live_for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, list[LiveRisk]]:
        found: dict[UUID, list[LiveRisk]] = {pid: [] for pid in project_ids}
        if not project_ids:
            return found
        rows = await fetch(self.conn, _LIVE_SQL, org_id, list(set(project_ids)), _LIVE)
        for pid, *live in rows:
            found[pid].append(LiveRisk(*live))
        return found

    async def update(self, risk: Risk) -> None:
        await self.conn.execute(
            update(risks)
            .where(risks.c.org_id == risk.org_id, risks.c.id == risk.id)
            .values(**_values(risk))
        )


_ASSESSMENT = tuple(c.name for c in risk_assessments.columns if c.name != "seq")


def assessment_from_row(row: Row[Any]) -> Assessment:
    m = row._mapping
    return Assessment(**{c: m[c] for c in _ASSESSMENT})


class SqlAssessmentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, assessment: Assessment) -> None:
        values = {c: getattr(assessment, c) for c in _ASSESSMENT}
        await self.conn.execute(insert(risk_assessments).values(**values))

    async def list_for_risk(
        self, org_id: str, risk_id: UUID, page: PageRequest
    ) -> Page[Assessment]:
        stmt = select(risk_assessments).where(
            risk_assessments.c.org_id == org_id, risk_assessments.c.risk_id == risk_id
        )
        columns = [risk_assessments.c.seq]
        rows = (await self.conn.execute(keyset(stmt, columns, True, page))).all()
        return to_page(rows, page, columns, assessment_from_row)

    async def for_risks(self, org_id: str, risk_ids: list[UUID]) -> dict[UUID, list[Assessment]]:
        found: dict[UUID, list[Assessment]] = {rid: [] for rid in risk_ids}
        if not risk_ids:
            return found
        stmt = (
            select(risk_assessments)
            .where(
                risk_assessments.c.org_id == org_id,
                risk_assessments.c.risk_id.in_(set(risk_ids)),
            )
            .order_by(risk_assessments.c.seq.desc())
        )
        for row in await self.conn.execute(stmt):
            found[row.risk_id].append(assessment_from_row(row))
        return found
