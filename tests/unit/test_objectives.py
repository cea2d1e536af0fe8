"""Objectives and key results on fakes: the progress formula, check-ins, permissions, gate."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import NotFound, PermissionDenied, ValidationFailed
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.objectives import key_results as krs
from app.domain.objectives import service
from app.domain.objectives.gates import ObjectiveDefined
from app.domain.objectives.model import mean, measure, progress, shown
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Project
from tests.fakes_closing import FakeCharterUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))
STRANGER = Principal("pm", "org-2", frozenset({Role.MANAGER}))
D = Decimal


async def _project(uow: FakeCharterUnitOfWork) -> Project:
    cmd = projects.CreateProject(
        key="CRM", name="CRM", business_area=BusinessArea.OTHER, currency="EUR"
    )
    return await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _objective_with(
    uow: FakeCharterUnitOfWork, project: Project, *results: tuple[str, str, str]
) -> service.ObjectiveWithResults:
    made = await service.create_objective(
        service.CreateObjective(project.id, "Happier customers"),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
    )
    for baseline, target, current in results:
        cmd = krs.AddKeyResult(
            project.id, made.objective.id, "KR", "pts", baseline, target, current
        )
        await krs.add_key_result(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    return await service.get_objective(project.id, made.objective.id, uow=uow, principal=MANAGER)


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        ("0", "100", "50", "0.5"),
        ("0", "100", "150", "1"),  # clamped above
        ("0", "100", "-20", "0"),  # clamped below
        ("40", "10", "25", "0.5"),  # a "reduce" key result: target below baseline
        ("40", "10", "5", "1"),
        ("40", "10", "55", "0"),
        ("0.5", "1.25", "0.75", "0.3333333333333333333333333333"),
    ],
)
def test_key_result_progress_is_the_clamped_share_of_the_way_from_baseline_to_target(
    baseline: str, target: str, current: str, expected: str
) -> None:
    assert progress(D(baseline), D(target), D(current)) == D(expected)


def test_means_skip_missing_values_and_progress_shows_four_places() -> None:
    assert mean([]) is None and mean([None]) is None
    assert mean([D("0.5"), None, D("1")]) == D("0.75")
    assert shown(D(1) / D(3)) == D("0.3333")
    assert shown(D("0.66665")) == D("0.6666")  # half to even
    assert shown(None) is None


@pytest.mark.parametrize("raw", ["abc", "1e400", "NaN", "Infinity", "1.23456", "1" * 17])
def test_a_key_result_value_must_be_a_bounded_decimal(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        measure(raw, "target")
    assert caught.value.errors[0].field == "target"


async def test_objective_progress_is_the_mean_of_its_key_results_and_none_without_any() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    empty = await _objective_with(uow, project)
    assert empty.progress is None
    measured = await _objective_with(uow, project, ("0", "10", "10"), ("100", "50", "100"))
    assert measured.progress == D("0.5")
    overall = await service.objectives_progress([project.id], uow=uow, principal=MANAGER)
    assert overall[project.id] == D("0.5")  # the objective without key results is not counted


async def test_target_equal_to_baseline_is_refused_on_create_and_on_change() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    obj = await _objective_with(uow, project, ("0", "10", "0"))
    with pytest.raises(ValidationFailed) as caught:
        await krs.add_key_result(
            krs.AddKeyResult(project.id, obj.objective.id, "KR", "pts", "5", "5.00"),
            uow=uow, principal=MANAGER, clock=CLOCK,
        )  # fmt: skip
    assert [e.field for e in caught.value.errors] == ["target"]
    kr = obj.key_results[0]
    with pytest.raises(ValidationFailed):
        await krs.update_key_result(
            krs.UpdateKeyResult(project.id, None, kr.id, {"target": "0"}),
            uow=uow, principal=MANAGER, clock=CLOCK,
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        await krs.update_key_result(
            krs.UpdateKeyResult(project.id, None, kr.id, {"current": "3"}),
            uow=uow, principal=MANAGER, clock=CLOCK,
        )  # fmt: skip
    assert caught.value.errors[0].field == "current"


async def test_a_member_checks_in_and_the_history_keeps_who_when_from_to_and_note() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    obj = await _objective_with(uow, project, ("0", "200", "0"))
    kr = obj.key_results[0]
    cmd = krs.CheckInKeyResult(project.id, obj.objective.id, kr.id, "50", "first month")
    await krs.check_in(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    await krs.check_in(
        krs.CheckInKeyResult(project.id, None, kr.id, "80"), uow=uow, principal=MEMBER, clock=CLOCK
    )
    history = await krs.list_check_ins(
        project.id, None, kr.id, PageRequest(), uow=uow, principal=MEMBER
    )
    assert [(c.from_value, c.to_value, c.note, c.by) for c in history.items] == [
        (D("50"), D("80"), None, "dev"),
        (D("0"), D("50"), "first month", "dev"),
    ]
    now = await krs.get_key_result(project.id, None, kr.id, uow=uow, principal=MEMBER)
    assert (now.current, now.progress, now.version) == (D("80"), D("0.4"), 3)
    kinds = [e.type for e in uow.activity.entries]
    assert kinds.count("key_result.checked_in") == 2
    assert uow.activity.entries[-1].changes["current"] == {"from": "50", "to": "80"}


async def test_a_member_may_not_define_and_a_viewer_may_not_check_in() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    with pytest.raises(PermissionDenied):
        await service.create_objective(
            service.CreateObjective(project.id, "X"), uow=uow, principal=MEMBER, clock=CLOCK
        )
    obj = await _objective_with(uow, project, ("0", "1", "0"))
    viewer = Principal("v", "org-1", frozenset({Role.VIEWER}))
    with pytest.raises(PermissionDenied):
        await krs.check_in(
            krs.CheckInKeyResult(project.id, None, obj.key_results[0].id, "1"),
            uow=uow, principal=viewer, clock=CLOCK,
        )  # fmt: skip


async def test_a_check_in_on_a_deleted_key_result_is_refused_and_reads_do_not_find_it() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    obj = await _objective_with(uow, project, ("0", "1", "0"), ("0", "2", "0"))
    kr = obj.key_results[0]
    await krs.delete_key_result(
        krs.DeleteKeyResult(project.id, None, kr.id), uow=uow, principal=MANAGER, clock=CLOCK
    )
    with pytest.raises(ValidationFailed) as caught:
        await krs.check_in(
            krs.CheckInKeyResult(project.id, None, kr.id, "1"),
            uow=uow,
            principal=MEMBER,
            clock=CLOCK,
        )
    assert caught.value.errors[0].field == "path.key_result_id"
    with pytest.raises(NotFound):
        await krs.get_key_result(project.id, None, kr.id, uow=uow, principal=MEMBER)
    left = await service.get_objective(project.id, obj.objective.id, uow=uow, principal=MEMBER)
    assert [k.id for k in left.key_results] == [obj.key_results[1].id]


async def test_deleting_an_objective_deletes_its_key_results_and_foreign_ids_are_not_found() -> (
    None
):
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    obj = await _objective_with(uow, project, ("0", "1", "0"))
    with pytest.raises(NotFound):
        await service.get_objective(None, obj.objective.id, uow=uow, principal=STRANGER)
    await service.delete_objective(
        service.DeleteObjective(project.id, obj.objective.id),
        uow=uow,
        principal=MANAGER,
        clock=CLOCK,
    )
    with pytest.raises(NotFound):
        await service.get_objective(project.id, obj.objective.id, uow=uow, principal=MANAGER)
    with pytest.raises(ValidationFailed):  # its key result went with it
        await krs.check_in(
            krs.CheckInKeyResult(project.id, None, obj.key_results[0].id, "1"),
            uow=uow, principal=MEMBER, clock=CLOCK,
        )  # fmt: skip
    with pytest.raises(NotFound):
        await krs.get_key_result(
            project.id, uuid4(), obj.key_results[0].id, uow=uow, principal=MANAGER
        )


async def test_the_initiation_gate_needs_an_objective_with_a_key_result() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    gate = ObjectiveDefined()
    assert not (await gate.evaluate(project, uow)).met
    await _objective_with(uow, project)
    result = await gate.evaluate(project, uow)
    assert (result.met, result.message) == (
        False,
        "Add a key result to one of the project's objectives",
    )
    await _objective_with(uow, project, ("0", "1", "0"))
    assert (await gate.evaluate(project, uow)).met
