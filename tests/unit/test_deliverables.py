"""Deliverables on fakes: decisions from every status, notes, who may decide, the gate."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import InvalidDecision, PermissionDenied, ValidationFailed
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.deliverables import service
from app.domain.deliverables.gates import DeliverablesDecided
from app.domain.deliverables.model import Decision, Deliverable, DeliverableStatus
from app.domain.milestones import service as milestones
from app.domain.people import service as people
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Phase, Project
from tests.fakes_closing import FakeCharterUnitOfWork

CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
ADMIN = Principal("root", "org-1", frozenset({Role.ADMIN}))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))
SPONSOR = Principal("boss", "org-1", frozenset({Role.VIEWER}))
S, Dn = DeliverableStatus, Decision


async def _project(uow: FakeCharterUnitOfWork, key: str = "CRM") -> Project:
    boss = await people.create_person(
        people.CreatePerson(name="Boss", email=f"{key}@x.example", user_sub="boss" if key == "CRM" else None),
        uow=uow, principal=ADMIN, clock=CLOCK,
    )  # fmt: skip
    cmd = projects.CreateProject(
        key=key, name=key, business_area=BusinessArea.OTHER, currency="EUR", sponsor_id=boss.id
    )
    return await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _deliverable(
    uow: FakeCharterUnitOfWork, project: Project, name: str = "D"
) -> Deliverable:
    cmd = service.CreateDeliverable(project.id, name, acceptance_criteria="Signed off")
    return await service.create_deliverable(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _decide(
    uow: FakeCharterUnitOfWork, d: Deliverable, decision: Decision, note: str | None = "why",
    who: Principal = MANAGER,
) -> Deliverable:  # fmt: skip
    cmd = service.DecideDeliverable(d.project_id, d.id, decision, note)
    return (await service.decide_deliverable(cmd, uow=uow, principal=who, clock=CLOCK))[0]


ALLOWED = {
    (S.PENDING, Dn.ACCEPT): S.ACCEPTED,
    (S.PENDING, Dn.REJECT): S.REJECTED,
    (S.PENDING, Dn.WAIVE): S.WAIVED,
    (S.ACCEPTED, Dn.REOPEN): S.PENDING,
    (S.REJECTED, Dn.REOPEN): S.PENDING,
    (S.WAIVED, Dn.REOPEN): S.PENDING,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("decision", list(Dn))
async def test_every_decision_from_every_status(status: S, decision: Dn) -> None:
    uow = FakeCharterUnitOfWork()
    d = await _deliverable(uow, await _project(uow))
    uow.deliverables.rows[d.id] = d = replace(d, status=status)
    if (status, decision) not in ALLOWED:
        with pytest.raises(InvalidDecision):
            await _decide(uow, d, decision)
        assert uow.deliverables.rows[d.id].status == status and not uow.decisions.rows
        return
    after = await _decide(uow, d, decision)
    assert after.status == ALLOWED[(status, decision)]
    assert after.version == d.version + 1
    pending = after.status == S.PENDING
    assert (after.decided_by, after.decided_at) == (
        (None, None) if pending else ("pm", CLOCK.now())
    )
    [record] = uow.decisions.rows
    assert (record.decision, record.from_status, record.to_status, record.by, record.note) == (
        decision, status, after.status, "pm", "why",
    )  # fmt: skip
    assert uow.activity.entries[-1].type == "deliverable.decided"


@pytest.mark.parametrize("decision", [Dn.REJECT, Dn.WAIVE])
@pytest.mark.parametrize("note", [None, "", "   "])
async def test_reject_and_waive_need_a_note(decision: Dn, note: str | None) -> None:
    uow = FakeCharterUnitOfWork()
    d = await _deliverable(uow, await _project(uow))
    with pytest.raises(ValidationFailed) as caught:
        await _decide(uow, d, decision, note)
    assert caught.value.errors[0].field == "note"
    assert (await _decide(uow, d, Dn.ACCEPT, None)).status == S.ACCEPTED  # accept needs none


async def test_a_closed_project_keeps_its_decisions() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    d = await _decide(uow, await _deliverable(uow, project), Dn.ACCEPT)
    uow.projects.rows[project.id] = replace(project, phase=Phase.CLOSED)
    with pytest.raises(InvalidDecision):
        await _decide(uow, d, Dn.REOPEN)


async def test_the_sponsor_decides_without_being_a_manager_and_a_member_may_not() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    d = await _deliverable(uow, project)
    with pytest.raises(PermissionDenied):
        await _decide(uow, d, Dn.ACCEPT, who=MEMBER)
    other = await _project(uow, "ERP")  # the caller's person is not this project's sponsor
    theirs = await _deliverable(uow, other)
    with pytest.raises(PermissionDenied):
        await _decide(uow, theirs, Dn.ACCEPT, who=SPONSOR)
    assert (await _decide(uow, d, Dn.ACCEPT, who=SPONSOR)).decided_by == "boss"
    history = await service.list_decisions(
        project.id, d.id, PageRequest(), uow=uow, principal=MEMBER
    )
    assert [r.by for r in history.items] == ["boss"]


async def test_a_deliverable_names_a_milestone_of_its_own_project_only() -> None:
    uow = FakeCharterUnitOfWork()
    mine, other = await _project(uow), await _project(uow, "ERP")
    theirs = await milestones.create_milestone(
        milestones.CreateMilestone(other.id, "M", date(2026, 3, 2), date(2026, 3, 9)),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        await service.create_deliverable(
            service.CreateDeliverable(mine.id, "D", milestone_id=theirs.id),
            uow=uow, principal=MANAGER, clock=CLOCK,
        )  # fmt: skip
    assert caught.value.errors[0].field == "milestone_id"
    d = await _deliverable(uow, mine)
    with pytest.raises(ValidationFailed):
        await service.update_deliverable(
            service.UpdateDeliverable(mine.id, d.id, {"status": "accepted"}),
            uow=uow, principal=MANAGER, clock=CLOCK,
        )  # fmt: skip


async def test_the_closing_gate_needs_deliverables_all_accepted_or_waived() -> None:
    uow = FakeCharterUnitOfWork()
    project = await _project(uow)
    gate = DeliverablesDecided()
    assert not (await gate.evaluate(project, uow)).met
    one, two = await _deliverable(uow, project, "A"), await _deliverable(uow, project, "B")
    await _decide(uow, one, Dn.ACCEPT)
    two = await _decide(uow, two, Dn.REJECT)
    result = await gate.evaluate(project, uow)
    assert (result.met, result.message) == (
        False, "Accept or waive every deliverable (0 pending, 1 rejected)",
    )  # fmt: skip
    two = await _decide(uow, two, Dn.REOPEN)
    await _decide(uow, two, Dn.WAIVE, "Out of scope after the re-plan")
    assert (await gate.evaluate(project, uow)).met
