"""The demo team: assignments with one over-allocated week, stakeholders in every quadrant
(one contact overdue), and meetings with open, done and overdue action items."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.principal import Principal
from app.domain.team import assignment_service as assignments
from app.domain.team import meeting_service as meetings
from app.domain.team import stakeholder_service as stakeholders
from app.domain.team.meetings import ActionStatus, MeetingKind
from app.domain.team.stakeholders import Channel, ContactFrequency, Level

# (project key, person index, role, percent, first week, last week): weeks from this Monday.
ASSIGNMENTS = [
    ("CRM", 2, "Project manager", 50, 0, 15),
    ("CRM", 4, "Lead developer", 80, 0, 15),
    ("CRM", 5, "Integration engineer", 40, 0, 8),
    ("ZTNA", 3, "Security architect", 60, 0, 15),
]
# Sofia (lead developer) also reviews ZTNA's design Monday to Wednesday of week 2:
# 80 % + 40 % x 3 / 5 = 104 % that week, and only that week.
REVIEW = ("ZTNA", 4, "Design reviewer", 40, 2)
STAKEHOLDERS: list[tuple[str, Level, Level, ContactFrequency, Channel, int | None]] = [
    ("Head of Sales", Level.HIGH, Level.HIGH, ContactFrequency.WEEKLY, Channel.IN_PERSON, None),
    ("Finance controller", Level.HIGH, Level.MEDIUM, ContactFrequency.MONTHLY, Channel.EMAIL, 60),
    ("Customer service team", Level.MEDIUM, Level.HIGH, ContactFrequency.BIWEEKLY, Channel.CHAT,
     None),
    ("IT operations", Level.LOW, Level.LOW, ContactFrequency.QUARTERLY, Channel.REPORT, 20),
]  # fmt: skip


async def load_team(
    projects: dict[str, Any],
    people: list[UUID],
    uow: Callable[[], Any],
    admin: Principal,
    clock: Clock,
) -> None:
    """Staff the demo's CRM and ZTNA projects (those of ``projects`` created in this run)."""
    if "CRM" not in projects or "ZTNA" not in projects:
        return
    today = clock.today()
    monday = today - timedelta(days=today.weekday())

    def week(n: int, day: int = 0) -> date:
        return monday + timedelta(days=7 * n + day)

    for key, person, role, percent, first, last in ASSIGNMENTS:
        cmd = assignments.CreateAssignment(
            projects[key].id, people[person], role, percent, week(first), week(last, 4)
        )
        await assignments.create_assignment(cmd, uow=uow(), principal=admin, clock=clock)
    key, person, role, percent, n = REVIEW
    cmd = assignments.CreateAssignment(
        projects[key].id, people[person], role, percent, week(n), week(n, 2)
    )
    await assignments.create_assignment(cmd, uow=uow(), principal=admin, clock=clock)
    crm = projects["CRM"].id
    made = []
    for name, influence, interest, frequency, channel, days_ago in STAKEHOLDERS:
        contacted = today - timedelta(days=days_ago) if days_ago is not None else None
        new = stakeholders.CreateStakeholder(
            crm, name, influence, interest, organization="Contoso", preferred_channel=channel,
            contact_frequency=frequency, last_contacted_on=contacted,
        )  # fmt: skip
        made.append(
            await stakeholders.create_stakeholder(new, uow=uow(), principal=admin, clock=clock)
        )
    priya, sofia, kenji = people[2], people[4], people[5]
    kickoff = meetings.RecordMeeting(
        crm, "CRM kick-off", MeetingKind.KICKOFF, today - timedelta(days=21),
        attendee_person_ids=(priya, sofia, kenji), attendee_stakeholder_ids=(made[0].id,),
        notes="Scope, roles and the plan to go live.",
        decisions=("Weekly status on Tuesdays", "Data migration in scope"),
        action_items=(
            meetings.NewActionItem("Share the project charter", priya,
                                   today - timedelta(days=14), ActionStatus.DONE),
            meetings.NewActionItem("Confirm the data migration scope", sofia,
                                   today - timedelta(days=7)),
        ),
    )  # fmt: skip
    status = meetings.RecordMeeting(
        crm, "Status, week 3", MeetingKind.STATUS, today - timedelta(days=2),
        attendee_person_ids=(priya, sofia), attendee_stakeholder_ids=(made[0].id, made[2].id),
        decisions=("UAT starts in week 6",),
        action_items=(
            meetings.NewActionItem("Book the UAT environment", kenji, today + timedelta(days=7)),
        ),
    )  # fmt: skip
    for record in (kickoff, status):
        await meetings.record_meeting(record, uow=uow(), principal=admin, clock=clock)
