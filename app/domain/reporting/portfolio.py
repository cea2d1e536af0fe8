"""The portfolio: one row per project of the organization, as PRODUCT.md lists its fields.

Every figure comes from the capabilities' batch use cases, so the whole view costs a fixed
number of statements whatever the number of projects (tests/api/test_portfolio.py counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.common.clock import Clock
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.milestones.schedule import ScheduleItem
from app.domain.objectives.model import shown
from app.domain.objectives.service import objectives_progress
from app.domain.people.model import Person
from app.domain.people.service import people_by_ids
from app.domain.projects.model import BusinessArea, Phase, Project, ProjectFilter
from app.domain.reporting.facts import facts_of_projects
from app.domain.reporting.health import Health, Status
from app.domain.reporting.ports import ReportingUnitOfWork
from app.domain.risks.model import Risk, RiskFilter, RiskStatus
from app.domain.risks.service import risks_of_projects

# The view is one answer, not a paged list; an organization past this many projects is
# told the rows were cut (``truncated``) rather than served a response of unbounded size.
PORTFOLIO_MAX = 1000
TOP_RISKS = 3


@dataclass(frozen=True)
class PortfolioFilter:
    phase: Phase | None = None
    business_area: BusinessArea | None = None
    health: Status | None = None  # the overall health


@dataclass(frozen=True)
class PortfolioRow:
    project: Project
    manager: Person | None
    health: Health
    objectives_progress: Decimal | None
    next_milestone: ScheduleItem | None
    top_risks: list[Risk]


@dataclass(frozen=True)
class Portfolio:
    as_of: date
    rows: list[PortfolioRow]
    truncated: bool


async def portfolio(
    flt: PortfolioFilter, *, uow: ReportingUnitOfWork, principal: Principal, clock: Clock
) -> Portfolio:
    """List every project of the organization with its health and key figures, by key."""
    principal.require(Role.VIEWER)
    async with uow:  # one connection for every batch read
        page = await uow.projects.list(
            principal.org,
            ProjectFilter(phase=flt.phase, business_area=flt.business_area),
            "key",
            PageRequest(limit=PORTFOLIO_MAX),
        )
        projects = page.items
        ids = [p.id for p in projects]
        facts = await facts_of_projects(projects, uow=uow, principal=principal, clock=clock)
        progress = await objectives_progress(ids, uow=uow, principal=principal) if ids else {}
        top = PageRequest(limit=TOP_RISKS)
        flt_open = RiskFilter(status=RiskStatus.OPEN)
        risks = {}
        if ids:
            risks = await risks_of_projects(
                ids, flt_open, "-score", top, uow=uow, principal=principal, clock=clock
            )
        managers = sorted({p.manager_id for p in projects if p.manager_id is not None})
        people = await people_by_ids(managers, uow=uow, principal=principal) if managers else []
    by_person = {p.id: p for p in people if p is not None}
    rows = []
    for f in facts:
        health = f.health()
        if flt.health is not None and health.overall is not flt.health:
            continue
        p = f.project
        rows.append(
            PortfolioRow(
                project=p,
                manager=by_person.get(p.manager_id) if p.manager_id else None,
                health=health,
                objectives_progress=shown(progress.get(p.id)),
                next_milestone=f.next_milestone(),
                top_risks=risks[p.id].items,
            )
        )
    return Portfolio(clock.today(), rows, truncated=page.next_cursor is not None)
