"""Milestone use cases on fakes: permissions, defaults, history, network rules, gate and baseline."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import (
    CurrencyMismatch,
    DependencyCycle,
    MilestoneHasDependents,
    NotFound,
    PermissionDenied,
    PhaseGateUnmet,
)
from app.domain.common.principal import Principal, Role
from app.domain.milestones import baselines, network, service
from app.domain.milestones.gates import CaptureBaselineOnExecution, MilestoneWithDates
from app.domain.milestones.model import Milestone, MilestoneStatus
from app.domain.projects import service as projects
from app.domain.projects.gates import Gates
from app.domain.projects.model import BusinessArea, Phase, Project
from tests.fakes_milestones import FakeMilestonesUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))


async def _project(uow: FakeMilestonesUnitOfWork, key: str = "CRM") -> Project:
    cmd = projects.CreateProject(
        key=key, name=key, business_area=BusinessArea.OTHER, currency="EUR"
    )
    return await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _milestone(
    uow: FakeMilestonesUnitOfWork, project: Project, name: str = "M", **fields: object
) -> Milestone:
    values: dict[str, object] = {
        "start_date": date(2026, 3, 2),
        "due_date": date(2026, 3, 6),
        **fields,
    }
    cmd = service.CreateMilestone(project_id=project.id, name=name, **values)  # type: ignore[arg-type]
    return await service.create_milestone(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _link(uow: FakeMilestonesUnitOfWork, succ: Milestone, pred: Milestone) -> None:
    cmd = network.AddDependency(succ.project_id, succ.id, pred.id)
    await network.add_dependency(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def test_a_done_milestone_is_complete_today_and_its_progress_is_recorded() -> None:
    uow = FakeMilestonesUnitOfWork()
    m = await _milestone(
        uow, await _project(uow), status=MilestoneStatus.DONE, start_date=date(2026, 2, 23)
    )
    assert (m.progress, m.completed_on) == (100, CLOCK.today())
    assert uow.milestones.progress == [(m.id, 100, MilestoneStatus.DONE)]
    assert uow.activity.entries[-1].type == "milestone.created"


async def test_members_report_progress_but_cannot_re_plan() -> None:
    uow = FakeMilestonesUnitOfWork()
    project = await _project(uow)
    m = await _milestone(uow, project)
    cmd = service.UpdateMilestone(project.id, m.id, {"progress": 30})
    updated = await service.update_milestone(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    assert (updated.progress, updated.version) == (30, 2)
    assert uow.milestones.progress[-1] == (m.id, 30, MilestoneStatus.PLANNED)
    with pytest.raises(PermissionDenied):
        await service.update_milestone(
            service.UpdateMilestone(project.id, m.id, {"due_date": date(2026, 4, 1)}),
            uow=uow,
            principal=MEMBER,
            clock=CLOCK,
        )
    renamed = await service.update_milestone(
        service.UpdateMilestone(None, m.id, {"name": "Build"}),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
    )
    assert renamed.name == "Build"
    assert len(uow.milestones.progress) == 2  # a rename is no progress change


async def test_a_planned_value_in_another_currency_is_refused() -> None:
    uow = FakeMilestonesUnitOfWork()
    with pytest.raises(CurrencyMismatch):
        await _milestone(uow, await _project(uow), planned_value="10", currency="USD")


async def test_a_predecessor_cannot_be_deleted_and_cycles_are_named() -> None:
    uow = FakeMilestonesUnitOfWork()
    project = await _project(uow)
    a, b, c = [await _milestone(uow, project, n) for n in "ABC"]
    await _link(uow, b, a)
    await _link(uow, c, b)
    with pytest.raises(DependencyCycle) as caught:
        await _link(uow, a, c)
    assert caught.value.cycle == [str(c.id), str(a.id), str(b.id)]
    with pytest.raises(MilestoneHasDependents):
        await service.delete_milestone(
            service.DeleteMilestone(project.id, a.id), uow=uow, principal=MANAGER, clock=CLOCK
        )
    await service.delete_milestone(
        service.DeleteMilestone(None, c.id), uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert await uow.milestones.get("org-1", c.id) is None


async def test_a_predecessor_of_another_project_looks_missing() -> None:
    uow = FakeMilestonesUnitOfWork()
    mine = await _milestone(uow, await _project(uow, "ONE"))
    theirs = await _milestone(uow, await _project(uow, "TWO"))
    with pytest.raises(NotFound):
        await _link(uow, mine, theirs)


async def test_execution_needs_a_live_milestone_and_entering_it_takes_a_baseline() -> None:
    uow = FakeMilestonesUnitOfWork()
    gates = Gates([MilestoneWithDates()], [CaptureBaselineOnExecution()])
    project = await _project(uow)
    project = await projects.transition_project(
        projects.TransitionProject(project.id, Phase.PLANNING),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
        gates=gates,
    )
    await _milestone(uow, project, "Dropped", status=MilestoneStatus.CANCELLED)
    to_execution = projects.TransitionProject(project.id, Phase.EXECUTION)
    with pytest.raises(PhaseGateUnmet) as caught:
        await projects.transition_project(
            to_execution, uow=uow, principal=MANAGER, clock=CLOCK, gates=gates
        )
    assert [u.gate for u in caught.value.unmet] == ["milestone_with_dates"]
    kept = await _milestone(uow, project, "Kept", planned_value="250.00")
    await projects.transition_project(
        to_execution, uow=uow, principal=MANAGER, clock=CLOCK, gates=gates
    )
    [taken] = uow.baselines.rows
    assert (taken.number, taken.name, taken.taken_by) == (1, "Execution start", "pm")
    assert {m.milestone_id for m in taken.milestones} == {kept.id} | {
        m.id for m in uow.milestones.rows.values() if m.name == "Dropped"
    }
    second = await baselines.take_baseline(
        baselines.TakeBaseline(project.id, "Re-plan"), uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert second.number == 2


async def test_slippage_compares_with_the_named_baseline_and_a_missing_one_is_not_found() -> None:
    uow = FakeMilestonesUnitOfWork()
    project = await _project(uow)
    m = await _milestone(uow, project)
    await baselines.take_baseline(
        baselines.TakeBaseline(project.id, "Plan"), uow=uow, principal=MANAGER, clock=CLOCK
    )
    await service.update_milestone(
        service.UpdateMilestone(project.id, m.id, {"due_date": date(2026, 3, 9)}),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
    )
    viewer = Principal("v", "org-1", frozenset({Role.VIEWER}))
    s = await network.get_schedule(project.id, 1, uow=uow, principal=viewer)
    assert s.milestones[0].slippage_days == 3  # forecast 03-09 vs baseline due 03-06
    with pytest.raises(NotFound):
        await network.get_schedule(project.id, 2, uow=uow, principal=viewer)
    assert isinstance(s.critical_path[0], UUID)
