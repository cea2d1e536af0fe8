"""The project lifecycle and its gates, on the domain alone (fakes, fixed clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import (
    InvalidTransition,
    PermissionDenied,
    PhaseGateUnmet,
    ValidationFailed,
)
from app.domain.common.principal import Principal, Role
from app.domain.projects import service
from app.domain.projects.gates import ConditionResult, Gates, SponsorNamed
from app.domain.projects.model import BusinessArea, Phase, Project
from tests.fakes import FakeUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
ADMIN = Principal("boss", "org-1", frozenset({Role.ADMIN}))


class AlwaysUnmet:
    gate = "always_unmet"
    entering = Phase.EXECUTION

    async def evaluate(self, project: Project, uow: Any) -> ConditionResult:
        return ConditionResult(self.gate, False, "never satisfied")


class RecordEntry:
    entering = Phase.EXECUTION

    def __init__(self) -> None:
        self.entered: list[Project] = []

    async def on_enter(self, project: Project, uow: Any, principal: Principal, clock: Any) -> None:
        self.entered.append(project)


async def _project(uow: FakeUnitOfWork, **fields: Any) -> Project:
    cmd = service.CreateProject(
        key="CRM", name="CRM", business_area=BusinessArea.OTHER, currency="EUR", **fields
    )
    return await service.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _move(
    uow: FakeUnitOfWork, project: Project, to: Phase, gates: Gates, **kw: Any
) -> Project:
    cmd = service.TransitionProject(project.id, to, **kw)
    return await service.transition_project(
        cmd, uow=uow, principal=kw.pop("principal", MANAGER), clock=CLOCK, gates=gates
    )


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], Phase.EXECUTION),  # skipping planning
        ([], Phase.CLOSED),
        ([], Phase.ON_HOLD),  # initiation cannot be held
        ([Phase.CANCELLED], Phase.PLANNING),  # cancelled is terminal
        ([Phase.PLANNING], Phase.INITIATION),  # no backward moves
    ],
)
async def test_the_lifecycle_refuses_moves_it_does_not_list(path: list[Phase], to: Phase) -> None:
    uow = FakeUnitOfWork()
    project = await _project(uow)
    for step in path:
        project = await _move(uow, project, step, Gates())
    with pytest.raises(InvalidTransition):
        await _move(uow, project, to, Gates())


async def test_on_hold_returns_only_to_the_phase_it_came_from() -> None:
    uow = FakeUnitOfWork()
    project = await _move(uow, await _project(uow), Phase.PLANNING, Gates())
    held = await _move(uow, project, Phase.ON_HOLD, Gates())
    assert held.held_from == Phase.PLANNING
    with pytest.raises(InvalidTransition):
        await _move(uow, held, Phase.EXECUTION, Gates())
    back = await _move(uow, held, Phase.PLANNING, Gates())
    assert back.phase == Phase.PLANNING
    assert back.held_from is None


async def test_cancelled_is_reachable_from_on_hold_but_not_from_closed() -> None:
    uow = FakeUnitOfWork()
    project = await _move(uow, await _project(uow), Phase.PLANNING, Gates())
    held = await _move(uow, project, Phase.ON_HOLD, Gates())
    assert (await _move(uow, held, Phase.CANCELLED, Gates())).phase == Phase.CANCELLED


async def test_the_sponsor_gate_lists_its_unmet_condition() -> None:
    uow = FakeUnitOfWork()
    project = await _project(uow)
    with pytest.raises(PhaseGateUnmet) as caught:
        await _move(uow, project, Phase.PLANNING, Gates([SponsorNamed()]))
    assert [u.gate for u in caught.value.unmet] == ["sponsor_named"]
    assert (await uow.projects.get("org-1", project.id)).phase == Phase.INITIATION  # type: ignore[union-attr]


async def test_capabilities_add_conditions_and_entry_hooks_without_touching_the_lifecycle() -> None:
    uow = FakeUnitOfWork()
    hook = RecordEntry()
    gates = Gates([AlwaysUnmet()], [hook])
    project = await _move(uow, await _project(uow), Phase.PLANNING, gates)
    with pytest.raises(PhaseGateUnmet):
        await _move(uow, project, Phase.EXECUTION, gates)
    assert hook.entered == []
    with pytest.raises(PermissionDenied):
        await _move(uow, project, Phase.EXECUTION, gates, force=True, reason="go")
    with pytest.raises(ValidationFailed):
        await service.transition_project(
            service.TransitionProject(project.id, Phase.EXECUTION, force=True),
            uow=uow,
            principal=ADMIN,
            clock=CLOCK,
            gates=gates,
        )
    forced = await service.transition_project(
        service.TransitionProject(project.id, Phase.EXECUTION, reason="Board approved", force=True),
        uow=uow,
        principal=ADMIN,
        clock=CLOCK,
        gates=gates,
    )
    assert forced.phase == Phase.EXECUTION
    assert [p.phase for p in hook.entered] == [Phase.EXECUTION]
    record = uow.activity.entries[-1]
    assert record.changes["forced"] is True
    assert record.changes["reason"] == "Board approved"
    assert record.changes["unmet"] == [{"gate": "always_unmet", "message": "never satisfied"}]
    assert record.actor == "boss"
