"""Team use cases on fakes: permissions, people of the project, events, contact dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import NotFound, PermissionDenied, ValidationFailed
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.people import service as people
from app.domain.people.model import Person
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Project
from app.domain.team import action_item_service as actions
from app.domain.team import assignment_service as assignments
from app.domain.team import meeting_service as meetings
from app.domain.team import stakeholder_service as stakeholders
from app.domain.team import workload_service as workload
from app.domain.team.meetings import ActionItemFilter, ActionStatus, MeetingKind
from app.domain.team.stakeholders import ContactFrequency, Level, Quadrant, StakeholderFilter
from tests.fakes_team import FakeTeamUnitOfWork

CLOCK = FixedClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
ADMIN = Principal("admin", "org-1", frozenset({Role.ADMIN}))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))
OTHER = Principal("pm", "org-2", frozenset({Role.ADMIN}))


async def _person(uow: FakeTeamUnitOfWork, name: str, who: Principal = ADMIN, **kw: Any) -> Person:
    cmd = people.CreatePerson(name=name, email=f"{name.lower()}@example.com", **kw)
    return await people.create_person(cmd, uow=uow, principal=who, clock=CLOCK)


async def _project(uow: FakeTeamUnitOfWork, key: str = "CRM", who: Principal = MANAGER) -> Project:
    cmd = projects.CreateProject(
        key=key, name=key, business_area=BusinessArea.OTHER, currency="EUR"
    )
    return await projects.create_project(cmd, uow=uow, principal=who, clock=CLOCK)


async def _assign(
    uow: FakeTeamUnitOfWork, project: Project, person: Person, percent: int = 60, **kw: Any
) -> assignments.Assignment:
    cmd = assignments.CreateAssignment(
        project.id, person.id, kw.pop("role", "Developer"), percent,
        kw.pop("start", date(2027, 3, 1)), kw.pop("end", date(2027, 3, 3)),
    )  # fmt: skip
    return await assignments.create_assignment(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def test_a_manager_assigns_a_person_and_the_change_is_an_event() -> None:
    uow = FakeTeamUnitOfWork()
    ada, project = await _person(uow, "Ada"), await _project(uow)
    made = await _assign(uow, project, ada)
    [created] = [e for e in uow.activity.entries if e.type == "assignment.created"]
    assert created.subject.id == made.id and created.changes["allocation_percent"] == 60
    cmd = assignments.UpdateAssignment(project.id, made.id, {"allocation_percent": 80}, 1)
    updated = await assignments.update_assignment(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    assert updated.version == 2
    assert uow.activity.entries[-1].changes == {"allocation_percent": {"from": 60, "to": 80}}
    await assignments.delete_assignment(
        assignments.DeleteAssignment(None, made.id), uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert uow.activity.entries[-1].type == "assignment.deleted"


async def test_members_may_not_manage_assignments_or_stakeholders() -> None:
    uow = FakeTeamUnitOfWork()
    ada, project = await _person(uow, "Ada"), await _project(uow)
    cmd = assignments.CreateAssignment(
        project.id, ada.id, "Dev", 50, date(2027, 1, 1), date(2027, 1, 2)
    )
    with pytest.raises(PermissionDenied):
        await assignments.create_assignment(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    s = stakeholders.CreateStakeholder(project.id, "CFO", Level.HIGH, Level.LOW)
    with pytest.raises(PermissionDenied):
        await stakeholders.create_stakeholder(s, uow=uow, principal=MEMBER, clock=CLOCK)


@pytest.mark.parametrize(
    ("percent", "start", "end", "field"),
    [
        (0, date(2027, 1, 1), date(2027, 1, 2), "allocation_percent"),
        (101, date(2027, 1, 1), date(2027, 1, 2), "allocation_percent"),
        (50, date(2027, 1, 2), date(2027, 1, 1), "end_date"),
    ],
)
async def test_bad_allocations_and_dates_are_refused(
    percent: int, start: date, end: date, field: str
) -> None:
    uow = FakeTeamUnitOfWork()
    ada, project = await _person(uow, "Ada"), await _project(uow)
    with pytest.raises(ValidationFailed) as err:
        await _assign(uow, project, ada, percent, start=start, end=end)
    assert [e.field for e in err.value.errors] == [field]


async def test_a_person_of_another_organization_cannot_be_assigned() -> None:
    uow = FakeTeamUnitOfWork()
    stranger = await _person(uow, "Eve", OTHER)
    project = await _project(uow)
    with pytest.raises(ValidationFailed) as err:
        await _assign(uow, project, stranger)
    assert err.value.errors[0].field == "person_id"
    with pytest.raises(NotFound):  # and another organization's project looks missing
        foreign = await _project(uow, "XYZ", OTHER)
        await _assign(uow, foreign, stranger)


async def test_workload_and_availability_read_the_assignments() -> None:
    uow = FakeTeamUnitOfWork()
    ada, bob = await _person(uow, "Ada"), await _person(uow, "Bob")
    crm, erp = await _project(uow), await _project(uow, "ERP")
    await _assign(uow, crm, ada, 80, start=date(2027, 3, 1), end=date(2027, 3, 12))
    await _assign(uow, erp, ada, 50, start=date(2027, 3, 8), end=date(2027, 3, 10))
    await _assign(uow, erp, bob, 20, start=date(2027, 3, 1), end=date(2027, 3, 5))
    mine = await workload.person_workload(
        ada.id, date(2027, 3, 1), date(2027, 3, 14), uow=uow, principal=MEMBER
    )
    assert [w.load_percent for w in mine.load.weeks(mine.span)] == [Decimal(80), Decimal(110)]
    page = await workload.organization_workload(
        date(2027, 3, 1), date(2027, 3, 14), PageRequest(), uow=uow, principal=MEMBER
    )
    assert [p.member.name for p in page.items] == ["Ada", "Bob"]  # over-allocated first
    free = await workload.available_people(
        date(2027, 3, 1), date(2027, 3, 7), Decimal(50), PageRequest(), uow=uow, principal=MEMBER
    )
    assert [(p.member.name, p.load.free_percent) for p in free.items] == [("Bob", Decimal(80))]


async def test_a_stakeholder_has_a_quadrant_and_is_overdue_when_never_contacted() -> None:
    uow = FakeTeamUnitOfWork()
    project = await _project(uow)
    for name, influence, interest, last in [
        ("CFO", Level.HIGH, Level.HIGH, date(2027, 2, 27)),
        ("Legal", Level.HIGH, Level.MEDIUM, date(2027, 1, 1)),
        ("Users", Level.MEDIUM, Level.HIGH, None),
        ("Press", Level.LOW, Level.MEDIUM, date(2027, 2, 20)),
    ]:
        cmd = stakeholders.CreateStakeholder(
            project.id, name, influence, interest, contact_frequency=ContactFrequency.WEEKLY,
            last_contacted_on=last,
        )  # fmt: skip
        await stakeholders.create_stakeholder(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    every = await stakeholders.list_stakeholders(
        project.id, StakeholderFilter(), PageRequest(), uow=uow, principal=MEMBER, clock=CLOCK
    )
    assert {s.name: s.quadrant for s in every.items} == {
        "CFO": Quadrant.MANAGE_CLOSELY,
        "Legal": Quadrant.KEEP_SATISFIED,
        "Users": Quadrant.KEEP_INFORMED,
        "Press": Quadrant.MONITOR,
    }
    overdue = await stakeholders.list_stakeholders(
        project.id, StakeholderFilter(contact_overdue=True), PageRequest(), uow=uow,
        principal=MEMBER, clock=CLOCK,
    )  # fmt: skip
    # Press: 9 days ago, weekly (7) -> overdue; CFO 2 days ago is not.
    assert sorted(s.name for s in overdue.items) == ["Legal", "Press", "Users"]


async def _meeting_setup(uow: FakeTeamUnitOfWork) -> tuple[Project, Person, Person, Any]:
    ada, bob = await _person(uow, "Ada", user_sub="dev"), await _person(uow, "Bob")
    project = await _project(uow)
    await _assign(uow, project, ada)
    cfo = await stakeholders.create_stakeholder(
        stakeholders.CreateStakeholder(project.id, "CFO", Level.HIGH, Level.HIGH,
                                       last_contacted_on=date(2027, 1, 5)),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    return project, ada, bob, cfo


async def test_recording_a_meeting_marks_stakeholders_contacted_and_creates_action_items() -> None:
    uow = FakeTeamUnitOfWork()
    project, ada, _, cfo = await _meeting_setup(uow)
    cmd = meetings.RecordMeeting(
        project.id, "Steering 1", MeetingKind.STEERING, date(2027, 2, 20),
        attendee_person_ids=(ada.id,), attendee_stakeholder_ids=(cfo.id,),
        decisions=("Go",),
        action_items=(meetings.NewActionItem("Send minutes", ada.id, date(2027, 2, 22)),),
    )  # fmt: skip
    made = await meetings.record_meeting(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    contacted = uow.stakeholders.rows[cfo.id]
    assert contacted.last_contacted_on == date(2027, 2, 20) and contacted.version == 2
    types = [e.type for e in uow.activity.entries[-3:]]
    assert types == ["stakeholder.updated", "meeting.recorded", "action_item.created"]
    overdue = await actions.list_action_items(
        project.id, ActionItemFilter(overdue=True), PageRequest(), uow=uow, principal=MEMBER,
        clock=CLOCK,
    )  # fmt: skip
    assert [a.id for a in overdue.items] == [made.action_items[0].id]
    # An earlier meeting does not move the contact date back.
    earlier = meetings.RecordMeeting(
        project.id, "Kick-off", MeetingKind.KICKOFF, date(2027, 1, 10),
        attendee_stakeholder_ids=(cfo.id,),
    )  # fmt: skip
    await meetings.record_meeting(earlier, uow=uow, principal=MANAGER, clock=CLOCK)
    assert uow.stakeholders.rows[cfo.id].last_contacted_on == date(2027, 2, 20)


async def test_attendees_and_owners_must_be_of_the_project() -> None:
    uow = FakeTeamUnitOfWork()
    project, _, bob, cfo = await _meeting_setup(uow)
    other = await _project(uow, "ERP")
    stranger = await stakeholders.create_stakeholder(
        stakeholders.CreateStakeholder(other.id, "Vendor", Level.LOW, Level.LOW),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    cmd = meetings.RecordMeeting(
        project.id, "Status", MeetingKind.STATUS, date(2027, 2, 20),
        attendee_person_ids=(bob.id,), attendee_stakeholder_ids=(cfo.id, stranger.id),
        action_items=(meetings.NewActionItem("Call", bob.id, date(2027, 3, 1)),),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        await meetings.record_meeting(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    fields = {e.field for e in err.value.errors}
    assert fields == {"attendee_person_ids", "action_items[0].owner_id"}
    cmd = meetings.RecordMeeting(
        project.id, "Status", MeetingKind.STATUS, date(2027, 2, 20),
        attendee_stakeholder_ids=(stranger.id,),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        await meetings.record_meeting(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    assert err.value.errors[0].field == "attendee_stakeholder_ids"
    assert not uow.meetings.rows


async def test_members_update_only_the_status_of_their_own_action_items() -> None:
    uow = FakeTeamUnitOfWork()
    project, ada, _, _ = await _meeting_setup(uow)
    manager_id = project.manager_id
    assert manager_id is None
    cmd = meetings.RecordMeeting(
        project.id, "Status", MeetingKind.STATUS, date(2027, 2, 20),
        action_items=(meetings.NewActionItem("Fix build", ada.id, date(2027, 3, 5)),),
    )  # fmt: skip
    item = (
        await meetings.record_meeting(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    ).action_items[0]
    done = actions.UpdateActionItem(project.id, item.id, {"status": ActionStatus.DONE})
    updated = await actions.update_action_item(done, uow=uow, principal=MEMBER, clock=CLOCK)
    assert updated.status == ActionStatus.DONE and updated.version == 2
    someone_else = Principal("other", "org-1", frozenset({Role.MEMBER}))
    with pytest.raises(PermissionDenied):
        await actions.update_action_item(done, uow=uow, principal=someone_else, clock=CLOCK)
    retitle = actions.UpdateActionItem(project.id, item.id, {"title": "Mine now"})
    with pytest.raises(PermissionDenied):
        await actions.update_action_item(retitle, uow=uow, principal=MEMBER, clock=CLOCK)
    mine = await actions.list_person_action_items(
        ada.id, ActionItemFilter(), PageRequest(), uow=uow, principal=MEMBER, clock=CLOCK
    )
    assert [a.id for a in mine.items] == [item.id]
