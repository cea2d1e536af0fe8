"""The ports the baseline policy reads answer alike in PostgreSQL and in the fakes.

One scenario runs through the use cases on both; what the repositories return (plain
data: baseline numbers, snapshots, progress history) and the plans the policy picks from it
must be equal, so the unit tests on the fakes speak for the real repositories.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.common.clock import FixedClock
from app.domain.common.principal import Principal, Role
from app.domain.milestones import baselines, service
from app.domain.milestones.plans import Plan, baseline_plans, measured_plans
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea
from app.infra.postgres.uow import SqlUnitOfWork
from tests.fakes_ledger import FakeLedgerUnitOfWork

MARCH_1 = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
MARCH_5 = FixedClock(datetime(2026, 3, 5, 9, 0, tzinfo=UTC))


async def _scenario(make_uow: Callable[[], Any], org: str) -> dict[str, Any]:
    """Three projects: two baselines, one baseline, none; then read every port and plan."""
    manager = Principal("pm", org, frozenset({Role.MANAGER}))
    ids = []
    for key in ("TWO", "ONE", "NONE"):
        cmd = projects.CreateProject(
            key=key, name=key, business_area=BusinessArea.OTHER, currency="GBP"
        )
        project = await projects.create_project(
            cmd, uow=make_uow(), principal=manager, clock=MARCH_1
        )
        ids.append(project.id)
    names: dict[uuid.UUID, str] = {}
    for pid, key in zip(ids, ("TWO", "ONE", "NONE"), strict=True):
        for n, due in enumerate((date(2026, 3, 6), date(2026, 3, 9))):
            cmd = service.CreateMilestone(
                pid, f"{key}{n}", date(2026, 3, 2), due, planned_value=f"{n + 1}00.50"
            )
            m = await service.create_milestone(
                cmd, uow=make_uow(), principal=manager, clock=MARCH_1
            )
            names[m.id] = m.name
            change = service.UpdateMilestone(pid, m.id, {"progress": 10 * (n + 1)})
            await service.update_milestone(change, uow=make_uow(), principal=manager, clock=MARCH_5)
    for pid, count in zip(ids, (2, 1, 0), strict=True):
        for i in range(count):
            take = baselines.TakeBaseline(pid, f"B{i}")
            await baselines.take_baseline(take, uow=make_uow(), principal=manager, clock=MARCH_1)

    def named(plans: dict[uuid.UUID, Plan]) -> list[Any]:
        """Each project's plan as (baseline number, its milestones by name), or "no plan"."""
        return [
            (plans[p].baseline_number, sorted(
                (names[m.milestone_id], m.due_date, m.planned_value)  # value-equal
                for m in plans[p].milestones
            )) if p in plans else "no plan"
            for p in ids
        ]  # fmt: skip

    async with make_uow() as uow:
        numbers = await uow.baselines.numbers(org, ids)
        snapshots = await uow.baselines.snapshots(org, {ids[0]: 1, ids[1]: 1})
        before = await uow.milestones.progress_at(org, ids, datetime(2026, 3, 5, 9, tzinfo=UTC))
        after = await uow.milestones.progress_at(org, ids, datetime(2026, 3, 6, tzinfo=UTC))
        return {
            "numbers": [numbers.get(p) for p in ids],
            "snapshots": [
                sorted((names[m.milestone_id], m.due_date, m.planned_value) for m in s)
                for s in (snapshots[ids[0]], snapshots[ids[1]])
            ],
            "progress": [sorted(before.values()), sorted(after.values())],
            "latest": named(await baseline_plans(uow, org, ids)),
            "first": named(await baseline_plans(uow, org, ids, 1)),
            "second": named(await baseline_plans(uow, org, ids, 2)),
            "measured": named(await measured_plans(uow, org, ids)),
            "elsewhere": named(await measured_plans(uow, f"{org}-x", ids)),
        }


async def test_the_fakes_answer_the_plan_ports_as_postgresql_does(engine: AsyncEngine) -> None:
    org = f"org-{uuid.uuid4().hex[:8]}"
    fake = FakeLedgerUnitOfWork()
    real = await _scenario(lambda: SqlUnitOfWork(engine), org)
    assert await _scenario(lambda: fake, org) == real
    assert real["numbers"] == [[1, 2], [1], None]
    assert real["progress"] == [[0, 0, 0, 0, 0, 0], [10, 10, 10, 20, 20, 20]]
    assert [plan[0] for plan in real["latest"][:2]] == [2, 1] and real["latest"][2] == "no plan"
    assert [plan[0] for plan in real["first"][:2]] == [1, 1]
    assert real["second"][1:] == ["no plan", "no plan"] and real["second"][0][0] == 2
    assert [plan[0] for plan in real["measured"]] == [2, 1, None]
    assert real["elsewhere"] == [(None, [])] * 3  # another organization sees nothing
    assert real["measured"][2][1] == [
        ("NONE0", date(2026, 3, 6), Decimal("100.50")),
        ("NONE1", date(2026, 3, 9), Decimal("200.50")),
    ]
