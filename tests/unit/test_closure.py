"""The closure review and every gate on fakes: wrong phase, frozen report, final figures,
lessons, and the baseline taken on the first entry into execution only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.domain.closure import service
from app.domain.closure.model import LessonFilter, LessonKind
from app.domain.common.clock import FixedClock
from app.domain.common.errors import PhaseGateUnmet, ValidationFailed, WrongPhase
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.deliverables import service as deliverables
from app.domain.deliverables.model import Decision
from app.domain.ledger import service as ledger
from app.domain.ledger.model import Category, EntryKind
from app.domain.milestones import service as milestones
from app.domain.milestones.model import MilestoneStatus
from app.domain.objectives import key_results as krs
from app.domain.objectives import service as objectives
from app.domain.people import service as people
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Phase, Project
from app.main import build_gates
from tests.fakes_closing import FakeCharterUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
ADMIN = Principal("root", "org-1", frozenset({Role.ADMIN}))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
GATES = build_gates()


async def _project(uow: FakeCharterUnitOfWork, phase: Phase = Phase.INITIATION) -> Project:
    cmd = projects.CreateProject(
        key="CRM", name="CRM", business_area=BusinessArea.OTHER, currency="EUR",
        start_date=date(2026, 3, 2), target_end_date=date(2026, 3, 31),
    )  # fmt: skip
    project = await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    uow.projects.rows[project.id] = project = replace(project, phase=phase)
    return project


async def _move(uow: FakeCharterUnitOfWork, project: Project, to: Phase) -> Project:
    cmd = projects.TransitionProject(project.id, to)
    return await projects.transition_project(
        cmd, uow=uow, principal=MANAGER, clock=CLOCK, gates=GATES
    )


async def _unmet(uow: FakeCharterUnitOfWork, project: Project, to: Phase) -> list[str]:
    with pytest.raises(PhaseGateUnmet) as caught:
        await _move(uow, project, to)
    return [u.gate for u in caught.value.unmet]


def _report(
    project: Project, summary: str = "Delivered", **fields: object
) -> service.WriteClosureReport:
    return service.WriteClosureReport(project.id, summary, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("phase", [p for p in Phase if p != Phase.CLOSING])
async def test_the_report_is_written_in_closing_only(phase: Phase) -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, phase)
    with pytest.raises(WrongPhase) as caught:
        await service.write_closure_report(
            _report(project), uow=uow, principal=MANAGER, clock=CLOCK
        )
    assert ("frozen" in caught.value.message) == (phase == Phase.CLOSED)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"summary": "  "}, "summary"),
        ({"went_well": ["ok", " "]}, "went_well.1"),
        ({"to_improve": ["x" * 2001]}, "to_improve.0"),
        ({"to_improve": ["x"] * 51}, "to_improve"),
    ],
)
async def test_an_empty_summary_or_a_bad_item_is_refused(
    fields: dict[str, object], field: str
) -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, Phase.CLOSING)
    summary = str(fields.pop("summary", "Delivered"))
    with pytest.raises(ValidationFailed) as caught:
        await service.write_closure_report(
            _report(project, summary, **fields), uow=uow, principal=MANAGER, clock=CLOCK
        )
    assert [e.field for e in caught.value.errors] == [field]


async def test_writing_snapshots_the_final_figures_and_rewriting_bumps_the_version() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, Phase.CLOSING)
    for kind, amount in ((EntryKind.BUDGET, "1000"), (EntryKind.ACTUAL, "400")):
        post = ledger.PostEntry(project.id, kind, Category.LABOUR, amount, date(2026, 3, 2))
        await ledger.post_entry(post, uow=uow, principal=MANAGER, clock=CLOCK)
    await milestones.create_milestone(
        milestones.CreateMilestone(project.id, "Go-live", date(2026, 3, 2), date(2026, 4, 3)),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    obj = await objectives.create_objective(
        objectives.CreateObjective(project.id, "O"), uow=uow, principal=MANAGER, clock=CLOCK
    )
    await krs.add_key_result(
        krs.AddKeyResult(project.id, obj.objective.id, "KR", "%", "0", "4", "1"),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    for name, decision in (("A", Decision.ACCEPT), ("B", Decision.WAIVE), ("C", None)):
        d = await deliverables.create_deliverable(
            deliverables.CreateDeliverable(project.id, name),
            uow=uow,
            principal=MANAGER,
            clock=CLOCK,
        )
        if decision:
            cmd = deliverables.DecideDeliverable(project.id, d.id, decision, "n")
            await deliverables.decide_deliverable(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    first = await service.write_closure_report(
        _report(project, went_well=["Early demos"], to_improve=["Vendor SLAs"]),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    f = first.final_figures
    assert (f.budget, f.actual, f.currency) == (Decimal(1000), Decimal(400), "EUR")
    assert (f.forecast_finish, f.target_end_date, f.finish_variance_days) == (
        date(2026, 4, 3), date(2026, 3, 31), 3,
    )  # fmt: skip
    assert f.objectives_progress == Decimal("0.2500")
    assert (f.deliverables_accepted, f.deliverables_waived, f.deliverables_total) == (1, 1, 3)
    assert (first.version, first.written_by) == (1, "pm")
    second = await service.write_closure_report(
        _report(project, "Delivered late", expected_version=1),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
    )
    assert (second.version, second.went_well) == (2, [])
    event = uow.activity.entries[-1]
    assert event.type == "closure_report.written"
    assert event.changes["final_figures"]["budget"] == "1000.00"


async def test_lessons_come_from_closed_projects_only_and_match_the_query() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, Phase.CLOSING)
    await service.write_closure_report(
        _report(project, went_well=["Weekly demos"], to_improve=["Vendor onboarding took weeks"]),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    assert (
        await service.search_lessons(LessonFilter(), PageRequest(), uow=uow, principal=MANAGER)
    ).items == []
    uow.projects.rows[project.id] = replace(project, phase=Phase.CLOSED)
    found = await service.search_lessons(
        LessonFilter(q="VENDOR"), PageRequest(), uow=uow, principal=MANAGER
    )
    assert [(x.kind, x.text, x.project_key) for x in found.items] == [
        (LessonKind.TO_IMPROVE, "Vendor onboarding took weeks", "CRM")
    ]
    with pytest.raises(ValidationFailed):
        await service.search_lessons(
            LessonFilter(q="x" * 201), PageRequest(), uow=uow, principal=MANAGER
        )


async def test_resuming_execution_from_on_hold_takes_no_baseline() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, Phase.PLANNING)
    await milestones.create_milestone(
        milestones.CreateMilestone(project.id, "M", date(2026, 3, 2), date(2026, 3, 9)),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    uow.projects.rows[project.id] = project = replace(project, no_known_risks=True)
    await ledger.post_entry(
        ledger.PostEntry(project.id, EntryKind.BUDGET, Category.LABOUR, "10", date(2026, 3, 2)),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    project = await _move(uow, project, Phase.EXECUTION)
    assert [b.number for b in uow.baselines.rows] == [1]
    project = await _move(uow, project, Phase.ON_HOLD)
    project = await _move(uow, project, Phase.EXECUTION)
    assert project.phase == Phase.EXECUTION
    assert [b.number for b in uow.baselines.rows] == [1]  # resuming captured none
    assert [e.type for e in uow.activity.entries].count("baseline.taken") == 1


async def test_closing_needs_every_milestone_finished_and_one_done() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, Phase.EXECUTION)
    assert await _unmet(uow, project, Phase.CLOSING) == ["milestones_finished"]
    m = await milestones.create_milestone(
        milestones.CreateMilestone(project.id, "M", date(2026, 3, 2), date(2026, 3, 9),
                                   status=MilestoneStatus.CANCELLED),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    assert await _unmet(uow, project, Phase.CLOSING) == ["milestones_finished"]  # none done
    await milestones.update_milestone(
        milestones.UpdateMilestone(project.id, m.id, {"status": MilestoneStatus.DONE}),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    assert (await _move(uow, project, Phase.CLOSING)).phase == Phase.CLOSING


async def test_closed_needs_decided_deliverables_and_the_report() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow, Phase.CLOSING)
    assert await _unmet(uow, project, Phase.CLOSED) == [
        "deliverables_decided",
        "closure_report_written",
    ]
    d = await deliverables.create_deliverable(
        deliverables.CreateDeliverable(project.id, "D"), uow=uow, principal=MANAGER, clock=CLOCK
    )
    await deliverables.decide_deliverable(
        deliverables.DecideDeliverable(project.id, d.id, Decision.ACCEPT),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
    )
    assert await _unmet(uow, project, Phase.CLOSED) == ["closure_report_written"]
    await service.write_closure_report(_report(project), uow=uow, principal=MANAGER, clock=CLOCK)
    project = await _move(uow, project, Phase.CLOSED)
    with pytest.raises(WrongPhase):  # frozen
        await service.write_closure_report(
            _report(project), uow=uow, principal=MANAGER, clock=CLOCK
        )


async def test_the_first_gate_lists_sponsor_and_objective_in_order() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    assert await _unmet(uow, project, Phase.PLANNING) == ["sponsor_named", "objective_defined"]
    boss = await people.create_person(
        people.CreatePerson(name="Boss", email="b@x.example"), uow=uow, principal=ADMIN, clock=CLOCK
    )
    uow.projects.rows[project.id] = project = replace(project, sponsor_id=boss.id)
    assert await _unmet(uow, project, Phase.PLANNING) == ["objective_defined"]
