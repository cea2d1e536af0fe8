"""The demo portfolio loads through the real use cases, and loading it twice adds nothing."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncEngine

from app.demo import PROJECTS, load_demo
from app.domain.closure.model import LessonFilter
from app.domain.closure.service import search_lessons
from app.domain.common.clock import SystemClock
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.deliverables.model import DeliverableStatus
from app.domain.forecast.service import project_forecast
from app.domain.ledger.service import ledger_summary
from app.domain.milestones.network import get_schedule
from app.domain.objectives.service import objectives_progress
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
        # (A closed project's milestones are done: facts, no longer a critical path.)
        assert len(schedule.critical_path) == (1 if project.phase == Phase.CLOSED else 4)
        assert schedule.forecast_finish == project.target_end_date
    async with SqlUnitOfWork(engine) as uow:
        ids = [p.id for p in page.items]
        counts = await uow.risks.count_for_projects(org, ids, RiskFilter())
    assert set(counts.values()) == {3}
    # The plan carries estimates and the risks would delay it: a forecast with a spread,
    # finishing on time less than always, for every project still to finish.
    for project in page.items:
        if project.phase in (Phase.CLOSED, Phase.CANCELLED):
            continue
        f = await project_forecast(
            project.id, 1000, 1, uow=SqlUnitOfWork(engine), principal=viewer, clock=SystemClock()
        )
        assert f.finish.p10 is not None and f.finish.p90 is not None
        assert f.finish.p10 < f.finish.p90, project.key
        assert f.probability_on_time is not None and f.probability_on_time < 1, project.key
        assert any(m.sensitivity for m in f.milestones)
    # ... and a budget approved today, so today's summary already shows it.
    summary = await ledger_summary(
        page.items[0].id, None, uow=SqlUnitOfWork(engine), principal=viewer, clock=SystemClock()
    )
    assert summary.budget == 275000 and summary.open_commitments == 40000


async def test_demo_data_walks_projects_through_every_phase_to_a_closure_report(
    engine: AsyncEngine,
) -> None:
    org = f"org-demo-{uuid.uuid4().hex[:8]}"
    await load_demo(engine, org)
    viewer = Principal("t", org, frozenset({Role.VIEWER}))
    async with SqlUnitOfWork(engine) as uow:
        page = await uow.projects.list(org, ProjectFilter(), "key", PageRequest(limit=100))
        ids = [p.id for p in page.items]
        reports = await uow.closure_reports.for_projects(org, ids)
        statuses = await uow.deliverables.status_counts(org, ids)
    phases = {p.phase for p in page.items}
    assert phases == set(Phase)
    closed = next(p for p in page.items if p.phase == Phase.CLOSED)
    report = reports[closed.id]
    assert report is not None and report.went_well and report.to_improve
    assert report.final_figures.deliverables_total == (
        report.final_figures.deliverables_accepted + report.final_figures.deliverables_waived
    )
    assert [p.key for p in page.items if reports[p.id] is not None] == [closed.key]
    every = {s for counts in statuses.values() for s in counts}
    assert every == set(DeliverableStatus)
    progress = await objectives_progress(ids, uow=SqlUnitOfWork(engine), principal=viewer)
    assert all(v is not None and 0 < v < 1 for v in progress.values())
    lessons = await search_lessons(
        LessonFilter(q="security"), PageRequest(), uow=SqlUnitOfWork(engine), principal=viewer
    )
    assert [x.project_key for x in lessons.items] == [closed.key]


async def test_demo_team_has_one_over_allocated_week_every_quadrant_and_overdue_items(
    engine: AsyncEngine,
) -> None:
    from datetime import timedelta

    from app.domain.team import stakeholder_service, workload_service
    from app.domain.team.meetings import ActionItemFilter
    from app.domain.team.stakeholders import StakeholderFilter

    org = f"org-demo-{uuid.uuid4().hex[:8]}"
    await load_demo(engine, org)
    viewer = Principal("t", org, frozenset({Role.VIEWER}))
    clock = SystemClock()
    today = clock.today()
    everyone = await workload_service.organization_workload(
        today, today + timedelta(weeks=16), PageRequest(), uow=SqlUnitOfWork(engine),
        principal=viewer,
    )  # fmt: skip
    over = [p for p in everyone.items if p.load.over_allocated]
    assert [p.member.name for p in over] == ["Sofia Lindqvist"]
    weeks = [w for w in over[0].load.weeks(over[0].span) if w.over_allocated]
    assert len(weeks) == 1 and str(weeks[0].load_percent) == "104.0"
    async with SqlUnitOfWork(engine) as uow:
        crm = await uow.projects.get_by_key(org, "CRM")
        assert crm is not None
        items = await uow.action_items.pages_for_projects(
            org, [crm.id], ActionItemFilter(overdue=True, today=today), PageRequest()
        )
    assert [a.title for a in items[crm.id].items] == ["Confirm the data migration scope"]
    page = await stakeholder_service.list_stakeholders(
        crm.id, StakeholderFilter(), PageRequest(), uow=SqlUnitOfWork(engine), principal=viewer,
        clock=clock,
    )  # fmt: skip
    assert len({s.quadrant for s in page.items}) == 4
    assert [s.name for s in page.items if s.contact_overdue(today)] == ["Finance controller"]
