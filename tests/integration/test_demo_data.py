"""The demo portfolio loads through the real use cases, and loading it twice adds nothing."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncEngine

from app.demo import PROJECTS, load_demo
from app.domain.common.clock import SystemClock
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.ledger.service import ledger_summary
from app.domain.milestones.network import get_schedule
from app.domain.projects.model import Phase, ProjectFilter
from app.domain.risks.model import RiskFilter
from app.infra.postgres.uow import SqlUnitOfWork


async def test_demo_data_loads_a_portfolio_once(engine: AsyncEngine) -> None:
    org = f"org-demo-{uuid.uuid4().hex[:8]}"
    assert await load_demo(engine, org) == {"people": 6, "projects_created": len(PROJECTS)}
    assert await load_demo(engine, org) == {"people": 6, "projects_created": 0}
    async with SqlUnitOfWork(engine) as uow:
        page = await uow.projects.list(org, ProjectFilter(), "key", PageRequest(limit=100))
        people = await uow.people.count(org)
    assert people == 6
    phases = {p.key: p.phase for p in page.items}
    assert phases["DWH"] == Phase.ON_HOLD
    assert phases["APP"] == Phase.CANCELLED
    assert all(p.sponsor_id is not None for p in page.items)
    # Every project has a plan: four chained milestones ending on its target end date, all
    # of them critical, and a risk register of three.
    viewer = Principal("t", org, frozenset({Role.VIEWER}))
    for project in page.items:
        schedule = await get_schedule(project.id, None, uow=SqlUnitOfWork(engine), principal=viewer)
        assert len(schedule.critical_path) == 4
        assert schedule.forecast_finish == project.target_end_date
    async with SqlUnitOfWork(engine) as uow:
        ids = [p.id for p in page.items]
        counts = await uow.risks.count_for_projects(org, ids, RiskFilter())
    assert set(counts.values()) == {3}
    # ... and a budget approved today, so today's summary already shows it.
    summary = await ledger_summary(
        page.items[0].id, None, uow=SqlUnitOfWork(engine), principal=viewer, clock=SystemClock()
    )
    assert summary.budget == 275000 and summary.open_commitments == 40000
