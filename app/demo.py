"""A realistic demo portfolio, loaded through the same use cases the APIs call."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app import demo_closing
from app.demo_reporting import add_status_report
from app.demo_team import load_team
from app.domain.common.clock import SystemClock
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.ledger import service as ledger
from app.domain.ledger.model import Category, EntryKind
from app.domain.milestones import network
from app.domain.milestones import service as milestones
from app.domain.people import service as people
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Phase, Project, ProjectFilter
from app.domain.risks import service as risks
from app.domain.risks.model import RiskCategory, RiskResponse
from app.infra.postgres.uow import SqlUnitOfWork
from app.main import build_gates

PEOPLE = [
    ("Amara Okafor", "amara.okafor", "CIO", "40"),
    ("Jonas Weber", "jonas.weber", "Programme manager", "40"),
    ("Priya Raman", "priya.raman", "Project manager", "40"),
    ("Lucas Moreau", "lucas.moreau", "Security architect", "32"),
    ("Sofia Lindqvist", "sofia.lindqvist", "Lead developer", "40"),
    ("Kenji Sato", "kenji.sato", "Network engineer", "36"),
]

PROJECTS: list[dict[str, Any]] = [
    {"key": "CRM", "name": "CRM replacement", "area": BusinessArea.SOFTWARE_DEVELOPMENT, "currency": "EUR",
     "start": date(2027, 1, 4), "end": date(2027, 9, 30), "sponsor": 0, "manager": 2, "to": [Phase.PLANNING]},
    {"key": "ZTNA", "name": "Zero-trust network access", "area": BusinessArea.INFORMATION_SECURITY,
     "currency": "EUR", "start": date(2027, 2, 1), "end": date(2027, 12, 17), "sponsor": 0, "manager": 3,
     "to": []},
    {"key": "DWH", "name": "Data warehouse migration", "area": BusinessArea.DATABASES, "currency": "GBP",
     "start": date(2026, 10, 5), "end": date(2027, 6, 30), "sponsor": 1, "manager": 2,
     "to": [Phase.PLANNING, Phase.ON_HOLD]},
    {"key": "WIFI6", "name": "Campus Wi-Fi 6 roll-out", "area": BusinessArea.COMMUNICATIONS_NETWORKS,
     "currency": "USD", "start": date(2027, 3, 1), "end": date(2027, 8, 31), "sponsor": 1, "manager": 5,
     "to": [Phase.PLANNING]},
    {"key": "APP", "name": "Field service mobile app", "area": BusinessArea.MOBILE_APPLICATIONS,
     "currency": "EUR", "start": date(2027, 4, 1), "end": date(2027, 11, 30), "sponsor": 0, "manager": 4,
     "to": [Phase.CANCELLED]},
    {"key": "SIEM", "name": "Security monitoring (SIEM)", "area": BusinessArea.INFORMATION_SECURITY,
     "currency": "EUR", "start": date(2026, 9, 7), "end": date(2027, 5, 28), "sponsor": 0, "manager": 3,
     "to": [Phase.PLANNING, Phase.EXECUTION]},
    {"key": "HRIS", "name": "HR information system upgrade", "area": BusinessArea.INFORMATION_SYSTEMS,
     "currency": "EUR", "start": date(2026, 3, 2), "end": date(2026, 11, 30), "sponsor": 1, "manager": 2,
     "to": [Phase.PLANNING, Phase.EXECUTION, Phase.CLOSING]},
    {"key": "MAIL", "name": "Mail platform migration", "area": BusinessArea.INFRASTRUCTURE,
     "currency": "EUR", "start": date(2026, 1, 5), "end": date(2026, 6, 30), "sponsor": 0, "manager": 5,
     "to": [Phase.PLANNING, Phase.EXECUTION, Phase.CLOSING, Phase.CLOSED]},
]  # fmt: skip

# Each project's plan: a chain of milestones over its dates (share of the duration, share
# of the planned value, and the forecast's three-point estimate as factors of the planned
# duration: optimistic, most likely, pessimistic), and a short risk register whose risks
# would delay a milestone of the plan (days) when they occur.
PLAN = [
    ("Discovery", 0.15, 10, (0.7, 0.9, 1.3)),
    ("Design signed off", 0.25, 20, (0.75, 0.9, 1.4)),
    ("Build complete", 0.45, 50, (0.75, 0.95, 1.5)),
    ("Go-live", 0.15, 20, (0.8, 0.9, 1.3)),
]
RISKS = [
    ("Key people unavailable", RiskCategory.RESOURCE, 3, 3, RiskResponse.MITIGATE, "18000",
     10, "Build complete"),
    ("Vendor delivers late", RiskCategory.VENDOR, 2, 4, RiskResponse.TRANSFER, "35000",
     15, "Go-live"),
    ("Scope grows during design", RiskCategory.SCHEDULE, 4, 2, RiskResponse.ACCEPT, None,
     12, "Design signed off"),
]  # fmt: skip
BUDGET_PER_PROJECT = Decimal("250000")


def _estimate(days: int, factors: tuple[float, float, float]) -> tuple[int, int, int]:
    """A three-point estimate around a planned duration (whole days, at least 1, ordered)."""
    o, m, p = (max(1, round(days * f)) for f in factors)
    return o, max(o, m), max(o, m, p)


async def _plan(
    project: Project, owners: list[Any], uow: Any, admin: Principal, clock: Any
) -> None:
    """Milestones chained finish-to-start over the project's dates, and its risk register."""
    assert project.start_date is not None and project.target_end_date is not None
    span = (project.target_end_date - project.start_date).days
    start, previous = project.start_date, None
    made_ids: dict[str, Any] = {}
    for n, (name, share, value_pct, factors) in enumerate(PLAN):
        last = n == len(PLAN) - 1
        due = (
            project.target_end_date
            if last
            else start + timedelta(days=max(1, int(span * share)) - 1)
        )
        estimate = _estimate((due - start).days + 1, factors)
        made = await milestones.create_milestone(
            milestones.CreateMilestone(
                project.id,
                name,
                start,
                due,
                owner_id=owners[n % len(owners)],
                planned_value=BUDGET_PER_PROJECT * value_pct / 100,
                optimistic_days=estimate[0],
                most_likely_days=estimate[1],
                pessimistic_days=estimate[2],
            ),
            uow=uow(),
            principal=admin,
            clock=clock,
        )
        if previous is not None:
            link = network.AddDependency(project.id, made.id, previous)
            await network.add_dependency(link, uow=uow(), principal=admin, clock=clock)
        start, previous = due + timedelta(days=1), made.id
        made_ids[name] = made.id
    for title, category, probability, impact, response, cost, delay, on in RISKS:
        await risks.create_risk(
            risks.CreateRisk(project.id, title, category, probability, impact, response=response,
                             cost_impact=cost, owner_id=owners[0], schedule_impact_days=delay,
                             milestone_id=made_ids[on]),
            uow=uow(), principal=admin, clock=clock,
        )  # fmt: skip


async def load_demo(engine: AsyncEngine, org: str) -> dict[str, int]:
    """Create the demo people and projects in ``org``; existing keys are left alone."""
    admin = Principal("demo-data", org, frozenset({Role.ADMIN}))
    clock = SystemClock()
    gates = build_gates()

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    async with uow() as u:
        existing = {
            p.key
            for p in (
                await u.projects.list(org, ProjectFilter(), "key", PageRequest(limit=100))
            ).items
        }
    person_ids = []
    for name, handle, title, hours in PEOPLE:
        async with uow() as u:
            found = await u.people.get_by_sub(org, handle)
        if found is None:
            new = people.CreatePerson(name=name, email=f"{handle}@example.com", title=title,
                                      weekly_capacity_hours=Decimal(hours), user_sub=handle)  # fmt: skip
            found = await people.create_person(new, uow=uow(), principal=admin, clock=clock)
        person_ids.append(found.id)
    created = 0
    made: dict[str, Project] = {}
    for spec in PROJECTS:
        if spec["key"] in existing:
            continue
        project = await projects.create_project(
            projects.CreateProject(
                key=spec["key"], name=spec["name"], business_area=spec["area"], currency=spec["currency"],
                sponsor_id=person_ids[spec["sponsor"]], manager_id=person_ids[spec["manager"]],
                start_date=spec["start"], target_end_date=spec["end"],
                description=f"{spec['name']}: demo project.",
            ),
            uow=uow(), principal=admin, clock=clock,
        )  # fmt: skip
        made[project.key] = project
        await _plan(project, [person_ids[spec["manager"]], person_ids[4]], uow, admin, clock)
        # Budget approved and the first order placed today, so today's summary shows them.
        approved = clock.today()
        for kind, category, amount in (
            (EntryKind.BUDGET, Category.LABOUR, "250000"),
            (EntryKind.BUDGET, Category.CONTINGENCY, "25000"),
            (EntryKind.COMMITMENT, Category.SOFTWARE, "40000"),
        ):
            post = ledger.PostEntry(
                project.id, kind, category, amount, approved, description="Demo data"
            )
            await ledger.post_entry(post, uow=uow(), principal=admin, clock=clock)
        await demo_closing.add_objectives(project, uow, admin, clock)
        if Phase.EXECUTION in spec["to"]:
            closes = Phase.CLOSED in spec["to"]
            await demo_closing.add_deliverables(project, uow, admin, clock, closing=closes)
        for to in spec["to"]:
            if to == Phase.CLOSED:
                await demo_closing.close_out(project, uow, admin, clock)
            move = projects.TransitionProject(project.id, to, reason="Demo data", force=True)
            project = await projects.transition_project(
                move, uow=uow(), principal=admin, clock=clock, gates=gates
            )
        created += 1
    await load_team(made, person_ids, uow, admin, clock)
    await add_status_report(made, uow, admin, clock)
    return {"people": len(person_ids), "projects_created": created}
