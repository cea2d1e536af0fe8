"""The risk register's tables against real PostgreSQL: batched pages, tenant-safe keys."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.common.errors import RiskNotLive, ValidationFailed
from app.domain.common.paging import PageRequest, decode_cursor
from app.domain.people.model import Person
from app.domain.projects.model import BusinessArea, Phase, Project
from app.domain.risks.issues import Issue, IssueStatus
from app.domain.risks.model import (
    Risk,
    RiskCategory,
    RiskFilter,
    RiskResponse,
    RiskStatus,
    Severity,
)
from app.infra.postgres.uow import SqlUnitOfWork

AT = datetime(2026, 3, 1, tzinfo=UTC)


def _project(org: str) -> Project:
    return Project(
        id=uuid.uuid4(), org_id=org, key="R" + uuid.uuid4().hex[:6].upper(), name="P",
        description=None, business_area=BusinessArea.OTHER, sponsor_id=None, manager_id=None,
        start_date=None, target_end_date=None, currency="EUR", phase=Phase.INITIATION,
        held_from=None, no_known_risks=False, version=1, created_at=AT, updated_at=AT,
    )  # fmt: skip


def _risk(project: Project, p: int, i: int, **fields: object) -> Risk:
    values: dict[str, object] = dict(
        id=uuid.uuid4(), org_id=project.org_id, project_id=project.id, title="R", description=None,
        category=RiskCategory.OTHER, probability=p, impact=i, owner_id=None,
        response=RiskResponse.ACCEPT, mitigation=None, contingency=None, trigger=None,
        review_on=date(2026, 4, 1), status=RiskStatus.OPEN, cost_impact=None, currency="EUR",
        version=1, created_at=AT, updated_at=AT,
    )  # fmt: skip
    values.update(fields)
    return Risk(**values)  # type: ignore[arg-type]


def _issue(project: Project, risk_id: uuid.UUID | None, from_occurrence: bool) -> Issue:
    return Issue(
        id=uuid.uuid4(), org_id=project.org_id, project_id=project.id, title="I", description=None,
        severity=Severity.LOW, status=IssueStatus.OPEN, owner_id=None, due_on=None,
        resolution=None, risk_id=risk_id, from_occurrence=from_occurrence, version=1,
        created_at=AT, updated_at=AT,
    )  # fmt: skip


async def test_one_statement_pages_every_projects_risks_by_score_with_cursors(
    engine: AsyncEngine,
) -> None:
    org = f"org-{uuid.uuid4().hex[:12]}"
    a, b, empty = _project(org), _project(org), _project(org)
    levels = [(1, 1), (5, 5), (2, 3), (4, 4), (3, 3), (2, 3)]
    async with SqlUnitOfWork(engine) as uow:
        for project in (a, b, empty):
            await uow.projects.add(project)
        for p, i in levels:
            await uow.risks.add(_risk(a, p, i))
        await uow.risks.add(_risk(b, 1, 2))
        await uow.commit()
    seen: list[int] = []
    page = PageRequest(limit=4)
    while True:
        async with SqlUnitOfWork(engine) as uow:
            pages = await uow.risks.list_for_projects(
                org, [a.id, b.id, empty.id], RiskFilter(), "-score", page
            )
        if page.after is None:  # a cursor belongs to the project whose list it came from
            assert [r.score for r in pages[b.id].items] == [2]
            assert pages[b.id].next_cursor is None and pages[empty.id].items == []
        seen += [r.score for r in pages[a.id].items]
        if pages[a.id].next_cursor is None:
            break
        page = PageRequest(limit=4, after=decode_cursor(pages[a.id].next_cursor))
    assert seen == [25, 16, 9, 6, 6, 1]
    async with SqlUnitOfWork(engine) as uow:
        counts = await uow.risks.count_for_projects(
            org, [a.id, b.id, empty.id], RiskFilter(severity=Severity.MEDIUM)
        )
    assert counts == {a.id: 3, b.id: 0, empty.id: 0}


async def test_an_owner_of_another_organization_is_refused_by_the_database(
    engine: AsyncEngine,
) -> None:
    org, other = f"org-{uuid.uuid4().hex[:12]}", f"org-{uuid.uuid4().hex[:12]}"
    project = _project(org)
    stranger = Person(
        id=uuid.uuid4(), org_id=other, name="S", email="s@example.com", title=None,
        weekly_capacity_hours=40, user_sub=None, version=1, created_at=AT, updated_at=AT,
    )  # fmt: skip
    async with SqlUnitOfWork(engine) as uow:
        await uow.projects.add(project)
        await uow.people.add(stranger)
        await uow.commit()
    with pytest.raises(ValidationFailed) as raised:
        async with SqlUnitOfWork(engine) as uow:
            await uow.risks.add(_risk(project, 1, 1, owner_id=stranger.id))
    assert raised.value.errors[0].field == "owner_id"


async def test_an_issue_links_a_risk_of_its_own_project_and_a_risk_occurs_once(
    engine: AsyncEngine,
) -> None:
    org = f"org-{uuid.uuid4().hex[:12]}"
    project, elsewhere = _project(org), _project(org)
    risk = _risk(elsewhere, 3, 3)
    mine = _risk(project, 3, 3)
    async with SqlUnitOfWork(engine) as uow:
        await uow.projects.add(project)
        await uow.projects.add(elsewhere)
        await uow.risks.add(risk)
        await uow.risks.add(mine)
        await uow.commit()
    with pytest.raises(ValidationFailed) as raised:
        async with SqlUnitOfWork(engine) as uow:
            await uow.issues.add(_issue(project, risk.id, False))
    assert raised.value.errors[0].field == "risk_id"
    async with SqlUnitOfWork(engine) as uow:
        first = _issue(project, mine.id, True)
        await uow.issues.add(first)
        await uow.issues.add(_issue(project, mine.id, False))  # a manual link is fine
        await uow.commit()
    with pytest.raises(RiskNotLive):
        async with SqlUnitOfWork(engine) as uow:
            await uow.issues.add(_issue(project, mine.id, True))
    async with SqlUnitOfWork(engine) as uow:
        assert await uow.issues.from_occurrences(org, [mine.id, risk.id]) == [first, None]
        # A stored risk reads back equal, its score and currency included.
        assert await uow.risks.get(org, project.id, mine.id) == mine
        # Live risks of several projects in one call, each project under its own key.
        live = await uow.risks.live_for_projects(org, [project.id, elsewhere.id])
        assert live == {project.id: [mine.as_live()], elsewhere.id: [risk.as_live()]}
        assert await uow.risks.live_for_projects("org-nobody", [project.id]) == {project.id: []}
        assert await uow.risks.get(org, elsewhere.id, mine.id) is None
        assert await uow.risks.get("org-nobody", None, mine.id) is None
        moved = replace(mine, status=RiskStatus.CLOSED, version=2)
        await uow.risks.update(moved)
        assert await uow.risks.live_for_projects(org, [project.id]) == {project.id: []}
