"""Domain results of the team capability as REST bodies."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from app.api.rest.team_schemas import (
    ActionItemRead,
    AssignmentRead,
    AvailabilityRead,
    ContributionRead,
    MeetingRead,
    PersonWorkloadRead,
    StakeholderRead,
    WeekRead,
)
from app.domain.team.assignments import Assignment
from app.domain.team.meetings import ActionItem, Meeting
from app.domain.team.stakeholders import Stakeholder
from app.domain.team.workload import WeekLoad
from app.domain.team.workload_service import PersonWorkload


def assignment_read(a: Assignment) -> AssignmentRead:
    return AssignmentRead.model_validate(a)


class _Text(dict[object, str]):
    """Each id, date or decimal as text once per page: a page repeats the same few hundred
    thousands of times, and the JSON encoder is slow on the driver's own UUID type."""

    def __missing__(self, key: object) -> str:
        value = self[key] = key.isoformat() if isinstance(key, date) else str(key)
        return value


def _week_dict(w: WeekLoad, text: _Text) -> dict[str, Any]:
    return {
        "week": w.week,
        "starts_on": text[w.monday],
        "load_percent": text[w.load_percent],
        "hours": text[w.hours],
        "over_allocated": w.over_allocated,
        "assignments": [
            {"assignment_id": text[c.assignment_id], "project_id": text[c.project_id],
             "project_key": c.project_key, "percent": text[c.percent]}
            for c in w.assignments
        ],
    }  # fmt: skip


def workload_dicts(people: list[PersonWorkload], *, only_loaded: bool = False) -> list[Any]:
    """PersonWorkloadRead bodies as plain data: an organization's page holds thousands of
    weeks, and a model per week and per assignment cost more than the workload itself."""
    text = _Text()
    return [
        {
            "person_id": text[p.member.person_id],
            "name": p.member.name,
            "weekly_capacity_hours": text[p.member.capacity_hours],
            "peak_load_percent": text[p.load.peak_percent],
            "over_allocated": p.load.over_allocated,
            "weeks": [_week_dict(w, text) for w in p.load.weeks(p.span, only_loaded=only_loaded)],
        }
        for p in people
    ]


def _week(w: WeekLoad) -> WeekRead:
    return WeekRead(
        week=w.week,
        starts_on=w.monday,
        load_percent=w.load_percent,
        hours=w.hours,
        over_allocated=w.over_allocated,
        assignments=[ContributionRead.model_validate(c) for c in w.assignments],
    )


def workload_read(p: PersonWorkload, *, only_loaded: bool = False) -> PersonWorkloadRead:
    return PersonWorkloadRead(
        person_id=p.member.person_id,
        name=p.member.name,
        weekly_capacity_hours=p.member.capacity_hours,
        peak_load_percent=p.load.peak_percent,
        over_allocated=p.load.over_allocated,
        weeks=[_week(w) for w in p.load.weeks(p.span, only_loaded=only_loaded)],
    )


def availability_read(p: PersonWorkload) -> AvailabilityRead:
    return AvailabilityRead(
        person_id=p.member.person_id,
        name=p.member.name,
        weekly_capacity_hours=p.member.capacity_hours,
        peak_load_percent=p.load.peak_percent,
        free_percent=p.load.free_percent,
    )


def stakeholder_read(s: Stakeholder, today: date) -> StakeholderRead:
    return StakeholderRead(
        **{k: getattr(s, k) for k in StakeholderRead.model_fields if k != "contact_overdue"},
        contact_overdue=s.contact_overdue(today),
    )


def action_item_read(a: ActionItem, today: date) -> ActionItemRead:
    return ActionItemRead(
        **{k: getattr(a, k) for k in ActionItemRead.model_fields if k != "overdue"},
        overdue=a.overdue(today),
    )


def meeting_read(m: Meeting, items: list[ActionItem], today: date) -> MeetingRead:
    fields = {k: getattr(m, k) for k in MeetingRead.model_fields if k != "action_items"}
    for name in ("attendee_person_ids", "attendee_stakeholder_ids", "decisions"):
        fields[name] = list(fields[name])
    return MeetingRead(**fields, action_items=[action_item_read(a, today) for a in items])


def meeting_location(project_id: UUID, meeting_id: UUID) -> str:
    return f"/api/v1/projects/{project_id}/meetings/{meeting_id}"
