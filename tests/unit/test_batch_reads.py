"""The batch reads GraphQL's loaders go through: the caller's organization only, a role needed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import PermissionDenied
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.milestones import network, service
from app.domain.milestones.model import Milestone, MilestoneStatus
from app.domain.people import service as people
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Project
from tests.fakes_milestones import FakeMilestonesUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
ADMIN = Principal("admin", "org-1", frozenset({Role.ADMIN}))
VIEWER = Principal("viewer", "org-1", frozenset({Role.VIEWER}))
STRANGER = Principal("viewer", "org-2", frozenset({Role.VIEWER}))
NOBODY = Principal("nobody", "org-1", frozenset())


async def _project(uow: FakeMilestonesUnitOfWork, key: str) -> Project:
    cmd = projects.CreateProject(
        key=key, name=key, business_area=BusinessArea.OTHER, currency="EUR"
    )
    return await projects.create_project(cmd, uow=uow, principal=ADMIN, clock=CLOCK)


async def _milestone(uow: FakeMilestonesUnitOfWork, project: Project, name: str) -> Milestone:
    cmd = service.CreateMilestone(project.id, name, date(2026, 3, 2), date(2026, 3, 6))
    return await service.create_milestone(cmd, uow=uow, principal=ADMIN, clock=CLOCK)


async def _network() -> tuple[FakeMilestonesUnitOfWork, Project, Project, list[Milestone]]:
    uow = FakeMilestonesUnitOfWork()
    crm, erp = await _project(uow, "CRM"), await _project(uow, "ERP")
    a, b, c = [await _milestone(uow, crm, n) for n in "ABC"]
    d = await _milestone(uow, erp, "D")
    for succ, pred in ((b, a), (c, a), (c, b)):
        cmd = network.AddDependency(crm.id, succ.id, pred.id)
        await network.add_dependency(cmd, uow=uow, principal=ADMIN, clock=CLOCK)
    return uow, crm, erp, [a, b, c, d]


async def test_dependencies_and_dependents_come_per_milestone_asked_in_one_batch() -> None:
    uow, _, _, (a, b, c, d) = await _network()
    ids = [c.id, a.id, d.id]
    needs = await network.dependencies_of_milestones(ids, uow=uow, principal=VIEWER)
    assert {m: sorted(str(x.predecessor_id) for x in v) for m, v in needs.items()} == {
        c.id: sorted([str(a.id), str(b.id)]),
        a.id: [],
        d.id: [],
    }
    dependents = await network.dependents_of_milestones(ids, uow=uow, principal=VIEWER)
    assert {m: sorted(str(x.successor_id) for x in v) for m, v in dependents.items()} == {
        c.id: [],
        a.id: sorted([str(b.id), str(c.id)]),
        d.id: [],
    }


async def test_milestone_pages_and_counts_come_per_project_and_status() -> None:
    uow, crm, erp, (_, b, _, d) = await _network()
    await service.update_milestone(
        service.UpdateMilestone(crm.id, b.id, {"status": MilestoneStatus.IN_PROGRESS}),
        uow=uow,
        principal=ADMIN,
        clock=CLOCK,
    )
    pages = await service.milestones_of_projects(
        [erp.id, crm.id], None, PageRequest(limit=2), uow=uow, principal=VIEWER
    )
    assert [m.id for m in pages[erp.id].items] == [d.id]
    assert len(pages[crm.id].items) == 2 and pages[crm.id].next_cursor is not None
    counts = await service.count_milestones_of_projects(
        [crm.id, erp.id], MilestoneStatus.PLANNED, uow=uow, principal=VIEWER
    )
    assert counts == {crm.id: 2, erp.id: 1}


async def test_batches_answer_in_key_order_and_hide_other_organizations_records() -> None:
    uow, _, _, (a, _, c, _) = await _network()
    person = await people.create_person(
        people.CreatePerson("Ada Lovelace", "ada@example.com"),
        uow=uow,
        principal=ADMIN,
        clock=CLOCK,
    )
    missing = uuid4()
    found = await service.milestones_by_ids([c.id, missing, a.id], uow=uow, principal=VIEWER)
    assert [m.name if m else None for m in found] == ["C", None, "A"]
    assert await service.milestones_by_ids([a.id], uow=uow, principal=STRANGER) == [None]
    assert await people.people_by_ids([missing, person.id], uow=uow, principal=VIEWER) == [
        None,
        person,
    ]
    assert await people.people_by_ids([person.id], uow=uow, principal=STRANGER) == [None]
    assert (await network.dependencies_of_milestones([c.id], uow=uow, principal=STRANGER)) == {
        c.id: []
    }


BATCHES: list[Callable[[Any, Principal], Awaitable[object]]] = [
    lambda uow, p: service.milestones_by_ids([uuid4()], uow=uow, principal=p),
    lambda uow, p: service.milestones_of_projects(
        [uuid4()], None, PageRequest(limit=1), uow=uow, principal=p
    ),
    lambda uow, p: service.count_milestones_of_projects([uuid4()], None, uow=uow, principal=p),
    lambda uow, p: network.dependencies_of_milestones([uuid4()], uow=uow, principal=p),
    lambda uow, p: network.dependents_of_milestones([uuid4()], uow=uow, principal=p),
    lambda uow, p: people.people_by_ids([uuid4()], uow=uow, principal=p),
]


@pytest.mark.parametrize("batch", BATCHES)
async def test_every_batch_read_needs_the_viewer_role(
    batch: Callable[[Any, Principal], Awaitable[object]],
) -> None:
    uow = FakeMilestonesUnitOfWork()
    with pytest.raises(PermissionDenied):
        await batch(uow, NOBODY)
    await batch(uow, VIEWER)  # the viewer role is enough
