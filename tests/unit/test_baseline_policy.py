"""The baseline policy on the fakes: which plan slippage and planned value measure against."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import NotFound
from app.domain.common.principal import Principal, Role
from app.domain.ledger import service as ledger
from app.domain.milestones import baselines, network, service
from app.domain.milestones.model import Milestone
from app.domain.milestones.plans import Plan, baseline_plans, chosen_baseline, measured_plans
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Project
from tests.fakes_ledger import FakeLedgerUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
VIEWER = Principal("eye", "org-1", frozenset({Role.VIEWER}))


def test_the_named_baseline_else_the_latest_else_none() -> None:
    assert chosen_baseline([1, 3, 2]) == 3  # the latest wins, whatever the order given
    assert chosen_baseline([1, 2, 3], asked=2) == 2
    assert chosen_baseline([1, 2], asked=5) is None  # a missing one is not replaced
    assert chosen_baseline([]) is None and chosen_baseline([], asked=1) is None


async def _project(uow: FakeLedgerUnitOfWork, key: str = "CRM") -> Project:
    cmd = projects.CreateProject(
        key=key, name=key, business_area=BusinessArea.OTHER, currency="EUR"
    )
    return await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _milestone(
    uow: FakeLedgerUnitOfWork, project: Project, due: date, value: str = "0"
) -> Milestone:
    cmd = service.CreateMilestone(
        project.id, "M", date(2026, 3, 2), due, planned_value=value, progress=0
    )
    return await service.create_milestone(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _replan(
    uow: FakeLedgerUnitOfWork, m: Milestone, clock: FixedClock = CLOCK, **changes: object
) -> None:
    cmd = service.UpdateMilestone(m.project_id, m.id, changes)
    await service.update_milestone(cmd, uow=uow, principal=MANAGER, clock=clock)


async def _baseline(uow: FakeLedgerUnitOfWork, project: Project, name: str) -> None:
    cmd = baselines.TakeBaseline(project.id, name)
    await baselines.take_baseline(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _slippage(uow: FakeLedgerUnitOfWork, project: Project, asked: int | None) -> object:
    s = await network.get_schedule(project.id, asked, uow=uow, principal=VIEWER)
    return s.baseline_number, [m.slippage_days for m in s.milestones]


async def test_slippage_is_null_without_a_baseline_then_against_the_latest_or_the_named() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    m = await _milestone(uow, project, date(2026, 3, 6))  # forecast finish 03-06
    assert await _slippage(uow, project, None) == (None, [None])
    await _baseline(uow, project, "Plan")  # due 03-06
    await _replan(uow, m, due_date=date(2026, 3, 4))
    await _baseline(uow, project, "Tighter")  # due 03-04
    await _replan(uow, m, due_date=date(2026, 3, 9))  # forecast finish 03-09
    assert await _slippage(uow, project, None) == (2, [5])  # the latest baseline wins
    assert await _slippage(uow, project, 1) == (1, [3])  # unless another is named
    with pytest.raises(NotFound):
        await _slippage(uow, project, 3)


async def test_a_milestone_added_after_the_baseline_has_no_slippage() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    await _milestone(uow, project, date(2026, 3, 6))
    await _baseline(uow, project, "Plan")
    late = await _milestone(uow, project, date(2026, 3, 8))
    s = await network.get_schedule(project.id, None, uow=uow, principal=VIEWER)
    by_id = {row.milestone_id: row.slippage_days for row in s.milestones}
    assert by_id[late.id] is None and sorted(by_id.values(), key=str) == [0, None]


async def test_a_batch_of_schedules_measures_each_project_against_its_own_baseline() -> None:
    uow = FakeLedgerUnitOfWork()
    planned, unplanned = await _project(uow, "CRM"), await _project(uow, "ERP")
    m = await _milestone(uow, planned, date(2026, 3, 6))
    await _milestone(uow, unplanned, date(2026, 3, 6))
    await _baseline(uow, planned, "Plan")
    await _replan(uow, m, due_date=date(2026, 3, 7))
    found = await network.schedules_of_projects(
        [unplanned.id, planned.id], uow=uow, principal=VIEWER
    )
    assert [(s.baseline_number, s.milestones[0].slippage_days) for s in found] == [
        (None, None),
        (1, 1),
    ]


async def test_planned_value_uses_the_latest_baseline_else_the_current_plan() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    m = await _milestone(uow, project, date(2026, 3, 11), value="1000.00")  # 10 days

    async def pv(on: date) -> Decimal:
        (value,) = await ledger.earned_values(
            [project.id], on, uow=uow, principal=VIEWER, clock=CLOCK
        )
        assert value is not None
        return value.pv

    assert await pv(date(2026, 3, 6)) == Decimal("500.00")  # no baseline: current dates
    await _replan(uow, m, planned_value="2000.00")
    assert await pv(date(2026, 3, 6)) == Decimal("1000.00")  # ... and current values
    await _baseline(uow, project, "Plan")  # 2000 over 03-02..03-11
    await _replan(uow, m, planned_value="4000.00", due_date=date(2026, 3, 6))
    assert await pv(date(2026, 3, 6)) == Decimal("1000.00")  # the baseline, not the re-plan
    await _baseline(uow, project, "Re-plan")  # 4000 over 03-02..03-06
    assert await pv(date(2026, 3, 6)) == Decimal("4000.00")  # the latest baseline wins


async def test_plans_fall_back_on_current_dates_only_for_planned_value() -> None:
    uow = FakeLedgerUnitOfWork()
    planned, unplanned = await _project(uow, "CRM"), await _project(uow, "ERP")
    await _milestone(uow, planned, date(2026, 3, 6), value="10.00")
    current = await _milestone(uow, unplanned, date(2026, 3, 9), value="20.00")
    await _baseline(uow, planned, "Plan")
    ids = [planned.id, unplanned.id]
    slippage_plans = await baseline_plans(uow, "org-1", ids)
    assert list(slippage_plans) == [planned.id]  # no baseline, no plan to slip against
    value_plans = await measured_plans(uow, "org-1", ids)
    assert [value_plans[p].baseline_number for p in ids] == [1, None]
    (item,) = value_plans[unplanned.id].milestones
    assert (item.milestone_id, item.due_date, str(item.planned_value)) == (
        current.id,
        date(2026, 3, 9),
        "20.00",
    )
    # Another organization's projects have no baselines nor milestones for it.
    assert await measured_plans(uow, "org-2", ids) == {p: Plan(None, []) for p in ids}


async def test_earned_value_takes_progress_as_it_stood_at_the_end_of_the_day() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    m = await _milestone(uow, project, date(2026, 3, 11), value="1000.00")
    later = FixedClock(datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    await _replan(uow, m, later, progress=40)

    async def ev(on: date) -> Decimal:
        (value,) = await ledger.earned_values(
            [project.id], on, uow=uow, principal=VIEWER, clock=CLOCK
        )
        assert value is not None
        return value.ev

    assert await ev(date(2026, 3, 4)) == Decimal("0.00")
    assert await ev(date(2026, 3, 5)) == Decimal("400.00")
